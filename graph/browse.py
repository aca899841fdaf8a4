"""Browsing the graph: what the web pages show, as plain Python records.

Everything reads the store's merged **public** default graph (see
:mod:`graph.store`), so nothing known only from a restricted statement
ever shows.  Only an administrator's pages pass a :class:`View` made with
``View.of(store, everything=True)``, which adds the graphs of restricted
statements.  Each function takes a :class:`graph.store.Store` (the public
view) or a :class:`View`, and returns frozen dataclasses with ``to_dict()``
for the JSON twins of the pages:

* :func:`describe` — an entity: label, types, properties out and in,
  the statements that describe it, the evidence quote of each fact about
  it, and for people a timeline of their events (the parts that grow with
  the data are paginated);
* :func:`statement_text` — a statement's text cut into segments, each with
  the facts whose evidence covers it;
* :func:`neighbourhood` — nodes and links within 1–2 hops, for a drawing;
* :func:`entity_rdf` — an entity's description as Turtle, N-Triples, JSON-LD.

Pages about the whole graph (class listings, counts, the home page,
search) are in :mod:`graph.catalog`; evidence quotes and timelines in
:mod:`graph.evidence`; the view of the store and labels in :mod:`graph.view`.  The queries here start from the
entity's IRI and read a page at a time, so they cost about the same on a
store of a thousand triples and of ten million.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass

import pyoxigraph as ox

from .evidence import Evidence, TimelineEntry, entity_evidence, evidence_for, timeline_page
from .namespaces import PREFIXES
from .query import compact, iri
from .store import Store
from .view import (H, RDF_TYPE, RDFS_LABEL, BrowseError, Node, View, labels_for, node_of, ontology_labels,
                   term_label, view_of)

__all__ = ["BrowseError", "EntityPage", "Evidence", "Node", "Property", "StatementPage", "TimelineEntry", "View",
           "describe", "entity_rdf", "evidence_for", "exists", "is_safe_link", "labels_for", "neighbourhood",
           "ontology_labels", "segments", "statement_text", "term_label", "view_of"]

#: Shown elsewhere on the page (types, label, the statement's text) or as evidence.
HIDDEN_OUT = {RDF_TYPE, RDFS_LABEL, H + "text"}
HIDDEN_IN = {PREFIXES["oa"] + "hasBody", PREFIXES["oa"] + "hasSource"}


def _dict(obj: object) -> dict:
    return asdict(obj)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Property:
    """One property of an entity and its values (outgoing) or subjects (incoming)."""

    iri: str
    label: str
    values: tuple[Node, ...]
    #: how many values there are when ``values`` holds only the first ones
    total: int | None = None


@dataclass(frozen=True)
class EntityPage:
    """Everything the entity page shows."""

    iri: str
    label: str
    types: tuple[Node, ...]
    properties: tuple[Property, ...]
    incoming: tuple[Property, ...]
    incoming_total: int
    incoming_offset: int
    statements: tuple[Node, ...]
    evidence: tuple[Evidence, ...]
    timeline: tuple[TimelineEntry, ...] = ()
    statements_total: int = 0
    timeline_total: int = 0
    timeline_offset: int = 0
    evidence_total: int = 0
    evidence_offset: int = 0

    def to_dict(self) -> dict:
        return _dict(self)


# ------------------------------------------------------------------ entity
def exists(store: Store | View, entity: str) -> bool:
    """True if the graphs in view (by default the public graph) say anything about ``entity``."""
    node = ox.NamedNode(entity)
    return next(iter(view_of(store).triples(node, None, None)), None) is not None


def describe(store: Store | View, entity: str, *, incoming_offset: int = 0, incoming_limit: int = 50,
             timeline_offset: int = 0, evidence_offset: int = 0, section_limit: int = 50,
             values_limit: int | None = None) -> EntityPage | None:
    """The page of ``entity``, or None if the public graph says nothing about it.

    The parts that grow with the data are paginated, so that the page of
    the most-connected defender costs about what any other does: incoming
    links (``incoming_offset``/``incoming_limit``, every link into the
    entity except evidence annotations), the timeline and the evidence
    quotes (``timeline_offset``, ``evidence_offset``; ``section_limit`` each).
    With ``values_limit``, a property keeps its first values only (in value
    order; :attr:`Property.total` counts them all), and so do the statements.
    """
    if not exists(store, entity):
        return None
    node = ox.NamedNode(entity)
    out = list(view_of(store).triples(node, None, None))
    totals = Counter(q.predicate.value for q in out)
    if values_limit is not None:
        out = _first_values(out, values_limit)
    incoming, incoming_total = _incoming(store, entity, incoming_offset, incoming_limit)
    linked = [q.object.value for q in out if isinstance(q.object, ox.NamedNode)]
    linked += [subject for _, subject in incoming] + [q.predicate.value for q in out]
    labels = labels_for(store, linked + [entity])
    types = tuple(node_of(q.object, labels) for q in out if q.predicate.value == RDF_TYPE)
    statements = tuple(node_of(q.object, labels) for q in out if q.predicate.value == H + "describedIn")
    type_names = {t.value for t in types}
    timeline, timeline_total = timeline_page(store, entity, timeline_offset, section_limit) \
        if H + "Person" in type_names else ((), 0)
    evidence, evidence_total = entity_evidence(store, entity, evidence_offset, section_limit)
    return EntityPage(
        iri=entity, label=labels[entity], types=types,
        properties=_group(((q.predicate.value, q.object) for q in out if q.predicate.value not in HIDDEN_OUT),
                          labels, totals),
        incoming=_group(((p, ox.NamedNode(subject)) for p, subject in incoming), labels),
        incoming_total=incoming_total, incoming_offset=incoming_offset,
        statements=statements, statements_total=totals[H + "describedIn"], evidence=evidence, timeline=timeline,
        timeline_total=timeline_total, timeline_offset=timeline_offset,
        evidence_total=evidence_total, evidence_offset=evidence_offset)


def _incoming(store: Store | View, entity: str, offset: int, limit: int) -> tuple[list[tuple[str, str]], int]:
    """One page of (predicate, subject) links into ``entity`` and their total.

    Grouped by property (in label order); within a property, in the store's
    index order, which is stable for the same data: sorting thousands of
    IRIs by their text costs the engine far more than the page is worth.
    """
    view = view_of(store)
    # one graph holds each link once; DISTINCT only matters when several graphs are read
    count = "COUNT(*)" if len(view.graphs) == 1 else "COUNT(DISTINCT ?s)"
    counts = {r["p"]: int(r["n"]) for r in view.select(
        f"SELECT ?p ({count} AS ?n) WHERE {{ ?s ?p ?o FILTER(isIRI(?s)) }} GROUP BY ?p", bindings={"o": iri(entity)})
        if r["p"] not in HIDDEN_IN}
    page: list[tuple[str, str]] = []
    skip = offset
    for prop in sorted(counts, key=lambda p: (term_label(p).lower(), p)):
        if skip >= counts[prop]:
            skip -= counts[prop]
            continue
        want = limit - len(page)
        if want <= 0:
            break
        rows = view.select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER(isIRI(?s)) }} LIMIT {want} OFFSET {skip}",
                                   bindings={"p": iri(prop), "o": iri(entity)})
        page += [(prop, r["s"]) for r in rows]
        skip = 0
    return page, sum(counts.values())


def _first_values(triples: list[ox.Triple], limit: int) -> list[ox.Triple]:
    """At most ``limit`` triples per predicate, the smallest values first."""
    kept: dict[str, list[ox.Triple]] = {}
    for t in sorted(triples, key=lambda t: (t.predicate.value, t.object.value)):
        values = kept.setdefault(t.predicate.value, [])
        if len(values) < limit:
            values.append(t)
    return [t for values in kept.values() for t in values]


def _group(pairs: Iterable[tuple[str, ox.NamedNode | ox.Literal | ox.BlankNode]],
           labels: dict[str, str], totals: Counter[str] | None = None) -> tuple[Property, ...]:
    groups: dict[str, list[Node]] = {}
    for prop, term in pairs:
        groups.setdefault(prop, []).append(node_of(term, labels))
    return tuple(Property(p, term_label(p), tuple(sorted(v, key=lambda n: n.label.lower())),
                          totals[p] if totals is not None else None)
                 for p, v in sorted(groups.items(), key=lambda kv: term_label(kv[0]).lower()))


# --------------------------------------------------------------- statements
@dataclass(frozen=True)
class Segment:
    """A stretch of the statement's text and the evidence covering it (innermost first)."""

    text: str
    start: int
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class StatementPage:
    """A statement's metadata and its text cut at every evidence boundary."""

    iri: str
    title: str
    issued: str | None
    publisher: Node | None
    source: str | None
    segments: tuple[Segment, ...]
    evidence: tuple[Evidence, ...]
    demands: tuple[str, ...]
    facts: int

    def to_dict(self) -> dict:
        return _dict(self)


