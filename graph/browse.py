"""Browsing the graph: what the web pages show, as plain Python records.

Everything reads the store's merged **public** default graph (see
:mod:`graph.store`), so nothing known only from a restricted statement
ever shows.  Only an administrator's pages pass a :class:`View` made with
``View.of(store, everything=True)``, which adds the graphs of restricted
statements.  Each function takes a :class:`graph.store.Store` (the public
view) or a :class:`View`, and returns frozen dataclasses with ``to_dict()``
for the JSON twins of the pages:

* :func:`describe` — an entity: label, types, properties out and in
  (incoming paginated), the statements that describe it, the evidence
  quote of each fact about it, and for people a timeline of their events;
* :func:`list_class` — members of a class with facets (country, year,
  event type, publisher), sorted and paginated;
* :func:`search` — labels matching a text, ignoring case and accents;
* :func:`statement_text` — a statement's text cut into segments, each with
  the facts whose evidence covers it;
* :func:`overview` — counts and entry points for the home page;
* :func:`neighbourhood` — nodes and links within 1–2 hops, for a drawing;
* :func:`entity_rdf` — an entity's description as Turtle, N-Triples, JSON-LD.

Listings and search filter in Python over one query's rows: fine for
tens of thousands of entities, which is what NGO statements give.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache

import pyoxigraph as ox

from ontology import ONTOLOGY_DIR

from .build import slug
from .errors import HrdkgError, QueryError
from .model import EVENT_TYPES, SANCTION_TYPES
from .namespaces import HRD, PREFIXES
from .query import compact, iri
from .store import Store

H = str(HRD._NS)
RDF_TYPE = PREFIXES["rdf"] + "type"
RDFS_LABEL = PREFIXES["rdfs"] + "label"
#: Shown elsewhere on the page (types, label, the statement's text) or as evidence.
HIDDEN_OUT = {RDF_TYPE, RDFS_LABEL, H + "text"}
HIDDEN_IN = {PREFIXES["oa"] + "hasBody", PREFIXES["oa"] + "hasSource"}
#: Classes whose members are listed through their subclasses (events and
#: sanctions carry only their specific class as rdf:type).
ABSTRACT = {"Event": EVENT_TYPES, "Sanction": SANCTION_TYPES,
            "Person": ("Person", "HumanRightsDefender"), "Organisation": ("Organisation", "Court", "StateAuthority")}
SORTS = ("label", "date", "country")


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
        """Number of distinct triples in view."""
        return sum(1 for _ in self.triples(None, None, None))

    def select(self, query: str, *, bindings: dict[str, ox.NamedNode] | None = None) -> list[dict[str, str]]:
        """Rows of a SELECT query over the graphs in view (values as plain strings,
        unbound variables left out), like :func:`graph.query.select`.

        :raises QueryError: if the query fails.
        """
        subs = {ox.Variable(k): v for k, v in (bindings or {}).items()}
        # the public view names no graph: the store's default graph is the default anyway
        graphs = {} if self.graphs == (ox.DefaultGraph(),) else {"default_graph": list(self.graphs)}
        try:
            result = self.store.inner.query(query, prefixes=PREFIXES, substitutions=subs or None, **graphs)
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"query failed: {exc}") from exc
        assert isinstance(result, ox.QuerySolutions)
        names = [v.value for v in result.variables]
        return [{n: term.value for n in names if (term := row[n]) is not None} for row in result]


def _view(store: Store | View) -> View:
    return store if isinstance(store, View) else View(store)


def _dict(obj: object) -> dict:
    return asdict(obj)  # type: ignore[call-overload]


@dataclass(frozen=True)
class Node:
    """A value on a page: an IRI (``kind="iri"``) with its label, or a literal."""

    value: str
    kind: str = "iri"
    label: str = ""
    datatype: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class Property:
    """One property of an entity and its values (outgoing) or subjects (incoming)."""

    iri: str
    label: str
    values: tuple[Node, ...]


@dataclass(frozen=True)
class Evidence:
    """The sentence a fact was read from: ``quote`` at ``start:end`` of ``statement``'s text."""

    annotation: str
    about: str
    about_label: str
    statement: str
    statement_label: str
    quote: str
    start: int | None = None
    end: int | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """An event concerning a person, in date order."""

    event: str
    label: str
    type: str
    date: str | None
    quote: str | None


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

    def to_dict(self) -> dict:
        return _dict(self)


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


