"""Dates in statements: absolute, partial and relative expressions.

Absolute dates come in every common shape ("31 July 2025", "July 3, 2024",
"Monday 3 June 2024", "02.08.2024", "2024-07-25"); partial ones take their
year from the text read so far ("on 3 March", "On Tuesday"); month-only
dates become ``YYYY-MM``; relative ones ("the following day", "two days
later", "a week later", "the same day") are resolved against the last date
the narrative mentioned, which :class:`DateResolver` tracks while the
sentences are read in order.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from graph.extract.lexicon import NUMBER_WORDS
from graph.extract.text import lower_aligned

__all__ = ["DateMention", "find_dates", "DateResolver", "MONTHS", "parse_issued"]

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
_MONTH_ABBR = {m[:3]: i for m, i in MONTHS.items()} | {"sept": 9}
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

_M = r"(?P<month>January|February|March|April|May|June|July|August|September|October|November|December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
_WD = r"(?:(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday),?\s+)?"
_NUMWORD = r"(?:\d{1,2}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|several|few)"

_PATTERNS = [
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<mo>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("dmy_num", re.compile(r"\b(?P<d>[0-3]?\d)[./](?P<mo>[01]?\d)[./](?P<y>(?:19|20)\d\d)\b")),
    ("dmy", re.compile(_WD + r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+of)?\s+" + _M
                       + r"(?:,?\s+(?P<y>(?:19|20)\d\d))?\b")),
    ("mdy", re.compile(_WD + r"\b" + _M + r"\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:%|per|years?|months?))"
                       + r"(?:,?\s+(?P<y>(?:19|20)\d\d))?")),
    ("my", re.compile(r"\b(?:(?:early|mid|late|the end of|end of|the beginning of|beginning of)[\s-]+)?"
                      + _M + r"(?:\s+of)?\s+(?P<y>(?:19|20)\d\d)\b")),
    ("m", re.compile(r"(?P<pre>\b(?:in|In|since|Since|until|Until|of|Of|last|Last|from|From) )"
                     + r"(?:(?:early|mid|late)[\s-]+)?" + _M + r"\b(?![\s-]+\d)")),
    ("weekday", re.compile(r"(?P<pre>\b(?:on|On) )(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
                           r"(?!,?\s+(?:\d|January|February|March|April|May|June|July|August|September|October|November|December))")),
    ("year", re.compile(r"(?<![\d/.-])\b(?P<y>(?:19|20)\d\d)\b(?![\d/-])")),
    ("rel", re.compile(
        r"\b(?P<rel>(?:on |by )?the (?:following|next) (?:day|morning|evening|afternoon)"
        r"|the day after|(?:a|one) day later|the same (?:day|morning|evening|afternoon|night)"
        r"|that (?:same )?(?:day|morning|evening|afternoon|night)|later that (?:day|evening|night)"
        r"|the previous day|the day before|yesterday|earlier this month|last month|this month"
        r"|within hours|hours later|the next morning"
        r"|" + _NUMWORD + r"[\s-]+(?:days?|weeks?|months?)\s+(?:later|after|earlier|before)"
        r"|(?:a|one) (?:week|month) (?:later|after|earlier|before))\b", re.I)),
]


_MONTH_WORD = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)")
_REL_KEYS = ("day", "week", "month", "later", "after", "earlier", "before", "yesterday", "same", "that",
             "following", "next", "previous", "hours")


@dataclass(frozen=True)
class DateMention:
    """A date expression at ``start:end``.

    ``kind`` is ``day`` (a full or partial day), ``month``, ``year``,
    ``weekday`` or ``rel``; ``year``/``month``/``day`` hold what the text
    says (``year`` may be None when the text leaves it out).
    """

    start: int
    end: int
    kind: str
    year: int | None = None
    month: int | None = None
    day: int | None = None
    weekday: int | None = None
    phrase: str = ""


def find_dates(text: str, start: int = 0, end: int | None = None) -> list[DateMention]:
    """Every date expression in ``text[start:end]``, longest first, without overlaps."""
    end = len(text) if end is None else end
    chunk = text[start:end]
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    # the numeric patterns all need a \d (one regex step instead of a loop over every character)
    has_digit = _DIGIT.search(chunk) is not None
    lower = chunk.lower()
    has_month = _MONTH_WORD.search(chunk) is not None
    has_rel = any(k in lower for k in _REL_KEYS)
    month_hits = [m.start() for m in _MONTH_WORD.finditer(chunk)] if has_month else []
    rel_hits = _rel_hits(chunk, lower) if has_rel else []
    for kind, rx in _PATTERNS:
        if (kind in ("iso", "dmy_num", "year") and not has_digit) or (kind in ("dmy", "mdy", "my", "m") and not has_month) \
                or (kind == "weekday" and "day" not in lower) or (kind == "rel" and not has_rel):
            continue
        # the costly patterns only run in small windows around their key words
        hits = month_hits if kind in ("dmy", "mdy", "my", "m") else rel_hits if kind == "rel" else None
        for m in (rx.finditer(chunk) if hits is None else _windowed(rx, chunk, hits)):
            s, e = start + m.start(), start + m.end()
            if "pre" in rx.groupindex:
                s = start + m.end("pre")
            if any(a < e and s < b for a, b in taken):
                continue
            mention = _mention(kind, m, s, e)
            if mention is not None:
                found.append(mention)
                taken.append((s, e))
    return sorted(found, key=lambda d: d.start)


_REL_HIT = re.compile(r"(?i)\b(?:days?|weeks?|months?|yesterday|hours|morning|evening|afternoon|night)\b")
_REL_HIT_LOWER = re.compile(_REL_HIT.pattern.removeprefix("(?i)"))
_DIGIT = re.compile(r"\d")


def _rel_hits(chunk: str, lower: str) -> list[int]:
    """Offsets of :data:`_REL_HIT` in ``chunk``, found in the lower-cased copy
    when that gives the same offsets (see :func:`~graph.extract.text.lower_aligned`;
    five times faster over a statement)."""
    if lower_aligned(chunk, lower) is not None:
        return [m.start() for m in _REL_HIT_LOWER.finditer(lower)]
    return [m.start() for m in _REL_HIT.finditer(chunk)]


def _windowed(rx: re.Pattern, chunk: str, hits: list[int]):
    """Matches of ``rx`` that overlap a key word, searched near each key word only."""
    seen: set[int] = set()
    for h in hits:
        lo = max(0, h - 30)
        for m in rx.finditer(chunk, lo, min(len(chunk), h + 40)):
            if m.start() <= h < m.end() + 1 and m.start() not in seen:
                seen.add(m.start())
                yield m


def _month(name: str) -> int:
    name = name.lower().rstrip(".")
    return MONTHS.get(name) or _MONTH_ABBR[name[:4] if name.startswith("sept") else name[:3]]


def _mention(kind: str, m: re.Match, s: int, e: int) -> DateMention | None:
    g = m.groupdict()
    wd = WEEKDAYS.index(g["weekday"].lower()) if g.get("weekday") else None
    if kind in ("iso", "dmy_num"):
        y, mo, d = int(g["y"]), int(g["mo"]), int(g["d"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        return DateMention(s, e, "day", y, mo, d, phrase=m.group())
    if kind in ("dmy", "mdy"):
        d = int(g["d"])
        if not 1 <= d <= 31:
            return None
        y = int(g["y"]) if g.get("y") else None
        return DateMention(s, e, "day", y, _month(g["month"]), d, wd, m.group())
    if kind in ("my", "m"):
        y = int(g["y"]) if g.get("y") else None
        return DateMention(s, e, "month", y, _month(g["month"]), phrase=m.group())
    if kind == "weekday":
        return DateMention(s, e, "weekday", weekday=wd, phrase=m.group())
    if kind == "year":
        return DateMention(s, e, "year", int(g["y"]), phrase=m.group())
    return DateMention(s, e, "rel", phrase=m.group().lower())


def parse_issued(text: str) -> str | None:
    """The first full date in ``text`` as ``YYYY-MM-DD`` (for datelines), or None."""
    for d in find_dates(text):
        if d.kind == "day" and d.year:
            try:
                return dt.date(d.year, d.month, d.day).isoformat()
            except ValueError:
                continue
    return None


# ----------------------------------------------------------------- resolving

_REL_OFFSET = re.compile(r"(?P<n>\S+)[\s-]+(?P<unit>day|week|month)s?\s+(?P<dir>later|after|earlier|before)")


class DateResolver:
    """Turns mentions into ISO dates while the narrative is read in order.

    The anchor is the last day-precise date read; partial dates take the
    anchor's year (or the issue date's), never a date after the issue date.
    """

    def __init__(self, issued: str | None) -> None:
        self.issued = dt.date.fromisoformat(issued) if issued else None
        self.anchor: dt.date | None = None
        self.year: int | None = self.issued.year if self.issued else None

    def resolve(self, d: DateMention, *, anchor: dt.date | None = None) -> str | None:
        """ISO value of ``d`` (``YYYY-MM-DD`` or ``YYYY-MM``), or None (year only, unresolvable)."""
        if d.kind == "year":
            return None  # "in 2013", "Act of 2012": no day to anchor partial dates on
        if d.kind == "day":
            year = d.year or self._infer_year(d.month, d.day)
            if year is None:
                return None
            try:
                value = dt.date(year, d.month, d.day)
            except ValueError:
                return None
            self.anchor = value
            self.year = year
            return value.isoformat()
        if d.kind == "month":
            year = d.year or self._infer_year(d.month, 1)
            if year is None:
                return None
            self.year = year
            return f"{year:04d}-{d.month:02d}"
        if d.kind == "weekday":
            return self._weekday(d.weekday)
        return self._relative(d.phrase, anchor or self.anchor)

    def _infer_year(self, month: int, day: int) -> int | None:
        year = self.year
        if year is None:
            return None
        if self.issued is not None:
            try:
                if dt.date(year, month, min(day, 28)) > self.issued:
                    year -= 1
            except ValueError:
                return None
        return year

    def _weekday(self, weekday: int | None) -> str | None:
        if weekday is None or self.issued is None:
            return None
        back = (self.issued.weekday() - weekday) % 7 or 7
        value = self.issued - dt.timedelta(days=back)
        self.anchor = value
        return value.isoformat()

    def _relative(self, phrase: str, anchor: dt.date | None) -> str | None:
        phrase = phrase.lower()
        if phrase == "yesterday" and self.issued:
            value = self.issued - dt.timedelta(days=1)
            self.anchor = value
            return value.isoformat()
        if phrase in ("earlier this month", "this month") and self.issued:
            return f"{self.issued.year:04d}-{self.issued.month:02d}"
        if phrase == "last month" and self.issued:
            first = self.issued.replace(day=1) - dt.timedelta(days=1)
            return f"{first.year:04d}-{first.month:02d}"
        if anchor is None:
            return None
        days = 0
        if re.search(r"following|next|day after|(?:a|one) day later", phrase):
            days = 1
        elif re.search(r"previous day|day before", phrase):
            days = -1
        elif re.search(r"same|that|within hours|hours later", phrase):
            days = 0
        else:
            m = _REL_OFFSET.search(phrase)
            if not m:
                return None
            n = NUMBER_WORDS.get(m.group("n"), None) if not m.group("n").isdigit() else int(m.group("n"))
            if not n:
                return None
            sign = 1 if m.group("dir") in ("later", "after") else -1
            if m.group("unit") == "month":
                month = anchor.month - 1 + sign * int(n)
                return f"{anchor.year + month // 12:04d}-{month % 12 + 1:02d}"
            days = sign * int(n) * (7 if m.group("unit") == "week" else 1)
        value = anchor + dt.timedelta(days=days)
        self.anchor = value
        return value.isoformat()
