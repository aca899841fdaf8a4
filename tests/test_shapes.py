"""SHACL shapes, driven by the data files in tests/shapes/ (see its README)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from graph.namespaces import DEFAULT_BASE, HRD, SH
from graph.validate import SHAPES_NS, shapes_graph, validate_graph, validate_graphs

CASES_DIR = Path(__file__).resolve().parent / "shapes"
CASES = sorted(CASES_DIR.glob("*.ttl"))
ROOT = Path(__file__).resolve().parent.parent


def _expectations(path: Path) -> tuple[bool, set[tuple[str, str, str]], list[str]]:
    conforms, results, messages = False, set(), []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        body = line.lstrip("#").strip()
        if body == "expect: conforms":
            conforms = True
        elif body.startswith("expect: "):
            shape, focus, path_ = body[len("expect: "):].split(" ", 2)
            results.add((shape, focus, path_))
        elif body.startswith("message: "):
            messages.append(body[len("message: "):])
    assert conforms != bool(results), f"{path.name}: say either 'expect: conforms' or the expected results"
    return conforms, results, messages


def _load(path: Path) -> Graph:
    return Graph().parse(path, format="turtle")


def _shape_messages() -> dict[str, str]:
    sg = shapes_graph()
    return {f"hrdsh:{str(s)[len(SHAPES_NS):]}": str(m)
            for s, m in sg.subject_objects(SH.message) if str(s).startswith(SHAPES_NS)}


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_case(path: Path) -> None:
    conforms, expected, must_contain = _expectations(path)
    report = validate_graph(_load(path))
    if conforms:
        assert report.conforms, f"{path.name} should conform:\n{report}"
        return
    assert not report.conforms
    found = {(r.shape, r.focus, r.path) for r in report.results}
    assert found == expected, f"{path.name}:\n{report}"
    messages = _shape_messages()
    for result in report.results:
        assert result.message == messages[result.shape]
        assert result.severity == "Violation"
        for text in must_contain:
            assert text in result.message


def test_cases_exist() -> None:
    assert len(CASES) >= 100


def test_every_property_shape_has_a_violating_case_and_a_message() -> None:
    messages = _shape_messages()
    sg = shapes_graph()
    property_shapes = {f"hrdsh:{str(s)[len(SHAPES_NS):]}" for s in sg.subjects(SH.path, None)
                       if isinstance(s, URIRef)}
    assert property_shapes, "no property shapes found"
    assert property_shapes <= set(messages), f"without sh:message: {property_shapes - set(messages)}"
    for shape in property_shapes:
        message = sg.value(URIRef(SHAPES_NS + shape.split(":", 1)[1]), SH.message)
        assert isinstance(message, Literal) and message.language == "en" and len(str(message)) > 30
    exercised = {shape for path in CASES for shape, _, _ in _expectations(path)[1]}
    assert property_shapes - exercised == set(), "property shapes without a violating case"


def test_complete_statement_is_a_target_of_every_node_shape() -> None:
    """The conforming example exercises every shape: each target class has an instance in it."""
    data = _load(CASES_DIR / "complete-statement.ttl")
    sg = shapes_graph()
    hierarchy = {(s, o) for s, o in _ontology_subclasses()}
    types = set(data.objects(None, RDF.type))
    reached = types | {sup for sub, sup in hierarchy if sub in types}
    for shape in set(sg.subjects(SH.targetClass, None)):
        classes = set(sg.objects(shape, SH.targetClass))
        assert classes & reached, f"{shape} has no target in complete-statement.ttl"


def _ontology_subclasses() -> list[tuple[URIRef, URIRef]]:
    from graph.validate import ontology_graph

    return [(s, o) for s, o in ontology_graph().subject_objects(RDFS.subClassOf)
            if isinstance(s, URIRef) and isinstance(o, URIRef)]


def test_shapes_are_local() -> None:
    """Forward paths from class targets only, no data IRIs: a statement graph is judged by its own triples."""
    sg = shapes_graph()
    for forbidden in (SH.targetNode, SH.targetObjectsOf, SH.targetSubjectsOf, SH.inversePath,
                      SH.sparql, SH.alternativePath, SH.zeroOrMorePath, SH.oneOrMorePath):
        assert not list(sg.subject_objects(forbidden)), f"shapes use {forbidden}"
    for value in list(sg.objects(None, SH.hasValue)) + [
            item for lst in sg.objects(None, SH["in"]) for item in sg.items(lst)]:
        assert not str(value).startswith(DEFAULT_BASE), f"shapes name the data IRI {value}"


def test_shapes_use_only_declared_terms() -> None:
    ns = str(HRD._NS)
    declared = set(HRD.__annotations__)
    used = {str(t)[len(ns):] for triple in shapes_graph() for t in triple
            if isinstance(t, URIRef) and str(t).startswith(ns)}
    assert used <= declared, f"undeclared hrd: terms in shapes.ttl: {used - declared}"


def test_currency_codes_cover_iso_4217() -> None:
    import re

    import pycountry

    pattern = shapes_graph().value(URIRef(SHAPES_NS + "FineCurrency"), SH.pattern)
    regex = re.compile(str(pattern))
    missing = [c.alpha_3 for c in pycountry.currencies if not regex.search(c.alpha_3)]
    assert missing == []
    for bad in ("kzt", "KZ", "KZTT", "TNG", "tenge", " KZT"):
        assert not regex.search(bad), bad


def test_core_class_patterns_match_the_model() -> None:
    import re

    from graph.model import EVENT_TYPES, SANCTION_TYPES

    sg = shapes_graph()
    for shape, names, abstract in (("CoreEventClass", EVENT_TYPES, "Event"),
                                   ("CoreSanctionClass", SANCTION_TYPES, "Sanction")):
        regex = re.compile(str(sg.value(URIRef(SHAPES_NS + shape), SH.pattern)))
        everything = {name for name in HRD.__annotations__ if regex.search(str(HRD[name]))}
        assert everything == set(names), shape
        assert not regex.search(str(HRD[abstract]))


# ------------------------------------------------------- validate_graphs
def test_validate_graphs_equals_one_by_one_on_all_cases() -> None:
    """The case files share nodes (the same statement, person, country) with different
    descriptions: validating them together must change nothing (a guard for any
    future batching of validate_graphs)."""
    graphs = {path.stem: _load(path) for path in CASES}
    together = validate_graphs(graphs)
    assert set(together) == set(graphs)
    for name, graph in graphs.items():
        assert together[name] == validate_graph(graph), name


_HEAD = """\
@base <https://w3id.org/hrdkg/id/> .
@prefix hrd: <https://w3id.org/hrdkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
"""


def _ttl(body: str) -> Graph:
    return Graph().parse(data=_HEAD + body, format="turtle")


def test_validate_graphs_does_not_let_one_graph_cover_for_another() -> None:
    complete = _ttl("""
