"""The records that travel between pipeline stages.

``Document`` (reading → extraction), ``Facts`` (extraction → RDF) and
``ValidationReport`` (SHACL gate → caller).  ``Facts`` is the reviewed,
JSON-serialisable record of one statement: researchers read, correct and
re-ingest it as ``NAME.facts.json``; its JSON Schema is
``ontology/facts.schema.json``.

Entities and events refer to each other by their local ``id`` inside one
facts file ("e1", "ev3"); stable, shared IRIs are minted later by
:mod:`graph.build` from their identifying data (name, country, law).
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

FACTS_FORMAT = 1

#: Entity types a facts file may use; each is a local name in the hrd: namespace.
ENTITY_TYPES = (
    "HumanRightsDefender", "Person", "Organisation", "StateAuthority", "Court",
    "Legislation", "LegalProvision",
)
#: Event classes of the core vocabulary (local names in hrd:).
EVENT_TYPES = (
    "Arrest", "Detention", "Charge", "Summons", "Hearing", "Conviction", "Acquittal",
    "Appeal", "Release", "Raid", "TravelBan", "Assault", "Killing", "Threat",
    "SmearCampaign", "Disappearance",
)
SANCTION_TYPES = ("Fine", "Imprisonment", "SuspendedSentence", "OtherSanction")


@dataclass(frozen=True)
class Span:
    """A stretch of the statement's text: ``text[start:end] == quote``."""

    start: int
    end: int
    quote: str


@dataclass(frozen=True)
class Document:
    """The readable text of one statement file.

    ``text`` is what the researcher sees (markup removed); ``source_map``
    maps offsets in ``text`` back to offsets in the raw file as a sorted
    tuple of ``(text_offset, source_offset)`` anchors (empty for PDF, where
    page numbers are given by ``pages`` instead).
    """

    path: str
    text: str
    media_type: str
    title: str | None = None
    source_map: tuple[tuple[int, int], ...] = ()
    pages: tuple[int, ...] = ()  # text offset at which each PDF page starts

    def span(self, start: int, end: int) -> Span:
        """The span ``start:end`` of this document's text."""
        return Span(start, end, self.text[start:end])


@dataclass(frozen=True)
class Sanction:
    """A penalty: ``Fine`` (amount + ISO 4217 currency), ``Imprisonment``,
    ``SuspendedSentence`` (with an ISO 8601 ``duration`` such as ``P7Y``) or
    ``OtherSanction``.  ``amount`` is a decimal written as a string so that
    no precision is lost on the way to ``xsd:decimal``."""

    type: str
    amount: str | None = None
    currency: str | None = None
    duration: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Entity:
    """A person, organisation, court, law or provision named in a statement.

    ``country`` is an ISO 3166-1 alpha-2 code (nationality for people,
    jurisdiction for courts, authorities and laws).  ``city`` is a city name
    (courts, authorities, organisations).  Provisions carry ``article``,
    ``paragraph`` and ``legislation`` (the id of a Legislation entity).
    ``member_of`` lists ids of organisations the person belongs to or leads.
    """

    id: str
    type: str
    name: str
    aliases: tuple[str, ...] = ()
    country: str | None = None
    city: str | None = None
    gender: str | None = None
    role: str | None = None
    member_of: tuple[str, ...] = ()
    article: str | None = None
    paragraph: str | None = None
    legislation: str | None = None
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Event:
    """Something that happened to one or more people on a date.

    ``date`` is ``YYYY-MM-DD`` or, when only the month is known, ``YYYY-MM``.
    ``concerns``, ``court``, ``authority`` and ``provisions`` hold entity ids.
    ``duration`` (ISO 8601) is for events that last, such as a TravelBan.
    """

    id: str
    type: str
    date: str | None = None
    concerns: tuple[str, ...] = ()
    court: str | None = None
    authority: str | None = None
    provisions: tuple[str, ...] = ()
    sanction: Sanction | None = None
    duration: str | None = None
    evidence: tuple[Span, ...] = ()


