"""Statement extraction: :class:`~graph.model.Document` -> :class:`~graph.model.Facts`.

Deterministic, explainable and offline.  The rules are plain regular
expressions and gazetteers, one module per kind of fact:

=================  =====================================================
``text``           layout: narrative, demands, letterhead, boilerplate
``metadata``       title, issue date, publisher, main country
``dates``          absolute, partial and relative dates
``law``            legislation and provisions
``organisations``  NGOs, state authorities, courts (+ city)
``people``         persons, defenders, coreference
``sanctions``      fines (ISO 4217) and terms (ISO 8601 durations)
``triggers``       the words that report each event class
``events``         events with date, people, court/authority, provisions
``lexicon``        word lists shared by the rules
=================  =====================================================

Why regular expressions rather than spaCy's Matcher: the facts that matter
here are shaped by characters, not tokens ("456-2(3)", "7/2", "174¹",
"KZT 78,000", "02.08.2024", "Al-Dhaheri"), which spaCy's tokenizer splits
in ways that vary with punctuation; regexes over the raw text give exact
character offsets for evidence without a token-to-character mapping, need
no pipeline object, and run several times faster than even a blank spaCy
pipeline, which matters for the 100 statements/s target.  Sentence
splitting is a small abbreviation-aware rule (``text.split_sentences``).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from graph.extract import events as _events
from graph.extract import law as _law
from graph.extract import metadata as _metadata
from graph.extract import organisations as _orgs
from graph.extract import people as _people
from graph.extract import text as _text
from graph.extract.dates import find_dates
from graph.extract.lexicon import PUBLISHERS
from graph.model import Document, Entity, Event, Facts, Sanction, Span, StatementInfo

__all__ = ["extract", "extract_path", "warm_up"]


def warm_up() -> None:
    """Build the tables and patterns that extraction otherwise builds on first
    use (country and currency tables, publisher patterns): for worker processes,
    which then share them with their siblings."""
    _metadata.country_names()
    _metadata._country_rx()
    _metadata._publisher_rx()
    from graph.extract.sanctions import _iso_currencies

    _iso_currencies()


def extract_path(path: Path, *, max_bytes: int = 20_000_000) -> Facts:
    """Read a statement file and extract its facts (the body of ``hrdkg extract FILE``).

    :raises graph.errors.InputError: the file cannot be read (or is over ``max_bytes``).
    """
    from graph.read import read_document

    doc = read_document(Path(path), max_bytes=max_bytes)
    return extract(doc, statement_id=Path(path).stem)


def extract(doc: Document, *, statement_id: str | None = None) -> Facts:
    """Extract the facts of one statement, each with evidence spans into ``doc.text``."""
    text = doc.text
    title = _metadata.find_title(text, doc.title)
    layout = _text.analyse(text, title=title)
    # entities come from running text (never from headlines, letterheads or boilerplate)
    readable = [(b.start, b.end) for b in layout.blocks if b.kind in ("narrative", "letter", "demand")
                or (b.kind == "meta" and not _title_case(text[b.start:b.end]))]
    narrative_like = [(b.start, b.end) for b in layout.blocks if b.kind in ("narrative", "letter", "demand")]
    country_hint = _metadata.find_country(text, title, readable)

    laws, provisions = _law.find_law(text, [(b.start, b.end) for b in layout.blocks if b.kind != "boilerplate"])
    law_spans = [(p.start, p.end) for p in provisions] + [s for lw in laws.values() for s in lw.spans]
    orgs, org_mentions = _orgs.find_organisations(text, readable, exclude=law_spans)
    dates = find_dates(text)
    meta = _metadata.find_metadata(text, doc.title, readable, [(o.name, o.spans) for o in orgs], title, dates)
    country = meta.country or country_hint

    blocked = law_spans + [s for o in orgs for s in o.spans] + ([title] if title else [])
    people, person_mentions = _people.find_people(text, narrative_like, blocked=blocked)
    raw_events = _events.find_events(
        text, layout, issued=meta.issued, country=country, people=people,
        person_mentions=person_mentions, orgs=orgs, org_mentions=org_mentions, provisions=provisions,
        dates=dates)

    builder = _FactsBuilder(doc)
    publisher_id = builder.publisher(meta.publisher, meta.publisher_spans, orgs)
    concerned = {ev.person for ev in raw_events}
    person_ids = builder.people(people, concerned, country)
    org_ids = builder.organisations(orgs, country, publisher=meta.publisher)
    prov_ids = builder.provisions(laws, provisions, country)
    builder.events(raw_events, person_ids, org_ids, prov_ids)
    demands = tuple(doc.span(s.start, s.end) for s in layout.sentences if s.kind == "demand")
    statement = StatementInfo(
        id=statement_id or Path(doc.path).stem,
        title=re.sub(r"\s+", " ", text[title[0]:title[1]]).strip() if title else (doc.title or None),
        issued=meta.issued, publisher=publisher_id, country=country,
        source=Path(doc.path).name, demands=demands)
    return Facts(statement=statement, entities=tuple(builder.entities), events=tuple(builder.event_list), text=text)


class _FactsBuilder:
    """Gives local ids to extracted things and turns them into model records."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.entities: list[Entity] = []
        self.event_list: list[Event] = []

    def _id(self) -> str:
        return f"e{len(self.entities) + 1}"

    def _spans(self, spans) -> tuple[Span, ...]:
        seen = []
        for s, e in spans:
            if (s, e) not in seen:
                seen.append((s, e))
        return tuple(self.doc.span(s, e) for s, e in seen[:20])

    def publisher(self, name: str | None, spans, orgs: list[_orgs.OrgEntity]) -> str | None:
        if not name:
            return None
        ent_id = self._id()
        ev = list(spans)
        for o in orgs:
            if _same_org(o.name, name) or name in o.aliases:
                ev.extend(o.spans)
        self.entities.append(Entity(ent_id, "Organisation", name, evidence=self._spans(ev)))
        self.publisher_name = name
        return ent_id

    def people(self, people: list[_people.Person], concerned: set[int], country: str | None) -> dict[int, str]:
        ids = {}
        for i, p in enumerate(people):
            defender = _is_defender(p, i in concerned)
            ent_id = self._id()
            ids[i] = ent_id
            aliases = tuple(sorted(a for a in p.aliases if a != p.name))
            role = p.roles[0] if p.roles else None
            self.entities.append(Entity(
                ent_id, "HumanRightsDefender" if defender else "Person", p.name, aliases=aliases,
                country=country if defender else None, gender=p.gender, role=role,
                evidence=self._spans(p.spans)))
        return ids

    def organisations(self, orgs: list[_orgs.OrgEntity], country: str | None, *, publisher: str | None) -> dict[int, str]:
        ids = {}
        for i, o in enumerate(orgs):
            if publisher and (_same_org(o.name, publisher) or publisher in o.aliases
                              or any(_same_org(o.name, a) for a in PUBLISHERS.get(publisher, ()))):
                ids[i] = next(e.id for e in self.entities if e.name == publisher)
                continue
            ent_id = self._id()
            ids[i] = ent_id
            etype = o.kind
            self.entities.append(Entity(
                ent_id, etype, o.name, aliases=tuple(sorted(o.aliases)),
                country=country if etype in ("Court", "StateAuthority") else None,
                city=o.city if etype == "Court" else None, evidence=self._spans(o.spans)))
        return ids

    def provisions(self, laws: dict[str, _law.Legislation], mentions: list[_law.ProvisionMention],
                   country: str | None) -> dict[int, str]:
        law_ids: dict[str, str] = {}
        prov_ids: dict[tuple, str] = {}
        out: dict[int, str] = {}
        # an article cited once with a paragraph and once without is one provision
        with_para = {(m.article, m.legislation): m.paragraph for m in mentions if m.paragraph}
        for i, m in enumerate(mentions):
            if m.legislation is None:
                continue
            if m.legislation not in law_ids:
                law = laws[m.legislation]
                law_ids[m.legislation] = self._id()
                self.entities.append(Entity(law_ids[m.legislation], "Legislation", law.name,
                                            aliases=tuple(sorted(law.aliases)), country=country,
                                            evidence=self._spans(law.spans)))
            para = m.paragraph or with_para.get((m.article, m.legislation))
            key = (m.article, para, m.legislation)
            if key not in prov_ids:
                prov_ids[key] = self._id()
                label = f"Article {m.article}" + (f"({para})" if para else "") + f" of the {laws[m.legislation].name}"
                self.entities.append(Entity(prov_ids[key], "LegalProvision", label, article=m.article,
                                            paragraph=para, legislation=law_ids[m.legislation], country=country,
                                            evidence=self._spans([(m.start, m.end)])))
            else:
                self._add_evidence(prov_ids[key], (m.start, m.end))
            out[i] = prov_ids[key]
        return out

    def _add_evidence(self, ent_id: str, span: tuple[int, int]) -> None:
        for k, ent in enumerate(self.entities):
            if ent.id == ent_id and len(ent.evidence) < 20:
                ev = ent.evidence + (self.doc.span(*span),)
                self.entities[k] = Entity(**{**ent.__dict__, "evidence": tuple(dict.fromkeys(ev))})

    def events(self, raw: list[_events.RawEvent], person_ids: dict[int, str], org_ids: dict[int, str],
               prov_ids: dict[int, str]) -> None:
        n = 0
        for ev in sorted(raw, key=lambda r: (r.date or "", r.spans[0][0] if r.spans else 0)):
            provs = tuple(dict.fromkeys(prov_ids[p] for p in ev.provisions if p in prov_ids))
            sanctions: list[Sanction | None] = list(ev.sanctions) or [None]
            for sanction in sanctions:  # one event per sanction: the model holds one
                n += 1
                self.event_list.append(Event(
                    id=f"ev{n}", type=ev.type, date=ev.date, concerns=(person_ids[ev.person],),
                    court=org_ids.get(ev.court) if ev.court is not None else None,
                    authority=org_ids.get(ev.authority) if ev.authority is not None else None,
                    provisions=provs, sanction=sanction, duration=ev.duration,
                    evidence=self._spans(ev.spans)))


def _title_case(line: str) -> bool:
    words = [w for w in line.split() if w[:1].isalpha()]
    return len(words) >= 4 and sum(1 for w in words if w[:1].isupper()) / len(words) >= 0.7


def _same_org(a: str, b: str) -> bool:
    na, nb = _norm_org(a), _norm_org(b)
    return na == nb or na.removeprefix("the ") == nb


_NON_WORD = re.compile(r"\W+")


@lru_cache(maxsize=4096)
def _norm_org(name: str) -> str:
    """Lower case, punctuation as spaces (cached: the same few names are compared
    for every organisation of a statement)."""
    return _NON_WORD.sub(" ", name.lower()).strip()


def _is_defender(p: _people.Person, concerned: bool) -> bool:
    """Strong roles make a defender; weak ones only when something happens to the person."""
    if "strong" in p.cues:
        return True
    if p.cues & {"relative", "bystander", "official", "speaker"}:
        return False
    return "weak" in p.cues and concerned