def _labels(store: Store | View, iris: Iterable[str]) -> dict[str, str]:
    wanted = sorted(set(iris))
    if not wanted:
        return {}
    values = " ".join(str(ox.NamedNode(i)) for i in wanted)  # NamedNode checks and writes each IRI
    rows = _view(store).select(f"SELECT ?s ?l WHERE {{ VALUES ?s {{ {values} }} ?s rdfs:label ?l }}")
    out = {r["s"]: r["l"] for r in rows}
    return {i: out.get(i) or ontology_labels().get(i) or compact(i) for i in wanted}


def _node(term: ox.NamedNode | ox.Literal | ox.BlankNode, labels: dict[str, str]) -> Node:
    if isinstance(term, ox.Literal):
        dtype = term.datatype.value if term.datatype else None
        return Node(term.value, "literal", term.value, None if dtype == PREFIXES["xsd"] + "string" else dtype,
                    term.language or None)
    if isinstance(term, ox.BlankNode):
        return Node(term.value, "bnode", "_:" + term.value)
    return Node(term.value, "iri", labels.get(term.value, compact(term.value)))


# ------------------------------------------------------------------ entity
def exists(store: Store | View, entity: str) -> bool:
    """True if the graphs in view (by default the public graph) say anything about ``entity``."""
    node = ox.NamedNode(entity)
    return next(iter(_view(store).triples(node, None, None)), None) is not None


def describe(store: Store | View, entity: str, *, incoming_offset: int = 0,
             incoming_limit: int = 50) -> EntityPage | None:
    """The page of ``entity``, or None if the public graph says nothing about it.

    Incoming links are paginated (``incoming_offset``/``incoming_limit``,
    counted over every link into the entity except evidence annotations).
    """
    if not exists(store, entity):
        return None
    node = ox.NamedNode(entity)
    out = list(_view(store).triples(node, None, None))
    inc = sorted((q for q in _view(store).triples(None, None, node)
                  if q.predicate.value not in HIDDEN_IN), key=lambda q: (q.predicate.value, q.subject.value))
    page_in = inc[incoming_offset:incoming_offset + incoming_limit]
    linked = [q.object.value for q in out if isinstance(q.object, ox.NamedNode)]
    linked += [q.subject.value for q in page_in] + [q.predicate.value for q in out + page_in]
    labels = _labels(store, linked + [entity])
    types = tuple(_node(q.object, labels) for q in out if q.predicate.value == RDF_TYPE)
    statements = tuple(_node(q.object, labels) for q in out if q.predicate.value == H + "describedIn")
    type_names = {t.value for t in types}
    timeline = _timeline(store, entity) if H + "Person" in type_names else ()
    return EntityPage(
        iri=entity, label=labels[entity], types=types,
        properties=_group(((q.predicate.value, q.object) for q in out if q.predicate.value not in HIDDEN_OUT),
                          labels),
        incoming=_group(((q.predicate.value, q.subject) for q in page_in), labels),
        incoming_total=len(inc), incoming_offset=incoming_offset,
        statements=statements, evidence=evidence_for(store, entity), timeline=timeline)


def _group(pairs: Iterable[tuple[str, ox.NamedNode | ox.Literal | ox.BlankNode]],
           labels: dict[str, str]) -> tuple[Property, ...]:
    groups: dict[str, list[Node]] = {}
    for prop, term in pairs:
        groups.setdefault(prop, []).append(_node(term, labels))
    return tuple(Property(p, term_label(p), tuple(sorted(v, key=lambda n: n.label.lower())))
                 for p, v in sorted(groups.items(), key=lambda kv: term_label(kv[0]).lower()))


_EVIDENCE = """
SELECT ?ann ?about ?aboutLabel ?st ?stLabel ?quote ?start ?end WHERE {
  ?ann oa:hasBody ?about ; oa:hasTarget ?t .
  ?t oa:hasSource ?st ; oa:hasSelector ?q .
  ?q a oa:TextQuoteSelector ; oa:exact ?quote .
  OPTIONAL { ?t oa:hasSelector ?pos . ?pos a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end }
  OPTIONAL { ?about rdfs:label ?aboutLabel }
  OPTIONAL { ?st rdfs:label ?stLabel }
} ORDER BY ?st ?start ?ann
"""