@dataclass(frozen=True)
class StatementInfo:
    """Metadata of the statement itself.

    ``id`` is the statement's stable key (by default the file name without
    its extension); re-ingesting a statement with the same id replaces it.
    ``publisher`` is the id of an Organisation entity.  ``demands`` keeps
    the statement's recommendations ("urges the authorities to ...") as
    text: they are the publisher's demands, never events of the case.
    """

    id: str
    title: str | None = None
    issued: str | None = None
    publisher: str | None = None
    country: str | None = None
    source: str | None = None
    language: str = "en"
    restricted: bool = False
    demands: tuple[Span, ...] = ()


@dataclass(frozen=True)
class Facts:
    """Everything extracted from (or reviewed for) one statement."""

    statement: StatementInfo
    entities: tuple[Entity, ...] = ()
    events: tuple[Event, ...] = ()
    text: str | None = None  # the statement's text, kept so that offsets can be checked

    def entity(self, entity_id: str) -> Entity:
        """The entity with local id ``entity_id`` (KeyError if there is none)."""
        for ent in self.entities:
            if ent.id == entity_id:
                return ent
        raise KeyError(entity_id)

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        """A plain dict following ``ontology/facts.schema.json``; empty fields are left out."""
        out = {"hrdkg_facts": FACTS_FORMAT, **_prune(asdict(self))}
        return out

    def to_json(self) -> str:
        """Pretty JSON, stable key order, ready for a researcher to review."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2) + "\n"

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Facts":
        """Build Facts from a dict that already passed schema validation."""
        st = dict(data["statement"])
        st["demands"] = tuple(_span(s) for s in st.get("demands", ()))
        entities = tuple(
            Entity(**{**e, "aliases": tuple(e.get("aliases", ())),
                      "member_of": tuple(e.get("member_of", ())),
                      "evidence": tuple(_span(s) for s in e.get("evidence", ()))})
            for e in data.get("entities", ())
        )
        events = tuple(
            Event(**{**e, "concerns": tuple(e.get("concerns", ())),
                     "provisions": tuple(e.get("provisions", ())),
                     "sanction": _sanction(e.get("sanction")),
                     "evidence": tuple(_span(s) for s in e.get("evidence", ()))})
            for e in data.get("events", ())
        )
        return cls(statement=StatementInfo(**st), entities=entities, events=events,
                   text=data.get("text"))

    def with_statement(self, **changes: Any) -> "Facts":
        """A copy with some statement fields changed (e.g. ``restricted=True``)."""
        return replace(self, statement=replace(self.statement, **changes))


def _span(data: dict[str, Any]) -> Span:
    return Span(int(data["start"]), int(data["end"]), str(data["quote"]))


def _sanction(data: dict[str, Any] | None) -> Sanction | None:
    if data is None:
        return None
    data = dict(data)
    if data.get("amount") is not None:
        data["amount"] = str(data["amount"])
    return Sanction(**data)


def _prune(value: Any) -> Any:
    """Drop None, empty lists and False defaults so facts files stay short."""
    if isinstance(value, dict):
        return {k: _prune(v) for k, v in value.items()
                if v is not None and v != () and v != [] and not (k == "restricted" and v is False)}
    if isinstance(value, (list, tuple)):
        return [_prune(v) for v in value]
    return value


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL finding in plain words."""

    focus: str
    path: str | None
    message: str
    shape: str | None
    severity: str = "Violation"
    value: str | None = None

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        val = f" [value: {self.value}]" if self.value else ""
        return f"{self.severity}: {self.focus}{where}: {self.message}{val}"


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a SHACL check: ``conforms`` and readable ``results``."""

    conforms: bool
    results: tuple[ValidationResult, ...] = ()

    def __str__(self) -> str:
        if self.conforms:
            return "Conforms: no violation."
        return "\n".join(f"  - {r}" for r in self.results)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, for ``--format json`` and the web app."""
        return {"conforms": self.conforms, "results": [asdict(r) for r in self.results]}


def field_names(cls: type) -> list[str]:
    """Names of a dataclass's fields (used by the schema test)."""
    return [f.name for f in fields(cls)]

