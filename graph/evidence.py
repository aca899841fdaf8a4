"""Evidence and timelines: the sentences facts were read from, and a person's
events in date order, a page at a time.

Read in plain steps that start from the entity's IRI, so that a page of
the most-connected defender costs about what any other does.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .query import compact, iri
from .store import Store
from .view import H, View, labels_for, view_of

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


# Evidence is read in three plain steps (the quotes, then the positions of
# those quotes, then labels) rather than one query with OPTIONALs: Oxigraph
# evaluates an OPTIONAL's inner pattern over the whole store before joining,
# which made one entity's evidence take seconds at a million triples.
_QUOTES = """
SELECT DISTINCT ?ann ?about ?t ?st ?quote WHERE {
  ?ann oa:hasBody ?about ; oa:hasTarget ?t .
  ?t oa:hasSource ?st ; oa:hasSelector ?q .
  ?q oa:exact ?quote .
}"""
_POSITIONS = """
SELECT ?t ?start ?end WHERE {
  ?t oa:hasSelector ?pos . ?pos oa:start ?start ; oa:end ?end .
}"""


def evidence_for(store: Store | View, entity: str | None = None, *, statement: str | None = None,
                 offset: int = 0, limit: int | None = None) -> tuple[Evidence, ...]:
    """Evidence quotes about ``entity`` (and, for an event, about its sanction),
    or every quote of ``statement``; ``offset``/``limit`` page through them.

    Quotes come in statement order and, within a statement, in text order.
    """
    rows = _quote_rows(store, entity, statement, offset, limit)
    return _evidence(store, rows)


def entity_evidence(store: Store | View, entity: str, offset: int, limit: int) -> tuple[tuple[Evidence, ...], int]:
    """One page of the quotes about ``entity`` (and its sanction), and their number."""
    targets = _evidence_targets(store, entity)
    rows = view_of(store).select("SELECT (COUNT(DISTINCT ?ann) AS ?n) WHERE { ?ann oa:hasBody ?about }",
                                 bindings={"about": [iri(t) for t in targets]})
    total = int(rows[0]["n"]) if rows else 0
    return _evidence(store, _quote_rows(store, entity, None, offset, limit, targets)), total


def _evidence_targets(store: Store | View, entity: str) -> list[str]:
    # the entity itself, then its sanction (the penalty is quoted apart from the conviction)
    node = ox.NamedNode(entity)
    return [entity] + sorted({q.object.value for q in view_of(store).triples(node, ox.NamedNode(H + "sanction"), None)})


def _quote_rows(store: Store | View, entity: str | None, statement: str | None, offset: int, limit: int | None,
                targets: list[str] | None = None) -> list[dict[str, str]]:
    query = _QUOTES
    bindings: dict[str, ox.NamedNode | list[ox.NamedNode]] = {}
    if entity is not None:
        bindings["about"] = [iri(t) for t in (targets or _evidence_targets(store, entity))]
    if statement is not None:
        bindings["st"] = iri(statement)
    if limit is not None:
        # a page in the engine's index order (stable for the same data); sorted below
        query += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return view_of(store).select(query, bindings=bindings)


def _evidence(store: Store | View, rows: list[dict[str, str]]) -> tuple[Evidence, ...]:
    positions: dict[str, tuple[int, int]] = {}
    if rows:
        targets = [iri(t) for t in sorted({r["t"] for r in rows})]
        positions = {r["t"]: (int(r["start"]), int(r["end"]))
                     for r in view_of(store).select(_POSITIONS, bindings={"t": targets})}
    labels = labels_for(store, [r["about"] for r in rows] + [r["st"] for r in rows])
    out = []
    for r in rows:
        start, end = positions.get(r["t"], (None, None))
        out.append(Evidence(r["ann"], r["about"], labels[r["about"]], r["st"], labels[r["st"]], r["quote"],
                            start, end))
    return tuple(sorted(out, key=lambda e: (e.statement, e.start is None, e.start or 0, e.annotation)))


_TIMELINE_PAGE = """
SELECT ?event ?date WHERE {
  ?event hrd:concerns ?person .
  OPTIONAL { ?event hrd:date ?date }
} ORDER BY ?date ?event LIMIT %d OFFSET %d
"""
_TIMELINE_DETAILS = """
SELECT ?event ?type ?label WHERE {
  ?event a ?type .
  FILTER (STRSTARTS(STR(?type), STR(hrd:)))
  OPTIONAL { ?event rdfs:label ?label }
}"""
_EVENT_QUOTES = """
SELECT ?event ?quote WHERE {
  ?ann oa:hasBody ?event ; oa:hasTarget ?t . ?t oa:hasSelector ?q . ?q oa:exact ?quote .
}"""


def timeline_page(store: Store | View, person: str, offset: int = 0,
                  limit: int = 50) -> tuple[tuple[TimelineEntry, ...], int]:
    """One page of the events concerning ``person`` in date order, and their number."""
    view = view_of(store)
    rows = view.select("SELECT (COUNT(DISTINCT ?event) AS ?n) WHERE { ?event hrd:concerns ?person }",
                       bindings={"person": iri(person)})
    total = int(rows[0]["n"]) if rows else 0
    page = view.select(_TIMELINE_PAGE % (int(limit), int(offset)), bindings={"person": iri(person)})
    if not page:
        return (), total
    events = {"event": [iri(r["event"]) for r in page]}
    details: dict[str, dict[str, str]] = {}
    for r in sorted(view.select(_TIMELINE_DETAILS, bindings=events), key=lambda r: r["type"]):
        details.setdefault(r["event"], r)
    quotes: dict[str, str] = {}
    for r in view.select(_EVENT_QUOTES, bindings=events):
        # several quotes may support one event: show the same one every time
        if r["event"] not in quotes or r["quote"] < quotes[r["event"]]:
            quotes[r["event"]] = r["quote"]
    entries = []
    for r in page:
        event = r["event"]
        if event in details:
            d = details[event]
            entries.append(TimelineEntry(event, d.get("label", compact(event)), compact(d["type"]),
                                         r.get("date"), quotes.get(event)))
    return tuple(dict.fromkeys(entries)), total
