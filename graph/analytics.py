"""What the network analysis and the rankings read: the public events, entities and links.

:func:`load_corpus` reads the store once (merged public graph; for the
statements behind each link, the public statement graphs only) into plain
records, so that rankings (here) and network projections
(:mod:`graph.network`) are pure Python over them and never see a
restricted statement.

Counting rules (the tests check them on a hand-made dataset):

* **provisions most invoked**: number of distinct events invoking the
  provision, per group (country = the court's jurisdiction, else the
  statement's country; year = the event's year);
* **courts by convictions**: pairs (conviction event, person concerned);
* **courts by prison time**: sum over events at the court with an
  ``hrd:Imprisonment`` sanction of its ``hrd:duration`` times the number
  of people the event concerns (each was sentenced to it), kept as
  months + days (years are 12 months, weeks 7 days);
* **defenders by events**: distinct events concerning the defender.
"""
from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from . import rq
from .errors import HrdkgError
from .namespaces import HRD
from .store import Store

HRD_NS = str(HRD._NS)
GENERIC = {"Person", "Organisation", "Event", "Sanction"}
_DURATION = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?")


class AnalysisError(HrdkgError):
    """An analysis cannot be done as asked (unknown entity, no such projection...)."""


@dataclass(frozen=True)
class EventRecord:
    """One public event with what the analyses need (IRIs, local class name)."""

    iri: str
    type: str
    statement: str
    date: str | None = None
    court: str | None = None
    country: str | None = None
    persons: tuple[str, ...] = ()
    provisions: tuple[str, ...] = ()
    sanction_type: str | None = None
    duration: str | None = None

    @property
    def year(self) -> str:
        return self.date[:4] if self.date else ""


@dataclass(frozen=True)
class Link:
    """A stated triple between two nodes and the public statements stating it."""

    source: str
    predicate: str  # local name in hrd:, e.g. "concerns"
    target: str
    statements: tuple[str, ...]


@dataclass
class Corpus:
    """The public graph as records: events, node labels and kinds, links."""

    events: dict[str, EventRecord] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    kinds: dict[str, str] = field(default_factory=dict)  # IRI → most specific hrd class
    links: list[Link] = field(default_factory=list)

    def label(self, iri: str) -> str:
        return self.labels.get(iri, iri)

    def is_defender(self, iri: str) -> bool:
        return self.kinds.get(iri) == "HumanRightsDefender"


def _local(iri: str) -> str:
    return iri[len(HRD_NS):] if iri.startswith(HRD_NS) else iri


def load_corpus(store: Store) -> Corpus:
    """Read the public events, entities and links of the store."""
    hidden = store.restricted_graphs()
    corpus = Corpus()
    types: dict[str, set[str]] = defaultdict(set)
    for r in rq.rows(store, "entities"):
        types[r["s"]].add(_local(r["type"]))
        if "label" in r:
            corpus.labels.setdefault(r["s"], r["label"])
    corpus.kinds = {iri: _kind(ts) for iri, ts in types.items()}
    grouped: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    for r in rq.rows(store, "links"):
        if r["statement"] not in hidden:  # a link known only from a restricted statement does not exist
            grouped[(r["s"], _local(r["p"]), r["o"])].add(r["statement"])
    corpus.links = [Link(s, p, o, tuple(sorted(st))) for (s, p, o), st in sorted(grouped.items())]
    persons, provisions = defaultdict(list), defaultdict(list)
    for link in corpus.links:
        if link.predicate == "concerns":
            persons[link.source].append(link.target)
        elif link.predicate == "invokes":
            provisions[link.source].append(link.target)
    for r in rq.rows(store, "event-facts"):
        corpus.events[r["event"]] = EventRecord(
            iri=r["event"], type=_local(r["type"]), statement=r["statement"], date=r.get("date"),
            court=r.get("court"), country=r.get("country"), persons=tuple(persons[r["event"]]),
            provisions=tuple(provisions[r["event"]]),
            sanction_type=_local(r["sanction_type"]) if "sanction_type" in r else None,
            duration=r.get("duration"))
    return corpus


def _kind(types: set[str]) -> str:
    specific = sorted(t for t in types if t not in GENERIC and not t.startswith("http"))
    generic = sorted(t for t in types if t in GENERIC)
    return (specific or generic or sorted(types))[0]


# -------------------------------------------------------------- durations
def duration_parts(value: str) -> tuple[int, int]:
    """``"P1Y6M"`` → ``(18, 0)``; ``"P2W3D"`` → ``(0, 17)``: (months, days).
    Unparseable values count as nothing."""
    m = _DURATION.fullmatch(value.strip())
    if not m:
        return 0, 0
    y, mo, w, d = (int(g) if g else 0 for g in m.groups())
    return y * 12 + mo, w * 7 + d


def duration_text(months: int, days: int) -> str:
    """(18, 5) → ``"P1Y6M5D"``; (0, 0) → ``"P0D"``."""
    y, mo = divmod(months, 12)
    out = "P" + (f"{y}Y" if y else "") + (f"{mo}M" if mo else "") + (f"{days}D" if days else "")
    return out if out != "P" else "P0D"


def in_years(months: int, days: int) -> float:
    """Months and days as years (a day is 1/365.25 year), rounded to 2 decimals."""
    return round(months / 12 + days / 365.25, 2)


