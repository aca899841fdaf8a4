"""Events: what happened to whom, when, by which court or authority, under
which provisions and with which sanction.

The narrative is read sentence by sentence, in order, so that relative
dates and pronouns resolve against what came before.  In each sentence
every trigger (:mod:`graph.extract.triggers`) that reports a real past
event gets:

* a date: the date phrase nearest before it in the sentence ("On 3 June,
  the court ..."), else one right after it ("... arrested her on 14
  December"), else the date the paragraph was last talking about;
* the people concerned: the subject of a passive ("X was arrested"), the
  object of an active verb ("officers arrested X and Y"), the owner of a
  searched home ("searched her home");
* a court or an authority: the nearest one named in the sentence (or "the
  court" for the last court), else, for "they"/"officers", the authority
  the paragraph named last;
* provisions cited after it, and sanctions after it (per person when a
  sentence gives each co-defendant a different one).

Events are then merged per person, class and date (one ruling told in
three sentences is one Conviction), undated mentions are folded into dated
ones, convictions and acquittals without provisions take those of the
charges, and events still without a date are dropped.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from graph.extract.dates import DateMention, DateResolver, find_dates
from graph.extract.law import ProvisionMention
from graph.extract.organisations import OrgEntity, OrgMention
from graph.extract.people import Person, PersonMention, possessive_after, resolve_references
from graph.extract.sanctions import SanctionMention, find_sanctions
from graph.extract.text import Layout, cased, lower_aligned
from graph.extract.triggers import (AUTHORITY_FIRST, COURT_FIRST, KEYS, NOT_HAPPENED, TAKES_PROVISIONS,
                                    TAKES_SANCTION, TRIGGERS)
from graph.model import Sanction

__all__ = ["RawEvent", "find_events"]


@dataclass
class RawEvent:
    """An event about one person, before ids are given."""

    type: str
    person: int
    date: str | None
    court: int | None = None
    authority: int | None = None
    provisions: list[int] = field(default_factory=list)  # indexes into provision mentions
    sanctions: list[Sanction] = field(default_factory=list)
    duration: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class _Trigger:
    type: str
    start: int
    end: int


_PASSIVE = re.compile(r"\b(?:was|were|been|being|is|are|be|get|got)\s+(?:\w+ly\s+)?(?:again\s+|also\s+|then\s+|later\s+)?$", re.I)
_UNTIL = re.compile(r"\b(?:until|till|scheduled|set|expected|adjourned)\b[^,;.]{0,30}$|\b(?:for|by|before|between|on which)\s+(?:the\s+)?$", re.I)
_FUTURE = re.compile(r"\b(?:scheduled|set|expected|adjourned|postponed|due)\b[^,;.]{0,40}$|\bfor\s+$", re.I)
_OFFICERS = re.compile(r"\b(?:they|officers|agents|the officers|investigators|one of the officers|officials|police officers)\b", re.I)
_COURT_REF = re.compile(r"\b(?:the|same|this)\s+(?:same\s+)?(?:\w+\s+)?(?:court|judge|magistrate|judges)\b", re.I)
_STATIVE = re.compile(r"\b(?:has|have)\s+(?:been|also|since|repeatedly|already)\b|\b(?:is|are|remains?)\b", re.I)
_SAME_DATE_AS = re.compile(r"\b(?:same day as|day after|days? after|weeks? after|after)\s+(?:[\w.'’\- ]{0,40}?)['’]?s?\s*(?:his|her|their|the)?\s*"
                           r"(?P<noun>arrest|verdict|conviction|sentencing|release|hearing|trial|killing|abduction|raid|search|summons|indictment)", re.I)
_NOUN_TYPES = {"arrest": "Arrest", "verdict": "Conviction", "conviction": "Conviction", "sentencing": "Conviction",
               "release": "Release", "hearing": "Hearing", "trial": "Hearing", "killing": "Killing",
               "abduction": "Disappearance", "raid": "Raid", "search": "Raid", "summons": "Summons",
               "indictment": "Charge"}


def find_events(text: str, layout: Layout, *, issued: str | None, country: str | None,
                people: list[Person], person_mentions: list[PersonMention],
                orgs: list[OrgEntity], org_mentions: list[OrgMention],
                provisions: list[ProvisionMention], dates: list[DateMention] | None = None) -> list[RawEvent]:
    """All dated events of the narrative, one per person, class and date.

    ``dates`` are the document's date mentions when already found (they are
    found again otherwise).
    """
    all_dates = dates if dates is not None else find_dates(text)
    date_starts = [d.start for d in all_dates]
    resolver = DateResolver(issued)
    history: list[PersonMention] = []
    events: list[RawEvent] = []
    para_date: str | None = None
    para_block = -1
    para_authority: int | None = None
    last_court: int | None = None
    folded = lower_aligned(text)  # for the case-insensitive patterns (see there)
    for sent in layout.sentences:
        if sent.kind not in ("narrative",):
            continue
        s, e = sent.start, sent.end
        names = [m for m in person_mentions if s <= m.start < e]
        refs = resolve_references(text, s, e, people, history + names, folded=folded)
        mentions = sorted(names + refs, key=lambda m: m.start)
        history.extend(mentions)
        if sent.block != para_block:
            para_block, para_date, para_authority = sent.block, None, None
        lo, hi = bisect_left(date_starts, s), bisect_left(date_starts, e)
        dates = _resolve_dates(text, all_dates[lo:hi], e, resolver, events)
        sent_orgs = [m for m in org_mentions if s <= m.start < e]
        sanctions = find_sanctions(text, s, e, country=country)
        triggers = _triggers(text, s, e, folded)
        sent_provs = [i for i, p in enumerate(provisions) if s <= p.start < e]
        default_date = para_date if not _blocks_inheritance(text, s, e, dates) else None
        for t_i, trig in enumerate(triggers):
            date = _date_for(text, trig, dates, s, triggers)
            if date == "":
                continue  # scheduled, not yet happened
            date = date or default_date
            who = _people_for(text, trig, mentions, triggers, s, e, people)
            if trig.type in TAKES_SANCTION:
                who += [p for p in _verdict_people(text, trig, mentions, sanctions, triggers) if p not in who]
            if not who and trig.type in ("Hearing", "Appeal"):
                who = _last_verdict_people(events, trig.type)
            if not who and trig.type == "Raid":
                others = [t for t in triggers if t.type in ("Arrest", "Summons") and t is not trig]
                if others:
                    who = _people_for(text, others[0], mentions, triggers, s, e, people)
            if not who:
                continue
            court, authority = _orgs_for(text, trig, sent_orgs, orgs, last_court, para_authority, s)
            provs = _provisions_for(trig, triggers, sent_provs, provisions) if trig.type in TAKES_PROVISIONS else []
            per_person = _sanctions_for(text, trig, triggers, sanctions, mentions, who)
            duration = None
            if trig.type == "TravelBan":
                for sm in sanctions:
                    if sm.kind == "travel" and abs(sm.start - trig.start) < 80:
                        duration = sm.sanction.duration
                if duration is None and re.search(r"of the same length", text[trig.end:trig.end + 30]):
                    prison = [sm for sm in sanctions if sm.sanction.type == "Imprisonment" and sm.sanction.duration]
                    duration = prison[-1].sanction.duration if prison else None
            for p in who:
                events.append(RawEvent(trig.type, p, date, court, authority, list(provs),
                                       list(per_person.get(p, [])), duration, [(trig.start, trig.end)]))
        # what later sentences of the paragraph inherit
        day_dates = [v for d, v in dates if v and len(v) == 10]
        if day_dates:
            para_date = day_dates[-1]
        elif dates and dates[0][0].start - s < 30:
            para_date = None  # "In 2013, ...": the paragraph moved to another time
        for m in sent_orgs:
            if orgs[m.entity].kind == "Court":
                last_court = m.entity
            elif orgs[m.entity].kind == "StateAuthority":
                para_authority = m.entity
    return _consolidate(events, provisions)


# ---------------------------------------------------------------- per sentence

def _triggers(text: str, s: int, e: int, folded: str | None = None) -> list[_Trigger]:
    """Trigger words of the sentence ``text[s:e]`` (``folded``: the text from
    :func:`~graph.extract.text.lower_aligned`, or None)."""
    found: list[_Trigger] = []
    lower = text[s:e].lower()
    keyed = {etype for key, etype in _TRIGGER_KEYS if key in lower}
    for etype, rx in TRIGGERS:
        if etype not in keyed:
            continue
        cased_rx = _CASED_TRIGGERS.get(etype) if folded is not None else None
        for m in (cased_rx.finditer(folded, s, e) if cased_rx else rx.finditer(text, s, e)):
            ts, te = (m.start("t"), m.end("t")) if "t" in rx.groupindex and m.group("t") else (m.start(), m.end())
            before = text[max(s, ts - 60):ts]
            if NOT_HAPPENED.search(before) or _inside_quotes(text, s, ts):
                continue
            if etype == "Appeal" and re.search(r"\b(?:will|would|intends?|can|could|to)\s+(?:\w+\s+){0,2}$", before):
                continue
            found.append(_Trigger(etype, ts, te))
    found.sort(key=lambda t: t.start)
    return _drop_overlaps(found)


#: Trigger patterns without re.I, for lower-cased text: those that name no
#: capital letter (offsets and lookbehinds read the same in either text).
_CASED_TRIGGERS = {etype: cased(rx) for etype, rx in TRIGGERS
                   if not re.search(r"(?<!\\)(?<!\(\?)[A-Z]", rx.pattern)}
#: (key, event class) for every key of :data:`KEYS`: one flat loop of substring
#: tests per sentence finds the classes worth a regex.
_TRIGGER_KEYS = tuple((key, etype) for etype, keys in KEYS.items() for key in keys)


def _drop_overlaps(found: list[_Trigger]) -> list[_Trigger]:
    out: list[_Trigger] = []
    for t in found:
        if any(o.start <= t.start < o.end and o.type == t.type for o in out):
            continue
        out.append(t)
    return out


def _inside_quotes(text: str, s: int, pos: int) -> bool:
    chunk = text[s:pos]
    return (chunk.count("“") > chunk.count("”")) or chunk.count('"') % 2 == 1


def _resolve_dates(text: str, mentions: list[DateMention], e: int, resolver: DateResolver,
                   events: list[RawEvent]) -> list[tuple[DateMention, str | None]]:
    out = []
    for d in mentions:
        anchor = None
        if d.kind == "rel":
            ref = _SAME_DATE_AS.search(text, d.start, min(e, d.end + 60))
            if ref and ref.start() <= d.end + 5:
                anchor = _event_date(events, _NOUN_TYPES[ref.group("noun").lower()])
                if anchor is None:
                    out.append((d, None))
                    continue
        out.append((d, resolver.resolve(d, anchor=anchor)))
    return out


def _last_verdict_people(events: list[RawEvent], etype: str) -> list[int]:
    """People of the last court event (a hearing or appeal that names no one is theirs)."""
    wanted = ("Conviction", "Acquittal") if etype == "Appeal" else ("Conviction", "Acquittal", "Charge", "Detention", "Hearing")
    for ev in reversed(events):
        if ev.type in wanted and ev.court is not None:
            return sorted({x.person for x in events if x.type == ev.type and x.date == ev.date})
    return []


def _event_date(events: list[RawEvent], etype: str):
    import datetime as dt
    for ev in reversed(events):
        if ev.type == etype and ev.date and len(ev.date) == 10:
            return dt.date.fromisoformat(ev.date)
    return None


def _blocks_inheritance(text: str, s: int, e: int, dates) -> bool:
    """Sentences with a date of their own, or stative summaries, do not inherit."""
    if dates:
        return True
    return bool(re.search(r"\b(?:has|have)\s+(?:been|also|never|repeatedly|since|filed|lodged|received)\b", text[s:e]))


def _date_for(text: str, trig: _Trigger, dates, s: int, triggers: list[_Trigger] = ()) -> str | None:
    """The sentence's date phrase that dates this trigger ("" when the event is still to come)."""
    for d, v in dates:
        if trig.end <= d.start < trig.end + 45 and _FUTURE.search(text[trig.end:d.start]):
            if trig.type == "Summons" and re.search(r"\bfor\s+(?:the\s+)?$", text[trig.end:d.start]):
                return v  # a summons for a day is dated that day
            return ""
    claimed = {id(d) for d, _ in dates for t in triggers
               if t is not trig and t.end <= d.start < t.end + 25 and not re.search(r"[,;]", text[t.end:d.start])}
    usable = [(d, v) for d, v in dates if v and id(d) not in claimed
              and not _UNTIL.search(text[max(s, d.start - 40):d.start])]
    if not usable:
        # only "until"/"since" dates: a relative one still dates the trigger's clause
        return None
    before = [(d, v) for d, v in usable if d.end <= trig.start]
    after = [(d, v) for d, v in usable if d.start >= trig.end]
    if after:
        d, v = after[0]
        gap = text[trig.end:d.start]
        if len(gap) < 90 and (re.search(r"\b(?:on|in|of)\s+(?:the\s+)?(?:\w+\s+)?$", gap) or not gap.strip()) \
                and not re.search(r";|,\s+(?:and|but)\b", gap) \
                and (not before or len(gap) < 40 or not re.match(r"\s*(?:On|In)\b", text[before[-1][0].start - 3:before[-1][0].start + 3])):
            return v
    if before:
        return before[-1][1]
    if after:
        return after[0][1]
    return None


