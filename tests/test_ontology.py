"""The ontology (ontology/hrdkg.ttl), the closed HRD namespace and the country list."""
from __future__ import annotations

import re

import pycountry
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS, XSD

from graph.model import EVENT_TYPES, SANCTION_TYPES
from graph.namespaces import COUNTRY_BASE, ELI, HRD, ONTOLOGY_IRI, PROV, SCHEMA, WD
from graph.validate import ontology_dir, ontology_graph, validate_graph

NS = str(HRD._NS)
TERMS = sorted(HRD.__annotations__)
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty,
                     SKOS.ConceptScheme}


@pytest.fixture(scope="module")
def ont() -> Graph:
    return ontology_graph()


@pytest.fixture(scope="module")
def countries() -> Graph:
    return Graph().parse(ontology_dir() / "countries.ttl", format="turtle")


def _english(graph: Graph, node: URIRef, prop: URIRef) -> list[str]:
    return [str(v) for v in graph.objects(node, prop)
            if isinstance(v, Literal) and v.language in ("en", None) and str(v).strip()]


def test_files_parse() -> None:
    for name in ("hrdkg.ttl", "shapes.ttl", "countries.ttl"):
        assert len(Graph().parse(ontology_dir() / name, format="turtle")) > 100, name


def test_ontology_header(ont: Graph) -> None:
    iri = URIRef(ONTOLOGY_IRI)
    assert (iri, RDF.type, OWL.Ontology) in ont
    assert "oa:Annotation" in str(ont.value(iri, RDFS.comment))  # the evidence model is documented


@pytest.mark.parametrize("term", TERMS)
def test_every_hrd_term_is_declared_with_label_and_comment(ont: Graph, term: str) -> None:
    node = HRD[term]
    assert set(ont.objects(node, RDF.type)) & DECLARATION_TYPES, f"hrd:{term} is not declared"
    assert _english(ont, node, RDFS.label), f"hrd:{term} has no rdfs:label"
    comments = _english(ont, node, RDFS.comment)
    assert comments and len(comments[0]) >= 40, f"hrd:{term} has no real definition"


def test_no_hrd_term_outside_the_namespace_class(ont: Graph) -> None:
    used = {str(t) for triple in ont for t in triple if isinstance(t, URIRef) and str(t).startswith(NS)}
    unknown = {t[len(NS):] for t in used} - set(TERMS)
    assert unknown == set(), f"terms in hrdkg.ttl that graph/namespaces.py does not list: {unknown}"


def test_property_kinds(ont: Graph) -> None:
    objects = {"country", "jurisdiction", "locatedIn", "memberOf", "partOf", "concerns", "court",
               "authority", "invokes", "sanction", "describedIn"}
    data = {"isoCode", "article", "paragraph", "date", "amount", "currency", "duration", "gender",
            "role", "demand", "restricted", "text"}
    for name in objects:
        assert (HRD[name], RDF.type, OWL.ObjectProperty) in ont, name
    for name in data:
        assert (HRD[name], RDF.type, OWL.DatatypeProperty) in ont, name
    assert (HRD.eventType, RDF.type, OWL.AnnotationProperty) in ont


def _classes(ont: Graph, node) -> set:
    union = ont.value(node, OWL.unionOf)
    return set(Collection(ont, union)) if union is not None else {node}


# domain -> range as in ../shared/vocabulary.md
VOCABULARY = {
    "country": ({HRD.Statement, HRD.Person, HRD.City}, {HRD.Country}),
    "isoCode": ({HRD.Country}, {XSD.string}),
    "jurisdiction": ({HRD.Court, HRD.StateAuthority, HRD.Legislation}, {HRD.Country}),
    "locatedIn": ({HRD.Organisation}, {HRD.City}),  # Court and StateAuthority are Organisations
    "memberOf": ({HRD.Person}, {HRD.Organisation}),
    "article": ({HRD.LegalProvision}, {XSD.string}),
    "paragraph": ({HRD.LegalProvision}, {XSD.string}),
    "partOf": ({HRD.LegalProvision}, {HRD.Legislation}),
    "date": ({HRD.Event}, {XSD.date, XSD.gYearMonth}),
    "concerns": ({HRD.Event}, {HRD.Person}),
    "court": ({HRD.Event}, {HRD.Court}),
    "authority": ({HRD.Event}, {HRD.Organisation}),
    "invokes": ({HRD.Event}, {HRD.LegalProvision}),
    "sanction": ({HRD.Event}, {HRD.Sanction}),
    "amount": ({HRD.Fine}, {XSD.decimal}),
    "currency": ({HRD.Fine}, {XSD.string}),
    "duration": ({HRD.Imprisonment, HRD.SuspendedSentence, HRD.TravelBan}, {XSD.duration}),
}


@pytest.mark.parametrize("name", sorted(VOCABULARY))
def test_domain_and_range_follow_the_vocabulary(ont: Graph, name: str) -> None:
    domain, rng = VOCABULARY[name]
    assert _classes(ont, ont.value(HRD[name], RDFS.domain)) == domain
    assert _classes(ont, ont.value(HRD[name], RDFS.range)) == rng


