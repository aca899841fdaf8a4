"""Ingest: the only module that knows the order of the pipeline stages.

    statement file ──read──▶ Document ──extract──▶ Facts ─┐
    NAME.facts.json ──────────────load_facts──────▶ Facts ─┴─build──▶ Graph
        ──SHACL gate──▶ store (one transaction per statement)

A file that fails at any stage is *rejected*: reported with the reason,
never stored, and the rest of the batch goes on.
"""
from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Protocol

from .build import build_graph
from .errors import HrdkgError, InputError
from .facts import FACTS_SUFFIX, check_references, is_facts_file, load_facts, statement_id_for
from .model import Facts, ValidationReport
from .namespaces import DEFAULT_BASE
from .store import Store, ntriples
from .validate import validate_graph

STATEMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
#: Statement files larger than this are refused (``hrdkg ingest --max-size``).
DEFAULT_MAX_BYTES = 20_000_000
#: Statements written per lease of the store; between batches another
#: process (the web server) may use it.
BATCH_SIZE = 50


class Leasable(Protocol):
    def lease(self) -> AbstractContextManager[Store]: ...


@dataclass(frozen=True)
class Outcome:
    """What happened to one input file."""

    path: str
    status: str  # "stored" or "rejected"
    statement: str | None = None  # IRI of the stored statement
    reason: str | None = None
    report: ValidationReport | None = None

    def to_dict(self) -> dict[str, object]:
        out: dict[str, object] = {"path": self.path, "status": self.status}
        if self.statement:
            out["statement"] = self.statement
        if self.reason:
            out["reason"] = self.reason
        if self.report is not None:
            out["validation"] = self.report.to_dict()
        return out


@dataclass
class IngestReport:
    """Outcomes of one ingest run, in input order."""

    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def stored(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "stored"]

    @property
    def rejected(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.status == "rejected"]

    def to_dict(self) -> dict[str, object]:
        return {"stored": len(self.stored), "rejected": len(self.rejected),
                "files": [o.to_dict() for o in self.outcomes]}


def collect_inputs(paths: Iterable[Path]) -> list[Path]:
    """Expand folders into statement and facts files.

    A reviewed ``NAME.facts.json`` beside ``NAME.md`` (or .txt/.html/.pdf) is
    the same statement and wins over automatic extraction of it.  Inside
    folders, README/LICENSE notes and hidden files are skipped.

    :raises InputError: for a path that does not exist or is not a statement.
    """
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.rglob("*")
                            # not is_file(): symlink loops, dangling links and FIFOs must
                            # reach the reader and be reported, not vanish silently
                            if not p.is_dir() and _is_input(p) and not _is_folder_notes(p))
        elif os.path.lexists(path):  # a broken symlink is rejected on its own, not the batch
            if not _is_input(path):
                raise InputError(path, "is not a statement (.txt .md .html .htm .pdf) or a *.facts.json file")
            found.append(path)
        else:
            raise InputError(path, "does not exist")
    reviewed = {(p.parent, statement_id_for(p)) for p in found if is_facts_file(p)}
    unique = []
    for p in found:
        if not is_facts_file(p) and (p.parent, statement_id_for(p)) in reviewed:
            continue
        if p not in unique:
            unique.append(p)
    return unique


def _is_folder_notes(path: Path) -> bool:
    """README/LICENSE files describe a folder of statements; they are not one.
    (Named explicitly on the command line, they are ingested like any file.)"""
    return path.stem.upper() in {"README", "LICENSE", "LICENCE", "NOTES"} or path.name.startswith(".")


def _is_input(path: Path) -> bool:
    return is_facts_file(path) or path.suffix.lower() in STATEMENT_SUFFIXES


def facts_for(path: Path, *, restricted: bool = False, max_bytes: int = DEFAULT_MAX_BYTES) -> Facts:
    """The facts of one input file: loaded if reviewed, else extracted.

    :raises HrdkgError: (InputError, FactsError) naming the file.
    """
    if is_facts_file(path):
        facts = load_facts(path)
        if facts.text is None:
            facts = _attach_text(facts, path, max_bytes=max_bytes)
    else:
        from .extract import extract_path  # imported late: reviewed facts need no NLP

        facts = extract_path(path, max_bytes=max_bytes)
    if restricted and not facts.statement.restricted:
        facts = facts.with_statement(restricted=True)
    return facts


