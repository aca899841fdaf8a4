"""Exports: the dataset as Turtle, N-Triples, TriG, N-Quads or JSON-LD.

Triple formats (Turtle, N-Triples, JSON-LD) write the merged public graph,
each fact once.  Quad formats (TriG, N-Quads) write the statement graphs,
so each triple keeps the statement it came from; the merged graph is not
repeated in them because it can be rebuilt from the statement graphs.

Deterministic: two exports of the same data are byte-identical (fixed
prefix header, fixed order), so they diff well.  The order is one of two,
both functions of the exported triples alone, never of the order they were
stored in or of what was stored and deleted before:

* *streamed* — the whole public graph, or whole statement graphs, of an
  on-disk store come straight out of Oxigraph's subject-first index: by
  graph (statement IRIs sorted), then subject, predicate and object, each
  in the order of Oxigraph's binary encoding of terms (an IRI is encoded as
  a 128-bit hash of its text, so the order looks random, but it is the same
  in every store holding the triple, for a given Oxigraph storage format;
  hrdkg data has no blank nodes, whose ids Oxigraph draws at random).
  Nothing is sorted and pyoxigraph's serializers (Rust) do the writing;
  a large export is cut into slices written by helper processes (see
  :func:`export`), which changes nothing in the bytes.
* *sorted* — a union of several statement graphs (filters, restricted
  statements included), or any export from an in-memory store (whose
  iteration order depends on its history) or a SPARQL server: sorted by the
  N-Triples line of each triple (so grouped by subject), duplicates dropped,
  by an external merge sort (sorted runs of :data:`CHUNK_ROWS` lines
  spilled to temporary files, then merged).

Either way memory does not grow with the size of the store.

Filters (:class:`ExportFilter`) pick whole statements (one statement, a
country, a date range) and, optionally, the subjects of one class.
Restricted statements are never exported unless ``include_restricted``.
"""
from __future__ import annotations

import heapq
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from itertools import chain, islice, starmap
from operator import attrgetter
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox

from . import rq
from .errors import HrdkgError
from .serialize import WRITERS, Row, rows_of, write_body, write_footer, write_header
from .store import Store

EXPORT_FORMATS = ("turtle", "ntriples", "jsonld", "trig", "nquads")
QUAD_FORMATS = {"trig", "nquads"}
MEDIA_TYPES = {"turtle": "text/turtle", "ntriples": "application/n-triples", "jsonld": "application/ld+json",
               "trig": "application/trig", "nquads": "application/n-quads"}
EXTENSIONS = {"turtle": ".ttl", "ntriples": ".nt", "jsonld": ".jsonld", "trig": ".trig", "nquads": ".nq"}
#: Lines sorted in memory before a run is spilled to disk (~300 bytes each);
#: the environment variable lets a benchmark trade memory for speed.
CHUNK_ROWS = int(os.environ.get("HRDKG_EXPORT_CHUNK_ROWS") or 100_000)
_BATCH = 1_000  # quads serialized or parsed at once
_FAN_IN = 32  # runs merged at once
#: Processes that write a large streamed export together, each a slice of it
#: (1: this process alone).  Reading terms back out of RocksDB is what a
#: streamed export spends its time on, and one process does that on one core;
#: each process takes ~115 MB at 10^6 triples, hence 2 for a 300 MB budget.
WORKERS = int(os.environ.get("HRDKG_EXPORT_WORKERS") or min(2, os.cpu_count() or 1))
#: Exports drawn from fewer statements (~200 triples each) are written by one
#: process: a helper process takes about half a second to start.
PARALLEL_MIN_STATEMENTS = 1_000
_HEAD_START = 0.2  # the first slice of the merged graph is this much larger than the others


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
           include_restricted: bool = False, where: ExportFilter | None = None,
           workers: int | None = None) -> ExportResult:
    """Write the public dataset (or the part ``where`` selects) to ``out`` in ``fmt``.

    ``graph`` is a shorthand for ``where=ExportFilter(statement=graph)``.
    Restricted statements are left out unless ``include_restricted`` (a
    private backup): a published export never reveals a confidential case.

    A large streamed export (see the module docstring: from at least
    :data:`PARALLEL_MIN_STATEMENTS` statements, without a class filter, of
    the whole merged graph or of statement graphs) is written by ``workers``
    processes (default :data:`WORKERS`): this one and helpers that open the
    store read-only, each writing a slice cut between two subjects (or
    graphs); the bytes are the same whatever the number of workers.  Nothing
    may write to the store meanwhile (``hrdkg export`` holds its lock).

    :raises ExportError: for an unknown format, graph or class, or if a helper fails.
    """
    if fmt not in WRITERS:
        raise ExportError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    where = where or ExportFilter()
    if graph is not None:
        where = replace(where, statement=graph)
    statements = select_statements(store, where, include_restricted=include_restricted)
    workers = WORKERS if workers is None else workers
    merged = not where.picks_statements() and not include_restricted  # the merged graph, as stored
    if (workers > 1 and len(statements) >= PARALLEL_MIN_STATEMENTS and streamable(store) and where.cls is None
            and (fmt in QUAD_FORMATS or merged)):
        written = _export_in_parallel(store, out, fmt, statements, workers)
    else:
        quads = export_quads(store, where, statements=statements, quads=fmt in QUAD_FORMATS,
                             include_restricted=include_restricted)
        written = WRITERS[fmt](quads, out)
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


