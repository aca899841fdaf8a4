"""Sanctions: fines with ISO 4217 currencies and prison terms as ISO 8601 durations.

"KZT 78,000", "20 million rials", "a fine of 5,000 somoni", "GEL 5,000",
"45,000 rubles", "50 million Uzbek soums" become ``Fine`` with a decimal
amount and a currency code (codes checked against pycountry; words from
:data:`~graph.extract.lexicon.CURRENCY_WORDS`, with the statement's country
settling "dinars" or "rupees").  "seven years in prison", "18 months",
"two years and six months", "15 days of administrative detention" become
``Imprisonment`` durations ("P7Y", "P18M", "P2Y6M", "P15D"); "a six-month
suspended prison sentence" or "three years of probation" a
``SuspendedSentence``.  Bail, sureties and conversions in brackets are not
sanctions.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

import pycountry

from graph.extract.lexicon import (COUNTRY_CURRENCY, CURRENCY_DEMONYMS, CURRENCY_SYMBOLS, CURRENCY_WORDS,
                                   MULTIPLIERS, NUMBER_WORDS)
from graph.extract.text import cased, lower_aligned
from graph.model import Sanction

__all__ = ["SanctionMention", "find_sanctions", "duration", "money"]

_NUMW = r"(?:\d+(?:\.\d+)?|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty)"
_UNIT = r"(?:years?|months?|weeks?|days?)"
_DUR = rf"{_NUMW}[\s-]+{_UNIT}(?:(?:\s+and|,)\s+(?:a\s+half|{_NUMW}[\s-]+{_UNIT}))?(?:\s+and\s+a\s+half)?"
_PRISON = re.compile(
    rf"(?P<dur>{_DUR})(?:'s?)?\s+(?:in\s+(?:prison|jail|a\s+penal\s+colony)|of\s+(?:imprisonment|administrative\s+"
    rf"(?:detention|arrest))|(?:prison|jail)\s+(?:term|sentence)|imprisonment)(?P<susp>,?\s+suspended)?"
    rf"|(?:sentenced|sentence[sd]?|reduced|increased|commuted)[^.;]{{0,60}}?\bto\s+(?P<dur2>{_DUR})\b(?!\s+(?:of\s+probation|suspended))"
    rf"|(?P<dur3>{_DUR})\s+(?:suspended\s+(?:prison\s+)?sentence|of\s+probation|probation(?:ary)?\s+sentence)"
    rf"|suspended\s+(?:prison\s+)?sentence\s+of\s+(?P<dur4>{_DUR})"
    rf"|(?P<life>life\s+(?:imprisonment|sentence|in\s+prison)|to\s+life\b)",
    re.I)
_TRAVEL_BAN = re.compile(rf"(?P<dur>{_DUR})\s+(?:travel\s+ban|ban\s+on\s+(?:leaving|travel))|(?:travel\s+ban|ban\s+on\s+leaving\s+the\s+country)\s+(?:of|for)\s+(?P<dur2>{_DUR})", re.I)
_AMOUNT = r"\d{1,3}(?:[,\s]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_MULT = r"(?:\s*(?:million|billion|thousand|m|bn)\b)?"
_CODE_AMOUNT = re.compile(rf"\b(?P<code>[A-Z]{{3}})\s?(?P<amount>{_AMOUNT}){_MULT.replace('(?:', '(?P<mult>', 1)}")
_SYMBOL_AMOUNT = re.compile(rf"(?P<sym>US\$|[$€£¥₹₽₺₸₫₦])\s?(?P<amount>{_AMOUNT})(?P<mult>\s*(?:million|billion|thousand|m|bn)\b)?")
_WORD_AMOUNT = re.compile(
    rf"(?P<amount>{_AMOUNT})(?P<mult>\s*(?:million|billion|thousand)\b)?\s+(?P<demonym>[A-Z][a-z]+(?:\s[A-Z][a-z]+)?\s+)?"
    rf"(?P<word>[a-zA-Zó]+)\b")
_NOT_SANCTION = re.compile(r"(?:bail|surety|sureties|guarantee|deposit|bond|compensation|worth|"
                           r"equivalent|value|salary|budget|fund(?:s|ing)?|cash|found|claimed|subscribers|followers)\W*(?:\w+\W+){0,3}$", re.I)


@dataclass(frozen=True)
class SanctionMention:
    """A sanction (or a travel-ban length, ``kind == "travel"``) stated at ``start:end``."""

    start: int
    end: int
    sanction: Sanction
    kind: str = "sanction"


def duration(phrase: str) -> str | None:
    """ISO 8601 duration of "two years and six months", "18 months", "15-day"... or None."""
    years = months = weeks = days = 0.0
    for num, unit in re.findall(rf"({_NUMW}|a\s+half)[\s-]+({_UNIT})", phrase, re.I):
        n = _number(num)
        if n is None:
            return None
        unit = unit.lower()
        if unit.startswith("year"):
            years += n
        elif unit.startswith("month"):
            months += n
        elif unit.startswith("week"):
            weeks += n
        else:
            days += n
    if re.search(r"and\s+a\s+half", phrase, re.I):
        if days:
            days += 0.5
        elif weeks:
            weeks += 0.5
        elif months:
            days += 15
        else:
            months += 6
    if years != int(years):
        months += round((years - int(years)) * 12)
        years = int(years)
    parts = [(years, "Y"), (months, "M"), (weeks, "W"), (days, "D")]
    out = "".join(f"{int(v) if v == int(v) else v}{u}" for v, u in parts if v)
    return f"P{out}" if out else None


def _number(word: str) -> float | None:
    word = word.lower().strip()
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    return NUMBER_WORDS.get(word)


@lru_cache(maxsize=1)
def _iso_currencies() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


def money(amount: str, mult: str | None) -> str | None:
    """A decimal string for "78,000", "3.3" + "million"."""
    try:
        value = Decimal(re.sub(r"[,\s]", "", amount))
    except InvalidOperation:
        return None
    if mult:
        value *= MULTIPLIERS[mult.strip().lower()]
    value = value.normalize()
    return format(value, "f")


def _currency_word(word: str, demonym: str | None, country: str | None) -> str | None:
    word = word.lower()
    if word not in CURRENCY_WORDS:
        return None
    code = CURRENCY_WORDS[word]
    if demonym:
        demo_country = CURRENCY_DEMONYMS.get(demonym.strip())
        if demo_country and (code is None or word in ("som", "soms", "sum", "soum", "soums", "lira", "dinars")):
            code = COUNTRY_CURRENCY.get(demo_country, code)
    if code is None and country:
        code = COUNTRY_CURRENCY.get(country)
    return code


def find_sanctions(text: str, start: int, end: int, *, country: str | None) -> list[SanctionMention]:
    """Sanctions stated in ``text[start:end]`` (a sentence), in order."""
    out: list[SanctionMention] = []
    lower = text[start:end].lower()
    prison = any(k in lower for k in ("year", "month", "week", "day", "life"))
    for m in (_finditer(_PRISON, text, start, end, lower) if prison else ()):
        if m.group("life"):
            out.append(SanctionMention(m.start(), m.end(), Sanction("Imprisonment")))
            continue
        dur = m.group("dur") or m.group("dur2") or m.group("dur3") or m.group("dur4")
        value = duration(dur) if dur else None
        if value is None:
            continue
        before = text[max(start, m.start() - 40):m.start()].lower()
        if re.search(r"(?:up to|faces?|facing|carries|requested|served|serving|spent|after|for)\s+(?:\w+\s+)?$", before):
            continue
        susp = bool(m.group("susp") or m.group("dur3") or m.group("dur4")
                    or re.match(r"[^.;]{0,25}?,?\s+suspended\b", text[m.end():end]))
        stype = "SuspendedSentence" if susp else "Imprisonment"
        where = m.start("dur2") if m.group("dur2") else m.start()  # the term, not "sentenced ... to"
        out.append(SanctionMention(where, m.end(), Sanction(stype, duration=value)))
    for m in (_finditer(_TRAVEL_BAN, text, start, end, lower) if "ban" in lower else ()):
        value = duration(m.group("dur") or m.group("dur2"))
        if value:
            out.append(SanctionMention(m.start(), m.end(), Sanction("OtherSanction", duration=value), "travel"))
    if any(k in lower for k in ("fine", "pay", "penalt")):
        out.extend(_fines(text, start, end, country))
    out.sort(key=lambda s: s.start)
    return out


#: _PRISON and _TRAVEL_BAN without re.I, for lower-cased text (their
#: patterns hold no capital letter and no assertion before a match's start,
#: so a sentence cut out of the text matches as it does in place).
_CASED = {_PRISON: cased(_PRISON), _TRAVEL_BAN: cased(_TRAVEL_BAN)}


def _finditer(rx: re.Pattern, text: str, start: int, end: int, lower: str):
    """``rx.finditer(text, start, end)``, run on ``lower`` (``text[start:end].lower()``)
    when that gives the same matches (see :func:`~graph.extract.text.lower_aligned`):
    these are the costliest patterns of a sentence."""
    if lower_aligned(text[start:end], lower) is None:
        yield from rx.finditer(text, start, end)
        return
    for m in _CASED[rx].finditer(lower):
        yield _Shifted(m, text, start)


class _Shifted:
    """A match found in ``text[offset:].lower()``, read back from ``text``."""

    __slots__ = ("_match", "_text", "_offset")

    def __init__(self, match: re.Match, text: str, offset: int) -> None:
        self._match, self._text, self._offset = match, text, offset

    def start(self, group: int | str = 0) -> int:
        pos = self._match.start(group)
        return pos + self._offset if pos >= 0 else pos

    def end(self, group: int | str = 0) -> int:
        pos = self._match.end(group)
        return pos + self._offset if pos >= 0 else pos

    def group(self, group: int | str = 0) -> str | None:
        s, e = self._match.span(group)
        return self._text[s + self._offset:e + self._offset] if s >= 0 else None


def _fines(text: str, start: int, end: int, country: str | None) -> list[SanctionMention]:
    out = []
    found: list[tuple[int, int, str, str]] = []
    for m in _CODE_AMOUNT.finditer(text, start, end):
        if m.group("code") in _iso_currencies():
            found.append((m.start(), m.end(), money(m.group("amount"), m.group("mult")), m.group("code")))
    for m in _SYMBOL_AMOUNT.finditer(text, start, end):
        found.append((m.start(), m.end(), money(m.group("amount"), m.group("mult")), CURRENCY_SYMBOLS[m.group("sym")]))
    for m in _WORD_AMOUNT.finditer(text, start, end):
        code = _currency_word(m.group("word"), m.group("demonym"), country)
        if code:
            found.append((m.start(), m.end(), money(m.group("amount"), m.group("mult")), code))
    for s, e, amount, code in sorted(found):
        if amount is None or any(o.start <= s < o.end for o in out):
            continue
        before = text[max(start, s - 50):s]
        if _inside_brackets(text, start, s) or _NOT_SANCTION.search(before):
            continue
        if not re.search(r"\bfine[ds]?\b|\bpay\b|\bpenalty\b", text[max(start, s - 80):s], re.I):
            continue
        out.append(SanctionMention(s, e, Sanction("Fine", amount=amount, currency=code)))
    return out


def _inside_brackets(text: str, start: int, pos: int) -> bool:
    chunk = text[start:pos]
    return chunk.count("(") > chunk.count(")")