def _attach_text(facts: Facts, facts_path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Facts:
    """Give reviewed facts the text of the statement beside them, so that the
    store keeps what the evidence offsets point into (and they are checked)."""
    stem = facts_path.name[: -len(FACTS_SUFFIX)]
    for suffix in STATEMENT_SUFFIXES:
        sibling = facts_path.with_name(stem + suffix)
        if sibling.exists():
            from .read import read_document

            text = read_document(sibling, max_bytes=max_bytes).text
            with_text = Facts(statement=facts.statement, entities=facts.entities,
                              events=facts.events, text=text)
            check_references(with_text, path=facts_path)
            return with_text
    return facts


def ingest_paths(
    target: Store | Leasable,
    paths: Iterable[Path | str],
    *,
    restricted: bool = False,
    base: str = DEFAULT_BASE,
    on_progress: Callable[[Outcome], None] | None = None,
    workers: int | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> IngestReport:
    """Ingest files and folders of statements into ``target``.

    Each statement is validated against the SHACL shapes before it is
    written, and written in its own transaction; a statement that fails is
    listed as rejected with the reason and nothing of it is stored.

    Reading, extraction, RDF building and the SHACL check run in ``workers``
    processes (default: one per CPU plus one, when there are enough files to
    repay starting them); this process only writes, in input order.

    :raises InputError: when a path does not exist (before anything is stored).
    """
    files = collect_inputs(Path(p) for p in paths)
    report = IngestReport()
    prepared = _prepare_all(files, restricted=restricted, base=base, workers=workers, max_bytes=max_bytes)
    for batch in _batches(prepared, BATCH_SIZE):
        with _lease(target) as store:
            for item in batch:
                outcome = _write(store, item)
                report.outcomes.append(outcome)
                if on_progress:
                    on_progress(outcome)
    return report


@dataclass(frozen=True)
class Prepared:
    """A file taken through every stage but the write (picklable, for workers)."""

    path: str
    statement: str | None = None
    ntriples: str | None = None  # the statement graph, ready to write
    public: bool = True
    reason: str | None = None  # why it is rejected, if it is
    report: ValidationReport | None = None


def prepare(path: Path, *, restricted: bool = False, base: str = DEFAULT_BASE,
            max_bytes: int = DEFAULT_MAX_BYTES) -> Prepared:
    """Read/load, extract, build and validate one file; never raises for bad input."""
    try:
        facts = facts_for(path, restricted=restricted, max_bytes=max_bytes)
        graph = build_graph(facts, base=base)
    except HrdkgError as exc:
        return Prepared(str(path), reason=_reason(exc, path))
    report = validate_graph(graph)
    if not report.conforms:
        return Prepared(str(path), reason="does not conform to the shapes", report=report)
    return Prepared(str(path), statement=str(graph.identifier), ntriples=ntriples(graph),
                    public=not facts.statement.restricted)


def ingest_facts(target: Store | Leasable, facts: Facts, *, base: str = DEFAULT_BASE,
                 source: str = "<facts>") -> Outcome:
    """Validate and store one in-memory Facts record (the Python API's shortcut)."""
    graph = build_graph(facts, base=base)
    report = validate_graph(graph)
    if not report.conforms:
        return Outcome(source, "rejected", reason="does not conform to the shapes", report=report)
    with _lease(target) as store:
        store.put_statement(graph, public=not facts.statement.restricted)
    return Outcome(source, "stored", statement=str(graph.identifier))


#: Below this many files, starting worker processes costs more than it saves.
MIN_FILES_FOR_WORKERS = 16


def _prepare_all(files: list[Path], *, restricted: bool, base: str,
                 workers: int | None, max_bytes: int) -> Iterator[Prepared]:
    # One worker more than CPUs: this process spends much of its time waiting
    # on the store's writes, and a third worker on two cores kept both busy
    # (measured: 19.6 → 24.1 statements/s on 200 statements, 2 cores).
    count = workers if workers is not None else (os.cpu_count() or 1) + 1
    task = partial(prepare, restricted=restricted, base=base, max_bytes=max_bytes)
    if count <= 1 or len(files) < MIN_FILES_FOR_WORKERS:
        yield from map(task, files)
        return
    # forkserver: workers must not inherit this process's open store (RocksDB
    # threads do not survive fork) nor its locks.
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the pipeline once; every worker forked from it
    # starts with the modules loaded instead of importing them again (~0.7 s each).
    context.set_forkserver_preload(list(_WORKER_MODULES))
    with ProcessPoolExecutor(max_workers=count, mp_context=context, initializer=_start_worker) as pool:
        yield from pool.map(task, files, chunksize=4)


#: What a worker runs: imported by the fork server before it forks workers.
_WORKER_MODULES = ("graph.ingest", "graph.read", "graph.extract", "graph.build", "graph.validate")
#: Allocations between two young-generation collections in a worker (Python's default: 700).
_WORKER_GC_THRESHOLD = 20_000


def _start_worker() -> None:
    """Fill a worker's caches, then make garbage collection cheap for it.

    Building and validating one statement allocates some 100,000 container
    objects; with the default threshold the collector runs after every 700 of
    them, and its older generations walk every cached object (shapes, country
    tables, compiled rules).  Measured on 80 statements: 6.7 ms of collection
    per statement, 1.8 ms once the caches are frozen (never walked again) and
    collections are rarer.  The pipeline makes few reference cycles, so memory
    stays flat.
    """
    import gc

    from . import extract, validate
    from .build import country_table

    extract.warm_up()
    validate.warm_up()
    country_table()
    gc.collect()
    gc.freeze()
    gc.set_threshold(_WORKER_GC_THRESHOLD, *gc.get_threshold()[1:])


def _write(store: Store, item: Prepared) -> Outcome:
    if item.ntriples is None or item.statement is None:
        return Outcome(item.path, "rejected", reason=item.reason, report=item.report)
    try:
        store.put_ntriples(item.statement, item.ntriples, public=item.public)
    except HrdkgError as exc:
        return Outcome(item.path, "rejected", reason=str(exc))
    return Outcome(item.path, "stored", statement=item.statement)


def _reason(exc: HrdkgError, path: Path) -> str:
    """The error message without the file name the outcome already carries."""
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix):] if text.startswith(prefix) else text


def _lease(target: Store | Leasable) -> AbstractContextManager[Store]:
    if isinstance(target, Store):
        return nullcontext(target)
    return target.lease()


def _batches(items: Iterable[Prepared], size: int) -> Iterator[list[Prepared]]:
    batch: list[Prepared] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