<statement/a> a hrd:Statement ; rdfs:label "A" .
<person/kz/x> a hrd:Person ; rdfs:label "X" ; hrd:describedIn <statement/a> .
""")
    lacking = _ttl("""
<statement/b> a hrd:Statement ; rdfs:label "B" .
<person/kz/x> hrd:describedIn <statement/b> .
<statement/b/event/1> a hrd:Arrest ; rdfs:label "Arrest" ; hrd:concerns <person/kz/x> ;
    hrd:describedIn <statement/b> .
""")
    union = Graph()
    union += complete
    union += lacking
    assert validate_graph(union).conforms  # validated merged, the gap is hidden...
    reports = validate_graphs({"a": complete, "b": lacking})
    assert reports["a"].conforms
    assert not reports["b"].conforms  # ...but not statement by statement
    assert {r.shape for r in reports["b"].results} == {"hrdsh:EventConcernsPerson"}
    assert reports == {"a": validate_graph(complete), "b": validate_graph(lacking)}


def test_validate_graphs_does_not_merge_two_spellings() -> None:
    one = _ttl("""<statement/a> a hrd:Statement ; rdfs:label "A" .
<person/kz/x> a hrd:Person ; rdfs:label "Bakhyt Toregozhina" ; hrd:describedIn <statement/a> .""")
    two = _ttl("""<statement/b> a hrd:Statement ; rdfs:label "B" .
