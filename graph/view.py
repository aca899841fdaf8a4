"""What pages read: a view of the store's graphs, and labels for what they show.

:class:`View` is the merged public graph, or for an administrator the
graphs of restricted statements as well; :func:`labels_for` names IRIs
for display.  Shared by :mod:`graph.browse` (entity pages),
:mod:`graph.evidence` (quotes and timelines) and :mod:`graph.catalog`
(listings and counts).
"""
from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from ontology import ONTOLOGY_DIR

from .errors import HrdkgError, QueryError
from .namespaces import HRD, PREFIXES
from .query import compact
from .store import Store

H = str(HRD._NS)
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"


class BrowseError(HrdkgError):
    """A page cannot be made as asked (unknown class, bad sort key...)."""


class View:
    """The graphs pages read: the merged public graph, and for an administrator
    (``everything=True``) the graphs of restricted statements as well.

    Reading several graphs, a fact stated twice would be seen twice:
    :meth:`triples` removes such duplicates, and the queries of this module
    count with ``DISTINCT`` or key their rows by IRI.
    """

    def __init__(self, store: Store,
                 graphs: tuple[ox.DefaultGraph | ox.NamedNode, ...] = (ox.DefaultGraph(),)) -> None:
        self.store = store
        self.graphs = graphs

    @classmethod
    def of(cls, store: Store, *, everything: bool = False) -> View:
        """The public view of ``store``, or with ``everything`` the administrator's."""
        if not everything:
            return cls(store)
        hidden = tuple(ox.NamedNode(g) for g in sorted(store.restricted_graphs()))
        return cls(store, (ox.DefaultGraph(), *hidden))

    def triples(self, subject: ox.NamedNode | None, predicate: ox.NamedNode | None,
                obj: ox.NamedNode | ox.Literal | None) -> Iterator[ox.Triple]:
        """Triples matching the pattern (None = any), each once."""
        if len(self.graphs) == 1:
            yield from (q.triple for q in self.store.inner.quads_for_pattern(subject, predicate, obj, self.graphs[0]))
            return
        seen: set[ox.Triple] = set()
        for graph in self.graphs:
            for quad in self.store.inner.quads_for_pattern(subject, predicate, obj, graph):
                if quad.triple not in seen:
                    seen.add(quad.triple)
                    yield quad.triple

    def count(self) -> int:
        """Number of distinct triples in view (counted by the engine, not in Python)."""
        inner = "?s ?p ?o" if len(self.graphs) == 1 else "SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"
        rows = self.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {inner} }}")
        return int(rows[0]["n"]) if rows else 0

    def select(self, query: str, *,
               bindings: Mapping[str, ox.NamedNode | Iterable[ox.NamedNode]] | None = None) -> list[dict[str, str]]:
        """Rows of a SELECT query over the graphs in view (values as plain strings,
        unbound variables left out), like :func:`graph.query.select`.

        ``bindings`` fix variables to an IRI, or to any of several IRIs.  They
        are written as ``VALUES`` blocks at the start of the first ``WHERE {``,
        where the engine starts its joins from them (pyoxigraph's
        ``substitutions`` are applied after the joins: seconds instead of
        milliseconds on a large store), and a SPARQL server understands them too.

        :raises QueryError: if the query fails.
        """
        if bindings:
            query = query.replace("WHERE {", f"WHERE {{ {_values(bindings)}", 1)
        # the public view names no graph: the store's default graph is the default anyway
        graphs = {} if self.graphs == (ox.DefaultGraph(),) else {"default_graph": list(self.graphs)}
        try:
            result = self.store.inner.query(query, prefixes=PREFIXES, **graphs)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        assert isinstance(result, ox.QuerySolutions)
        names_out = [v.value for v in result.variables]
        return [{n: term.value for n in names_out if (term := row[n]) is not None} for row in result]

    def memo_key(self, *parts: object) -> tuple:
        """A key for :meth:`graph.store.Store.memoize` that tells this view's graphs apart."""
        return (*parts, tuple(g.value if isinstance(g, ox.NamedNode) else "" for g in self.graphs))


def _values(bindings: Mapping[str, ox.NamedNode | Iterable[ox.NamedNode]]) -> str:
    """``VALUES`` blocks for :meth:`View.select`: the single IRIs as one row
    (Oxigraph joins a one-row block of several variables straight into the
    pattern, but two blocks of one variable each as a product first: 60 ms
    against 0.5 ms for an entity's incoming links), then one block per
    variable with several IRIs.  NamedNode writes each IRI escaped."""
    single = {k: v for k, v in bindings.items() if isinstance(v, ox.NamedNode)}
    blocks = []
    if single:
        blocks.append(f"VALUES ({' '.join('?' + k for k in single)}) {{ ({' '.join(map(str, single.values()))}) }}")
    for name, value in bindings.items():
        if name not in single:
            blocks.append(f"VALUES ?{name} {{ {' '.join(map(str, value))} }}")  # type: ignore[arg-type]
    return " ".join(blocks)


def view_of(store: Store | View) -> View:
    """``store`` as a :class:`View` (its public view), or the view itself."""
    return store if isinstance(store, View) else View(store)


@dataclass(frozen=True)
class Node:
    """A value on a page: an IRI (``kind="iri"``) with its label, or a literal."""

    value: str
    kind: str = "iri"
    label: str = ""
    datatype: str | None = None
    language: str | None = None


# ------------------------------------------------------------------ labels
@lru_cache(maxsize=1)
def ontology_labels() -> dict[str, str]:
    """IRI → English label of every class and property of ``ontology/hrdkg.ttl``."""
    path = ONTOLOGY_DIR / "hrdkg.ttl"
    labels: dict[str, str] = {}
    if not path.exists():
        return labels
    for triple in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
        if triple.predicate.value == RDFS_LABEL and isinstance(triple.object, ox.Literal):
            if triple.object.language in (None, "", "en") or triple.subject.value not in labels:
                labels[triple.subject.value] = triple.object.value
    return labels


def term_label(value: str) -> str:
    """The ontology's label of a class or property, else its compact name."""
    return ontology_labels().get(value) or compact(value)


def labels_for(store: Store | View, iris: Iterable[str]) -> dict[str, str]:
    """IRI → label (``rdfs:label`` in view, else the ontology's, else the compact name)."""
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    rows = view_of(store).select("SELECT ?s ?l WHERE { ?s rdfs:label ?l }",
                                 bindings={"s": [ox.NamedNode(i) for i in wanted]})
    out = {r["s"]: r["l"] for r in rows}
    return {i: out.get(i) or ontology_labels().get(i) or compact(i) for i in wanted}


def node_of(term: ox.NamedNode | ox.Literal | ox.BlankNode, labels: dict[str, str]) -> Node:
    """A term as a :class:`Node`, IRIs named from ``labels`` (see :func:`labels_for`)."""
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else None
        return Node(term.value, "literal", term.value, None if dtype == PREFIXES["xsd"] + "string" else dtype,
                    term.language or None)
    if isinstance(term, ox.BlankNode):
        return Node(term.value, "bnode", "_:" + term.value)
    return Node(term.value, "iri", labels.get(term.value, compact(term.value)))
