"""Organisations, state authorities and courts.

Names are runs of capitalised words joined by the small words that names
use ("of", "for", "the", "and", "on", "against"), recognised by their head
word ("Court", "Ministry", "Police Department", "Association", "Network"...),
by a cue in front of them ("officers of the X", "a judge of the X", "the
human rights initiative X", "co-founder of X") or by a company suffix.
An acronym given in brackets after a name ("(GKNB)", "(Ministerio
Público, MP)") becomes an alias, and later bare uses of it are mentions.
A shorter later mention ("the High Court") joins the entity it is part of
("High Court of Zimbabwe").  Courts get a city when the text places them
there ("... Court in Almaty", "... Court of Brest", "based in Cobán") or
when their name starts with a city ("Tbilisi City Court").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.lexicon import (AUTHORITY_HEADS, COMPANY_SUFFIXES, COURT_HEADS, NGO_HEADS,
                                   STATE_WORDS)
from graph.extract.spans import SpanIndex

__all__ = ["OrgEntity", "OrgMention", "find_organisations", "tokens"]

_MONTHS = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_WORD = rf"(?!{_MONTHS})(?:[A-Z\u00C0-\u00DE\u0100-\u024F\u1E00-\u1EFF][\w'’\-.]*[\w'’]|[A-Z\u00C0-\u00DE](?=\W)|\d+(?:st|nd|rd|th)|No\.\s?\d+|(?!(?:19|20)\d\d\b)\d+(?![./:]\d))"
_CONN = r"(?:of|for|the|and|on|against|de|del|la|el|des|du|y|en|to)"
_NAME = re.compile(rf"{_WORD}(?:(?:\s+|,\s+(?=(?:[A-Z][\w\-]+\s+)+and\s+[A-Z]))(?:{_CONN}\s+)*{_WORD})*")
_ACRONYM_AFTER = re.compile(r"\s*\((?:(?P<native>[^()]{3,80}?),\s*)?(?P<acr>[A-Z][A-Za-z\-]*[A-Z](?:-[A-Za-z]+)?|[A-Z][a-z]+-[A-Z][a-z]+)\)")
_NATIVE_AFTER = re.compile(r"\s*\((?:\*|_)?(?P<native>[A-Z][^()]{5,80}?)(?:\*|_)?\)")
_LOWER_HEAD = re.compile(r"\s+(?P<head>court|police|district administration|regional administration|prison)\b")
_CUE_BEFORE = re.compile(
    r"(?:officers|agents|officials|personnel|members|staff|investigators|guards|representatives)"
    r"\s+(?:from|of)\s+(?:the\s+)?$|(?:judges?|magistrate|chamber|branch)\s+of\s+(?:the\s+)?$"
    r"|(?:organi[sz]ation|initiative|platform|group|network|collective|youth-led group|association"
    r"|company|foundation|movement)\s+$"
    r"|(?:co-?founder|founder|founding member|member|members|coordinator|director|president"
    r"|secretary|convenor|chairperson|leader|head|spokesperson)\s+of\s+(?:the\s+)?$"
    r"|\b(?:leads|heads|runs)\s+(?:the\s+)?$|\bthrough\s+the\s+$", re.I)
_COURT_CUE = re.compile(r"(?:judges?|magistrate)\s+of\s+(?:the\s+)?$", re.I)
_STOP_START = {"The", "On", "In", "At", "A", "An", "Since", "After", "Before", "During", "From",
               "Her", "His", "Their", "Its", "This", "That", "Both", "Officers", "Agents", "Police",
               "Under", "According", "While", "When", "Two", "Three", "As", "By", "And", "Of", "For",
               "UN", "Mr", "Ms", "Mrs", "Dr", "Tags", "Topic", "Region", "Country", "Please", "To"}
_NOT_ORG = re.compile(r"\b(?:Airport|Avenue|Road|Street|Square|Award|Day|Review|Pipeline|Highway"
                      r"|Sanctuary|Valley|Province|Region|Department of [A-Z][a-z]+ \d|Act|Code"
                      r"|Law|Decree|Ordinance|Covenant)$")
_CITY_TAIL = re.compile(r"(?:,?\s+(?:in|of|based in|sitting in)\s+)(?P<city>(?:[A-Z][\w'’\-]+)(?:\s+(?:[A-Z][\w'’\-]+|de|del))*)")


@dataclass
class OrgEntity:
    """An organisation, state authority or court named in the text."""

    name: str
    kind: str  # "Organisation", "StateAuthority" or "Court"
    aliases: set[str] = field(default_factory=set)
    city: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)

    def tokens(self) -> set[str]:
        return tokens(self.name)


@dataclass(frozen=True)
class OrgMention:
    """A mention of entity number ``entity`` (an index into the entity list)."""

    start: int
    end: int
    entity: int


_STOP_TOKENS = {"of", "the", "for", "and", "on", "in", "de", "del", "la", "el", "to"}


def tokens(name: str) -> set[str]:
    """Normalised content words of a name (for subset matching)."""
    words = re.findall(r"[\w]+", name.lower().replace("’", "'"))
    return {w for w in words if w not in _STOP_TOKENS and w != "s"}


_ALL_HEADS = frozenset(w for h in COURT_HEADS + AUTHORITY_HEADS + NGO_HEADS for w in h.split()) | {
    "Lawyers", "Youth", "Rights", "Chamber", "Branch", "S.A.", "C.V.", "Ltd", "LLC", "Inc.", "GmbH", "PLC", "JSC"}
_CUE_WORDS = ("officer", "agent", "official", "personnel", "member", "staff", "investigator", "guard",
              "representative", "judge", "magistrate", "chamber", "branch", "organi", "initiative", "platform",
              "group", "network", "collective", "association", "company", "foundation", "movement", "founder",
              "coordinator", "director", "president", "secretary", "convenor", "chairperson", "leader", "head",
              "spokesperson", "leads", "runs", "through")

_COMPANY_SUFFIXES = tuple(COMPANY_SUFFIXES)  # str.endswith takes a tuple
#: Any cue word as a substring (one pattern is twice as fast as a loop of ``in`` tests).
_CUE_WORD_RX = re.compile("|".join(re.escape(k) for k in _CUE_WORDS))


def _head_kind(name: str, before: str) -> str | None:
    """Court, StateAuthority, Organisation or None, from the name's head word and cue."""
    if not _ALL_HEADS.intersection(name.split()):
        low = before[-45:].lower()
        if not _CUE_WORD_RX.search(low):
            return None  # most capitalised runs: no head word and no cue
    first_segment = re.split(r"\s+(?:of|for|on|against|to)\s+", name)[0]
    seg_words = first_segment.split()
    if re.search(r"\b(?:Court|Courts|Tribunal|Judgeship)\b", first_segment) or (
            re.search(r"\b(?:Chamber|Branch)\b", first_segment) and re.search(r"\bCourt\b", name)):
        return "Court"
    if _COURT_CUE.search(before) and re.search(r"\b(?:Court|Tribunal|Centre|Center|Judgeship)\b", name):
        return "Court"
    if first_segment.endswith(_COMPANY_SUFFIXES) or name.endswith(_COMPANY_SUFFIXES):
        return "Organisation"
    last = seg_words[-1] if seg_words else ""
    last2 = " ".join(seg_words[-2:])
    if last in AUTHORITY_HEADS or last2 in AUTHORITY_HEADS or first_segment in ("Attorney General", "Prosecutor General"):
        words = set(re.findall(r"[\w'’\-]+", name))
        if words & STATE_WORDS or last in ("Police", "Prosecution", "Procuratorate", "Gendarmerie", "Ministry",
                                          "Magistrate", "Presidency", "Apparatus", "Prison", "Jail"):
            return "StateAuthority"
        if last in NGO_HEADS:
            return "Organisation"
        return "StateAuthority" if _CUE_BEFORE.search(before) and re.search(r"officers|agents|officials", before, re.I) else None
    if last in NGO_HEADS or last2 in NGO_HEADS or last in ("Lawyers", "Youth", "Rights"):
        return "Organisation"
    if _CUE_BEFORE.search(before):
        if re.search(r"(?:officers|agents|officials|personnel|guards)\s+(?:from|of)", before, re.I):
            return "StateAuthority"
        return "Organisation"
    return None


