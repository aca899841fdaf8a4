"""Pages about the whole graph: class listings with facets, counts, the
home page and search.

Each needs every member of a class or every label, which on a store of
millions of triples takes the engine a second or more.  So the rows are
computed once per content of the store and remembered
(:meth:`graph.store.Store.memoize`): the web app reads through a
read-only handle that is replaced whenever another process writes, and
every write through a handle forgets what it remembered, so a listing is
never older than the data it is read from.  Filtering, sorting and
paging a listing then happen in Python over the remembered rows.

The first request after a change pays the full cost (about a second per
class at 10^6 triples); the following ones take milliseconds.  On a
SPARQL server (other clients write unseen) nothing is remembered.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field

import pyoxigraph as ox

from .build import slug
from .model import EVENT_TYPES, SANCTION_TYPES
from .namespaces import PREFIXES
from .query import compact
from .store import Store
from .view import H, RDF_TYPE, RDFS_LABEL, BrowseError, Node, View, labels_for, term_label, view_of

#: Classes whose members are listed through their subclasses (events and
#: sanctions carry only their specific class as rdf:type).  Within each
#: tuple the most specific class comes last.
ABSTRACT = {"Event": EVENT_TYPES, "Sanction": SANCTION_TYPES,
            "Person": ("Person", "HumanRightsDefender"), "Organisation": ("Organisation", "Court", "StateAuthority")}
SORTS = ("label", "date", "country")
FACETS = ("country", "year", "type", "publisher")


def _remembered(view: View, key: tuple, compute: Callable[[], object]) -> object:
    return view.store.memoize(view.memo_key("catalog", *key), compute)


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
        return asdict(self)


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
    if set(filters) - set(FACETS):
        raise BrowseError(f"unknown facet(s) {', '.join(sorted(set(filters) - set(FACETS)))}")
    if sort not in SORTS:
        raise BrowseError(f"cannot sort by {sort!r}; use one of {', '.join(SORTS)}")
    view = view_of(store)
    key = ("listing", name, tuple(sorted(filters.items())), sort, descending)
    chosen, facets = _remembered(view, key, lambda: _filtered(view, name, filters, sort, descending))  # type: ignore[misc]
    return Listing(cls, term_label(cls), len(chosen), offset, limit, sort,
                   tuple(chosen[offset:offset + limit]), facets, filters)


def _filtered(view: View, name: str, filters: dict[str, str], sort: str,
              descending: bool) -> tuple[list[ListingRow], dict[str, dict[str, int]]]:
    every: tuple[ListingRow, ...] = _remembered(view, ("members", name), lambda: members(view, name))  # type: ignore[assignment]
    chosen = [m for m in every if all(_facet_value(m, k) == v for k, v in filters.items())]
    facets = {k: dict(sorted(Counter(v for m in chosen if (v := _facet_value(m, k))).items())) for k in FACETS}
    single_type = len(ABSTRACT.get(name, (name,))) == 1
    facets = {k: v for k, v in facets.items() if v and not (k == "type" and single_type)}
    key = {"label": lambda m: (m.label.lower(), m.iri), "date": lambda m: (m.date or "", m.label.lower()),
           "country": lambda m: (m.country or "", m.label.lower())}[sort]
    chosen.sort(key=key, reverse=descending)
    return chosen, facets


def members(store: Store | View, name: str) -> tuple[ListingRow, ...]:
    """Every member of class ``hrd:name`` with what its listing shows, in IRI order.

    A handful of plain queries (members, then each column), joined here:
    one query with an OPTIONAL per column makes Oxigraph evaluate each
    OPTIONAL over the whole store.  Where a member has several values
    (labels, dates, countries from several statements), the smallest is
    shown, so that the listing is the same on every run.
    """
    view = view_of(store)
    types = ABSTRACT.get(name, (name,))
    kinds: dict[str, str] = {}
    for r in _column(view, types):
        kind = r["v"][len(H):]
        known = kinds.get(r["s"])
        # a HumanRightsDefender is also a Person, a Court also an Organisation: keep the most specific
        if known is None or types.index(kind) > types.index(known):
            kinds[r["s"]] = kind
    label = _smallest(_column(view, types, "?s rdfs:label ?v"))
    own_country = _smallest(_column(view, types, "?s hrd:country|hrd:jurisdiction ?v"))
    statement_country = _smallest(_column(view, types, "?s hrd:describedIn ?st . ?st hrd:country ?v"))
    date = _smallest(_column(view, types, "?s hrd:date|dcterms:issued ?v"))
    publisher = _smallest(_column(view, types, "?s dcterms:publisher ?v"))
    country = {s: own_country.get(s) or statement_country.get(s) for s in kinds}
    names = labels_for(view, [c for c in country.values() if c] + list(publisher.values()))
    return tuple(ListingRow(s, label.get(s, compact(s)), kinds[s],
                            names[country[s]] if country[s] else None,  # type: ignore[index]
                            date.get(s), names[publisher[s]] if s in publisher else None)
                 for s in sorted(kinds))


def _column(view: View, types: Iterable[str], pattern: str | None = None) -> list[dict[str, str]]:
    """(?s, ?v) for each member ?s of ``types`` and each ``?v`` of ``pattern``;
    without a pattern, ``?v`` is the member's class."""
    classes = [ox.NamedNode(H + t) for t in types]
    if pattern is None:
        return view.select("SELECT DISTINCT ?s ?v WHERE { ?s a ?v FILTER(isIRI(?s)) }", bindings={"v": classes})
    return view.select(f"SELECT DISTINCT ?s ?v WHERE {{ ?s a ?type . {pattern} FILTER(isIRI(?s)) }}",
                       bindings={"type": classes})