def _people_for(text: str, trig: _Trigger, mentions: list[PersonMention], triggers: list[_Trigger],
                s: int, e: int, people: list[Person]) -> list[int]:
    """People a trigger concerns."""
    left = [m for m in mentions if m.end <= trig.start and not _possessive(text, m) and not _owner(text, m)]
    right = [m for m in mentions if m.start >= trig.start and not _possessive(text, m) and not _owner(text, m)]
    before = text[max(s, trig.start - 30):trig.start]
    after = text[trig.end:min(e, trig.end + 30)]
    passive = bool(_PASSIVE.search(before)) or trig.type in ("Disappearance",) and not right
    if trig.type == "Raid":
        owner = _home_owner(text, trig, mentions, e)
        if owner:
            return owner
    if trig.type in ("Killing",) and re.match(r"(?:he|she)\b", text[trig.start:trig.end], re.I):
        passive = True
    if passive or re.match(r"\s+by\b", after):
        chosen = _group_at(text, left, len(left) - 1) if left else []
        if chosen:
            return chosen
    if right and not passive:
        first = right[0]
        gap = text[trig.end:first.start]
        if len(gap) < 100 and not any(trig.end < t.start < first.start for t in triggers if t.type != trig.type) or len(gap) < 40:
            group = _group_at(text, right, 0, forward=True)
            if group:
                return group
    if left and trig.start - left[-1].end < 250:
        return _group_at(text, left, len(left) - 1)
    if right and right[0].start - trig.end < 60:
        return _group_at(text, right, 0, forward=True)
    return []