def find_organisations(text: str, spans: list[tuple[int, int]], *, exclude: list[tuple[int, int]] = ()
                       ) -> tuple[list[OrgEntity], list[OrgMention]]:
    """Entities and their mentions inside the readable ``spans`` of ``text``.

    ``exclude`` are spans already taken by other kinds of facts (laws).
    """
    entities: list[OrgEntity] = []
    mentions: list[OrgMention] = []
    by_acronym: dict[str, int] = {}
    excluded = SpanIndex(exclude)
    for s_start, s_end in spans:
        for m in _NAME.finditer(text, s_start, s_end):
            name, start = _clean(m.group(), m.start())
            if not name or excluded.holds(start):
                continue
            end = start + len(name)
            before = text[max(s_start, start - 60):start]
            lower = _LOWER_HEAD.match(text, end)
            if lower and not _is_country(name) and _head_kind(name, "") is None:
                name, end = text[start:lower.end()], lower.end()
                kind = "Court" if lower.group("head") == "court" else "StateAuthority"
            else:
                kind = _head_kind(name, before)
            if kind is None or len(name) < 4 or _NOT_ORG.search(name) or _is_country(name):
                continue
            if len(name.split()) < 2 and (not _CUE_BEFORE.search(before) or name in NGO_HEADS
                                          or name in AUTHORITY_HEADS or name.isupper()):
                continue
            idx = _find_or_add(entities, name, kind, text, end, s_end)
            ent = entities[idx]
            ent.spans.append((start, end))
            mentions.append(OrgMention(start, end, idx))
            acr = _ACRONYM_AFTER.match(text, end, s_end)
            if acr:
                ent.aliases.add(acr.group("acr"))
                if acr.group("native"):
                    ent.aliases.add(acr.group("native").strip("*_ "))
                by_acronym[acr.group("acr")] = idx
            else:
                native = _NATIVE_AFTER.match(text, end, s_end)
                if native and not re.search(r"\d", native.group("native")):
                    ent.aliases.add(native.group("native"))
    _acronym_mentions(text, spans, by_acronym, mentions, entities)
    mentions.sort(key=lambda x: x.start)
    return entities, mentions


