"""Statement metadata: title, date of issue, publisher and main country.

* Title: the line matching the reader's title hint (HTML ``<title>``, PDF
  metadata), else the first "Country: headline" line, else the first
  headline-like line before the narrative.
* Issued: a labelled date ("Date: 2 July 2024"), a dateline ("Paris-Geneva,
  July 3, 2024", "GENEVA (3 October 2024)") or a line holding only a date,
  before falling back on the first full date of the letterhead.
* Publisher: a well-known publisher or an organisation that speaks in the
  statement ("X urges", "X condemns", "said X"), weighted by where it appears.
* Country: the country named before the title's colon, else the one named
  most often (names and demonyms from ISO 3166 via pycountry).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache

import pycountry

from graph.extract.dates import find_dates
from graph.extract.lexicon import PUBLISHERS

__all__ = ["Metadata", "find_title", "find_metadata", "country_names", "country_code"]


@dataclass(frozen=True)
class Metadata:
    title: tuple[int, int] | None
    issued: str | None
    publisher: str | None
    publisher_spans: tuple[tuple[int, int], ...]
    country: str | None


# ------------------------------------------------------------------- countries

_EXTRA_NAMES = {
    "Russia": "RU", "Iran": "IR", "Vietnam": "VN", "Viet Nam": "VN", "Turkey": "TR", "Türkiye": "TR",
    "Syria": "SY", "Bolivia": "BO", "Venezuela": "VE", "Tanzania": "TZ", "Moldova": "MD", "Laos": "LA",
    "South Korea": "KR", "North Korea": "KP", "Palestine": "PS", "Taiwan": "TW", "UAE": "AE",
    "United Arab Emirates": "AE", "UK": "GB", "United Kingdom": "GB", "USA": "US", "United States": "US",
    "Democratic Republic of the Congo": "CD", "DRC": "CD", "Côte d'Ivoire": "CI", "Ivory Coast": "CI",
    "Czech Republic": "CZ", "Kosovo": "XK", "Eswatini": "SZ", "Brunei": "BN", "Burma": "MM",
    "Kyrgyzstan": "KG", "Macedonia": "MK", "North Macedonia": "MK", "Cape Verde": "CV",
    "Hong Kong": "HK", "Micronesia": "FM", "Vatican": "VA", "Gambia": "GM", "The Gambia": "GM",
    "Saudi Arabia": "SA", "Bahrain": "BH", "Sri Lanka": "LK", "Belarus": "BY",
}
_DEMONYMS = {
    "Kazakh": "KZ", "Kazakhstani": "KZ", "Kyrgyz": "KG", "Tajik": "TJ", "Uzbek": "UZ", "Turkmen": "TM",
    "Russian": "RU", "Belarusian": "BY", "Ukrainian": "UA", "Georgian": "GE", "Armenian": "AM",
    "Azerbaijani": "AZ", "Turkish": "TR", "Iranian": "IR", "Iraqi": "IQ", "Syrian": "SY", "Egyptian": "EG",
    "Saudi": "SA", "Emirati": "AE", "Bahraini": "BH", "Qatari": "QA", "Kuwaiti": "KW", "Omani": "OM",
    "Yemeni": "YE", "Jordanian": "JO", "Lebanese": "LB", "Palestinian": "PS", "Israeli": "IL",
    "Algerian": "DZ", "Moroccan": "MA", "Tunisian": "TN", "Libyan": "LY", "Sudanese": "SD",
    "Ethiopian": "ET", "Eritrean": "ER", "Kenyan": "KE", "Ugandan": "UG", "Tanzanian": "TZ",
    "Rwandan": "RW", "Burundian": "BI", "Congolese": "CD", "Nigerian": "NG", "Cameroonian": "CM",
    "Zimbabwean": "ZW", "Zambian": "ZM", "South African": "ZA", "Indian": "IN", "Pakistani": "PK",
    "Bangladeshi": "BD", "Sri Lankan": "LK", "Nepali": "NP", "Afghan": "AF", "Chinese": "CN",
    "Vietnamese": "VN", "Cambodian": "KH", "Thai": "TH", "Lao": "LA", "Burmese": "MM",
    "Malaysian": "MY", "Indonesian": "ID", "Filipino": "PH", "Philippine": "PH", "Mexican": "MX",
    "Guatemalan": "GT", "Honduran": "HN", "Salvadoran": "SV", "Nicaraguan": "NI", "Colombian": "CO",
    "Venezuelan": "VE", "Brazilian": "BR", "Peruvian": "PE", "Bolivian": "BO", "Ecuadorian": "EC",
    "Cuban": "CU", "Kashmiri": "IN", "Baloch": "PK", "Pamiri": "TJ",
}


@lru_cache(maxsize=1)
def country_names() -> dict[str, str]:
    """Country names (official, common and a few customary short ones) -> alpha-2."""
    names: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(c, attr, None)
            if value and "," not in value:
                names[value] = c.alpha_2
    names.update(_EXTRA_NAMES)
    return names


@lru_cache(maxsize=1)
def _country_rx() -> re.Pattern:
    words = sorted(list(country_names()) + list(_DEMONYMS), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")


def country_code(word: str) -> str | None:
    """Alpha-2 code of a country name or demonym, or None."""
    return country_names().get(word) or _DEMONYMS.get(word)


# ----------------------------------------------------------------------- title

def _site_suffix(title: str) -> tuple[str, str | None]:
    m = re.match(r"(?P<t>.+?)\s+(?:\||–|—|-)\s+(?P<site>[^|–—]{2,60})$", title)
    if m and len(m.group("t")) > 20:
        return m.group("t").strip(), m.group("site").strip()
    return title.strip(), None


def find_title(text: str, hint: str | None) -> tuple[int, int] | None:
    """Span of the statement's title line."""
    lines = [(m.start(), m.end(), m.group()) for m in re.finditer(r"[^\n]+", text)]
    if hint:
        want, _ = _site_suffix(hint)
        best = None
        key = re.sub(r"\W+", "", want.lower())[:12]
        for i, (s, _, _) in enumerate(lines[:80]):
            if key not in re.sub(r"\W+", "", text[s:lines[min(i + 2, len(lines) - 1)][1]].lower()):
                continue  # a cheap test before the costly ratio
            for j in range(i, min(i + 3, len(lines))):  # PDF titles wrap over lines
                e = lines[j][1]
                clean = re.sub(r"\s+", " ", text[s:e]).strip(" #*_")
                if abs(len(clean) - len(want)) >= 80:
                    continue
                ratio = _ratio_above(clean[:300], want[:300], max(0.85, best[0]) if best else 0.85)
                if ratio is not None:
                    best = (ratio, s, e)
        if best:
            return _strip_span(text, best[1], best[2])
    rx = _country_rx()
    for s, e, line in lines[:60]:
        clean = line.strip(" #*_")
        m = re.match(r"(?:UPDATE:\s*)?(?P<c>[A-Z][\w' ]+?):\s+\S", clean)
        if m and country_code(m.group("c").strip()) and len(clean.split()) >= 4:
            return _strip_span(text, s, e)
    for s, e, line in lines[:40]:
        clean = line.strip(" #*_")
        words = clean.split()
        if (6 <= len(words) <= 35 and not clean.endswith(".") and not clean.isupper()
                and "|" not in clean and "@" not in clean and not rx.fullmatch(clean)
                and not re.search(r"\b(?:Office|Floor|Road|Avenue)\b.*\d", clean)):
            return _strip_span(text, s, e)
    return None