def evidence_for(store: Store | View, entity: str | None = None, *, statement: str | None = None) -> tuple[Evidence, ...]:
    """Evidence quotes about ``entity`` (and, for an event, about its sanction),
    or every quote of ``statement``."""
    bindings = {}
    if statement is not None:
        bindings["st"] = iri(statement)
    rows = []
    if entity is not None:
        # the entity itself, then its sanction (the penalty is quoted apart from the conviction)
        targets = [entity] + [r["s"] for r in _view(store).select("SELECT ?e ?s WHERE { ?e hrd:sanction ?s }",
                                                     bindings={"e": iri(entity)})]
        for target in targets:
            rows += _view(store).select(_EVIDENCE, bindings={**bindings, "about": iri(target)})
    else:
        rows = _view(store).select(_EVIDENCE, bindings=bindings)
    return tuple(Evidence(r["ann"], r["about"], r.get("aboutLabel", compact(r["about"])), r["st"],
                          r.get("stLabel", compact(r["st"])), r["quote"],
                          int(r["start"]) if "start" in r else None, int(r["end"]) if "end" in r else None)
                 for r in rows)


_TIMELINE = """
SELECT ?person ?event ?label ?type ?date (SAMPLE(?q) AS ?quote) WHERE {
  ?event hrd:concerns ?person ; a ?type .
  FILTER (STRSTARTS(STR(?type), STR(hrd:)))
  OPTIONAL { ?event rdfs:label ?label }
  OPTIONAL { ?event hrd:date ?date }
  OPTIONAL { ?ann oa:hasBody ?event ; oa:hasTarget/oa:hasSelector/oa:exact ?q }
} GROUP BY ?person ?event ?label ?type ?date ORDER BY ?date ?event
"""


def _timeline(store: Store | View, person: str) -> tuple[TimelineEntry, ...]:
    # substituted variables must be projected (pyoxigraph), hence ?person in SELECT
    rows = _view(store).select(_TIMELINE, bindings={"person": iri(person)})
    return tuple(TimelineEntry(r["event"], r.get("label", compact(r["event"])), compact(r["type"]),
                               r.get("date"), r.get("quote")) for r in rows)


# ----------------------------------------------------------------- classes
@dataclass(frozen=True)
class ListingRow:
    """One member of a class listing."""

    iri: str
    label: str
    type: str
    country: str | None = None
    date: str | None = None
    publisher: str | None = None


@dataclass(frozen=True)
class Listing:
    """A page of a class listing with the facet counts of the whole filtered set."""

    cls: str
    label: str
    total: int
    offset: int
    limit: int
    sort: str
    rows: tuple[ListingRow, ...]
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    filters: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return _dict(self)


_MEMBERS = """
SELECT ?s ?label ?type ?countryLabel ?date ?publisherLabel WHERE {
  VALUES ?type { %s }
  ?s a ?type .
  OPTIONAL { ?s rdfs:label ?label }
  OPTIONAL { ?s hrd:country|hrd:jurisdiction ?c1 }
  OPTIONAL { ?s hrd:describedIn/hrd:country ?c2 }
  BIND (COALESCE(?c1, ?c2) AS ?c)
  OPTIONAL { ?c rdfs:label ?countryLabel }
  OPTIONAL { ?s hrd:date|dcterms:issued ?date }
  OPTIONAL { ?s dcterms:publisher/rdfs:label ?publisherLabel }
}
"""


def class_iri(name: str) -> str:
    """``"Court"`` → the hrd: class IRI.

    :raises BrowseError: if it is not a class of the ontology.
    """
    known = set(ABSTRACT) | {t for ts in ABSTRACT.values() for t in ts} | {
        "HumanRightsDefender", "Court", "StateAuthority", "Country", "City", "Legislation",
        "LegalProvision", "Statement"}
    if name not in known:
        raise BrowseError(f"no class hrd:{name} to list; try one of {', '.join(sorted(known))}")
    return H + name