# ----------------------------------------------------------------- quads
def streamable(store: Store) -> bool:
    """Can exports be streamed in index order from ``store``?  Only from an
    on-disk Oxigraph store: an in-memory store iterates in an order that
    depends on its history, and a SPARQL server in whatever order it likes."""
    return store.path is not None and not store.remote


def export_quads(store: Store, where: ExportFilter, *, statements: list[str], quads: bool,
                 include_restricted: bool = False) -> Iterator[Any]:
    """What an export writes, in export order (see the module docstring), each
    item once: quads grouped by graph then subject for quad formats, triples
    (or quads of the default graph) grouped by subject for triple formats."""
    members = class_members(store, where) if where.cls is not None else None
    local = streamable(store)
    stream: Iterator[Any]
    if quads:
        stream = chain.from_iterable(
            store.graph_triples(g) if local else sorted_quads(external_sort(_lines([store.graph_triples(g)], quads=True)))
            for g in statements)
    elif not where.picks_statements() and not include_restricted:
        # the merged default graph already holds each public fact once
        stream = store.default_triples() if local else sorted_quads(
            external_sort(_lines([store.default_triples()], quads=False), chunk=CHUNK_ROWS))
    elif local and len(statements) == 1:
        stream = map(attrgetter("triple"), store.graph_triples(statements[0]))
    else:
        stream = sorted_quads(external_sort(_lines((store.graph_triples(g) for g in statements), quads=False),
                                            chunk=CHUNK_ROWS))
    if members is None:
        return stream
    nodes = {ox.NamedNode(m[1:-1]) for m in members}
    return (q for q in stream if q.subject in nodes)


def export_rows(store: Store, where: ExportFilter, *, statements: list[str], quads: bool,
                include_restricted: bool = False) -> Iterator[Row]:
    """The rows of an export (see :func:`graph.serialize.rows_of`), in export order."""
    return rows_of(export_quads(store, where, statements=statements, quads=quads,
                                include_restricted=include_restricted), keep_graph=quads)


def _lines(sources: Iterable[Iterable[ox.Quad]], *, quads: bool) -> Iterator[bytes]:
    """N-Quads lines (N-Triples ones, the graph dropped, unless ``quads``) of the
    quads of ``sources``, serialized in batches."""
    fmt = ox.RdfFormat.N_QUADS if quads else ox.RdfFormat.N_TRIPLES
    for source in sources:
        items = iter(source) if quads else map(attrgetter("triple"), source)
        while batch := list(islice(items, _BATCH)):
            yield from ox.serialize(batch, format=fmt).splitlines(keepends=True)