def statement_text(store: Store | View, statement: str) -> StatementPage | None:
    """The statement page: text with highlights; None if it is not a public statement."""
    node = ox.NamedNode(statement)
    if not any(True for _ in view_of(store).triples(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(H + "Statement"))):
        return None
    meta = view_of(store).select("""SELECT ?st ?title ?issued ?publisher ?publisherLabel ?source ?text WHERE {
        OPTIONAL { ?st rdfs:label ?title } OPTIONAL { ?st dcterms:issued ?issued }
        OPTIONAL { ?st dcterms:publisher ?publisher OPTIONAL { ?publisher rdfs:label ?publisherLabel } }
        OPTIONAL { ?st dcterms:source ?source } OPTIONAL { ?st hrd:text ?text } } LIMIT 1""",
                  bindings={"st": iri(statement)})[0]
    demands = tuple(r["d"] for r in view_of(store).select("SELECT ?st ?d WHERE { ?st hrd:demand ?d } ORDER BY ?d",
                                           bindings={"st": iri(statement)}))
    evidence = evidence_for(store, statement=statement)
    text = meta.get("text", "")
    publisher = Node(meta["publisher"], "iri", meta.get("publisherLabel", compact(meta["publisher"]))) \
        if "publisher" in meta else None
    return StatementPage(statement, meta.get("title", compact(statement)), meta.get("issued"), publisher,
                         meta.get("source"), segments(text, evidence), evidence, demands,
                         len({e.about for e in evidence}))