def _ratio_above(a: str, b: str, floor: float) -> float | None:
    """SequenceMatcher's ratio of ``a`` and ``b`` when it is above ``floor``, else None.

    The ratio is costly; its cheap upper bounds (lengths, then character counts)
    rule out most candidate lines first without changing which one wins.
    """
    matcher = SequenceMatcher(None, a, b)
    if matcher.real_quick_ratio() <= floor or matcher.quick_ratio() <= floor:
        return None
    ratio = matcher.ratio()
    return ratio if ratio > floor else None


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in " #*_>":
        s += 1
    while e > s and text[e - 1] in " *_":
        e -= 1
    return s, e


# ---------------------------------------------------------------------- issued

_DATELINE = re.compile(r"^\W*(?:[A-Z][\w'’\-]+(?:[ \-–][A-Z][\w'’\-]+)*(?:\s*[-–]\s*[A-Z][\w'’\-]+(?:\s[A-Z][\w'’\-]+)*)*)"
                       r"(?:,\s*|\s*\()", re.M)


def find_issued(text: str, title: tuple[int, int] | None, dates=None) -> str | None:
    """Publication date as ``YYYY-MM-DD`` (``dates``: the text's date mentions, if already found)."""
    head_end = title[1] if title else 0
    first_para = re.search(r"[^\n]{200,}", text)
    head_limit = max(head_end, first_para.start() if first_para else len(text))
    candidates: list[tuple[int, str]] = []
    for d in (dates if dates is not None else find_dates(text)):
        if d.kind != "day" or not d.year:
            continue
        iso = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        line_start = text.rfind("\n", 0, d.start) + 1
        line_end = text.find("\n", d.end)
        line = text[line_start:line_end if line_end >= 0 else len(text)]
        before = text[line_start:d.start]
        score = 0
        if (re.search(r"\bDate\s*:\W*$", before) or re.match(r"\W*(?:Published|Issued|Dated)\b\W*$", before)) \
                and not re.search(r"until|deadline", before, re.I):
            score = 5
        elif re.fullmatch(r"\W*(?:Published\s+)?\W*", before) and len(line.strip(" *_")) <= len(d.phrase) + 20:
            score = 4  # a line that holds only the date (possibly with a time)
        elif _DATELINE.match(before) and re.search(r"(?:,|\()\s*$", before) and len(before) < 60:
            score = 4
        elif d.start < head_limit and not re.search(r"until|deadline", line, re.I):
            score = 2
        if score:
            candidates.append((score * 100000 - d.start, iso))
    if not candidates:
        return None
    return max(candidates)[1]