def sorted_quads(lines: Iterable[bytes]) -> Iterator[ox.Quad]:
    """N-Quads (or N-Triples) lines parsed back into quads, in their order."""
    lines = iter(lines)
    while batch := list(islice(lines, _BATCH)):
        yield from ox.parse(b"".join(batch), ox.RdfFormat.N_QUADS)


def external_sort(lines: Iterable[bytes], *, chunk: int | None = None) -> Iterator[bytes]:
    """Sort lines (each ending with a newline) and drop duplicates, holding at
    most ``chunk`` lines in memory.

    Full runs are sorted and spilled to anonymous temporary files (deleted
    when closed).  Runs are merged in tiers of :data:`_FAN_IN` (as in an LSM
    tree), so the merge never reads from more than ``_FAN_IN`` files at a
    time per tier and its buffers stay bounded however large the store.
    """
    chunk = chunk or CHUNK_ROWS
    tiers: list[list[BinaryIO]] = [[]]  # tiers[k]: runs made of _FAN_IN**k chunks
    buffer: list[bytes] = []
    try:
        for line in lines:
            buffer.append(line)
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
        yield from _unique(heapq.merge(*(f for tier in tiers for f in tier)))
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
        merged = _spill(_unique(heapq.merge(*full)))
        for f in full:
            f.close()
        if level + 1 == len(tiers):
            tiers.append([])
        tiers[level + 1].append(merged)
        level += 1


def _spill(lines: Iterable[bytes]) -> BinaryIO:
    """Write sorted lines to a temporary file, to be read back line by line."""
    f = tempfile.TemporaryFile(prefix="hrdkg-export-")
    try:
        f.writelines(lines)
        f.seek(0)
    except BaseException:
        f.close()
        raise
    return f


def _unique(lines: Iterable[bytes]) -> Iterator[bytes]:
    last = None
    for line in lines:
        if line != last:
            yield line
            last = line


# -------------------------------------------------------------- parallel
# A streamed export is cut into slices, one per worker: slices of the list of
# statement graphs (quad formats), or of the merged graph's rows in index
# order, each cut moved forward to the next change of subject so that no
# subject is split.  The first slice is written here, the others by helper
# processes into temporary files, appended in order: as pyoxigraph's
# serializers keep no state from one subject (or graph) to the next, the
# result is the very file one process would have written.
def _export_in_parallel(store: Store, out: BinaryIO, fmt: str, statements: list[str], workers: int) -> int:
    with tempfile.TemporaryDirectory(prefix="hrdkg-export-") as tmp:
        # started first: they start up while the merged graph is counted
        paths = [Path(tmp) / f"slice-{i}" for i in range(1, workers)]
        helpers = [(_start_helper(store, fmt, path), path) for path in paths]
        try:
            if fmt in QUAD_FORMATS:
                cuts = [len(statements) * i // workers for i in range(workers + 1)]
                slices: list[dict[str, Any]] = [{"graphs": statements[a:b]} for a, b in zip(cuts, cuts[1:])]
            else:
                # helpers read rows through SPARQL (to skip to theirs), ~20% slower than here
                rows, share = _count_default_graph(store), 1 / (workers + _HEAD_START)
                cuts = [0] + [round(rows * share * (i + _HEAD_START)) for i in range(1, workers)] + [rows]
                slices = [{"begin": a, "end": b} for a, b in zip(cuts, cuts[1:])]
            for (helper, _path), task in zip(helpers, slices[1:]):
                assert helper.stdin is not None
                try:
                    helper.stdin.write(json.dumps(task).encode())
                    helper.stdin.close()
                except BrokenPipeError:
                    pass  # it died already: _finish_helper says why
            write_header(out, fmt)
            written = _write_slice(store.inner, slices[0], out, fmt, first=True)
            for helper, path in helpers:
                written += _finish_helper(helper, path, out)
            write_footer(out, fmt)
        finally:
            for helper, _path in helpers:
                if helper.poll() is None:
                    helper.kill()
                    helper.wait()
                for pipe in (helper.stdin, helper.stdout):
                    if pipe is not None:
                        try:
                            pipe.close()
                        except BrokenPipeError:
                            pass
    return written


def _count_default_graph(store: Store) -> int:
    result = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    return int(next(iter(result))["n"].value)  # type: ignore[index, call-overload]


def _start_helper(store: Store, fmt: str, path: Path) -> subprocess.Popen[bytes]:
    """A helper process that will write one slice (sent on its stdin) of ``fmt`` to ``path``."""
    root = str(Path(__file__).resolve().parent.parent)
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    args = [sys.executable, "-c", "from graph.export import _helper_main; _helper_main()",
            str(store.path), fmt, str(path)]
    with open(path.with_suffix(".err"), "wb") as errors:
        return subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=env)


