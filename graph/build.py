"""Facts → RDF: one named graph per statement, with stable, readable IRIs.

Entities shared by statements get one IRI derived from normalised
identifying data, so that statements about the same defender, court or law
meet in the graph:

========================  ==============================================
person / defender          ``person/{cc}/{name}``  (cc = nationality or ``xx``)
NGO / organisation         ``organisation/{name}``
state authority            ``authority/{cc}/{name}``
court                      ``court/{cc}/[{city}/]{name}``
city                       ``city/{cc}/{name}``
legislation                ``legislation/{cc}/{name}``
provision                  ``provision/{cc}/{law}/{article}[/{paragraph}]``
country                    ``country/{CC}`` (fixed reference data)
========================  ==============================================

Names are folded (case, diacritics, punctuation) before they become IRI
segments, so spelling variants that differ only there meet.  Events,
sanctions and evidence belong to one statement and are minted under the
statement's IRI.  No blank nodes are used: every node can be linked to,
and graphs from different statements merge without renaming.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, XSD

from ontology import ONTOLOGY_DIR

from .model import Entity, Event, Facts, Span
from .namespaces import COUNTRY_BASE, DEFAULT_BASE, HRD, OA, bind_prefixes



class _TermCache:
    """A namespace that makes each of its terms once.

    rdflib builds (and checks) a new URIRef on every ``NS.term`` access; a
    statement graph uses a few dozen terms about 800 times, which made term
    creation a quarter of the build time.
    """

    def __init__(self, namespace) -> None:
        self._namespace = namespace

    def __getattr__(self, name: str) -> URIRef:  # only reached the first time
        if name.startswith("__"):
            raise AttributeError(name)
        term = self._namespace[name]
        setattr(self, name, term)
        return term

    def __getitem__(self, name: str) -> URIRef:
        return getattr(self, name)


RDF, RDFS, DCTERMS, OWL, SKOS, XSD, HRD, OA = (
    _TermCache(ns) for ns in (RDF, RDFS, DCTERMS, OWL, SKOS, XSD, HRD, OA))

# letters that Unicode does not decompose into base letter + accent
_FOLD = str.maketrans({"ı": "i", "ə": "a", "Ə": "a", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o",
                       "Ø": "o", "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th",
                       "ð": "d", "ħ": "h", "ŧ": "t", "’": "", "ʻ": "", "'": ""})


def slug(text: str) -> str:
    """Fold a name into an IRI segment: ``"Bakhytzhan Törégozhina"`` → ``bakhytzhan-toregozhina``.

    >>> slug("Article 456-2(3)")
    'article-456-2-3'
    >>> slug("Ar-Rukh-Hak") == slug("AR RUKH HAK")
    True
    """
    text = unicodedata.normalize("NFKD", text.translate(_FOLD))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "unnamed"


def country_iri(code: str) -> URIRef:
    """The fixed IRI of a country: ``country_iri("KZ")``."""
    return URIRef(COUNTRY_BASE + code.upper())


@lru_cache(maxsize=1)
def country_table() -> dict[str, tuple[str, str | None]]:
    """ISO code → (English name, Wikidata IRI or None), from ``ontology/countries.ttl``."""
    g = Graph()
    g.parse(ONTOLOGY_DIR / "countries.ttl", format="turtle")
    table: dict[str, tuple[str, str | None]] = {}
    for country, code in g.subject_objects(HRD.isoCode):
        label = g.value(country, RDFS.label)
        same = g.value(country, OWL.sameAs)
        table[str(code)] = (str(label), str(same) if same is not None else None)
    return table


@dataclass(frozen=True)
class IriMinter:
    """Mints the IRIs of one statement's nodes under a configurable base."""

    base: str = DEFAULT_BASE

    def statement(self, statement_id: str) -> URIRef:
        return URIRef(f"{self.base}statement/{statement_id}")

    def entity(self, ent: Entity, facts: Facts) -> URIRef:
        cc = (ent.country or facts.statement.country or "xx").lower()
        name = slug(ent.name)
        if ent.type in ("Person", "HumanRightsDefender"):
            return URIRef(f"{self.base}person/{(ent.country or 'xx').lower()}/{name}")
        if ent.type == "Organisation":
            return URIRef(f"{self.base}organisation/{name}")
        if ent.type == "StateAuthority":
            return URIRef(f"{self.base}authority/{cc}/{name}")
        if ent.type == "Court":
            city = f"{slug(ent.city)}/" if ent.city and slug(ent.city) not in name else ""
            return URIRef(f"{self.base}court/{cc}/{city}{name}")
        if ent.type == "Legislation":
            return URIRef(f"{self.base}legislation/{cc}/{name}")
        if ent.type == "LegalProvision":
            law = facts.entity(ent.legislation) if ent.legislation else None
            law_cc = ((law.country if law else None) or cc).lower()
            law_slug = slug(law.name) if law else "unknown-law"
            tail = slug(ent.article or ent.name) + (f"/{slug(ent.paragraph)}" if ent.paragraph else "")
            return URIRef(f"{self.base}provision/{law_cc}/{law_slug}/{tail}")
        raise ValueError(f"unknown entity type {ent.type!r}")

    def city(self, name: str, country: str | None) -> URIRef:
        return URIRef(f"{self.base}city/{(country or 'xx').lower()}/{slug(name)}")