def segments(text: str, evidence: Iterable[Evidence]) -> tuple[Segment, ...]:
    """Cut ``text`` at every start and end of an evidence span that matches it.

    >>> ev = Evidence("a", "x", "X", "s", "S", "cd", 2, 4)
    >>> [(s.text, len(s.evidence)) for s in segments("abcdef", [ev])]
    [('ab', 0), ('cd', 1), ('ef', 0)]
    """
    spans = [e for e in evidence if e.start is not None and e.end is not None
             and 0 <= e.start < e.end <= len(text) and text[e.start:e.end] == e.quote]
    cuts = sorted({0, len(text), *(e.start for e in spans), *(e.end for e in spans)})  # type: ignore[misc]
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = sorted((e for e in spans if e.start <= a and b <= e.end),  # type: ignore[operator]
                          key=lambda e: (e.end - e.start, e.annotation))  # type: ignore[operator]
        out.append(Segment(text[a:b], a, tuple(covering)))
    return tuple(out)


# ------------------------------------------------------------ neighbourhood
#: Links that would tie every node to every statement: left out of drawings.
_NOT_DRAWN = {H + "describedIn", RDF_TYPE, PREFIXES["dcterms"] + "publisher", H + "country", H + "jurisdiction"}


def neighbourhood(store: Store | View, entity: str, *, hops: int = 1, limit: int = 60) -> dict[str, list[dict]]:
    """Nodes and links within ``hops`` (1 or 2) of ``entity``, for Cytoscape.js:
    ``{"nodes": [{"id", "label", "type"}], "edges": [{"source", "target", "label"}]}``.
    At most ``limit`` nodes; evidence annotations and provenance links are left out."""
    hops = max(1, min(hops, 2))
    seen = {entity}
    frontier = [entity]
    edges: set[tuple[str, str, str]] = set()
    for _ in range(hops):
        nxt = []
        for current in frontier:
            node = ox.NamedNode(current)
            quads = list(view_of(store).triples(node, None, None))
            quads += list(view_of(store).triples(None, None, node))
            for q in quads:
                if q.predicate.value in _NOT_DRAWN or q.predicate.value.startswith(PREFIXES["oa"]):
                    continue
                if not (isinstance(q.subject, ox.NamedNode) and isinstance(q.object, ox.NamedNode)):
                    continue
                other = q.object.value if q.subject.value == current else q.subject.value
                if other not in seen:
                    if len(seen) >= limit:
                        continue
                    seen.add(other)
                    nxt.append(other)
                edges.add((q.subject.value, q.predicate.value, q.object.value))
        frontier = nxt
    labels = labels_for(store, seen)
    types = {}
    for s in seen:
        t = [q.object.value for q in view_of(store).triples(ox.NamedNode(s), ox.NamedNode(RDF_TYPE), None)]
        types[s] = compact(sorted(t, key=lambda v: v != H + "HumanRightsDefender")[0]) if t else ""
    return {"nodes": [{"id": s, "label": labels[s], "type": types[s]} for s in sorted(seen)],
            "edges": [{"source": s, "target": o, "label": term_label(p)} for s, p, o in sorted(edges)
                      if s in seen and o in seen]}


