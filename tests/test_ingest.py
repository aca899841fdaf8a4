"""Ingest: facts files through the SHACL gate into the store."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.errors import InputError
from graph.ingest import collect_inputs, ingest_paths
from graph.query import select

from conftest import FACTS


def content(store) -> list[str]:
    return sorted(str(q) for q in store.inner)


def test_stores_conforming_facts(store):
    report = ingest_paths(store, [FACTS / "minimal.facts.json", FACTS / "second.facts.json"])
    assert [o.status for o in report.outcomes] == ["stored", "stored"]
    rows = select(store, "SELECT ?name WHERE { ?p a hrd:HumanRightsDefender ; rdfs:label ?name }")
    assert {r["name"] for r in rows} == {"Aliya Test", "ALIYA TËST"}


@pytest.mark.parametrize("name, problem", [
    ("broken-date", "date"),
    ("fine-without-currency", "currency"),
    ("event-about-nobody", "concern"),
])
def test_bad_facts_are_rejected_and_the_store_is_unchanged(store, name, problem):
    ingest_paths(store, [FACTS / "second.facts.json"])
    before = content(store)
    report = ingest_paths(store, [FACTS / f"{name}.facts.json", FACTS / "minimal.facts.json"])
    rejected, stored = report.outcomes
    assert rejected.status == "rejected" and rejected.path.endswith(f"{name}.facts.json")
    assert problem in str(rejected.report).lower()
    assert stored.status == "stored"  # the rest of the batch goes on
    ingest_paths(store, [FACTS / "second.facts.json"])
    # nothing of the rejected file is there: the store equals one holding only the good files
    from graph.store import open_store

    clean = open_store(None)
    ingest_paths(clean, [FACTS / "second.facts.json", FACTS / "minimal.facts.json"])
    assert content(store) == content(clean)
    assert before != content(store)


def test_reviewed_facts_take_precedence_over_the_statement(tmp_path: Path):
    shutil.copy(FACTS / "minimal.facts.json", tmp_path / "case.facts.json")
    (tmp_path / "case.md").write_text("Aliya Test fined on 8 January 2025.", encoding="utf-8")
    (tmp_path / "other.md").write_text("Another statement.", encoding="utf-8")
    (tmp_path / "README.md").write_text("Notes about this folder.", encoding="utf-8")
    found = collect_inputs([tmp_path])
    assert [p.name for p in found] == ["case.facts.json", "other.md"]


def test_missing_path_is_an_input_error(tmp_path: Path):
    with pytest.raises(InputError, match="does not exist"):
        collect_inputs([tmp_path / "nope.md"])
