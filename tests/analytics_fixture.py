"""The hand-made analytics dataset (tests/fixtures/analytics/) loaded into a store.

Three public statements and one restricted one; see the README there.  The
graphs are built and stored directly (facts → RDF → store), the same path
``hrdkg ingest`` takes after its SHACL gate.
"""
from __future__ import annotations

from graph.build import build_graph
from graph.facts import load_facts
from graph.namespaces import DEFAULT_BASE
from graph.store import Store, open_store

from conftest import FIXTURES

ANALYTICS = FIXTURES / "analytics"
PUBLIC = ("kz-one", "kz-two", "kg-three")
SECRET = "kz-secret"
ID = DEFAULT_BASE


def statement(name: str) -> str:
    return f"{ID}statement/test-{name}"


def person(cc: str, name: str) -> str:
    return f"{ID}person/{cc}/{name}"


def fill(store: Store, names: tuple[str, ...] = (*PUBLIC, SECRET)) -> Store:
    """Put the named fixture statements into ``store`` (restricted ones as such)."""
    for name in names:
        facts = load_facts(ANALYTICS / f"{name}.facts.json")
        store.put_statement(build_graph(facts), public=not facts.statement.restricted)
    return store


def analytics_store(names: tuple[str, ...] = (*PUBLIC, SECRET)) -> Store:
    return fill(open_store(None), names)


#: Strings that exist only in the restricted statement: none may appear in any output.
SECRET_MARKERS = ("Farida Zeta", "farida-zeta", "Secret Circle", "secret-circle", "Article 999", "criminal-code/999", "test-kz-secret",
                  "CONFIDENTIAL", "P10Y", "2025-05-20", "2025-05-30")
