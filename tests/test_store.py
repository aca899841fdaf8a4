"""The store: named graph per statement, merged default graph, atomic replace."""
from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.build import build_graph
from graph.errors import StoreError
from graph.facts import load_facts
from graph.query import select
from graph.store import SharedStore, open_store

from conftest import FACTS

COUNT_DEFENDERS = "SELECT (COUNT(*) AS ?n) WHERE { ?p a hrd:HumanRightsDefender }"


def content(store) -> list[str]:
    """Every quad as sorted N-Quads lines: compares stores by content."""
    return sorted(str(q) for q in store.inner)


def test_shared_facts_are_counted_once(store):
    store.put_statement(build_graph(load_facts(FACTS / "minimal.facts.json")))
    store.put_statement(build_graph(load_facts(FACTS / "second.facts.json")))
    # the defender is in both statement graphs, but the merged graph holds it once
    assert select(store, COUNT_DEFENDERS) == [{"n": "1"}]
    assert len(store.statement_graphs()) == 2


def test_reingest_is_idempotent(store):
    g = build_graph(load_facts(FACTS / "minimal.facts.json"))
    store.put_statement(g)
    before = content(store)
    store.put_statement(g)
    assert content(store) == before


def test_withdraw_keeps_what_another_statement_supports(store):
    one = build_graph(load_facts(FACTS / "minimal.facts.json"))
    two = build_graph(load_facts(FACTS / "second.facts.json"))
    store.put_statement(one)
    alone = content(store)
    store.put_statement(two)
    assert store.withdraw_statement(str(two.identifier))
    assert content(store) == alone  # exactly as if the second had never been ingested
    assert select(store, COUNT_DEFENDERS) == [{"n": "1"}]
    assert store.withdraw_statement(str(one.identifier))
    assert len(store) == 0


def test_replacing_a_statement_drops_facts_it_no_longer_states(store):
    facts = load_facts(FACTS / "minimal.facts.json")
    store.put_statement(build_graph(facts))
    corrected = facts.__class__(statement=facts.statement, entities=facts.entities, events=(), text=facts.text)
    store.put_statement(build_graph(corrected))
    assert select(store, "SELECT ?e WHERE { ?e a hrd:Conviction }") == []


def test_restricted_statement_stays_out_of_the_merged_graph(store):
    one = build_graph(load_facts(FACTS / "minimal.facts.json").with_statement(restricted=True))
    store.put_statement(one, public=False)
    assert select(store, COUNT_DEFENDERS) == [{"n": "0"}]
    assert store.restricted_graphs() == {str(one.identifier)}
    assert store.public_graphs() == []


def test_withdrawing_public_statement_removes_facts_only_restricted_ones_hold(store):
    restricted = build_graph(load_facts(FACTS / "minimal.facts.json").with_statement(restricted=True))
    public = build_graph(load_facts(FACTS / "second.facts.json"))
    store.put_statement(restricted, public=False)
    store.put_statement(public)
    assert select(store, COUNT_DEFENDERS) == [{"n": "1"}]
    store.withdraw_statement(str(public.identifier))
    assert select(store, COUNT_DEFENDERS) == [{"n": "0"}]


def test_on_disk_store_survives_reopening(tmp_path: Path):
    path = tmp_path / "store"
    shared = SharedStore(path)
    with shared.lease() as store:
        store.put_statement(build_graph(load_facts(FACTS / "minimal.facts.json")))
    # the lease is over: another open (as another process would) succeeds
    reopened = open_store(path, wait=1)
    assert select(reopened, COUNT_DEFENDERS) == [{"n": "1"}]


def test_locked_store_gives_a_clear_error(tmp_path: Path):
    path = tmp_path / "store"
    holder = open_store(path)
    with pytest.raises(StoreError, match="in use by another process"):
        open_store(path, wait=0.2)
    del holder