def _is_country(name: str) -> bool:
    from graph.extract.metadata import country_code
    return country_code(name) is not None or country_code(name.removeprefix("the ")) is not None


def _clean(name: str, start: int) -> tuple[str, int]:
    """Drop sentence-initial words, possessives and dangling connectors from a name."""
    words = name.split(" ")
    while words and (words[0] in _STOP_START or words[0].lower() in _STOP_TOKENS):
        start += len(words[0]) + 1
        words = words[1:]
    name = _POSSESSIVE_END.sub("", " ".join(words))
    while True:
        new = _DANGLING_END.sub("", name)
        if new == name:
            break
        name = new
    return name, start


_POSSESSIVE_END = re.compile(r"(?:['’]s)$")
_DANGLING_END = re.compile(rf"(?:\s+{_CONN}|,)$")


def _find_or_add(entities: list[OrgEntity], name: str, kind: str, text: str, end: int, limit: int) -> int:
    """Index of the entity ``name`` refers to, adding a new one when none fits."""
    toks = tokens(name)
    city = _city(name, text, end, limit) if kind == "Court" else None
    for i in range(len(entities) - 1, -1, -1):
        if name in entities[i].aliases:
            return i
    for i in range(len(entities) - 1, -1, -1):
        ent = entities[i]
        if ent.kind != kind and not (kind != "Court" and ent.kind != "Court"):
            continue
        et = ent.tokens()
        if toks == et or (toks < et and len(toks) >= 1):
            if city and not ent.city:
                ent.city = city
            return i
        if et < toks and (kind != "Court" or name.startswith(ent.name)) and not re.search(
                r"\b(?:Chamber|Branch|Department|Office|Directorate)\b", name):
            ent.name = name  # the fuller name wins
            return i
    entities.append(OrgEntity(name, kind, city=city))
    return len(entities) - 1


