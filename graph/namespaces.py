"""Namespaces and the one shared prefix map.

``HRD`` is closed: a misspelt term (``HRD.concern``) raises at import or
call time instead of silently minting a new IRI.  A test checks that every
term listed here is declared in ``ontology/hrdkg.ttl`` and vice versa.
"""
from __future__ import annotations

from rdflib import Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace

ONTOLOGY_IRI = "https://w3id.org/hrdkg/ontology"
DEFAULT_BASE = "https://w3id.org/hrdkg/id/"
#: Countries are reference data with fixed IRIs, whatever the data base.
COUNTRY_BASE = "https://w3id.org/hrdkg/id/country/"


class HRD(DefinedNamespace):
    """Classes and properties of the hrdkg ontology."""

    _fail = True
    _NS = Namespace("https://w3id.org/hrdkg/ontology#")

    # classes
    Statement: URIRef
    Person: URIRef
    HumanRightsDefender: URIRef
    Organisation: URIRef
    Court: URIRef
    StateAuthority: URIRef
    Country: URIRef
    City: URIRef
    Legislation: URIRef
    LegalProvision: URIRef
    Event: URIRef
    Sanction: URIRef
    Fine: URIRef
    Imprisonment: URIRef
    SuspendedSentence: URIRef
    OtherSanction: URIRef
    Arrest: URIRef
    Detention: URIRef
    Charge: URIRef
    Summons: URIRef
    Hearing: URIRef
    Conviction: URIRef
    Acquittal: URIRef
    Appeal: URIRef
    Release: URIRef
    Raid: URIRef
    TravelBan: URIRef
    Assault: URIRef
    Killing: URIRef
    Threat: URIRef
    SmearCampaign: URIRef
    Disappearance: URIRef
    EventType: URIRef  # the SKOS concept scheme of event classes
    # properties of the core vocabulary
    country: URIRef
    isoCode: URIRef
    jurisdiction: URIRef
    locatedIn: URIRef
    memberOf: URIRef
    article: URIRef
    paragraph: URIRef
    partOf: URIRef
    date: URIRef
    concerns: URIRef
    court: URIRef
    authority: URIRef
    invokes: URIRef
    sanction: URIRef
    amount: URIRef
    currency: URIRef
    duration: URIRef
    describedIn: URIRef
    # hrdkg's own additions
    gender: URIRef  # "female" / "male" when the statement says so ("woman human rights defender")
    role: URIRef  # "lawyer", "journalist", ... as the statement introduces the person
    demand: URIRef  # a recommendation of the statement ("urges the authorities to ...")
    restricted: URIRef  # true on a confidential statement
    text: URIRef  # the statement's readable text, which evidence offsets point into
    eventType: URIRef  # links an event class to its SKOS concept


OA = Namespace("http://www.w3.org/ns/oa#")
SCHEMA = Namespace("https://schema.org/")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
WD = Namespace("http://www.wikidata.org/entity/")
SH = Namespace("http://www.w3.org/ns/shacl#")
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")

#: The one prefix map used by queries, exports and the web app.
PREFIXES: dict[str, str] = {
    "hrd": str(HRD._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "oa": str(OA),
    "schema": str(SCHEMA),
    "eli": str(ELI),
    "wd": str(WD),
    "country": COUNTRY_BASE,
    "id": DEFAULT_BASE,
}


def sparql_prologue() -> str:
    """``PREFIX`` lines for every entry of :data:`PREFIXES`."""
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def bind_prefixes(graph) -> None:
    """Bind the shared prefixes on an rdflib graph or dataset."""
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True, replace=True)
