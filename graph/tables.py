"""Tables for R and pandas users: events, defenders, courts and provisions as CSV.

Every table is read from the merged public graph (restricted statements
never appear), keeps the IRIs of what its rows mention, and is written as
UTF-8 CSV following RFC 4180 (the :mod:`csv` module, CRLF line ends,
quotes where needed).  A cell that a spreadsheet would run as a formula
(starting with ``= + - @``, a tab or a carriage return) gets a leading
``'`` so that opening a table cannot execute anything.
"""
from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any, TextIO

from . import rq
from .analytics import HRD_NS, duration_text, in_years
from .errors import HrdkgError
from .store import Store

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class TableError(HrdkgError):
    """A table cannot be produced as asked."""


def neutralise(value: Any) -> str:
    """A cell value made safe for spreadsheets.

    >>> neutralise("=HYPERLINK(\\"http://evil\\")")
    '\\'=HYPERLINK("http://evil")'
    >>> neutralise("Article 174")
    'Article 174'
    """
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _local(iri: str | None) -> str:
    return iri[len(HRD_NS):] if iri and iri.startswith(HRD_NS) else (iri or "")


EVENT_COLUMNS = ["event", "date", "type", "person", "person_name", "person_country", "country",
                 "court", "court_name", "authority", "authority_name", "provisions", "provision_names",
                 "sanction", "sanction_type", "amount", "currency", "duration", "event_duration",
                 "statement", "statement_title", "issued"]


def events_table(store: Store) -> list[dict[str, Any]]:
    """One row per event and person concerned, sorted by date, event, person.
    ``provisions`` holds space-separated IRIs, ``provision_names`` the labels joined by ``" | "``."""
    invoked: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for r in rq.rows(store, "event-provisions"):
        invoked[r["event"]].append((r["provision"], r.get("label", "")))
    rows = []
    for r in rq.rows(store, "events"):
        provs = sorted(invoked.get(r["event"], []))
        row = {c: r.get(c, "") for c in EVENT_COLUMNS}
        row.update(type=_local(r["type"]), sanction_type=_local(r.get("sanction_type")),
                   provisions=" ".join(p for p, _ in provs), provision_names=" | ".join(n for _, n in provs))
        rows.append(row)
    return rows


DEFENDER_COLUMNS = ["person", "name", "country", "gender", "role", "organisations", "organisation_names",
                    "events", "first_event", "last_event", "statements"]


def defenders_table(store: Store) -> list[dict[str, Any]]:
    """One row per human rights defender with their organisations and counts."""
    hidden = store.restricted_graphs()
    orgs: dict[str, set[str]] = defaultdict(set)
    for r in rq.rows(store, "memberships"):
        if r["statement"] not in hidden:
            orgs[r["person"]].add(r["organisation"])
    names = _labels(store)
    rows = []
    for r in rq.rows(store, "defenders"):
        member = sorted(orgs.get(r["person"], ()))
        row = {c: r.get(c, "") for c in DEFENDER_COLUMNS}
        row.update(organisations=" ".join(member), organisation_names=" | ".join(names.get(o, o) for o in member))
        rows.append(row)
    return rows


COURT_COLUMNS = ["court", "name", "city", "country", "events", "convictions", "acquittals", "persons",
                 "prison_sentences", "prison_time", "prison_years"]


def courts_table(store: Store) -> list[dict[str, Any]]:
    """One row per court: events, convictions and acquittals (event × person), people tried,
    and total prison time imposed (see :mod:`graph.analytics` for the counting rules)."""
    from .analytics import court_ranking, load_corpus  # noqa: PLC0415 - only this table needs the corpus

    prison = {r["court"]: r for r in court_ranking(load_corpus(store))}
    rows = []
    for r in rq.rows(store, "courts"):
        p = prison.get(r["court"], {})
        months, days = p.get("prison_months", 0), p.get("prison_days", 0)
        row = {c: r.get(c, "") for c in COURT_COLUMNS}
        row.update(prison_sentences=p.get("sentences", 0), prison_time=duration_text(months, days),
                   prison_years=in_years(months, days))
        rows.append(row)
    return rows


PROVISION_COLUMNS = ["provision", "name", "article", "paragraph", "legislation", "legislation_name",
                     "country", "events", "convictions", "persons", "statements"]


def provisions_table(store: Store) -> list[dict[str, Any]]:
    """One row per legal provision with the events, convictions, people and statements citing it,
    most invoked first."""
    return [{c: r.get(c, "") for c in PROVISION_COLUMNS} for r in rq.rows(store, "provisions")]


def _labels(store: Store) -> dict[str, str]:
    return {r["s"]: r["label"] for r in rq.rows(store, "entities") if "label" in r}


TABLES: dict[str, tuple[Callable[[Store], list[dict[str, Any]]], list[str]]] = {
    "events": (events_table, EVENT_COLUMNS),
    "defenders": (defenders_table, DEFENDER_COLUMNS),
    "courts": (courts_table, COURT_COLUMNS),
    "provisions": (provisions_table, PROVISION_COLUMNS),
}


def table(store: Store, name: str) -> tuple[list[str], list[dict[str, Any]]]:
    """Columns and rows of the table ``name``.

    :raises TableError: for an unknown table.
    """
    if name not in TABLES:
        raise TableError(f"unknown table {name!r}; use one of {', '.join(TABLES)}")
    build, columns = TABLES[name]
    return columns, build(store)


def write_csv(rows: Iterable[dict[str, Any]], columns: list[str], out: TextIO) -> int:
    """Write rows as RFC 4180 CSV with a header; cells neutralised.  Returns the rows written.
    Open ``out`` with ``newline=""`` (the csv module writes the CRLF itself)."""
    writer = csv.writer(out, dialect="excel", lineterminator="\r\n")
    writer.writerow(columns)
    n = 0
    for row in rows:
        writer.writerow([neutralise(row.get(c)) for c in columns])
        n += 1
    return n


def csv_text(rows: Iterable[dict[str, Any]], columns: list[str]) -> str:
    """The CSV of ``rows`` as a string."""
    buf = io.StringIO(newline="")
    write_csv(rows, columns, buf)
    return buf.getvalue()

