"""Exports: the dataset as Turtle, N-Triples, TriG, N-Quads or JSON-LD.

Triple formats (Turtle, N-Triples, JSON-LD) write the merged public graph,
each fact once.  Quad formats (TriG, N-Quads) write the statement graphs,
so each triple keeps the statement it came from; the merged graph is not
repeated in them because it can be rebuilt from the statement graphs.

Deterministic: every export is sorted (graph, subject, ``rdf:type`` first,
then ``rdfs:label``, then predicate and object), with a fixed prefix
header, so two exports of the same data are byte-identical and diff well.

Streamed: memory does not grow with the size of the store.  Quad formats
are sorted one statement graph at a time; triple formats go through an
external merge sort (sorted runs of :data:`CHUNK_ROWS` rows spilled to
temporary files, then merged), so at most one run is held in memory.

Filters (:class:`ExportFilter`) pick whole statements (one statement, a
country, a date range) and, optionally, the subjects of one class.
Restricted statements are never exported unless ``include_restricted``.
"""
from __future__ import annotations

import heapq
import os
import pickle
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import BinaryIO

import pyoxigraph as ox

from . import rq
from .errors import HrdkgError
from .serialize import WRITERS, Row, rows_of
from .store import Store

EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "trig", "nquads")
QUAD_FORMATS = {"trig", "nquads"}
MEDIA_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
               "trig": "application/trig", "nquads": "application/n-quads"}
EXTENSIONS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "trig": ".trig", "nquads": ".nq"}
#: Rows sorted in memory before a run is spilled to disk (~300 bytes each);
#: the environment variable lets a benchmark trade memory for speed.
CHUNK_ROWS = int(os.environ.get("HRDKG_EXPORT_CHUNK_ROWS") or 100_000)
_BATCH = 1_000  # rows per pickle record in a spilled run: the merge holds one batch per open run
_FAN_IN = 32  # runs merged at once


class ExportError(HrdkgError):
    """An export cannot be written as asked."""


@dataclass(frozen=True)
class ExportFilter:
    """What to export.  Empty fields select everything.

    * ``statement``: the IRI of one statement graph;
    * ``country``: ISO 3166-1 alpha-2 code of the statements' main country;
    * ``since`` / ``until`` (inclusive): statements issued in the period or
      reporting an event dated in it (a month-only event date counts if the
      month overlaps);
    * ``cls``: a class IRI; only triples about its instances (subclasses
      included, per ``ontology/hrdkg.ttl``) are kept, and when a period is
      given, instances dated outside it (events, statements) are dropped.
    """

    statement: str | None = None
    country: str | None = None
    since: date | None = None
    until: date | None = None
    cls: str | None = None

    def picks_statements(self) -> bool:
        return any(v is not None for v in (self.statement, self.country, self.since, self.until))

    def is_empty(self) -> bool:
        return not self.picks_statements() and self.cls is None


@dataclass(frozen=True)
class ExportResult:
    """What an export wrote: format, number of triples (quads for TriG and
    N-Quads) and the statement graphs it was drawn from."""

    fmt: str
    triples: int
    statements: tuple[str, ...] = field(default=())


def export(store: Store, out: BinaryIO, *, fmt: str = "turtle", graph: str | None = None,
           include_restricted: bool = False, where: ExportFilter | None = None) -> ExportResult:
    """Write the public dataset (or the part ``where`` selects) to ``out`` in ``fmt``.

    ``graph`` is a shorthand for ``where=ExportFilter(statement=graph)``.
    Restricted statements are left out unless ``include_restricted`` (a
    private backup): a published export never reveals a confidential case.

    :raises ExportError: for an unknown format, graph or class.
    """
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    where = where or ExportFilter()
    if graph is not None:
        where = replace(where, statement=graph)
    statements = select_statements(store, where, include_restricted=include_restricted)
    rows = export_rows(store, where, statements=statements, quads=fmt in QUAD_FORMATS,
                       include_restricted=include_restricted)
    written = WRITERS[fmt](rows, out)
    return ExportResult(fmt=fmt, triples=written, statements=tuple(statements))


# ------------------------------------------------------------- selection
def select_statements(store: Store, where: ExportFilter, *, include_restricted: bool = False) -> list[str]:
    """IRIs of the statement graphs ``where`` picks, sorted; never a restricted
    one unless ``include_restricted``.

    :raises ExportError: if ``where.statement`` is not an exportable statement.
    """
    chosen = store.statement_graphs() if include_restricted else store.public_graphs()
    if where.statement is not None:
        if where.statement not in chosen:
            raise ExportError(f"no statement graph named <{where.statement}> in the store")
        chosen = [where.statement]
    if where.country is not None:
        code = where.country.upper()
        keep = {r["statement"] for r in rq.rows(store, "statement-countries") if r["code"] == code}
        chosen = [g for g in chosen if g in keep]
    if where.since is not None or where.until is not None:
        keep = {r["statement"] for r in rq.rows(store, "statement-dates") if in_period(r["date"], where)}
        chosen = [g for g in chosen if g in keep]
    return chosen


def in_period(value: str, where: ExportFilter) -> bool:
    """Does the date ``value`` (``YYYY-MM-DD``, or ``YYYY-MM`` for a month) fall in
    ``where``'s period?  A month counts if it overlaps the period."""
    lo = where.since.isoformat()[: len(value)] if where.since else ""
    hi = where.until.isoformat()[: len(value)] if where.until else "9999"
    return lo <= value <= hi  # ISO dates compare as strings