# ------------------------------------------------------------------- publisher

_SPEAKS = re.compile(
    r"^\W{0,3}(?:\([A-Z\-]+\)\s*)?(?:and its members\s+)?(?:is|are|has|have|was)?\s*(?:deeply\s+|seriously\s+|particularly\s+|also\s+|further\s+|strongly\s+)?"
    r"(?:urges?|calls?|condemns?|welcomes?|denounces?|recalls?|reiterates?|expresses|believes|requests?"
    r"|concerned|informed|said|says|documented|reviewed|first issued|continues)\b", re.I)


def find_publisher(text: str, title: tuple[int, int] | None, hint: str | None,
                   org_names: list[tuple[str, list[tuple[int, int]]]]) -> tuple[str | None, list[tuple[int, int]]]:
    """Canonical name of the publisher and where the text names it."""
    scores: dict[str, float] = {}
    where: dict[str, list[tuple[int, int]]] = {}
    title_start = title[0] if title else 0
    _, site = _site_suffix(hint) if hint else (None, None)

    def add(name: str, start: int, end: int, weight: float) -> None:
        scores[name] = scores.get(name, 0.0) + weight
        where.setdefault(name, []).append((start, end))

    rx, owner = _publisher_rx()
    for m in rx.finditer(text):
        canonical = owner[m.group()]
        add(canonical, m.start(), m.end(), _weight(text, m.start(), m.end(), title_start))
    for canonical, aliases in PUBLISHERS.items():
        if site and any(site.lower() == a.lower() for a in aliases):
            scores[canonical] = scores.get(canonical, 0.0) + 4
    for name, spans in org_names:
        if any(name == c or name in a for c, a in PUBLISHERS.items()):
            continue
        for s, e in spans:
            w = _weight(text, s, e, title_start)
            if w >= 3:
                add(name, s, e, w)
    index = _AMNESTY_INDEX.search(text)
    if index:  # Amnesty's document numbering ("UA: 58/24 Index: MDE 12/8012/2024")
        add("Amnesty International", index.start(), index.end(), 5.0)
    for name, start, end, weight in _speaking_subjects(text):
        known = next((c for c, a in PUBLISHERS.items() if name == c or name in a), None)
        if known is None and any(_same_org(name, n) for n, _ in org_names):
            name = next(n for n, _ in org_names if _same_org(name, n))
        add(known or name, start, end, weight)
    if not scores:
        return None, []
    best = max(scores, key=lambda n: scores[n])
    return best, where.get(best, [])