_NOT_NOUN = {"in", "at", "on", "and", "for", "with", "to", "from", "after", "before", "as", "into", "of", "by",
             "that", "while", "when", "under", "without", "over", "about", "again", "several", "twice", "once",
             "the", "a", "an", "until", "since", "during", "pending", "because", "outside"}


def _possessive(text: str, m: PersonMention) -> bool:
    """"Toktosunova's husband", "her brother": the owner is not the one the act is about."""
    word = text[m.start:m.end].lower()
    if m.kind == "pronoun":
        return word in ("his", "her", "their") and bool(re.match(
            r"\s+(?:\w+\s+)?(?:husband|wife|brother|sister|mother|father|son|daughter|colleague|nephew|family"
            r"|relatives?|children|partner)\b", text[m.end:m.end + 30]))
    return bool(re.match(r"['’]s\s+(?:\w+\s+)?(?:husband|wife|brother|sister|mother|father|son|daughter|"
                         r"lawyers?|colleague|nephew|family|relatives?)\b", text[m.end:m.end + 30]))


def _owner(text: str, m: PersonMention) -> bool:
    """"Marat's health", "Tang's case": a name in the possessive is not the one acted upon."""
    return m.kind == "name" and possessive_after(text, m.end)


def _verdict_people(text: str, trig: _Trigger, mentions: list[PersonMention], sanctions: list[SanctionMention],
                    triggers: list[_Trigger]) -> list[int]:
    """"sentenced A to five years and B to three years": everyone given a sanction."""
    nxt = [t.start for t in triggers if t.start > trig.start and t.type in TAKES_SANCTION]
    limit = min(nxt) if nxt else 10 ** 9
    last = max((sm.end for sm in sanctions if trig.start <= sm.start < limit), default=None)
    if last is None:
        return []
    ids: list[int] = []
    for m in mentions:
        if trig.start <= m.start < last and re.match(r"\s+(?:to|was|were)\b", text[m.end:m.end + 6]):
            for k in m.people:
                if k not in ids:
                    ids.append(k)
    return ids


