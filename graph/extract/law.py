"""Legislation and the provisions statements cite.

Handles the shapes NGOs write: "Article 456-2(3) of the Code of
Administrative Offenses", "Articles 341 and 342 of the Criminal Code",
"section 124A of the Penal Code", "Article 7/2 of Anti-Terror Law No. 3713",
"Article 12 of Law No. 94 of 2015 on Counter-Terrorism", "Part 1 of Article
342", "article 278, part 3, of the Criminal Code", "Article 244-1, part 3,
paragraph (g)", "sections 13 (unlawful activities) and 18 (conspiracy) of
the UAPA", "Article 87 bis", "Article 174¹".  A provision without a named
law belongs to the law cited last ("(Article 192.3.2)", "of the same Act");
an acronym given in brackets after a law's name ("(PTA)") refers back to it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

__all__ = ["Legislation", "ProvisionMention", "find_law"]

_NUM = r"\d+[A-Z]?(?:[.\-/]\d+[A-Za-z]?)*(?:\s?(?:bis|ter|quater))?[¹²³⁴⁵⁶⁷⁸⁹⁰]*"
_SUB = r"(?:\((?:\d+|[a-z]{1,3})\))"
_ITEM = rf"(?P<num>{_NUM})(?P<sub>{_SUB}*)(?:\s+\([a-z][^()]{{0,40}}\))?"
_PART = r"(?:,?\s+(?:part|paragraph|para\.|clause|subsection|item)\s+(?P<part>\d+|\([a-z]\)|[a-z]\b)(?:,?\s+(?:paragraph|clause|item|point)\s+\(?(?P<part2>[a-z0-9]{1,3})\)?)?)"
_PROVISION = re.compile(
    rf"(?:(?P<pre>(?:Part|part|Paragraph|paragraph|Clause|clause)\s+(?P<prepart>\d+|\([a-z]\))\s+of\s+))?"
    rf"\b(?P<word>Articles?|articles?|Art\.|Arts\.|Sections?|sections?|Sec\.|§§?)\s+"
    rf"(?P<items>{_NUM}{_SUB}*(?:\s+\([a-z][^()]{{0,40}}\))?"
    rf"(?:(?:\s*,\s*|\s+and\s+|\s+or\s+|\s*,\s*and\s+){_NUM}{_SUB}*(?:\s+\([a-z][^()]{{0,40}}\))?)*)"
    rf"{_PART}?"
)
_ITEM_RX = re.compile(_ITEM)
_HEADS = r"(?:Code|Law|Act|Decree|Decree-Law|Ordinance|Constitution|Proclamation|Regulations?|Statute|Rules|Covenant)"
_CAP = r"(?:[A-Z][\w'’\-]*|[A-Z]{2,}[\w\-]*)"
_CONN = r"(?:of|on|and|for|the|its|against|to|in|de|del|la|y)"
_NUMPHRASE = r"(?:No\.\s*\d+(?:[-/]\d+)*|of\s+(?:19|20)\d\d\b|,\s*(?:19|20)\d\d\b|,\s*No\.\s*\d+(?:\s+of\s+(?:19|20)\d\d)?|(?:19|20)\d\d\b)"
_PAREN = r"(?:\([A-Z][^()]{0,60}\)|\[[^\[\]]{1,30}\])"
_LEG_NAME = re.compile(
    rf"(?P<name>{_CAP}(?:{_NUMPHRASE}|\s+(?:{_CONN}\s+)*(?:{_NUMPHRASE}|{_PAREN}|{_CAP}))*)"
)
_LOWER_CODE = re.compile(r"(?P<name>(?:penal|criminal|civil|administrative) (?:code|law)(?: of [A-Z][\w ]+)?)")
_OF = re.compile(r"^(?:,\s*)?\s*(?:of|under|in)\s+(?:the\s+)?")
_SAME = re.compile(r"^(?:,\s*)?\s*of\s+the\s+same\s+(?:Act|Code|Law|Decree|Ordinance)\b")
_TRAIL_ACRONYM = re.compile(r"\s*\((?P<acr>[A-Z][A-Za-z\-]{1,10})\)$")


@dataclass
class Legislation:
    """A code or law; ``key`` is its normalised name."""

    name: str
    aliases: set[str] = field(default_factory=set)
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def key(self) -> str:
        return _key(self.name)


@dataclass(frozen=True)
class ProvisionMention:
    """One cited provision: ``article`` (as written), optional ``paragraph``,
    the key of its legislation (None when unknown) and where it was cited."""

    start: int
    end: int
    article: str
    paragraph: str | None
    legislation: str | None


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", name.lower()).strip()


def find_law(text: str, spans: list[tuple[int, int]]) -> tuple[dict[str, Legislation], list[ProvisionMention]]:
    """Legislation (by key) and provision mentions found in the given text spans, in order."""
    laws: dict[str, Legislation] = {}
    acronyms: dict[str, str] = {}
    mentions: list[ProvisionMention] = []
    last_law: str | None = None
    for s_start, s_end in spans:
        _register_acronyms(text, s_start, s_end, laws, acronyms)
    for s_start, s_end in spans:
        for m in _PROVISION.finditer(text, s_start, s_end):
            law_key, law_end = _legislation_after(text, m.end(), s_end, laws, acronyms, last_law)
            if law_key is not None:
                last_law = law_key
            items = list(_ITEM_RX.finditer(m.group("items")))
            for i, it in enumerate(items):
                article = it.group("num").strip()
                para = _paragraph(it.group("sub"), m, first=(i == 0), last=(i == len(items) - 1))
                mentions.append(ProvisionMention(m.start(), max(law_end, m.end()), article, para,
                                                 law_key or last_law))
    return laws, mentions


def _register_acronyms(text: str, start: int, end: int, laws: dict[str, Legislation],
                       acronyms: dict[str, str]) -> None:
    """Laws introduced with an acronym ("... Act, No. 48 of 1979 (PTA)") so that
    "section 9(1) of the PTA" finds them."""
    for m in re.finditer(r"\((?P<acr>[A-Z][A-Z\-]{1,9})\)", text[start:end]):
        head = text[max(start, start + m.start() - 160):start + m.start()]
        law = None
        for cand in _LEG_NAME.finditer(head):
            if cand.end() >= len(head.rstrip()) - 1 and re.search(rf"\b{_HEADS}\b", cand.group("name")):
                law = _trim(_TRAIL_ACRONYM.sub("", cand.group("name")))
        if law:
            pos = start + m.start() - len(head) + head.rfind(law)
            key = _register(laws, law, pos, pos + len(law), m.group("acr"))
            acronyms[m.group("acr")] = key


def _paragraph(sub: str, m: re.Match, *, first: bool, last: bool) -> str | None:
    """The paragraph of one cited article: "(3)", "(1)(a)", ", part 2", "Part 1 of"."""
    subs = re.findall(r"\(([^)]+)\)", sub or "")
    if subs:
        return subs[0] + "".join(f"({s})" for s in subs[1:])
    if last and m.group("part"):
        part = m.group("part").strip("()")
        return part + (f"({m.group('part2')})" if m.group("part2") else "")
    if first and m.group("prepart"):
        return m.group("prepart").strip("()")
    return None


def _legislation_after(text: str, pos: int, limit: int, laws: dict[str, Legislation],
                       acronyms: dict[str, str], last_law: str | None) -> tuple[str | None, int]:
    """The law named right after a provision ("of the Criminal Code"), registering it."""
    rest = text[pos:min(limit, pos + 250)]
    if _SAME.match(rest):
        return last_law, pos + _SAME.match(rest).end()
    of = _OF.match(rest)
    if not of:
        return None, pos
    start = pos + of.end()
    m = _LEG_NAME.match(text, start, min(limit, start + 220))
    name = m.group("name") if m else ""
    name = _trim(name)
    if not re.search(rf"\b{_HEADS}\b", name):
        low = _LOWER_CODE.match(text, start, limit)
        if low:
            name = low.group("name").title().replace(" Of ", " of ")
            end = start + len(low.group("name"))
            return _register(laws, name, start, end, None), end
        acr = re.match(r"[A-Z]{2,8}\b", text[start:limit])
        if acr and acr.group() in acronyms:
            return acronyms[acr.group()], start + acr.end()
        return None, pos
    end = start + len(name)
    acronym = None
    trail = _TRAIL_ACRONYM.search(name)
    if trail:
        acronym = trail.group("acr")
        name = name[:trail.start()]
    else:
        after = re.match(r"\s*\((?P<acr>[A-Z][A-Za-z\-]{1,10})\)", text[end:limit])
        if after:
            acronym = after.group("acr")
    key = _register(laws, name, start, start + len(name), acronym)
    if acronym:
        acronyms[acronym] = key
    return key, end


def _trim(name: str) -> str:
    """Cut a law's name after its last meaningful word (no dangling "of the")."""
    name = name.strip()
    while True:
        new = re.sub(rf"\s+{_CONN}$", "", name)
        new = re.sub(r"[\s,]+$", "", new)
        if new == name:
            return name
        name = new


def _register(laws: dict[str, Legislation], name: str, start: int, end: int, acronym: str | None) -> str:
    name = re.sub(r"\s+", " ", name).strip()
    key = _key(name)
    law = laws.get(key)
    if law is None:
        law = laws[key] = Legislation(name)
    law.spans.append((start, end))
    if acronym:
        law.aliases.add(acronym)
    return key
