"""Facts → RDF: IRIs, provenance and evidence."""
from __future__ import annotations

from rdflib import Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph.build import build_graph, slug
from graph.facts import load_facts
from graph.namespaces import HRD, OA

from conftest import FACTS

BASE = "https://w3id.org/hrdkg/id/"


def test_slug_folds_case_diacritics_and_punctuation():
    assert slug("Bakhytzhan Törégozhina") == "bakhytzhan-toregozhina"
    assert slug("Ar-Rukh-Hak") == slug("AR RUKH HAK") == "ar-rukh-hak"
    assert slug("Łukasz Øster") == "lukasz-oster"


def test_same_defender_in_two_statements_gets_one_iri():
    one = build_graph(load_facts(FACTS / "minimal.facts.json"))
    two = build_graph(load_facts(FACTS / "second.facts.json"))
    defenders = [set(g.subjects(RDF.type, HRD.HumanRightsDefender)) for g in (one, two)]
    assert defenders[0] == defenders[1] == {URIRef(BASE + "person/kz/aliya-test")}
    # the court and the law meet too
    assert set(one.subjects(RDF.type, HRD.Court)) == set(two.subjects(RDF.type, HRD.Court))


def test_same_name_in_another_country_is_another_person():
    facts = load_facts(FACTS / "minimal.facts.json")
    from dataclasses import replace

    other = replace(facts, entities=tuple(replace(e, country="KG") if e.id == "d1" else e for e in facts.entities))
    a = set(build_graph(facts).subjects(RDF.type, HRD.HumanRightsDefender))
    b = set(build_graph(other).subjects(RDF.type, HRD.HumanRightsDefender))
    assert a != b


def test_every_entity_and_event_is_described_in_its_statement():
    g = build_graph(load_facts(FACTS / "minimal.facts.json"))
    st = URIRef(BASE + "statement/test-minimal")
    assert g.identifier == st
    for cls in (HRD.Person, HRD.Organisation, HRD.Court, HRD.Legislation, HRD.LegalProvision,
                HRD.Conviction, HRD.Fine, HRD.City):
        nodes = set(g.subjects(RDF.type, cls))
        assert nodes, cls
        for node in nodes:
            assert (node, HRD.describedIn, st) in g, node
            assert g.value(node, RDFS.label) is not None, node


def test_event_values_are_typed():
    g = build_graph(load_facts(FACTS / "minimal.facts.json"))
    event = next(g.subjects(RDF.type, HRD.Conviction))
    assert g.value(event, HRD.date) == Literal("2025-01-08", datatype=XSD.date)
    fine = g.value(event, HRD.sanction)
    assert g.value(fine, HRD.amount) == Literal("150000", datatype=XSD.decimal)
    assert str(g.value(fine, HRD.currency)) == "KZT"
    provision = g.value(event, HRD.invokes)
    assert str(g.value(provision, HRD.article)) == "274"
    assert str(g.value(provision, HRD.paragraph)) == "2"
    assert str(provision) == BASE + "provision/kz/criminal-code/274/2"


def test_evidence_is_a_web_annotation_with_quote_and_offsets():
    g = build_graph(load_facts(FACTS / "minimal.facts.json"))
    event = next(g.subjects(RDF.type, HRD.Conviction))
    ann = next(g.subjects(OA.hasBody, event))
    target = g.value(ann, OA.hasTarget)
    assert g.value(target, OA.hasSource) == g.identifier
    selectors = set(g.objects(target, OA.hasSelector))
    quotes = {str(g.value(s, OA.exact)) for s in selectors if g.value(s, OA.exact) is not None}
    starts = {int(g.value(s, OA.start)) for s in selectors if g.value(s, OA.start) is not None}
    assert quotes == {"fined"} and starts == {11}


def test_country_reference_data_travels_with_the_graph():
    g = build_graph(load_facts(FACTS / "minimal.facts.json"))
    kz = URIRef(BASE + "country/KZ")
    assert (kz, HRD.isoCode, Literal("KZ")) in g
    assert str(g.value(kz, RDFS.label)) == "Kazakhstan"