def test_described_in_ranges_over_statements(ont: Graph) -> None:
    assert ont.value(HRD.describedIn, RDFS.range) == HRD.Statement
    assert ont.value(HRD.describedIn, RDFS.domain) is None  # any entity, event or sanction


def test_class_hierarchy(ont: Graph) -> None:
    assert (HRD.HumanRightsDefender, RDFS.subClassOf, HRD.Person) in ont
    assert (HRD.Court, RDFS.subClassOf, HRD.Organisation) in ont
    assert (HRD.StateAuthority, RDFS.subClassOf, HRD.Organisation) in ont
    for name in SANCTION_TYPES:
        assert (HRD[name], RDFS.subClassOf, HRD.Sanction) in ont, name


@pytest.mark.parametrize("name", EVENT_TYPES)
def test_event_class_is_a_direct_subclass_and_a_concept(ont: Graph, name: str) -> None:
    cls = HRD[name]
    assert (cls, RDF.type, OWL.Class) in ont
    assert set(ont.objects(cls, RDFS.subClassOf)) == {HRD.Event}
    assert (cls, RDF.type, SKOS.Concept) in ont
    assert (cls, SKOS.inScheme, HRD.EventType) in ont
    assert (HRD.EventType, SKOS.hasTopConcept, cls) in ont
    assert (cls, HRD.eventType, cls) in ont
    assert _english(ont, cls, SKOS.prefLabel) and _english(ont, cls, SKOS.definition)
    assert len(_english(ont, cls, SKOS.altLabel)) >= 3


def test_event_scheme_has_exactly_the_sixteen_classes(ont: Graph) -> None:
    assert (HRD.EventType, RDF.type, SKOS.ConceptScheme) in ont
    assert set(ont.objects(HRD.EventType, SKOS.hasTopConcept)) == {HRD[n] for n in EVENT_TYPES}
    assert set(ont.subjects(SKOS.inScheme, HRD.EventType)) == {HRD[n] for n in EVENT_TYPES}
    assert len(EVENT_TYPES) == 16


def test_alignments(ont: Graph) -> None:
    expected = [
        (HRD.Person, RDFS.subClassOf, SCHEMA.Person),
        (HRD.Organisation, RDFS.subClassOf, SCHEMA.Organization),
        (HRD.StateAuthority, RDFS.subClassOf, SCHEMA.GovernmentOrganization),
        (HRD.Legislation, RDFS.subClassOf, SCHEMA.Legislation),
        (HRD.Legislation, RDFS.subClassOf, ELI.LegalResource),
        (HRD.LegalProvision, RDFS.subClassOf, ELI.LegalResourceSubdivision),
        (HRD.partOf, RDFS.subPropertyOf, ELI.is_part_of),
        (HRD.article, RDFS.subPropertyOf, ELI.number),
        (HRD.jurisdiction, SKOS.closeMatch, ELI.jurisdiction),
        (HRD.Event, RDFS.subClassOf, PROV.Activity),
        (HRD.Statement, RDFS.subClassOf, PROV.Entity),
        (HRD.describedIn, SKOS.closeMatch, PROV.wasDerivedFrom),
    ]
    for triple in expected:
        assert triple in ont, triple


# ------------------------------------------------------------------ countries
def test_countries_one_per_iso_code(countries: Graph) -> None:
    nodes = set(countries.subjects(RDF.type, HRD.Country))
    assert len(nodes) >= 249
    codes = set()
    for node in nodes:
        (code,) = countries.objects(node, HRD.isoCode)
        assert re.fullmatch(r"[A-Z]{2}", str(code))
        assert str(node) == COUNTRY_BASE + str(code)
        assert len(list(countries.objects(node, RDFS.label))) == 1
        codes.add(str(code))
    assert codes == {c.alpha_2 for c in pycountry.countries}


def test_kazakhstan(countries: Graph) -> None:
    kz = URIRef(COUNTRY_BASE + "KZ")
    assert countries.value(kz, RDFS.label) == Literal("Kazakhstan")
    assert countries.value(kz, HRD.isoCode) == Literal("KZ")
    assert (kz, OWL.sameAs, WD.Q232) in countries


def test_country_labels_prefer_common_names(countries: Graph) -> None:
    for code, name in {"IR": "Iran", "TW": "Taiwan", "BO": "Bolivia", "VE": "Venezuela"}.items():
        assert str(countries.value(URIRef(COUNTRY_BASE + code), RDFS.label)) == name


def test_wikidata_items_are_distinct(countries: Graph) -> None:
    items = list(countries.objects(None, OWL.sameAs))
    assert len(items) == len(set(items))
    assert all(str(i).startswith(str(WD)) and re.fullmatch(r"Q[1-9]\d*", str(i)[len(str(WD)):])
               for i in items)
    assert len(items) >= 240


def test_countries_ttl_is_generated_from_the_csv() -> None:
    from ontology import make_countries

    rows = make_countries.read_rows()
    assert (ontology_dir() / "countries.ttl").read_text(encoding="utf-8") == make_countries.render(rows)
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    assert {r["iso2"]: r["name"] for r in rows} == names


def test_countries_conform_to_the_shapes(countries: Graph) -> None:
    assert validate_graph(countries).conforms