def build_graph(facts: Facts, *, base: str = DEFAULT_BASE) -> Graph:
    """Turn one statement's facts into its named graph.

    The graph's identifier is the statement IRI.  Every entity and event
    carries ``hrd:describedIn`` the statement, and every evidence span
    becomes a Web Annotation whose body is the thing it supports.
    """
    return _GraphBuilder(facts, IriMinter(base)).build()


class _Triples:
    """The triples of one build, in the order they are made, each once.

    Triples are collected as plain tuples and loaded into the rdflib graph in
    one pass at the end: ``Graph.add`` costs about 13 µs a triple (argument
    checks, an event per triple, context bookkeeping), a dict insert well
    under 1 µs, and the same country triples are made once per entity.
    """

    def __init__(self) -> None:
        self._seen: dict[tuple[Node, Node, Node], None] = {}

    def add(self, triple: tuple[Node, Node, Node]) -> None:
        self._seen[triple] = None

    def __iter__(self):
        return iter(self._seen)

    def __len__(self) -> int:
        return len(self._seen)


class _GraphBuilder:
    """Holds the state of one build: the triples, the IRIs minted so far and counters."""

    def __init__(self, facts: Facts, mint: IriMinter) -> None:
        self.facts = facts
        self.mint = mint
        self.st = mint.statement(facts.statement.id)
        self.g = _Triples()
        self.iris = {ent.id: mint.entity(ent, facts) for ent in facts.entities}
        self.evidence_count = 0

    def build(self) -> Graph:
        self._statement()
        for ent in self.facts.entities:
            self._entity(ent)
        for n, ev in enumerate(self.facts.events, start=1):
            self._event(ev, URIRef(f"{self.st}/event/{n}"))
        return _load(self.st, self.g)

    # ------------------------------------------------------------- statement
    def _statement(self) -> None:
        info, g, st = self.facts.statement, self.g, self.st
        g.add((st, RDF.type, HRD.Statement))
        g.add((st, RDFS.label, Literal(info.title or info.id)))
        if info.title:
            g.add((st, DCTERMS.title, Literal(info.title)))
        if info.issued:
            g.add((st, DCTERMS.issued, Literal(info.issued, datatype=XSD.date)))
        if info.publisher:
            g.add((st, DCTERMS.publisher, self.iris[info.publisher]))
        if info.source:
            g.add((st, DCTERMS.source, Literal(info.source)))
        if info.language:
            g.add((st, DCTERMS.language, Literal(info.language)))
        if info.country:
            g.add((st, HRD.country, self._country(info.country)))
        if info.restricted:
            g.add((st, HRD.restricted, Literal(True)))
        if self.facts.text:
            g.add((st, HRD.text, Literal(self.facts.text)))
        for demand in info.demands:
            g.add((st, HRD.demand, Literal(demand.quote)))

    def _country(self, code: str) -> URIRef:
        """Copy the country's reference data into the statement graph, so that
        the graph is self-contained (labels and ISO codes travel with exports)."""
        iri = country_iri(code)
        name, wikidata = country_table().get(code.upper(), (code.upper(), None))
        self.g.add((iri, RDF.type, HRD.Country))
        self.g.add((iri, RDFS.label, Literal(name)))
        self.g.add((iri, HRD.isoCode, Literal(code.upper())))
        if wikidata:
            self.g.add((iri, OWL.sameAs, URIRef(wikidata)))
        return iri

    # -------------------------------------------------------------- entities
    def _entity(self, ent: Entity) -> None:
        g, iri = self.g, self.iris[ent.id]
        g.add((iri, RDF.type, HRD[ent.type]))
        if ent.type == "HumanRightsDefender":
            g.add((iri, RDF.type, HRD.Person))
        g.add((iri, RDFS.label, Literal(ent.name)))
        g.add((iri, HRD.describedIn, self.st))
        for alias in ent.aliases:
            g.add((iri, SKOS.altLabel, Literal(alias)))
        if ent.country:
            prop = HRD.country if ent.type in ("Person", "HumanRightsDefender") else HRD.jurisdiction
            if ent.type != "LegalProvision":
                g.add((iri, prop, self._country(ent.country)))
        if ent.city:
            city = self.mint.city(ent.city, ent.country or self.facts.statement.country)
            g.add((city, RDF.type, HRD.City))
            g.add((city, RDFS.label, Literal(ent.city)))
            g.add((city, HRD.describedIn, self.st))
            cc = ent.country or self.facts.statement.country
            if cc:
                g.add((city, HRD.country, self._country(cc)))
            g.add((iri, HRD.locatedIn, city))
        if ent.gender:
            g.add((iri, HRD.gender, Literal(ent.gender)))
        if ent.role:
            g.add((iri, HRD.role, Literal(ent.role)))
        for org in ent.member_of:
            g.add((iri, HRD.memberOf, self.iris[org]))
        if ent.type == "LegalProvision":
            self._provision(ent, iri)
        self._evidence(iri, ent.evidence)

    def _provision(self, ent: Entity, iri: URIRef) -> None:
        if ent.article:
            self.g.add((iri, HRD.article, Literal(ent.article)))
        if ent.paragraph:
            self.g.add((iri, HRD.paragraph, Literal(ent.paragraph)))
        if ent.legislation:
            self.g.add((iri, HRD.partOf, self.iris[ent.legislation]))

    # ---------------------------------------------------------------- events
    def _event(self, ev: Event, iri: URIRef) -> None:
        g = self.g
        g.add((iri, RDF.type, HRD[ev.type]))
        g.add((iri, RDFS.label, Literal(self._event_label(ev))))
        g.add((iri, HRD.describedIn, self.st))
        if ev.date:
            dtype = XSD.gYearMonth if len(ev.date) == 7 else XSD.date
            g.add((iri, HRD.date, Literal(ev.date, datatype=dtype)))
        for who in ev.concerns:
            g.add((iri, HRD.concerns, self.iris[who]))
        if ev.court:
            g.add((iri, HRD.court, self.iris[ev.court]))
        if ev.authority:
            g.add((iri, HRD.authority, self.iris[ev.authority]))
        for prov in ev.provisions:
            g.add((iri, HRD.invokes, self.iris[prov]))
        if ev.duration:
            g.add((iri, HRD.duration, Literal(ev.duration, datatype=XSD.duration)))
        if ev.sanction:
            self._sanction(ev, iri)
        self._evidence(iri, ev.evidence)

    def _event_label(self, ev: Event) -> str:
        names = ", ".join(self.facts.entity(w).name for w in ev.concerns) or "unnamed persons"
        when = f" ({ev.date})" if ev.date else ""
        return f"{_words(ev.type)} of {names}{when}"

    def _sanction(self, ev: Event, event_iri: URIRef) -> None:
        s, g = ev.sanction, self.g
        assert s is not None
        iri = URIRef(f"{event_iri}/sanction")
        g.add((event_iri, HRD.sanction, iri))
        g.add((iri, RDF.type, HRD[s.type]))
        g.add((iri, HRD.describedIn, self.st))
        if s.amount is not None:
            g.add((iri, HRD.amount, Literal(s.amount, datatype=XSD.decimal)))
        if s.currency:
            g.add((iri, HRD.currency, Literal(s.currency)))
        if s.duration:
            g.add((iri, HRD.duration, Literal(s.duration, datatype=XSD.duration)))
        if s.description:
            g.add((iri, RDFS.comment, Literal(s.description)))
        g.add((iri, RDFS.label, Literal(_sanction_label(s.type, s.amount, s.currency, s.duration))))

    # -------------------------------------------------------------- evidence
    def _evidence(self, body: URIRef, spans: tuple[Span, ...]) -> None:
        for span in spans:
            self.evidence_count += 1
            ann = URIRef(f"{self.st}/evidence/{self.evidence_count}")
            target, pos, quote = URIRef(f"{ann}/target"), URIRef(f"{ann}/position"), URIRef(f"{ann}/quote")
            g = self.g
            g.add((ann, RDF.type, OA.Annotation))
            g.add((ann, OA.hasBody, body))
            g.add((ann, OA.hasTarget, target))
            g.add((target, RDF.type, OA.SpecificResource))
            g.add((target, OA.hasSource, self.st))
            g.add((target, OA.hasSelector, pos))
            g.add((target, OA.hasSelector, quote))
            g.add((pos, RDF.type, OA.TextPositionSelector))
            g.add((pos, OA.start, Literal(span.start, datatype=XSD.nonNegativeInteger)))
            g.add((pos, OA.end, Literal(span.end, datatype=XSD.nonNegativeInteger)))
            g.add((quote, RDF.type, OA.TextQuoteSelector))
            g.add((quote, OA.exact, Literal(span.quote)))


def _load(identifier: URIRef, triples: _Triples) -> Graph:
    """A graph named ``identifier`` holding ``triples`` (all distinct, all valid terms).

    They go straight to the in-memory store: ``Graph.add`` would only repeat,
    triple by triple, checks that the builder's own terms always pass.
    """
    graph = Graph(identifier=identifier)
    bind_prefixes(graph)
    add = graph.store.add
    for triple in triples:
        add(triple, graph, False)
    return graph


def _words(camel: str) -> str:
    """``SmearCampaign`` → ``Smear campaign``."""
    return re.sub(r"(?<!^)([A-Z])", lambda m: " " + m.group(1).lower(), camel)


def _sanction_label(kind: str, amount: str | None, currency: str | None, duration: str | None) -> str:
    parts = [_words(kind)]
    if amount is not None:
        parts.append(f"of {amount} {currency or ''}".rstrip())
    if duration:
        parts.append(f"of {duration}")
    return " ".join(parts)