def list_class(store: Store | View, name: str, *, filters: dict[str, str] | None = None, sort: str = "label",
               descending: bool = False, offset: int = 0, limit: int = 50) -> Listing:
    """Members of class ``hrd:name`` (subclasses included for Event, Sanction,
    Person, Organisation), filtered by facet values (``country``, ``year``,
    ``type``, ``publisher``: labels as shown in the facets), sorted by
    ``label``, ``date`` or ``country`` and paginated.

    :raises BrowseError: for an unknown class, facet or sort key.
    """
    cls = class_iri(name)
    filters = {k: v for k, v in (filters or {}).items() if v}
    if set(filters) - {"country", "year", "type", "publisher"}:
        raise BrowseError(f"unknown facet(s) {', '.join(sorted(set(filters) - {'country', 'year', 'type', 'publisher'}))}")
    if sort not in SORTS:
        raise BrowseError(f"cannot sort by {sort!r}; use one of {', '.join(SORTS)}")
    types = ABSTRACT.get(name, (name,))
    rows = _view(store).select(_MEMBERS % " ".join(f"hrd:{t}" for t in types))
    members: dict[str, ListingRow] = {}
    for r in rows:
        # a HumanRightsDefender is also a Person: keep the most specific type
        known = members.get(r["s"])
        kind = compact(r["type"]).split(":", 1)[1]
        if known is not None and (known.type != "Person" or kind == "Person"):
            continue
        members[r["s"]] = ListingRow(r["s"], r.get("label", compact(r["s"])), kind, r.get("countryLabel"),
                                     r.get("date"), r.get("publisherLabel"))
    every = list(members.values())
    chosen = [m for m in every if all(_facet_value(m, k) == v for k, v in filters.items())]
    facets = {k: dict(sorted(Counter(v for m in chosen if (v := _facet_value(m, k))).items()))
              for k in ("country", "year", "type", "publisher")}
    facets = {k: v for k, v in facets.items() if v and not (k == "type" and len(types) == 1)}
    key = {"label": lambda m: (m.label.lower(), m.iri), "date": lambda m: (m.date or "", m.label.lower()),
           "country": lambda m: (m.country or "", m.label.lower())}[sort]
    chosen.sort(key=key, reverse=descending)
    return Listing(cls, term_label(cls), len(chosen), offset, limit, sort,
                   tuple(chosen[offset:offset + limit]), facets, filters)


def _facet_value(row: ListingRow, facet: str) -> str | None:
    if facet == "year":
        return row.date[:4] if row.date else None
    return {"country": row.country, "type": row.type, "publisher": row.publisher}[facet]


def class_counts(store: Store | View) -> dict[str, int]:
    """Number of public members of each listable class, by local name."""
    rows = _view(store).select("SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t FILTER(STRSTARTS(STR(?t), STR(hrd:))) } GROUP BY ?t")
    by_type = {r["t"][len(H):]: int(r["n"]) for r in rows}
    counts = dict(by_type)
    for name, members in ABSTRACT.items():
        if name in ("Event", "Sanction"):
            counts[name] = sum(by_type.get(t, 0) for t in members)
    return counts


# ------------------------------------------------------------------ search
@dataclass(frozen=True)
class Hit:
    """A search result."""

    iri: str
    label: str
    types: tuple[str, ...]
    matched: str


def fold(text: str) -> str:
    """Case- and accent-free form for matching: ``"Törégozhina"`` → ``"toregozhina"``."""
    return slug(text).replace("-", " ") if text.strip() else ""