# --------------------------------------------------------------------- RDF
DESCRIPTION_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                       "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
#: Prefixes whose namespaces end in "/" followed by path segments would be
#: written with escaped slashes (id:person\/kz\/...): keep them out of Turtle.
_TURTLE_PREFIXES = {p: ns for p, ns in PREFIXES.items() if ns.endswith("#") or p in ("dcterms", "schema", "wd")}


def entity_rdf(store: Store | View, entity: str, fmt: str = "turtle") -> bytes:
    """The entity's description: its triples, the triples pointing to it, and
    the labels of the nodes they link (a symmetric concise bounded description).

    :raises BrowseError: for an unknown format.
    """
    if fmt not in DESCRIPTION_FORMATS:
        raise BrowseError(f"cannot write an entity as {fmt!r}; use one of {', '.join(DESCRIPTION_FORMATS)}")
    node = ox.NamedNode(entity)
    triples = [q for q in view_of(store).triples(node, None, None)]
    triples += [q for q in view_of(store).triples(None, None, node)]
    linked = {t.object for t in triples if isinstance(t.object, ox.NamedNode)} | \
        {t.subject for t in triples if t.subject != node}
    label = ox.NamedNode(RDFS_LABEL)
    for other in sorted(linked, key=lambda n: n.value):
        triples += [q for q in view_of(store).triples(other, label, None)]
    unique = list(dict.fromkeys(triples))
    return ox.serialize(unique, format=DESCRIPTION_FORMATS[fmt],
                        prefixes=_TURTLE_PREFIXES if fmt == "turtle" else None) or b""


def is_safe_link(value: str) -> bool:
    """True for IRIs that may become links (http, https, urn, mailto): never ``javascript:``."""
    return re.match(r"(?i)(https?:|urn:|mailto:)", value) is not None