def _smallest(rows: Iterable[dict[str, str]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for r in rows:
        if r["s"] not in out or r["v"] < out[r["s"]]:
            out[r["s"]] = r["v"]
    return out


def _facet_value(row: ListingRow, facet: str) -> str | None:
    if facet == "year":
        return row.date[:4] if row.date else None
    return {"country": row.country, "type": row.type, "publisher": row.publisher}[facet]


def class_counts(store: Store | View) -> dict[str, int]:
    """Number of public members of each listable class, by local name."""
    view = view_of(store)
    return _remembered(view, ("class-counts",), lambda: _class_counts(view))  # type: ignore[return-value]


def _class_counts(view: View) -> dict[str, int]:
    rows = view.select("SELECT ?t (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?t FILTER(STRSTARTS(STR(?t), STR(hrd:))) } "
                       "GROUP BY ?t")
    by_type = {r["t"][len(H):]: int(r["n"]) for r in rows}
    counts = dict(by_type)
    for name, kinds in ABSTRACT.items():
        if name in ("Event", "Sanction"):
            counts[name] = sum(by_type.get(t, 0) for t in kinds)
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
    view = view_of(store)
    labels: list[tuple[str, str, str]] = _remembered(view, ("labels",), lambda: _folded_labels(view))  # type: ignore[assignment]
    found: dict[str, tuple[int, str]] = {}
    for subject, label, folded in labels:
        if wanted not in folded:
            continue
        rank = (0 if folded == wanted else 1 if folded.startswith(wanted)
                else 2 if f" {wanted}" in folded else 3)
        if subject not in found or rank < found[subject][0]:
            found[subject] = (rank, label)
    # shorter labels first among equals: "Åsa L." before "Arrest of Åsa L. (2024-01-10)"
    best = sorted(found.items(), key=lambda kv: (kv[1][0], len(kv[1][1]), kv[1][1].lower()))[:limit]
    names = labels_for(view, [s for s, _ in best])
    hits = []
    for subject, (_, matched) in best:
        types = tuple(compact(q.object.value) for q in view.triples(
            ox.NamedNode(subject), ox.NamedNode(RDF_TYPE), None))
        hits.append(Hit(subject, names[subject], types, matched))
    return hits


def _folded_labels(view: View) -> list[tuple[str, str, str]]:
    """(subject, label, folded label) of every label and alternative label in view."""
    out = []
    for prop in (RDFS_LABEL, PREFIXES["skos"] + "altLabel"):
        for quad in view.triples(None, ox.NamedNode(prop), None):
            if isinstance(quad.subject, ox.NamedNode):
                out.append((quad.subject.value, quad.object.value, fold(quad.object.value)))
    return out


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
        return asdict(self)


def overview(store: Store | View) -> Overview:
    """Counts of the public graph, the latest statements, the most invoked
    provisions and the countries concerned."""
    view = view_of(store)
    return _remembered(view, ("overview",), lambda: _overview(view))  # type: ignore[return-value]


def _overview(view: View) -> Overview:
    recent = view.select("""SELECT ?s ?l ?d WHERE { ?s a hrd:Statement ; rdfs:label ?l
        OPTIONAL { ?s dcterms:issued ?d } } ORDER BY DESC(?d) ?l LIMIT 10""")
    provisions = _ranked(view, view.select(
        "SELECT ?x (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e hrd:invokes ?x } GROUP BY ?x"))[:10]
    countries = _ranked(view, view.select(
        "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a hrd:Statement ; hrd:country ?x } GROUP BY ?x"))
    counts = class_counts(view)
    return Overview(counts.get("Statement", 0), view.count(), counts,
                    tuple(Node(r["s"], "iri", r["l"]) for r in recent), tuple(provisions), tuple(countries))


def _ranked(view: View, rows: list[dict[str, str]]) -> list[tuple[Node, int]]:
    """(?x, ?n) rows as labelled nodes, most frequent first, then by label."""
    names = labels_for(view, [r["x"] for r in rows])
    ranked = [(Node(r["x"], "iri", names[r["x"]]), int(r["n"])) for r in rows]
    return sorted(ranked, key=lambda pair: (-pair[1], pair[0].label, pair[0].value))