def search(store: Store | View, text: str, *, limit: int = 50) -> list[Hit]:
    """Entities whose label or alternative label contains ``text``, ignoring case,
    accents and punctuation; whole-label matches first, then label prefixes,
    then word prefixes, then any substring."""
    wanted = fold(text)
    if not wanted or wanted == "unnamed":
        return []
    found: dict[str, tuple[int, str, str]] = {}
    for prop in (RDFS_LABEL, PREFIXES["skos"] + "altLabel"):
        for quad in _view(store).triples(None, ox.NamedNode(prop), None):
            label = quad.object.value
            folded = fold(label)
            if wanted not in folded or not isinstance(quad.subject, ox.NamedNode):
                continue
            rank = (0 if folded == wanted else 1 if folded.startswith(wanted)
                    else 2 if f" {wanted}" in folded else 3)
            subject = quad.subject.value
            if subject not in found or rank < found[subject][0]:
                found[subject] = (rank, label, prop)
    # shorter labels first among equals: "Åsa L." before "Arrest of Åsa L. (2024-01-10)"
    best = sorted(found.items(), key=lambda kv: (kv[1][0], len(kv[1][1]), kv[1][1].lower()))[:limit]
    labels = _labels(store, [s for s, _ in best])
    hits = []
    for subject, (_, matched, _) in best:
        types = tuple(compact(q.object.value) for q in _view(store).triples(
            ox.NamedNode(subject), ox.NamedNode(RDF_TYPE), None))
        hits.append(Hit(subject, labels[subject], types, matched))
    return hits


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
    if not any(True for _ in _view(store).triples(node, ox.NamedNode(RDF_TYPE), ox.NamedNode(H + "Statement"))):
        return None
    meta = _view(store).select("""SELECT ?st ?title ?issued ?publisher ?publisherLabel ?source ?text WHERE {
        OPTIONAL { ?st rdfs:label ?title } OPTIONAL { ?st dcterms:issued ?issued }
        OPTIONAL { ?st dcterms:publisher ?publisher OPTIONAL { ?publisher rdfs:label ?publisherLabel } }
        OPTIONAL { ?st dcterms:source ?source } OPTIONAL { ?st hrd:text ?text } } LIMIT 1""",
                  bindings={"st": iri(statement)})[0]
    demands = tuple(r["d"] for r in _view(store).select("SELECT ?st ?d WHERE { ?st hrd:demand ?d } ORDER BY ?d",
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


# ------------------------------------------------------------------- home
@dataclass(frozen=True)
class Overview:
    """What the home page shows."""

    statements: int
    triples: int
    classes: dict[str, int]
    recent: tuple[Node, ...]
    provisions: tuple[tuple[Node, int], ...]
    countries: tuple[tuple[Node, int], ...]

    def to_dict(self) -> dict:
        return _dict(self)


def overview(store: Store | View) -> Overview:
    """Counts of the public graph, the latest statements, the most invoked
    provisions and the countries concerned."""
    recent = _view(store).select("""SELECT ?s ?l ?d WHERE { ?s a hrd:Statement ; rdfs:label ?l
        OPTIONAL { ?s dcterms:issued ?d } } ORDER BY DESC(?d) ?l LIMIT 10""")
    provisions = _view(store).select("""SELECT ?p ?l (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e hrd:invokes ?p .
        OPTIONAL { ?p rdfs:label ?l } } GROUP BY ?p ?l ORDER BY DESC(?n) ?l LIMIT 10""")
    countries = _view(store).select("""SELECT ?c ?l (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hrd:Statement ; hrd:country ?c .
        OPTIONAL { ?c rdfs:label ?l } } GROUP BY ?c ?l ORDER BY DESC(?n) ?l""")
    counts = class_counts(store)
    triples = _view(store).count()
    return Overview(counts.get("Statement", 0), triples, counts,
                    tuple(Node(r["s"], "iri", r["l"]) for r in recent),
                    tuple((Node(r["p"], "iri", r.get("l", compact(r["p"]))), int(r["n"])) for r in provisions),
                    tuple((Node(r["c"], "iri", r.get("l", compact(r["c"]))), int(r["n"])) for r in countries))


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
            quads = list(_view(store).triples(node, None, None))
            quads += list(_view(store).triples(None, None, node))
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
    labels = _labels(store, seen)
    types = {}
    for s in seen:
        t = [q.object.value for q in _view(store).triples(ox.NamedNode(s), ox.NamedNode(RDF_TYPE), None)]
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
    triples = [q for q in _view(store).triples(node, None, None)]
    triples += [q for q in _view(store).triples(None, None, node)]
    linked = {t.object for t in triples if isinstance(t.object, ox.NamedNode)} | \
        {t.subject for t in triples if t.subject != node}
    label = ox.NamedNode(RDFS_LABEL)
    for other in sorted(linked, key=lambda n: n.value):
        triples += [q for q in _view(store).triples(other, label, None)]
    unique = list(dict.fromkeys(triples))
    return ox.serialize(unique, format=DESCRIPTION_FORMATS[fmt],
                        prefixes=_TURTLE_PREFIXES if fmt == "turtle" else None) or b""


def is_safe_link(value: str) -> bool:
    """True for IRIs that may become links (http, https, urn, mailto): never ``javascript:``."""
    return re.match(r"(?i)(https?:|urn:|mailto:)", value) is not None