def _group_at(text: str, pool: list[PersonMention], i: int, *, forward: bool = False) -> list[int]:
    """The mention at ``pool[i]`` with those coordinated to it ("X, Y and Z", "X together with Y")."""
    ids = list(pool[i].people)
    step = 1 if forward else -1
    j = i
    while 0 <= j + step < len(pool):
        a, b = (pool[j], pool[j + step]) if forward else (pool[j + step], pool[j])
        gap = text[a.end:b.start]
        if not re.fullmatch(r"(?:\s*\([^()]*\))?\s*(?:,|,?\s+and|,?\s+together with|\s+as well as)\s+"
                            r"(?:(?:his|her|their)\s+(?:\w+\s+)?(?:\w+,\s+)?)?(?:(?:Mr|Ms|Mrs|Dr)\.?\s+)?"
                            r"(?:[\w ]{0,40}?(?:defender|lawyer|activist|journalist|vendor|blogger)s?\s+)?", gap):
            break
        for k in pool[j + step].people:
            if k not in ids:
                ids.append(k)
        j += step
    return ids


def _home_owner(text: str, trig: _Trigger, mentions: list[PersonMention], e: int) -> list[int]:
    """Whose home or office was searched ("searched the home of X", "X's apartment", "her home")."""
    window_end = min(e, trig.end + 70)
    pool = [m for m in mentions if trig.end <= m.start < window_end and not _possessive(text, m)]
    return _group_at(text, pool, 0, forward=True) if pool else []


