"""Layout of a statement: which lines tell the case and which do not.

A statement mixes the narrative (what happened to whom) with material that
is not a fact of the case: letterheads and office addresses, boards of
directors and advisory councils, registration and company numbers, media
contacts, "Addresses" lists, model letters, and the publisher's demands
("urges the authorities to: 1. ... 2. ...").  This module sorts every line
into one of these kinds and splits the rest into sentences with offsets.

Kinds: ``narrative`` (events are read from it), ``demand`` (kept as the
statement's demands), ``letter`` (model letters of urgent actions),
``meta`` (short header lines, headings, datelines), ``boilerplate``
(never read for facts).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Block", "Sentence", "Layout", "analyse", "split_sentences", "lower_aligned", "cased"]


@dataclass(frozen=True)
class Block:
    """One line (paragraph) of the text with its kind."""

    start: int
    end: int
    kind: str
    index: int


@dataclass(frozen=True)
class Sentence:
    """A sentence of a narrative, demand or letter block."""

    start: int
    end: int
    block: int
    kind: str


@dataclass(frozen=True)
class Layout:
    """Blocks and sentences of one document."""

    text: str
    blocks: tuple[Block, ...]
    sentences: tuple[Sentence, ...]

    def kind_at(self, offset: int) -> str:
        """The kind of the block holding ``offset`` (``boilerplate`` outside any block)."""
        for b in self.blocks:
            if b.start <= offset < b.end:
                return b.kind
        return "boilerplate"

    def narrative(self) -> list[Sentence]:
        """Sentences from which events are read."""
        return [s for s in self.sentences if s.kind == "narrative"]

    def readable(self, offset: int) -> bool:
        """True when entities mentioned at ``offset`` may be facts (not boilerplate)."""
        return self.kind_at(offset) in ("narrative", "meta", "title", "letter", "demand")


# --------------------------------------------------------------- boilerplate

#: Lines that are contact details, legal notices, site chrome or network
#: blurbs.  Each rule is ``(keys, pattern)``: the pattern can only match a line
#: whose lower-cased text holds one of its keys, so a line is tested only
#: against the few patterns whose keys it holds (one alternation of all of
#: them cost ~90 µs per line, the largest single cost of extraction).
_BOILER_RULES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("@",), r"@[\w-]+\.\w"),
    (("http",), r"https?://"),
    (("www.",), r"www\.\w"),
    (("phone", "fax", "tel"), r"\b(?:phone|fax|tel\.?)\s*[:.]?\s*\+?\d"),
    (("+",), r"\+\d[\d ]{6,}"),
    (("registered",), r"\bregistered (?:in|office|charity|as)\b"),
    (("company",), r"\bcompany (?:no|number|limited)\b"),
    (("charity",), r"\bcharity no\b"),
    (("chy ",), r"\bCHY \d"),
    (("trading",), r"\btrading as\b|\btrading name\b"),
    (("unsubscribe",), r"\bunsubscribe\b"),
    (("©",), r"©"),
    (("cookie",), r"\bcookies?\b"),
    (("kindly",), r"\bkindly inform us\b"),
    (("please",), r"\bplease also write\b|\bplease check with\b|^\s*please take action\b"),
    (("you can",), r"\byou can also write\b"),
    (("language",), r"^\s*(?:language|languages) to be used\b"),
    (("name and",), r"^\s*name and pronoun\b"),
    (("link to",), r"^\s*link to previous\b"),
    (("index:",), r"\bIndex: [A-Z]{2,4} \d"),
    (("ua ",), r"^\s*UA \d"),
    (("tag",), r"^\s*tags?\s*:"),
    (("topic",), r"^\s*topic\s*:"),
    (("region",), r"^\s*region\s*/\s*country"),
    (("share this",), r"^\s*share this\b"),
    (("press", "media"), r"^\s*(?:press|media) (?:contacts?|enquiries|inquiries)"),
    (("for ",), r"^\s*for (?:more information|media|press)\b"),
    (("contact",), r"^\s*to contact\b|^\s*contact\s*:"),
    (("follow",), r"^\s*follow\b"),
    (("most viewed",), r"^\s*most viewed\b"),
    (("privacy", "subscribe", "donate"), r"^\W*(?:privacy|subscribe|donate)\b"),
    (("skip to",), r"^\s*skip to\b"),
    (("office",), r"^\s*(?:head|eu|registered|regional|main) office\b"),
    (("secretariat",), r"\bsecretariat:"),
    (("box",), r"\bP\.?O\.? Box\b"),
    (("experts",), r"^\s*\*?the experts\*?\s*:"),
    (("special procedures",), r"\bare part of (?:what is known as )?the special procedures\b"),
    (("mandate",), r"\bmandate-holders are\b"),
    (("joint programme", "partnership", "research collaboration"),
     r"\bis a (?:joint programme|partnership|research collaboration)\b"),
    (("created in", "established in", "set up in"), r"\bwas (?:created|established|set up) in \d{4} by\b"),
    (("informal network",), r"\bis an informal network of\b"),
    (("global alliance",), r"\bis a global alliance\b"),
    (("country page",), r"\bcountry page\b"),
)
#: All the rules in one pattern, for lines the key test cannot speak for (below).
_BOILER_LINE = re.compile("(?:" + "|".join(rx for _, rx in _BOILER_RULES) + ")", re.I)
#: (key, compiled rule) for every key of every rule: one flat loop of substring tests.
_BOILER_BY_KEY = tuple((k, re.compile(rx, re.I)) for keys, rx in _BOILER_RULES for k in keys)
#: The only non-ASCII characters that re.I matches to ASCII letters while
#: str.lower() does not lower them to those letters: a line holding one may
#: match a rule other than the one whose key it holds, so it takes the
#: single pattern (after the same key test, as the rules always had).
_BOILER_KEYS = tuple(k for keys, _ in _BOILER_RULES for k in keys)
_FOLDS_TO_ASCII = re.compile("[\u0130\u0131\u017f\u212a]")
#: Section headings after which every line is boilerplate until the next heading.
_BOILER_SECTIONS = re.compile(
    r"^\W*(?:addresses|board of directors|.*\bboard of directors\b|.*\badvisory council\b"
    r"|press contacts?|media contacts?|most viewed|related|read more|signatories|endorsed by"
    r"|see also|about us|footnotes?|notes)\W*:?\W*$", re.I)
#: Lines naming board or council members: "X Board of Directors: A, B (Country), C".
_BOARD_INLINE = re.compile(r"\b(?:board of directors|advisory council|board members?)\b\s*[:\-–]", re.I)
#: A postal address line (street numbers, postcodes, "Co. Dublin").
_ADDRESS = re.compile(
    r"^[A-Z][\w'’\-]*(?: [\w'’\-]+)* \d{1,5}$|^\d{1,5} [A-Z][\w'’\-]*(?: [\w'’\-]+)*$"
    r"|\b(?:Co\.|County) [A-Z]\w+|\b[A-Z]\d{2} [A-Z0-9]{4}\b|^\s*(?:First|Second|Ground) Floor\b"
    r"|\b\d{4,5} [A-Z][a-z]+\s*$")

#: Headings that open the publisher's demands.
_DEMAND_SECTIONS = re.compile(
    r"^\W*(?:actions? requested|recommendations?|take action.*|what you can do|our demands"
    r"|we (?:call|urge) on .* to|.*\b(?:urges?|calls? (?:on|upon)|requests?)\b.*\bto)\W*:?\W*$", re.I)
#: A sentence that states the publisher's demands rather than facts.
_DEMAND_SENTENCE = re.compile(
    r"\b(?:urges?|urged|calls? (?:on|upon) (?:the|all|its|[A-Z])|called (?:on|upon) (?:the|all|its|[A-Z])|appeals? to"
    r"|requests? your urgent intervention|should (?:immediately |also |publicly )?"
    r"(?:quash|release|drop|review|lift|open|investigate|repeal|amend|press|call|make|stop|end|ensure"
    r"|guarantee|withdraw|restore|protect|refrain)|must be (?:released|quashed|dropped))\b", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[ivxlc]{1,5}[.)]|[•·▪\-–*])\s+", re.I)
_LETTER = re.compile(r"^\s*(?:>|\s{4})")
_HEADING_WORDS = re.compile(r"^\W*(?:background(?: information)?|additional information|new information"
                            r"|description of the situation|update|context|the appeal judgment)\W*:?\W*$",
                            re.I)


def analyse(text: str, *, title: tuple[int, int] | None = None) -> Layout:
    """Sort the lines of ``text`` into kinds and split the readable ones into sentences.

    ``title`` is the span of the statement's title line, if known: lines
    above it are the letterhead.
    """
    blocks: list[Block] = []
    section = "narrative"  # the kind that plain lines take in the current section
    index = 0
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if not line.strip():
            continue
        kind, section = _classify(line, section, m.start(), title)
        blocks.append(Block(m.start(), m.end(), kind, index))
        index += 1
    sentences = []
    for b in blocks:
        if b.kind in ("narrative", "demand", "letter", "title"):
            for start, end in split_sentences(text, b.start, b.end):
                kind = b.kind
                if kind == "narrative" and _DEMAND_SENTENCE.search(text[start:end]):
                    kind = "demand"
                sentences.append(Sentence(start, end, b.index, kind))
    return Layout(text, tuple(blocks), tuple(sentences))


def _classify(line: str, section: str, start: int, title) -> tuple[str, str]:
    """Kind of one line, and the section kind for the lines that follow."""
    stripped = line.strip().strip("*_#> ")
    if title is not None and title[0] <= start < title[1]:
        return "title", "narrative"
    if title is not None and start < title[0]:
        return ("boilerplate" if _is_boiler(line) else "meta"), section
    if _BOILER_SECTIONS.match(stripped) or _BOARD_INLINE.search(line):
        return "boilerplate", "boilerplate"
    if _DEMAND_SECTIONS.match(stripped) or (stripped.endswith(":") and _DEMAND_SENTENCE.search(stripped)):
        return "demand", "demand"
    if _HEADING_WORDS.match(stripped):
        return "meta", "narrative"
    if _is_boiler(line):
        return "boilerplate", section
    if section in ("demand", "boilerplate"):
        if _LIST_ITEM.match(line) or section == "boilerplate":
            # running text ends a boilerplate section
            if section == "boilerplate" and _running_text(line) and not _LIST_ITEM.match(line):
                return "narrative", "narrative"
            return section, section
        if _LETTER.match(line):
            return "letter", section
        if _looks_narrative(line):
            return "narrative", "narrative"
        return "meta", section
    if _LETTER.match(line):
        return "letter", section
    if _LIST_ITEM.match(line) and section == "narrative" and not _looks_narrative(line):
        return "meta", section
    return ("narrative" if _looks_narrative(line) else "meta"), section


def _is_boiler(line: str) -> bool:
    if _boiler_rule(line):
        return True
    words = line.split()
    return len(words) <= 12 and bool(_ADDRESS.search(line.strip())) and not _YEAR.search(line)


def _boiler_rule(line: str) -> bool:
    """True when one of :data:`_BOILER_RULES` matches ``line``."""
    lower = line.lower()
    if _FOLDS_TO_ASCII.search(line):
        return any(k in lower for k in _BOILER_KEYS) and _BOILER_LINE.search(line) is not None
    return any(rx.search(line) for key, rx in _BOILER_BY_KEY if key in lower)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _running_text(line: str) -> bool:
    """Sentences rather than a list of names: enough lower-case words and a final stop."""
    words = line.split()
    lower = sum(1 for w in words if w[:1].islower())
    return len(words) >= 10 and lower / len(words) >= 0.4 and line.rstrip().endswith((".", "\u201d", '"'))


def _looks_narrative(line: str) -> bool:
    """A paragraph of running text rather than a heading or a label."""
    words = line.split()
    alpha = [w for w in words if w[:1].isalpha()]
    caps = sum(1 for w in alpha if w[:1].isupper())
    if len(alpha) >= 4 and caps / len(alpha) >= 0.7:
        return False  # a title-case headline
    return len(words) >= 8 or (len(words) >= 4 and line.rstrip().endswith((".", '."', "\u201d")))


# ------------------------------------------------------------ case folding

#: The only characters that re.I matches to an ASCII letter while
#: str.lower() does not lower them to it (İ also lowers to two characters).
_CASE_FOLDS = re.compile("[\u0130\u0131\u017f]")


def lower_aligned(text: str, lower: str | None = None) -> str | None:
    """``text.lower()`` if it lines up with ``text`` character for character and
    holds no character that re.I folds specially, else None.

    In it, a pattern written in lower case without re.I finds exactly what
    the same pattern with re.I finds in ``text``, at the same offsets, and
    two to four times faster: re.I keeps the regex engine from skipping
    ahead to the letters a match can start with.  (``lower``: ``text.lower()``
    if the caller has it already.)
    """
    lower = text.lower() if lower is None else lower
    if len(lower) != len(text) or _CASE_FOLDS.search(lower):
        return None
    return lower


def cased(rx: re.Pattern) -> re.Pattern:
    """``rx`` without re.I, for text from :func:`lower_aligned` (``rx`` must
    name no capital letter)."""
    return re.compile(rx.pattern, rx.flags & ~re.IGNORECASE)


# ------------------------------------------------------------------ sentences

_ABBREVIATIONS = {
    "mr", "ms", "mrs", "dr", "prof", "no", "nos", "st", "art", "arts", "co", "inc", "ltd", "jr", "sr",
    "gen", "col", "lt", "capt", "sgt", "sec", "para", "paras", "vs", "v", "etc", "approx", "e.g",
    "i.e", "cf", "al", "u.s", "u.k", "u.n", "s.a", "p.m", "a.m", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "fig", "vol", "ch", "pp", "p", "op", "rev",
    "mt", "ft", "hon", "sheikh", "c.v", "de",
}
_BOUNDARY = re.compile(r"[.!?]+[\"”’')\]]*\s+(?=[\"“‘(\[]?[A-Z0-9\u00C0-\u024F\u1E00-\u1EFF])")


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans inside ``text[start:end]`` (abbreviation-aware)."""
    spans = []
    cur = start
    chunk = text[start:end]
    for m in _BOUNDARY.finditer(chunk):
        stop = start + m.start()
        word = re.search(r"([\w.]+)$", text[cur:stop] if stop > cur else "")
        token = word.group(1).lower().rstrip(".") if word else ""
        if token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha()):
            continue
        boundary = start + m.end()
        sent_end = start + m.end() - len(m.group()) + len(m.group().rstrip())
        if sent_end > cur:
            spans.append((cur, sent_end))
        cur = boundary
    if cur < end:
        tail_end = end
        while tail_end > cur and text[tail_end - 1].isspace():
            tail_end -= 1
        lead = cur
        while lead < tail_end and text[lead].isspace():
            lead += 1
        if tail_end > lead:
            spans.append((lead, tail_end))
    return spans
