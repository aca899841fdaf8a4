"""Counts that describe a store: statements, triples, entities by class."""
from __future__ import annotations

from dataclasses import asdict, dataclass

from .query import compact, select
from .store import Store

_BY_CLASS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY DESC(?n) ?class
"""


@dataclass(frozen=True)
class Stats:
    """What ``hrdkg stats`` prints."""

    statements: int
    restricted: int
    triples: int  # in the merged public graph
    quads: int  # in all statement graphs, provenance included
    classes: dict[str, int]

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def store_stats(store: Store) -> Stats:
    """Count statements, triples and entities per class (public merged graph)."""
    graphs = store.statement_graphs()
    triples = sum(1 for _ in store.default_triples())
    classes = {compact(r["class"]): int(r["n"]) for r in select(store, _BY_CLASS)}
    return Stats(statements=len(graphs), restricted=len(store.restricted_graphs()),
                 triples=triples, quads=len(store) - triples, classes=classes)