def _orgs_for(text: str, trig: _Trigger, sent_orgs: list[OrgMention], orgs: list[OrgEntity],
              last_court: int | None, para_authority: int | None, s: int) -> tuple[int | None, int | None]:
    """(court, authority) acting in a trigger's event."""
    courts = [m for m in sent_orgs if orgs[m.entity].kind == "Court"]
    auths = [m for m in sent_orgs if orgs[m.entity].kind == "StateAuthority" and not _place(orgs[m.entity].name)]
    court = _nearest(trig, courts)
    if court is None and trig.type not in AUTHORITY_FIRST:
        ref = [m for m in _COURT_REF.finditer(text, s, trig.start)]
        if ref and last_court is not None:
            court = last_court
    authority = _nearest(trig, auths)
    if trig.type in COURT_FIRST:
        return court, None
    if trig.type in AUTHORITY_FIRST:
        if authority is None and para_authority is not None and _OFFICERS.search(text[s:trig.start]):
            authority = para_authority
        return None, authority
    if trig.type in ("Detention", "Release", "TravelBan"):
        return (court, None) if court is not None else (None, authority)
    return court, authority  # Charge may name both


def _place(name: str) -> bool:
    """Prisons and detention centres are where things happen, not who acts."""
    return bool(re.search(r"\b(?:[Pp]rison|[Jj]ail|Centre|Center|Facility|Colony|Institution|Station|headquarters)\b", name)) \
        and not re.search(r"\bPolice Station\b", name)


def _nearest(trig: _Trigger, pool: list[OrgMention]) -> int | None:
    if not pool:
        return None
    best = min(pool, key=lambda m: (m.start - trig.end if m.start >= trig.end else (trig.start - m.end) * 0.8))
    return best.entity


def _provisions_for(trig: _Trigger, triggers: list[_Trigger], sent_provs: list[int],
                    provisions: list[ProvisionMention]) -> list[int]:
    """Provisions cited after this trigger and before the next trigger that takes provisions."""
    takers = [t for t in triggers if t.type in TAKES_PROVISIONS]
    out = []
    for i in sent_provs:
        p = provisions[i]
        owner = None
        for t in takers:
            if t.start <= p.start:
                owner = t
        if owner is None and takers:
            owner = takers[0]
        if owner is trig or (owner is not None and owner.type == trig.type and owner.start == trig.start):
            out.append(i)
    return out