#: An organisation that speaks for itself in a statement: "LICADHO calls on the
#: authorities", "The Center for X (CX) denounces", "Issued by X on behalf of".
#: Its name is an acronym, a single CamelCase word or capitalised words with
#: an organisation noun; the name wins over its acronym when the text spells
#: both ("Center for Justice and International Law (CEJIL)").
_ORG_NOUN = (r"Cent(?:re|er)|Institute|League|Defenders|Watch|International|Alliance|Network|Project|Committee"
             r"|Coalition|Association|Foundation|Forum|Council|Union|Federation|Society|Alert|Initiative|Observatory"
             r"|Commission|Group|Movement|Collective|Platform|Clinic|Trust")
_CAP = r"[A-Z][\w’'\-]*"
_SPEAKER_ORG = re.compile(
    r"(?:(?<=[\n.!?*>])|^)[ \t*_\-–]*(?:The\s+|the\s+)?(?P<name>" + _CAP + r"(?:(?:\s+(?:for|of|and|the|on|in|to|de)){0,2}\s+"
    + _CAP + r"){0,9})(?:\s*\((?P<acr>[A-Z][A-Za-z\-]{1,12})\))?\s+(?:(?:strongly|also|firmly|further|therefore)\s+)?"
    r"(?P<verb>calls on|calls upon|urges|condemns|denounces|welcomes|regrets|deplores|demands)\b", re.M)
_SPEAKER_ORG_END = re.compile(_SPEAKER_ORG.pattern + r"\Z", _SPEAKER_ORG.flags)  # ends where the verb does
_SPEAKING_VERB = re.compile(r"\b(?:calls on|calls upon|urges|condemns|denounces|welcomes|regrets|deplores|demands)\b")
_ISSUED_BY = re.compile(r"\b(?:Issued|Published|Released|Coordinated)\s+by\s+(?:the\s+)?(?P<name>" + _CAP
                        + r"(?:(?:\s+(?:for|of|and|the|on|in|to|de)){0,2}\s+" + _CAP + r"){0,9})")


_AMNESTY_INDEX = re.compile(r"\bIndex(?: Number)?:\s*(?:AI Index:\s*)?[A-Z]{3}\s\d{2}/\d{3,5}/\d{4}\b")


def _org_like(name: str) -> bool:
    return bool(re.fullmatch(r"[A-Z][A-Z\-]{2,11}", name) or re.fullmatch(r"(?:[A-Z][a-z]+){2,3}", name)
                or re.search(rf"\b(?:{_ORG_NOUN})\b", name))


