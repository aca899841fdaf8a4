"""People: who is named, who is a defender, and who "she", "the defender" or
"Toktosunova" refers to.

A person is a run of two to five capitalised name words (with particles
such as "al-", "bin", "de") introduced the way statements introduce people:
after a role ("woman human rights defender X", "lawyer and defender X",
"his wife, X", "farmer X"), after an honorific ("Ms. X"), before an
apposition ("X, a blogger", "X (also spelled Y)", "X is a ...") or as a
speaker ("said X").  Later mentions by any final part of the name ("Tiul
Choc", "Al-Dhaheri"), by a single leading name ("Tang"), by a description
("the defender") or by a pronoun resolve to the last compatible person.

Defenders are the people presented with a defender's role (strong roles such
as "human rights defender", "lawyer", "journalist", "activist" make a
defender outright; weak ones such as "member of", "co-founder of",
"colleague" only when something happens to them).  Relatives, bystanders,
officials and quoted staff are persons.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from graph.extract.lexicon import (BYSTANDER_ROLES, DEFENDER_ROLES, FEMALE_WORDS, HONORIFICS,
                                   NAME_PARTICLES, NOT_NAME_WORDS, OFFICIAL_ROLES, RELATIVE_ROLES,
                                   STRONG_DEFENDER_ROLES)
from graph.extract.spans import SpanIndex
from graph.extract.text import cased

__all__ = ["Person", "PersonMention", "find_people", "resolve_references"]

_UP = "A-Z\u00C0-\u00D6\u00D8-\u00DE\u0100-\u017F\u0181-\u024F\u1E00-\u1EFF"
_NAME_WORD = rf"(?:(?:[aA]l|[eE]l|[aA]d|[aA]r|[aA]s|[aA]sh|[aA]z|[aA]t)[-‑])?[{_UP}][\w'’\-]*[\w]|[{_UP}]\."
_PARTICLE = "|".join(sorted(NAME_PARTICLES, key=len, reverse=True))
_NAME = re.compile(rf"(?<![\w'’\-])(?:{_NAME_WORD})(?:\s+(?:(?:{_PARTICLE})\s+)?(?:{_NAME_WORD})){{0,4}}(?![\w'’\-])")
_HONORIFIC = re.compile(r"\b(?:" + "|".join(HONORIFICS) + r")\.?\s+$")
_ROLE_RX = re.compile(
    r"(?:(?<=\s)|^)(?P<role>" + "|".join(re.escape(r) for r in sorted(
        set(DEFENDER_ROLES) | set(RELATIVE_ROLES) | BYSTANDER_ROLES | OFFICIAL_ROLES, key=len, reverse=True))
    + r")s?(?:\s+and\s+[\w' -]{0,40}?)?(?:\s+(?:from|of|in|at|with)\s+[^,.;:()\n]{1,60}?\s+[-–—:]|\s*[-–—:])?"
    r"\s*,?\s*(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?$", re.I)
_APPOSITION = re.compile(
    r"^\s*(?:\([^()]{0,80}\)\s*)?(?:,\s*(?:\d{1,3},\s*)?(?!(?:and|or|but|to|which|that|where|when|as|in|on|at|for)\b)(?:(?:a|an|the|who is|also)\s+)?|\s+(?:is|was)\s+(?:a|an|the|one of the)\s+)"
    r"(?P<words>[^,.;()]{0,80})", re.I)
_ALIAS = re.compile(r"\s*\((?:also\s+(?:spelled|spelt|written|transliterated|known as)\s+|"
                    r"(?=[A-Z][a-z\u00C0-\u024F]|[\u4e00-\u9fff]))(?P<alias>[^()]{2,60}?)(?:\s+in some media)?\)")
_SPEAKER = re.compile(r"\bsaid\s*,?\s*$")
#: Verbs of the events a statement reports, as said of the person they befall:
#: "sentenced X", "acquitted X" (X the object) or "X was arrested", "X and Y were
#: each fined" (X the subject of a passive).  Someone named only that way is a
#: candidate person whom the event then makes a defender or not.
_EVENT_VERBS = (r"arrest|detain|sentenc|convict|acquitt?|summon|charg|releas|abduct|disappear|kill|murder"
                r"|assassinat|shot|beat|attack|threaten|fin|jail|imprison|remand|interrogat|question|indict"
                r"|prosecut|harass|search|raid|banned|barr")
_EVENT_OBJECT = re.compile(r"(?:" + _EVENT_VERBS + r")(?:ed|d|s)?", re.I)


def _event_object(before: str) -> bool:
    """True when ``before`` ends with an event verb ("sentenced ", "acquitted both ")."""
    if not before.endswith((" ", "\t")):
        return False
    words = before.rsplit(None, 2)[-2:]
    if len(words) == 2 and words[1].lower() in ("also", "both", "each"):
        words = words[:1]
    return bool(words) and _EVENT_OBJECT.fullmatch(words[-1]) is not None
_EVENT_SUBJECT = re.compile(
    r"(?:\s*(?:,|and)\s+[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]+){1,3})*\s+(?:(?:was|were|had been|has been|have been)"
    r"\s+(?:(?:each|also|both|then|later|reportedly|allegedly|again|subsequently|first)\s+)?(?:" + _EVENT_VERBS
    + r")\w*\b|(?:received|was given|was handed|faces)\s+(?:a|an)\s+(?:[\w-]+\s+){0,3}(?:sentence|fine|ban|term)\b)")
#: Roles an apposition may give ("X, a blogger"), longest first, each as a
#: whole-word pattern (compiled once: they are tried for every apposition).
_APPOSITION_ROLES = tuple((r, re.compile(rf"\b{re.escape(r)}s?\b"))
                          for r in sorted(set(DEFENDER_ROLES) | BYSTANDER_ROLES | OFFICIAL_ROLES,
                                          key=len, reverse=True))
#: Every role word, lower case, as one case-sensitive pattern: the regex engine
#: scans for a literal prefix, so this test is several times cheaper than
#: :data:`_ROLE_RX` (case-insensitive, anchored at the end), which it gates.
_ROLE_WORDS = re.compile("|".join(re.escape(r.lower()) for r in sorted(
    set(DEFENDER_ROLES) | set(RELATIVE_ROLES) | BYSTANDER_ROLES | OFFICIAL_ROLES, key=len, reverse=True)))
#: The only characters that re.I matches to a letter of a role while
#: str.lower() does not lower them to it (computed over all of Unicode).
_ROLE_CASE_FOLDS = re.compile("[\u0130\u0131\u017f]")


def _may_name_role(before: str) -> bool:
    """False only when :data:`_ROLE_RX` cannot match ``before`` (no role word in it)."""
    return bool(_ROLE_CASE_FOLDS.search(before) or _ROLE_WORDS.search(before.lower()))


_WORD_CHAR = re.compile(r"\w")


def possessive_after(text: str, end: int) -> bool:
    """True when "'s" follows ``end`` ("Marat's health"): what ``['’]s\\b`` matches
    there, tested without a regex call (it runs for every mention of every sentence)."""
    return text.startswith(("'s", "’s"), end) and _WORD_CHAR.match(text, end + 2, end + 3) is None


@dataclass
class Person:
    """A person named in the statement."""

    name: str
    aliases: set[str] = field(default_factory=set)
    gender: str | None = None
    roles: list[str] = field(default_factory=list)  # role words attached to mentions
    cues: set[str] = field(default_factory=set)  # "strong", "weak", "relative", "bystander", "official", "speaker"
    spans: list[tuple[int, int]] = field(default_factory=list)

    @property
    def parts(self) -> list[str]:
        return self.name.split()


@dataclass(frozen=True)
class PersonMention:
    """A reference at ``start:end`` to the people numbered in ``people`` (one or more)."""

    start: int
    end: int
    people: tuple[int, ...]
    kind: str  # "name", "pronoun", "description", "group"


def find_people(text: str, spans: list[tuple[int, int]], *, blocked: list[tuple[int, int]] = ()
                ) -> tuple[list[Person], list[PersonMention]]:
    """People introduced in ``spans`` and every later mention of them by name."""
    people: list[Person] = []
    candidates: list[tuple[int, int, str]] = []
    taken = SpanIndex(blocked)
    for s_start, s_end in spans:
        for m in _NAME.finditer(text, s_start, s_end):
            name, start = _trim(m.group(), m.start())
            if not name or taken.holds(start) or taken.holds_end(start + len(name)):
                continue
            candidates.append((start, start + len(name), name))
    # introductions first (in text order), then mentions of known people;
    # a role before a list applies to every name of it ("defenders A, B and C")
    cues: dict[int, tuple] = {}
    prev: tuple[int, int] | None = None
    for k, (start, end, name) in enumerate(candidates):
        cue = _introduction(text, start, end)
        if cue is None and prev is not None and prev[0] in cues and cues[prev[0]][0] in ("strong", "weak") and \
                re.fullmatch(r"\s*(?:,|,?\s+and)\s+", text[prev[1]:start]):
            cue = cues[prev[0]]
        if cue is not None:
            cues[k] = cue
        prev = (k, end)
        if len(name.split()) < 2 or _find(people, name) is not None or cue is None:
            continue
        people.append(Person(name))
    mentions: list[PersonMention] = []
    for k, (start, end, name) in enumerate(candidates):
        idx = _find(people, name)
        if idx is None:
            continue
        p = people[idx]
        cue = cues.get(k)
        if cue:
            kind, role, gender = cue
            p.cues.add(kind)
            if role:
                p.roles.append(role)
            p.gender = p.gender or gender
        alias = _ALIAS.match(text, end)
        if alias:
            p.aliases.add(alias.group("alias").strip())
        p.spans.append((start, end))
        mentions.append(PersonMention(start, end, (idx,), "name"))
    _infer_gender(text, people, mentions)
    return people, mentions


def _trim(name: str, start: int) -> tuple[str, int]:
    words = name.split()
    while words and (words[0].rstrip(".") in NOT_NAME_WORDS or words[0].rstrip(".") in HONORIFICS):
        start = start + len(words[0]) + (len(name) - len(name.lstrip()) if False else 0)
        skip = len(words[0])
        rest = name[skip:]
        start += len(rest) - len(rest.lstrip())
        name = rest.lstrip()
        words = words[1:]
    if words and words[-1].endswith(("'s", "’s")):  # (split() words hold no newline for $ to skip)
        words[-1] = words[-1][:-2]
        name = name[:-2]
    while words and (words[-1].rstrip(".") in NOT_NAME_WORDS or words[-1].lower() in NAME_PARTICLES
                     or (len(words[-1]) > 1 and words[-1].isupper())):
        name = name[:len(name) - len(words[-1])].rstrip()
        words = words[:-1]
    if any(w.rstrip(".") in NOT_NAME_WORDS for w in words):
        return "", start
    if len(words) == 1 and words[0].endswith("."):
        return "", start
    return name, start


def _find(people: list[Person], name: str) -> int | None:
    """The known person that ``name`` (full, final part or leading name) refers to."""
    words = name.split()
    exact = [i for i, p in enumerate(people) if p.name == name or name in p.aliases]
    if exact:
        return exact[0]
    suffix = [i for i, p in enumerate(people)
              if len(words) < len(p.parts) and p.parts[-len(words):] == words]
    if suffix:
        return suffix[0]
    if len(words) == 1:
        lead = [i for i, p in enumerate(people) if len(p.parts) == 2 and p.parts[0] == words[0]]
        if len(lead) == 1:
            return lead[0]
    return None


def _introduction(text: str, start: int, end: int) -> tuple[str, str | None, str | None] | None:
    """How the name at ``start:end`` is introduced: (cue kind, role, gender) or None."""
    before = text[max(0, start - 90):start]
    before = before.split("\n")[-1]
    gender = None
    hon = _HONORIFIC.search(before)
    if hon:
        gender = "F" if re.search(r"Ms|Mrs|Miss", hon.group()) else ("M" if "Mr" in hon.group() else None)
        before_h = before[:hon.start()]
    else:
        before_h = before
    if _SPEAKER.search(before):
        return "speaker", None, gender
    role = _ROLE_RX.search(before_h) if _may_name_role(before_h) else None
    after = text[end:end + 120]
    if role:
        word = role.group("role").lower()
        full = role.group().lower()
        kind = _role_kind(word, full, raw=role.group("role"))
        if kind == "relative" and re.search(r"\b(?:his|her|their|[\w’']+['’]s)\s+(?:\w+\s+)?" + re.escape(word), before_h, re.I) is None:
            kind = "weak"
        if word in ("woman human rights defender", "women human rights defender", "women's rights defender"):
            gender = "F"
        gender = gender or RELATIVE_ROLES.get(word)
        if kind == "relative":
            # "her brother, X, a human rights defender"
            app = _APPOSITION.match(after)
            if app and re.match(r"\s*(?:\([^()]*\)\s*)?,\s*(?:a|an)\s", after) and any(
                    r in app.group("words").lower() for r in STRONG_DEFENDER_ROLES):
                return "strong", "defender", gender
        return kind, word, gender
    app = _APPOSITION.match(after)
    if app:
        words = app.group("words").lower()
        for r, rx in _APPOSITION_ROLES:
            if r in words and rx.search(words):  # the substring test spares most searches
                return _role_kind(r, words), r, gender
        if hon or re.match(r"^\s*,\s*\d{1,3},", after):
            return "weak", None, gender
    if hon:
        return "weak", None, gender
    if _event_object(before) or _EVENT_SUBJECT.match(after):
        return "weak", None, gender  # "sentenced X to", "X was arrested": something happens to X
    if re.match(r"\s*\((?:also|[A-Z][a-z\u00C0-\u024F]|[\u4e00-\u9fff])", after) or re.match(r"\s+said\b", after):
        return ("speaker" if re.match(r"\s+said\b", after) else "weak"), None, gender
    return None


def _role_kind(word: str, context: str, raw: str = "") -> str:
    if word in RELATIVE_ROLES:
        return "relative"
    if word in STRONG_DEFENDER_ROLES or re.search(r"human rights|rights defender|journalist|lawyer", context):
        if word == "activist" and re.search(r"political activist", context):
            return "weak"
        return "strong"
    if word in BYSTANDER_ROLES:
        return "bystander"
    if word in ("king", "prime minister", "minister", "judge", "prosecutor", "official", "officer") or (
            word == "president" and raw[:1].isupper()):
        return "official"
    return "weak"


def _infer_gender(text: str, people: list[Person], mentions: list[PersonMention]) -> None:
    """Gender from the first pronoun that follows a person's first mention."""
    starts = sorted((m.start, m.people) for m in mentions)
    for idx, p in enumerate(people):
        if p.gender or not p.spans:
            continue
        votes = 0
        for k, (start, who) in enumerate(starts):
            if who != (idx,):
                continue
            stop = starts[k + 1][0] if k + 1 < len(starts) else len(text)
            window = text[start:min(stop, start + 200)]
            for w in re.findall(r"\b(she|her|he|his|him)\b", window, re.I):
                votes += -1 if w.lower() in FEMALE_WORDS else 1
        if votes:
            p.gender = "M" if votes > 0 else "F"


# ----------------------------------------------------------------- references

_PRONOUN = re.compile(r"\b(?P<p>she|her|hers|he|him|his|they|them|their)\b", re.I)
_DESCRIPTION = re.compile(
    r"\b(?:the|this|that)\s+(?:(?:woman|women's|land|environmental)\s+)?(?:human\s+)?(?:rights\s+)?"
    r"(?:defender|lawyer|activist|blogger|journalist)\b(?!s)", re.I)
_RELATION = re.compile(r"\b(?:his|her|their|[A-Z][\w\-]+['’]s)\s+(?:younger\s+|elder\s+|older\s+)?(?P<rel>"
                       + "|".join(RELATIVE_ROLES) + r")\b(?!,\s+[A-Z])", re.I)
_GROUP = re.compile(
    r"\b(?:both(?:\s+(?:defenders|lawyers|defendants|of them|human rights defenders|activists|journalists))?"
    r"|the\s+(?:two|three|four)\s+(?:\w+\s+){0,3}?(?:defenders|lawyers|defendants|activists|journalists|women|men)"
    r"|the\s+(?:students|defendants|couple|defenders|lawyers|activists)|them|they)\b", re.I)


_DESCRIPTION_CASED, _GROUP_CASED, _PRONOUN_CASED = (cased(rx) for rx in (_DESCRIPTION, _GROUP, _PRONOUN))


def resolve_references(text: str, start: int, end: int, people: list[Person],
                       history: list[PersonMention], *, folded: str | None = None) -> list[PersonMention]:
    """Pronouns, descriptions and group references in ``text[start:end]``.

    ``history`` holds the mentions read so far (names included), in order; the
    returned mentions point to the last compatible people.  ``folded`` is
    ``lower_aligned(text)`` when the caller has it: the patterns then run faster.
    """
    # these patterns name no capital letter and their matches are read in lower case
    source, description, group_rx, pronoun = (
        (folded, _DESCRIPTION_CASED, _GROUP_CASED, _PRONOUN_CASED) if folded is not None
        else (text, _DESCRIPTION, _GROUP, _PRONOUN))
    out: list[PersonMention] = []
    names_here = [m for m in history if start <= m.start < end]
    earlier = [m for m in history[-60:] if m.start < start]  # the recent past is enough to resolve
    base = [m for m in earlier + names_here if not possessive_after(text, m.end)]

    def last(pred, before: int) -> int | None:
        pool = sorted([m for m in base if m.start < before] + [m for m in out if m.start < before],
                      key=lambda m: m.start)
        for m in reversed(pool):
            for i in m.people:
                if pred(i):
                    return i
        return None

    for m in description.finditer(source, start, end):
        i = last(lambda k: "strong" in people[k].cues or "weak" in people[k].cues, m.start())
        if i is not None:
            out.append(PersonMention(m.start(), m.end(), (i,), "description"))
    for m in group_rx.finditer(source, start, end):
        word = m.group().lower()
        if word in ("they", "them") and not _people_context(text, m):
            continue
        group = _last_group(earlier + [n for n in names_here if n.start < m.start()], m.start(), text)
        if group and re.search(r"defenders|lawyers|defendants|activists|journalists", word):
            # "both defenders": the defenders of the group, as many as said
            keep = [k for k in group if people[k].cues & {"strong", "weak"}
                    and not people[k].cues & {"relative", "bystander"}] or list(group)
            count = {"both": 2, "two": 2, "three": 3, "four": 4}
            n = next((v for k, v in count.items() if re.search(rf"\b{k}\b", word)), None)
            group = tuple(keep[-n:] if n else keep)
        if group:
            out.append(PersonMention(m.start(), m.end(), group, "group"))
    for m in _RELATION.finditer(text, start, end):
        rel = m.group("rel").lower()
        cands = [k for k, p in enumerate(people) if rel in p.roles]
        if len(cands) == 1:
            out.append(PersonMention(m.start(), m.end(), (cands[0],), "description"))
    taken = [(o.start, o.end) for o in out]
    for m in pronoun.finditer(source, start, end):
        if any(a <= m.start() < b for a, b in taken):
            continue
        p = m.group("p").lower()
        if p in ("they", "them", "their"):
            continue
        female = p in FEMALE_WORDS
        i = last(lambda k: people[k].gender in (None, "F" if female else "M"), m.start())
        if i is not None:
            out.append(PersonMention(m.start(), m.end(), (i,), "pronoun"))
    out.sort(key=lambda x: x.start)
    return out


def _people_context(text: str, m: re.Match) -> bool:
    """"them"/"they" refer to people only as objects of acts against them."""
    before = text[max(0, m.start() - 40):m.start()].lower()
    if m.group().lower() == "they":
        return bool(re.match(r"\s+(?:were|had been|have been)\s+\w+ed\b", text[m.end():m.end() + 30]))
    return m.group().lower() == "them" and bool(re.search(
        r"(?:arrested|detained|charged|sentenced|convicted|released|acquitted|summoned|questioned|held"
        r"|beat|searched|took|found|against|ordered|remanded|fined|banned|threatened|of|describing|described"
        r"|targeting|naming|about|granted)\s+$", before))


def _last_group(pool: list[PersonMention], before: int, text: str) -> tuple[int, ...] | None:
    """The last set of two or more people mentioned together (same sentence)."""
    for i in range(len(pool) - 1, -1, -1):
        m = pool[i]
        if len(m.people) > 1:
            return m.people
        same = [n for n in pool[:i] if _same_sentence(text, n.start, m.start) and n.people != m.people]
        if same:
            ids = []
            for n in same + [m]:
                for k in n.people:
                    if k not in ids:
                        ids.append(k)
            return tuple(ids)
    return None


def _same_sentence(text: str, a: int, b: int) -> bool:
    lo, hi = sorted((a, b))
    return not re.search(r"[.!?]\s+[A-Z]|\n", text[lo:hi])