@lru_cache(maxsize=1)
def _subclasses() -> dict[str, set[str]]:
    """Class IRI → itself and every subclass, from ``ontology/hrdkg.ttl``."""
    from rdflib import Graph, RDFS  # noqa: PLC0415 - only class filters need rdflib

    from ontology import ONTOLOGY_DIR

    onto = Graph().parse(ONTOLOGY_DIR / "hrdkg.ttl", format="turtle")
    direct: dict[str, set[str]] = {}
    for sub, sup in onto.subject_objects(RDFS.subClassOf):
        direct.setdefault(str(sup), set()).add(str(sub))
    closure: dict[str, set[str]] = {}
    for cls in direct:
        seen, todo = {cls}, [cls]
        while todo:
            for sub in direct.get(todo.pop(), ()):
                if sub not in seen:
                    seen.add(sub)
                    todo.append(sub)
        closure[cls] = seen
    return closure


def class_members(store: Store, where: ExportFilter) -> set[str]:
    """Subjects (N-Triples form) of ``where.cls`` or a subclass, dated in the period if one is given."""
    assert where.cls is not None
    members: set[str] = set()
    dated_out: set[str] = set()
    period = where.since is not None or where.until is not None
    for cls in sorted(_subclasses().get(where.cls, {where.cls})):
        for r in rq.rows(store, "class-members", **{"class": ox.NamedNode(cls)}):
            members.add(f"<{r['s']}>")
            if period and "date" in r and not in_period(r["date"], where):
                dated_out.add(f"<{r['s']}>")
    return members - dated_out


# ------------------------------------------------------------------ rows
def export_rows(store: Store, where: ExportFilter, *, statements: list[str], quads: bool,
                include_restricted: bool = False) -> Iterator[Row]:
    """The sorted, de-duplicated rows of an export (see :mod:`graph.serialize`)."""
    members = class_members(store, where) if where.cls is not None else None
    if quads:
        rows: Iterator[Row] = _graph_by_graph(store, statements)
    elif not where.picks_statements() and not include_restricted:
        # the merged default graph already holds each public fact once
        rows = external_sort(rows_of(store.default_triples(), keep_graph=False), chunk=CHUNK_ROWS)
    else:
        union = (row for g in statements
                 for row in rows_of(store.graph_triples(g), keep_graph=False))
        rows = external_sort(union, chunk=CHUNK_ROWS)
    if members is None:
        return rows
    return (r for r in rows if r[1] in members)


def _graph_by_graph(store: Store, statements: list[str]) -> Iterator[Row]:
    # statement graphs are small: sorting one at a time keeps memory flat
    for g in statements:
        yield from sorted(rows_of(store.graph_triples(g), keep_graph=True))


def external_sort(rows: Iterable[Row], *, chunk: int | None = None) -> Iterator[Row]:
    """Sort rows and drop duplicates, holding at most ``chunk`` rows in memory.

    Full runs are sorted and spilled to anonymous temporary files (deleted
    when closed).  Runs are merged in tiers of :data:`_FAN_IN` (as in an LSM
    tree), so the merge never reads from more than ``_FAN_IN`` files at a
    time per tier and its buffers stay bounded however large the store.
    """
    chunk = chunk or CHUNK_ROWS
    tiers: list[list[BinaryIO]] = [[]]  # tiers[k]: runs made of _FAN_IN**k chunks
    buffer: list[Row] = []
    try:
        for row in rows:
            buffer.append(row)
            if len(buffer) >= chunk:
                buffer.sort()
                _add_run(tiers, _spill(_unique(buffer)))
                buffer = []
        buffer.sort()
        if not any(tiers):
            yield from _unique(buffer)
            return
        tiers[0].append(_spill(_unique(buffer)))
        del buffer
        yield from _unique(heapq.merge(*(_read_run(f) for tier in tiers for f in tier)))
    finally:
        for tier in tiers:
            for f in tier:
                f.close()


def _add_run(tiers: list[list[BinaryIO]], run: BinaryIO) -> None:
    """Add a run to tier 0; a full tier is merged into one run of the next tier."""
    level = 0
    tiers[0].append(run)
    while len(tiers[level]) >= _FAN_IN:
        full, tiers[level] = tiers[level], []
        merged = _spill(_unique(heapq.merge(*(_read_run(f) for f in full))))
        for f in full:
            f.close()
        if level + 1 == len(tiers):
            tiers.append([])
        tiers[level + 1].append(merged)
        level += 1


def _spill(rows: Iterable[Row]) -> BinaryIO:
    """Write sorted rows to a temporary file in pickled batches of :data:`_BATCH`."""
    f = tempfile.TemporaryFile(prefix="hrdkg-export-")
    batch: list[Row] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= _BATCH:
            pickle.dump(batch, f, protocol=pickle.HIGHEST_PROTOCOL)
            batch = []
    if batch:
        pickle.dump(batch, f, protocol=pickle.HIGHEST_PROTOCOL)
    f.seek(0)
    return f


def _read_run(f: BinaryIO) -> Iterator[Row]:
    while True:
        try:
            batch = pickle.load(f)  # our own temporary file, written just above
        except EOFError:
            return
        yield from batch


def _unique(rows: Iterable[Row]) -> Iterator[Row]:
    last = None
    for row in rows:
        if row != last:
            yield row
            last = row