#: Capitalised words that open court names without being a place.
_NOT_CITY_LEADS = {"Lower", "Upper", "Higher", "Appellate", "Civil", "Juvenile", "Family", "Magistrates",
                   "Magistrate's", "Misdemeanour", "Misdemeanor", "Peace", "First", "Second", "Third", "Court",
                   "Primary", "Basic", "Municipal", "Court's", "Anti-Terrorism", "Terrorism", "Labour", "Commercial"}


def _city(name: str, text: str, end: int, limit: int) -> str | None:
    """The city a court sits in, when the text says so."""
    tail = _CITY_TAIL.match(text, end, limit)
    if tail:
        city = tail.group("city")
        if not re.search(r"\b(?:State|Province|Region|District|Republic|Kingdom)\b", city):
            return re.sub(r"\s+(?:on|and)$", "", city)
    m = re.search(r"\b(?:of|in)\s+(?P<city>[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+)?)$", name)
    if m and not re.search(r"(?:Appeals?|Instance|Peace|Justice|Cassation|Rights|Human|Review|Auditors|Arbitration"
                           r"|Cases|Matters|Crimes)\b", m.group("city")) and not _is_country(m.group("city")):
        city = m.group("city")
        if not re.search(r"\b(?:State|Province|Region|District|Republic)\b", city):
            return re.sub(r"\s+Province$", "", city)
    lead = re.match(r"(?P<city>[A-Z][\w'’\-]+)\s+(?P<next>[\w'’]+)", name)
    two = re.match(r"(?P<city>[A-Z][a-z][\w'’\-]+\s+[A-Z][a-z][\w'’\-]+)\s+(?P<next>City|Municipal|Province|Provincial)\s+Court\b", name)
    if two and not _is_country(two.group("city")) and not re.search(
            r"\b(?:Court|Supreme|High|Criminal|Regional|District|Appeal|Special|Military|National)\b", two.group("city")):
        return two.group("city")
    if lead and re.fullmatch(r"\d+(?:st|nd|rd|th)|Province", lead.group("next")) and not _is_country(lead.group("city")) \
            and lead.group("city") not in _NOT_CITY_LEADS and re.search(r"\bCourt|Judgeship|Tribunal", name):
        return lead.group("city")  # "Istanbul 24th High Criminal Court", "Tehran Province Court of Appeal"
    if lead and not _is_country(lead.group("city")):
        city, nxt = lead.group("city"), lead.group("next")
        if city in _NOT_CITY_LEADS or city.split()[-1] in ("European", "African", "Inter-American", "International", "Islamic", "Arab", "District", "Road", "Regional", "Provincial", "Province", "High", "Supreme",
                                "Federal", "Criminal", "Special", "Specialized", "Fourth", "Tenth",
                                "Sectional", "Sentencing", "Court", "Constitutional", "Military",
                                "Revolutionary", "Administrative", "Appeal", "Economic", "Regional",
                                "Branch", "State", "People's", "People’s", "National", "Central"):
            return None
        if nxt in ("City", "Municipal", "Magistrates'", "Magistrate's", "Magistrates’", "Magistrate’s",
                   "Grave", "Court", "Economic", "Intermediate", "Federal", "Criminal", "Regional"):
            if " " in city and nxt not in ("City",):
                city = city.split()[0] if city.split()[1] in ("Municipal", "City") else city
            if nxt == "Regional":
                return None
            return city
    return None


def _acronym_mentions(text: str, spans, by_acronym: dict[str, int], mentions: list[OrgMention],
                      entities: list[OrgEntity]) -> None:
    """Bare uses of known acronyms ("GKNB officers", "the SSSP") are mentions too."""
    if not by_acronym:
        return
    taken = {(m.start, m.end) for m in mentions}
    rx = re.compile(r"\b(" + "|".join(re.escape(a) for a in sorted(by_acronym, key=len, reverse=True)) + r")\b")
    for s_start, s_end in spans:
        for m in rx.finditer(text, s_start, s_end):
            if text[m.start() - 1:m.start()] == "(":
                continue  # the definition itself
            if any(a <= m.start() < b for a, b in taken):
                continue
            idx = by_acronym[m.group(1)]
            mentions.append(OrgMention(m.start(), m.end(), idx))
            entities[idx].spans.append((m.start(), m.end()))
