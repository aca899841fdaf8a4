"""Exports: the dataset as Turtle, N-Triples, TriG, N-Quads or JSON-LD.

Triple formats (Turtle, N-Triples, JSON-LD) write the merged public graph,
each fact once.  Quad formats (TriG, N-Quads) write the statement graphs,
so each triple keeps the statement it came from; the merged graph is not
repeated in them because it can be rebuilt from the statement graphs.
Output is streamed from the store: memory does not grow with its size.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

import pyoxigraph as ox

from .errors import HrdkgError
from .namespaces import PREFIXES
from .store import Store

EXPORT_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
}
QUAD_FORMATS = {"trig", "nquads"}


class ExportError(HrdkgError):
    """An export cannot be written as asked."""


def export(store: Store, out: BinaryIO, *, fmt: str = "turtle", graph: str | None = None,
           include_restricted: bool = False) -> None:
    """Write the public dataset (or the statement graph ``graph``) to ``out`` in ``fmt``.

    Restricted statements are left out unless ``include_restricted`` (a
    private backup): a published export never reveals a confidential case.

    :raises ExportError: for an unknown format or graph.
    """
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    hidden = set() if include_restricted else store.restricted_graphs()
    if graph is not None and (not store.has_statement(graph) or graph in hidden):
        raise ExportError(f"no statement graph named <{graph}> in the store")
    rdf_format = EXPORT_FORMATS[fmt]
    quads = _quads(store, graph=graph, keep_graph=fmt in QUAD_FORMATS, hidden=hidden)
    prefixes = PREFIXES if fmt in {"turtle", "trig"} else None
    ox.serialize(quads, out, rdf_format, prefixes=prefixes)


def _quads(store: Store, *, graph: str | None, keep_graph: bool,
           hidden: set[str]) -> Iterator[ox.Quad | ox.Triple]:
    if graph is not None:
        source = store.graph_triples(graph)
    elif keep_graph:
        source = (q for q in store.inner.quads_for_pattern(None, None, None)
                  if not isinstance(q.graph_name, ox.DefaultGraph) and q.graph_name.value not in hidden)
    else:
        source = store.default_triples()
    for quad in source:
        yield quad if keep_graph else quad.triple