<person/kz/x> a hrd:Person ; rdfs:label "Bakhyt TOREGOZHINA" ; hrd:describedIn <statement/b> .""")
    merged = Graph()
    merged += one
    merged += two
    assert not validate_graph(merged).conforms  # two labels on one node when merged
    reports = validate_graphs({"one": one, "two": two})
    assert reports["one"].conforms and reports["two"].conforms


def test_validate_graphs_reports_original_iris() -> None:
    a = _ttl("""<statement/a> a hrd:Statement ; rdfs:label "A" .
<person/kz/x> a hrd:Person ; hrd:describedIn <statement/a> .""")
    b = _ttl("""<statement/b> a hrd:Statement ; rdfs:label "B" .
<person/kz/x> a hrd:Person ; rdfs:label "X" ; hrd:describedIn <statement/b> .""")
    report = validate_graphs({"a": a, "b": b})["a"]
    assert [(r.shape, r.focus) for r in report.results] == [
        ("hrdsh:Label", DEFAULT_BASE + "person/kz/x")]


def test_validate_graphs_trivial_inputs() -> None:
    assert validate_graphs({}) == {}
    assert validate_graphs({"empty": Graph()})["empty"].conforms


def test_validate_graph_leaves_its_input_alone() -> None:
    graph = _load(CASES_DIR / "fine-ok.ttl")
    before = set(graph)
    validate_graph(graph)
    assert set(graph) == before
    assert not list(graph.triples((None, RDFS.subClassOf, None)))


def test_validate_graph_accepts_a_dataset() -> None:
    from rdflib import Dataset

    dataset = Dataset()
    named = dataset.graph(URIRef(DEFAULT_BASE + "statement/t"))
    named += _load(CASES_DIR / "fine-currency-word.ttl")
    report = validate_graph(dataset)
    assert [r.shape for r in report.results] == ["hrdsh:FineCurrency"]
    assert validate_graph(_load(CASES_DIR / "fine-currency-word.ttl")) == report


# ------------------------------------------------------- with build.py and the store
def _sample_facts() -> list[Path]:
    return sorted((ROOT / "data").glob("*.facts.json"))


@pytest.mark.skipif(not _sample_facts(), reason="no sample facts in data/")
def test_built_sample_statements_conform() -> None:
    from graph.build import build_graph
    from graph.model import Facts

    graphs = {p.name: build_graph(Facts.from_dict(json.loads(p.read_text(encoding="utf-8"))))
              for p in _sample_facts()}
    for name, report in validate_graphs(graphs).items():
        assert report.conforms, f"{name}:\n{report}"


@pytest.mark.skipif(not _sample_facts(), reason="no sample facts in data/")
def test_statements_read_back_from_the_store_conform() -> None:
    """Oxigraph stores xsd:nonNegativeInteger offsets as xsd:integer; the shapes accept both."""
    from graph.build import build_graph
    from graph.model import Facts
    from graph.store import open_store
    from graph.validate import validate_store, validate_store_statements

    store = open_store(None)
    for path in _sample_facts():
        store.put_statement(build_graph(Facts.from_dict(json.loads(path.read_text(encoding="utf-8")))))
    per_statement = validate_store_statements(store)
    assert len(per_statement) == len(_sample_facts())
    assert all(r.conforms for r in per_statement.values())
    assert validate_store(store).conforms


def test_report_is_readable() -> None:
    report = validate_graph(_load(CASES_DIR / "fine-currency-word.ttl"))
    (result,) = report.results
    assert result.path == "hrd:currency"
    assert result.shape == "hrdsh:FineCurrency"
    assert result.value == '"tenge"'
    assert "hrd:currency" in str(report) and "tenge" in str(report)
    assert report.to_dict()["results"][0]["focus"] == DEFAULT_BASE + "statement/t/event/1/sanction"