def _finish_helper(helper: subprocess.Popen[bytes], path: Path, out: BinaryIO) -> int:
    """Wait for a helper; append its slice to ``out``; how many it wrote."""
    assert helper.stdout is not None
    count = helper.stdout.read()
    helper.stdout.close()
    if helper.wait() != 0 or not count.strip().isdigit():
        error = path.with_suffix(".err").read_text(errors="replace").strip()
        raise ExportError(f"an export helper process failed (exit {helper.returncode}): {error[-2000:]}")
    with open(path, "rb") as part:
        shutil.copyfileobj(part, out, 1 << 20)
    return int(count)


def _helper_main() -> None:
    """Entry point of a helper process: ``STORE FORMAT OUTPUT``, its slice as JSON on stdin."""
    store_path, fmt, output = sys.argv[1:4]
    task = json.loads(sys.stdin.read())
    with open(output, "wb") as out:
        written = _write_slice(ox.Store.read_only(store_path), task, out, fmt, first=False)
    print(written)


def _write_slice(inner: ox.Store, task: dict[str, Any], out: BinaryIO, fmt: str, *, first: bool) -> int:
    """Write the body of one slice: ``{"graphs": [...]}`` or ``{"begin": i, "end": j}`` (rows of the merged graph)."""
    items: Iterator[Any]
    if "graphs" in task:
        items = chain.from_iterable(inner.quads_for_pattern(None, None, None, ox.NamedNode(g)) for g in task["graphs"])
    elif task["begin"] == 0:
        items = _cut(inner.quads_for_pattern(None, None, None, ox.DefaultGraph()), 0, 0, task["end"])
    else:
        # the same index scan as quads_for_pattern, but OFFSET skips rows without decoding them;
        # one row before the slice, to know the subject it must not split
        begin = task["begin"]
        rows = inner.query(f"SELECT ?s ?p ?o WHERE {{ ?s ?p ?o }} OFFSET {begin - 1}")
        items = _cut(starmap(ox.Triple, rows), begin - 1, begin, task["end"])  # type: ignore[arg-type]
    return write_body(items, out, fmt, first=first)


def _cut(items: Iterable[Any], first: int, begin: int, end: int) -> Iterator[Any]:
    """The items of rows ``begin`` to ``end`` (``items`` starts at row ``first``),
    both cuts moved forward to the next row whose subject differs from the row
    before it: consecutive slices never split a subject and miss nothing.
    Only the rows around the cuts go through Python code."""
    rows = iter(items)
    row, previous = first, None
    for item in rows:
        if row >= begin and item.subject != previous:
            break  # the first row of the slice
        previous, row = item.subject, row + 1
    else:
        return iter(())
    if row >= end:
        return iter(())
    if row == end - 1:
        return chain((item,), _same_subject(rows, item.subject))
    return chain((item,), islice(rows, end - 2 - row), _last_subject(rows))


def _last_subject(rows: Iterator[Any]) -> Iterator[Any]:
    """The next row and the rows after it with the same subject."""
    last = next(rows, None)
    if last is not None:
        yield last
        yield from _same_subject(rows, last.subject)


def _same_subject(rows: Iterator[Any], subject: Any) -> Iterator[Any]:
    for item in rows:
        if item.subject != subject:
            return
        yield item
