"""Ingest: the only module that knows the order of the pipeline stages.

    statement file ──read──▶ Document ──extract──▶ Facts ─┐
    NAME.facts.json ──────────────load_facts──────▶ Facts ─┴─build──▶ Graph
        ──SHACL gate──▶ store (one transaction per statement)

A file that fails at any stage is *rejected*: reported with the reason,
never stored, and the rest of the batch goes on.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rdflib import Graph

from .build import build_graph
from .errors import HrdkgError, InputError
from .facts import FACTS_SUFFIX, check_references, is_facts_file, load_facts, statement_id_for
from .model import Facts, ValidationReport
from .namespaces import DEFAULT_BASE
from .store import Store
from .validate import validate_graphs

STATEMENT_SUFFIXES = (".txt", ".md", ".html", ".htm", ".pdf")
#: Statements validated and written per lease of the store; between batches
#: another process (the web server) may use it.
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
                            if p.is_file() and _is_input(p) and not _is_folder_notes(p))
        elif path.exists():
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


def facts_for(path: Path, *, restricted: bool = False) -> Facts:
    """The facts of one input file: loaded if reviewed, else extracted.

    :raises HrdkgError: (InputError, FactsError) naming the file.
    """
    if is_facts_file(path):
        facts = load_facts(path)
        if facts.text is None:
            facts = _attach_text(facts, path)
    else:
        from .extract import extract_path  # imported late: reviewed facts need no NLP

        facts = extract_path(path)
    if restricted and not facts.statement.restricted:
        facts = facts.with_statement(restricted=True)
    return facts


def _attach_text(facts: Facts, facts_path: Path) -> Facts:
    """Give reviewed facts the text of the statement beside them, so that the
    store keeps what the evidence offsets point into (and they are checked)."""
    stem = facts_path.name[: -len(FACTS_SUFFIX)]
    for suffix in STATEMENT_SUFFIXES:
        sibling = facts_path.with_name(stem + suffix)
        if sibling.exists():
            from .read import read_document

            text = read_document(sibling).text
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
) -> IngestReport:
    """Ingest files and folders of statements into ``target``.

    Each statement is validated against the SHACL shapes before it is
    written, and written in its own transaction; a statement that fails is
    listed as rejected with the reason and nothing of it is stored.

    :raises InputError: when a path does not exist (before anything is stored).
    """
    files = collect_inputs(Path(p) for p in paths)
    report = IngestReport()
    for batch in _batches(files, BATCH_SIZE):
        for outcome in _ingest_batch(target, batch, restricted=restricted, base=base):
            report.outcomes.append(outcome)
            if on_progress:
                on_progress(outcome)
    return report


def ingest_facts(target: Store | Leasable, facts: Facts, *, base: str = DEFAULT_BASE,
                 source: str = "<facts>") -> Outcome:
    """Validate and store one in-memory Facts record (the Python API's shortcut)."""
    graph = build_graph(facts, base=base)
    report = validate_graphs({source: graph})[source]
    if not report.conforms:
        return Outcome(source, "rejected", reason="does not conform to the shapes", report=report)
    with _lease(target) as store:
        store.put_statement(graph, public=not facts.statement.restricted)
    return Outcome(source, "stored", statement=str(graph.identifier))


def _ingest_batch(target: Store | Leasable, files: list[Path], *, restricted: bool,
                  base: str) -> Iterator[Outcome]:
    prepared: dict[str, tuple[Graph, bool]] = {}
    failures: dict[str, Outcome] = {}
    for path in files:
        try:
            facts = facts_for(path, restricted=restricted)
            prepared[str(path)] = (build_graph(facts, base=base), not facts.statement.restricted)
        except HrdkgError as exc:
            failures[str(path)] = Outcome(str(path), "rejected", reason=_reason(exc, path))
    reports = validate_graphs({k: g for k, (g, _) in prepared.items()})
    with _lease(target) as store:
        for path in files:
            key = str(path)
            if key in failures:
                yield failures[key]
                continue
            graph, public = prepared[key]
            if not reports[key].conforms:
                yield Outcome(key, "rejected", reason="does not conform to the shapes", report=reports[key])
                continue
            try:
                store.put_statement(graph, public=public)
            except HrdkgError as exc:
                yield Outcome(key, "rejected", reason=str(exc))
                continue
            yield Outcome(key, "stored", statement=str(graph.identifier))


def _reason(exc: HrdkgError, path: Path) -> str:
    """The error message without the file name the outcome already carries."""
    text = str(exc)
    prefix = f"{path}: "
    return text[len(prefix):] if text.startswith(prefix) else text


def _lease(target: Store | Leasable) -> AbstractContextManager[Store]:
    if isinstance(target, Store):
        from contextlib import nullcontext

        return nullcontext(target)
    return target.lease()


def _batches(items: list[Path], size: int) -> Iterator[list[Path]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]