def _sanctions_for(text: str, trig: _Trigger, triggers: list[_Trigger], sanctions: list[SanctionMention],
                   mentions: list[PersonMention], who: list[int]) -> dict[int, list[Sanction]]:
    """Sanctions per person for a conviction or appeal trigger."""
    if trig.type not in TAKES_SANCTION or not sanctions:
        return {}
    if trig.type == "Appeal" and not re.search(r"reduced|increased|commuted", text[trig.start:trig.end + 40]):
        return {}
    nxt = [t.start for t in triggers if t.start > trig.start and t.type in TAKES_SANCTION]
    limit = nxt[0] if nxt else 10 ** 9
    out: dict[int, list[Sanction]] = {}
    for sm in sanctions:
        if sm.kind != "sanction" or not (sm.start >= trig.start - 10 and sm.start < limit):
            continue
        owners = [m for m in mentions if trig.start - 120 <= m.start < sm.start and any(p in who for p in m.people)]
        targets = who
        if owners and len(who) > 1:
            last = owners[-1]
            group = _group_at(text, owners, len(owners) - 1)
            targets = [p for p in group if p in who] or list(last.people)
        for p in targets:
            out.setdefault(p, []).append(sm.sanction)
    return out


# ---------------------------------------------------------------- consolidate

def _consolidate(events: list[RawEvent], provisions: list[ProvisionMention]) -> list[RawEvent]:
    """Merge per (class, person, date); fold undated mentions in; inherit charge provisions."""
    merged: dict[tuple, RawEvent] = {}
    undated: list[RawEvent] = []
    for ev in events:
        if not ev.date and ev.type == "Disappearance":
            arrests = [a.date for a in events if a.type == "Arrest" and a.person == ev.person and a.date]
            ev.date = arrests[-1] if arrests else None
        if not ev.date:
            undated.append(ev)
            continue
        key = (ev.type, ev.person, ev.date)
        if key in merged:
            _merge_into(merged[key], ev)
        else:
            merged[key] = ev
    for ev in undated:
        same = [m for m in merged.values() if m.type == ev.type and m.person == ev.person]
        if len(same) == 1:
            _merge_into(same[0], ev)
    # "convicted in February 2024" and "on 14 February 2024" are one conviction
    for key, ev in list(merged.items()):
        if len(ev.date) == 7:
            days = [m for m in merged.values() if m.type == ev.type and m.person == ev.person
                    and len(m.date) == 10 and m.date.startswith(ev.date)]
            if days:
                _merge_into(days[0], ev)
                del merged[key]
    out = list(merged.values())
    _inherit_provisions(out, provisions)
    _date_disappearances(out)
    return out


def _merge_into(target: RawEvent, other: RawEvent) -> None:
    target.court = target.court if target.court is not None else other.court
    target.authority = target.authority if target.authority is not None else other.authority
    for p in other.provisions:
        if p not in target.provisions:
            target.provisions.append(p)
    for s in other.sanctions:
        if s not in target.sanctions:
            target.sanctions.append(s)
    target.duration = target.duration or other.duration
    target.spans.extend(other.spans)


def _inherit_provisions(events: list[RawEvent], provisions: list[ProvisionMention]) -> None:
    """A verdict that names no provision is about the provisions the person was charged under."""
    for ev in events:
        if ev.type not in ("Conviction", "Acquittal") or ev.provisions:
            continue
        charged = [p for c in events if c.type == "Charge" and c.person == ev.person for p in c.provisions]
        seen: set[tuple] = set()
        for p in charged:
            key = (provisions[p].article, provisions[p].legislation)
            if key not in seen:
                seen.add(key)
                ev.provisions.append(p)


def _date_disappearances(events: list[RawEvent]) -> None:
    """A disappearance starts when the person was taken: the day of their arrest."""
    for ev in events:
        if ev.type != "Disappearance":
            continue
        arrests = sorted(a.date for a in events if a.type == "Arrest" and a.person == ev.person
                         and a.date and len(a.date) == 10 and a.date <= (ev.date or "9999"))
        if arrests and ev.date != arrests[-1]:
            ev.date = arrests[-1]