def _speaking_subjects(text: str):
    """(name, start, end, weight) for organisations that speak in the text."""
    found = []
    for v in _SPEAKING_VERB.finditer(text):  # the verb first: the name pattern only runs where it may end
        lo = max(0, v.start() - 160)
        m = _SPEAKER_ORG_END.search(text, lo, v.end())
        if m is None:
            continue
        name = m.group("name")
        if not _org_like(name) or country_code(name):
            continue
        found.append((name, m.start("name"), m.end("name"), 4.0))
        if m.group("acr"):
            found.append((name, m.start("acr"), m.end("acr"), 0.5))
    for m in _ISSUED_BY.finditer(text):
        if _org_like(m.group("name")):
            found.append((m.group("name"), m.start("name"), m.end("name"), 8.0))
    # an acronym counts for the name the text spells it out with
    expansions = {}
    for name, *_ in found:
        if re.fullmatch(r"[A-Z][A-Z\-]{2,11}", name):
            ex = re.search(r"(?P<long>" + _CAP + r"(?:(?:\s+(?:for|of|and|the|on|in|to|de)){0,2}[\s\-–]+" + _CAP
                           + r"){1,9})\s*\(" + re.escape(name) + r"\)", text)
            if ex:
                expansions[name] = re.sub(r"^(?:The|THE)\s+", "", ex.group("long"))
    return [(expansions.get(n, n), s, e, w) for n, s, e, w in found]


def _same_org(a: str, b: str) -> bool:
    na, nb = (re.sub(r"\W+", " ", x.lower()).strip().removeprefix("the ") for x in (a, b))
    return na == nb


@lru_cache(maxsize=1)
def _publisher_rx() -> tuple[re.Pattern, dict[str, str]]:
    """One pattern for every alias of every known publisher (longest first)."""
    owner = {alias: canonical for canonical, aliases in PUBLISHERS.items() for alias in aliases}
    alts = "|".join(re.escape(a) for a in sorted(owner, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{alts})(?![\w-])"), owner


def _weight(text: str, start: int, end: int, title_start: int) -> float:
    after = text[end:end + 80]
    before = text[max(0, start - 30):start]
    weight = 1.0
    if _SPEAKS.match(after) or re.search(r"\bsaid\s*,?\s*$|\bsaid\s+(?:today\s+)?$", before):
        weight += 4
    if re.search(r"(?:researcher|manager|director|spokesperson|programme|officer)\s+(?:at|with)\s+(?:the\s+)?$", before):
        weight += 2  # its own staff speaking
    if start < title_start:
        weight += 2
    if re.search(r"(?:the undersigned members of|a partnership of|created in \d{4} by)\s+(?:the\s+)?$",
                 text[max(0, start - 40):start], re.I):
        weight -= 0.5 if "partnership" in text[max(0, start - 40):start] or "created" in text[max(0, start - 40):start] else -2
    return weight


# --------------------------------------------------------------------- country

def find_country(text: str, title: tuple[int, int] | None, spans: list[tuple[int, int]]) -> str | None:
    """Alpha-2 code of the statement's main country."""
    if title:
        line = text[title[0]:title[1]]
        m = re.match(r"(?:UPDATE:\s*)?(?P<c>[A-Z][\w' ]+?):", line)
        if m and country_code(m.group("c").strip()):
            return country_code(m.group("c").strip())
    counts: dict[str, float] = {}
    rx = _country_rx()
    for s, e in spans:
        for m in rx.finditer(text, s, e):
            code = country_code(m.group(1))
            if code:
                weight = 3.0 if title and title[0] <= m.start() < title[1] else 1.0
                counts[code] = counts.get(code, 0.0) + weight
    if not counts:
        return None
    return max(counts, key=lambda c: counts[c])


def find_metadata(text: str, hint: str | None, readable: list[tuple[int, int]],
                  org_names: list[tuple[str, list[tuple[int, int]]]],
                  title: tuple[int, int] | None, dates=None) -> Metadata:
    """All statement metadata at once (the title span is found first by :func:`find_title`)."""
    issued = find_issued(text, title, dates)
    publisher, spans = find_publisher(text, title, hint, org_names)
    country = find_country(text, title, readable)
    return Metadata(title, issued, publisher, tuple(spans), country)