# ---------------------------------------------------------------- ranking
def competition_rank(rows: list[dict[str, Any]], key: Callable[[dict[str, Any]], Any]) -> None:
    """Set ``rank`` on sorted rows: equal keys share a rank, the next rank skips (1, 1, 3)."""
    previous, rank = object(), 0
    for i, row in enumerate(rows, start=1):
        k = key(row)
        if k != previous:
            rank, previous = i, k
        row["rank"] = rank


GROUPINGS: dict[str, Callable[[EventRecord], tuple[str, ...]]] = {
    "none": lambda e: (),
    "country": lambda e: (e.country or "",),
    "year": lambda e: (e.year,),
    "country-year": lambda e: (e.country or "", e.year),
}


def provision_ranking(corpus: Corpus, *, by: str = "country-year") -> list[dict[str, Any]]:
    """Provisions by number of events invoking them, ranked within each group of ``by``
    (``none``, ``country``, ``year`` or ``country-year``)."""
    if by not in GROUPINGS:
        raise AnalysisError(f"unknown grouping {by!r}; use one of {', '.join(GROUPINGS)}")
    events: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
    persons: dict[tuple[tuple[str, ...], str], set[str]] = defaultdict(set)
    for ev in corpus.events.values():
        for prov in ev.provisions:
            events[(GROUPINGS[by](ev), prov)].add(ev.iri)
            persons[(GROUPINGS[by](ev), prov)].update(ev.persons)
    by_group: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for (group, prov), evs in events.items():
        row: dict[str, Any] = dict(zip(by.split("-"), group)) if by != "none" else {}
        row.update(provision=prov, label=corpus.label(prov), events=len(evs), persons=len(persons[(group, prov)]))
        by_group[group].append(row)
    out = []
    for group in sorted(by_group):
        rows = sorted(by_group[group], key=lambda r: (-r["events"], -r["persons"], r["label"], r["provision"]))
        competition_rank(rows, key=lambda r: r["events"])
        out += rows
    return out


def court_ranking(corpus: Corpus, *, by: str = "convictions") -> list[dict[str, Any]]:
    """Courts by convictions (event × person) or by total prison time (``by="prison"``)."""
    if by not in ("convictions", "prison"):
        raise AnalysisError(f"unknown court ranking {by!r}; use convictions or prison")
    stats: dict[str, dict[str, Any]] = {}
    for ev in corpus.events.values():
        if ev.court is None:
            continue
        s = stats.setdefault(ev.court, {"court": ev.court, "label": corpus.label(ev.court),
                                        "country": ev.country or "", "events": 0, "convictions": 0,
                                        "sentences": 0, "months": 0, "days": 0})
        s["events"] += 1
        people = max(len(ev.persons), 1)
        if ev.type == "Conviction":
            s["convictions"] += len(ev.persons)
        if ev.sanction_type == "Imprisonment" and ev.duration:
            months, days = duration_parts(ev.duration)
            s["sentences"] += people
            s["months"] += months * people
            s["days"] += days * people
    rows = []
    for s in stats.values():
        months, days = s.pop("months"), s.pop("days")
        s.update(prison_time=duration_text(months, days), prison_months=months, prison_days=days,
                 prison_years=in_years(months, days))
        rows.append(s)
    def metric(r: dict[str, Any]) -> float:
        # prison time compared in days (a month is 1/12 of 365.25 days)
        return r["convictions"] if by == "convictions" else r["prison_months"] * 30.4375 + r["prison_days"]

    rows.sort(key=lambda r: (-metric(r), r["label"], r["court"]))
    competition_rank(rows, key=metric)
    return rows


def defender_ranking(corpus: Corpus) -> list[dict[str, Any]]:
    """Human rights defenders by the number of events that concern them."""
    events: dict[str, list[EventRecord]] = {iri: [] for iri, kind in corpus.kinds.items()
                                            if kind == "HumanRightsDefender"}
    for ev in corpus.events.values():
        for person in ev.persons:
            if person in events:
                events[person].append(ev)
    rows = []
    for person, evs in events.items():
        dates = sorted(e.date for e in evs if e.date)
        rows.append({"defender": person, "label": corpus.label(person), "events": len(evs),
                     "statements": len({e.statement for e in evs}),
                     "first": dates[0] if dates else "", "last": dates[-1] if dates else ""})
    rows.sort(key=lambda r: (-r["events"], r["label"], r["defender"]))
    competition_rank(rows, key=lambda r: r["events"])
    return rows


def resolve(corpus: Corpus, name_or_iri: str, *, among: Iterable[str] | None = None) -> str:
    """The IRI of an entity given by IRI or by its label (case-insensitive, exact).

    :raises AnalysisError: if nothing or more than one entity matches.
    """
    pool = set(among) if among is not None else set(corpus.kinds)
    if name_or_iri in pool:
        return name_or_iri
    wanted = name_or_iri.casefold().strip()
    hits = sorted(iri for iri in pool if corpus.labels.get(iri, "").casefold() == wanted)
    if not hits:
        raise AnalysisError(f"no entity named or identified {name_or_iri!r} in the public graph")
    if len(hits) > 1:
        raise AnalysisError(f"{name_or_iri!r} names {len(hits)} entities; give one IRI: {', '.join(hits)}")
    return hits[0]
