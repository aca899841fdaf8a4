"""RDF exports: round trips, determinism (in-memory stores: sorted; on-disk stores: streamed in
index order, whatever the store's history, by one process or several), independent parsers,
filters, confidentiality, VoID/DCAT.

Filter expectations on the hand-made dataset (tests/fixtures/analytics):
  kz-one issued 2024-03-01 (events 2024-01/02), kz-two 2025-05-05 (events 2025-03/04),
  kg-three 2024-11-11 (events 2024-09/10), kz-secret restricted.
  country KG → kg-three;  since 2025-01-01 → kz-two;  2024-02-01..2024-02-28 → kz-one;
  class hrd:Conviction → 4 events (kz-one ev3, ev4; kz-two ev1; kg-three ev1), 2025 only → kz-two ev1.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import warnings
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, XSD

from graph import export as export_module
from graph.build import build_graph
from graph.describe import DatasetInfo, describe, publish
from graph.export import EXPORT_FORMATS, ExportError, ExportFilter, export, select_statements
from graph.facts import load_facts
from graph.namespaces import HRD, VOID
from graph.serialize import CONTEXT_PATH, jsonld_context
from graph.store import open_store

from analytics_fixture import ID, SECRET_MARKERS, analytics_store, fill, statement
from conftest import DATA, FACTS

RDFLIB = {"turtle": "turtle", "ntriples": "nt", "jsonld": "json-ld", "trig": "trig", "nquads": "nquads"}
OXIGRAPH = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD,
            "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
RAPPER = {"turtle": "turtle", "ntriples": "ntriples", "trig": "trig", "nquads": "nquads"}  # no JSON-LD in Raptor 2


def demo_store(order=1):
    store = open_store(None)
    for path in sorted(DATA.glob("*.facts.json"))[::order]:
        store.put_statement(build_graph(load_facts(path)))
    return store


def dump(store, fmt="turtle", **options) -> bytes:
    buf = io.BytesIO()
    export(store, buf, fmt=fmt, **options)
    return buf.getvalue()


def merged_graph(store) -> Graph:
    g = Graph()
    for q in store.default_triples():
        g.add((URIRef(q.subject.value), URIRef(q.predicate.value), _literal_or_iri(q.object)))
    return g


def _literal_or_iri(term):
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)  # rdflib tells a plain literal from an explicit xsd:string
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def parse(data: bytes, fmt: str) -> Graph | Dataset:
    """rdflib's parse (a Dataset for quad formats).  rdflib 7's JSON-LD, TriG and N-Quads
    parsers go through its own deprecated ConjunctiveGraph API; that warning is rdflib's
    business, not ours, so it is silenced here only."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=DeprecationWarning, module=r"rdflib\.")
        if fmt in ("trig", "nquads"):
            ds = Dataset()
            ds.parse(data=data, format=RDFLIB[fmt])
            return ds
        return Graph().parse(data=data, format=RDFLIB[fmt])


def rdflib_count(data: bytes, fmt: str) -> int:
    parsed = parse(data, fmt)
    if isinstance(parsed, Dataset):
        return sum(1 for _ in parsed.quads((None, None, None, None)))
    return len(parsed)


def rapper_count(path: Path, fmt: str) -> int:
    run = subprocess.run(["rapper", "-i", RAPPER[fmt], "-c", str(path)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    return int(re.search(r"returned (\d+) triples", run.stderr).group(1))


# ------------------------------------------------------------ round trips
def test_turtle_export_reingested_is_isomorphic():
    store = demo_store()
    again = open_store(None)
    again.inner.load(dump(store, "turtle"), format=ox.RdfFormat.TURTLE)  # as plain RDF, into the default graph
    assert isomorphic(merged_graph(again), merged_graph(store))


@pytest.mark.parametrize("fmt", ["jsonld", "ntriples"])
def test_other_triple_formats_are_isomorphic(fmt):
    store = demo_store()
    assert isomorphic(parse(dump(store, fmt), fmt), merged_graph(store))


@pytest.mark.parametrize("fmt", ["trig", "nquads"])
def test_quad_formats_restore_every_statement_graph(fmt):
    store = demo_store()
    again = open_store(None)
    again.inner.load(dump(store, fmt), format=OXIGRAPH[fmt])
    assert again.statement_graphs() == store.statement_graphs()
    assert {str(q) for q in again.inner} == {str(q) for q in store.inner if q.graph_name != ox.DefaultGraph()}


def test_special_characters_survive_every_format():
    facts = load_facts(FACTS / "minimal.facts.json")
    title = 'Quotes "x", back\\slash, tab\there,\nnew line, \u2028, emoji \U0001F642, café, =1+1 <b>'
    store = open_store(None)
    store.put_statement(build_graph(facts.with_statement(title=title)))
    for fmt in ("turtle", "jsonld", "ntriples"):
        g = parse(dump(store, fmt), fmt)
        assert Literal(title) in set(g.objects()), fmt
        assert isomorphic(g, merged_graph(store)), fmt


# ------------------------------------------------------------ determinism
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_two_exports_are_byte_identical_whatever_the_ingest_order(fmt):
    assert dump(demo_store(), fmt) == dump(demo_store(), fmt) == dump(demo_store(order=-1), fmt)


@pytest.mark.parametrize("fmt", ["turtle", "jsonld"])
def test_external_sort_gives_the_same_bytes(fmt, monkeypatch):
    store = demo_store()
    in_memory = dump(store, fmt)
    monkeypatch.setattr(export_module, "CHUNK_ROWS", 7)  # ~90 sorted runs spilled to disk and merged
    assert dump(store, fmt) == in_memory


@pytest.mark.parametrize("chunk", [1, 3, 50, 10_000])
def test_external_sort_sorts_and_deduplicates(chunk):
    import random

    rnd = random.Random(chunk)
    lines = [f'<s{rnd.randrange(40)}> <p{rnd.randrange(5)}> "{rnd.randrange(9)}" .\n'.encode() for _ in range(3000)]
    # chunk 1 → 3000 runs, merged in tiers of 32
    assert list(export_module.external_sort(lines, chunk=chunk)) == sorted(set(lines))


def test_turtle_is_readable():
    text = dump(demo_store(), "turtle").decode()
    assert text.startswith("@base <https://w3id.org/hrdkg/id/> .\n@prefix hrd: <https://w3id.org/hrdkg/ontology#> .\n")
    assert ("\n<person/kz/dana-aitova> a hrd:HumanRightsDefender , hrd:Person ;\n\trdfs:label \"Dana Aitova\" ;"
            in text)
    assert "hrd:amount \"98300\"^^xsd:decimal" in text and "country:KZ" in text
    assert "id:" not in text.split("\n\n", 1)[1]  # data IRIs are relative to @base, never id:a\/b


# ------------------------------------------- streamed from an on-disk store
def disk_copy(path, source, *, seed=None):
    """An on-disk store holding the quads of ``source``: added at once, or (``seed``) one by one
    in a shuffled order, through a history of other quads added then removed and of
    quads removed then added again, with compactions in between."""
    import random

    quads = list(source.inner.quads_for_pattern(None, None, None, None))
    store = open_store(path)
    if seed is None:
        store.inner.extend(quads)
        return store
    rnd = random.Random(seed)
    rnd.shuffle(quads)
    junk = [ox.Quad(ox.NamedNode(f"{ID}junk/{i}"), q.predicate, q.object, g)
            for i, q in enumerate(quads[:50]) for g in (ox.DefaultGraph(), q.graph_name)]
    for q in junk[: len(junk) // 2]:
        store.inner.add(q)
    for i, q in enumerate(quads):
        store.inner.add(q)
        if i % 200 == 0:
            store.inner.optimize()
    for q in quads[::5]:
        store.inner.remove(q)
    for q in junk[len(junk) // 2:]:
        store.inner.add(q)
    for q in junk:
        store.inner.remove(q)
    store.inner.extend(quads[::5])
    return store


def isomorphic_exports(a: bytes, b: bytes, fmt: str) -> bool:
    pa, pb = parse(a, fmt), parse(b, fmt)
    if isinstance(pa, Dataset):
        return {str(q) for q in pa.quads((None, None, None, None))} == {str(q) for q in pb.quads((None, None, None, None))}
    return isomorphic(pa, pb)


FILTERS = [None, ExportFilter(country="KZ"), ExportFilter(statement=statement("kz-two")),
           ExportFilter(cls=str(HRD.Person))]


@pytest.fixture(scope="module")
def histories(tmp_path_factory):
    """The analytics data in memory, and in three on-disk stores with different histories."""
    tmp = tmp_path_factory.mktemp("histories")
    source = analytics_store()
    stores = [disk_copy(tmp / "a", source), disk_copy(tmp / "b", source, seed=1), disk_copy(tmp / "c", source, seed=2)]
    yield source, stores
    for s in stores:
        s.close()


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_streamed_exports_do_not_depend_on_the_store_history(fmt, histories):
    source, stores = histories
    assert all(export_module.streamable(s) for s in stores)
    for where in FILTERS:
        for include_restricted in (False, True):
            if include_restricted and where is not None:
                continue
            first, *others = (dump(s, fmt, where=where, include_restricted=include_restricted) for s in stores)
            assert all(other == first for other in others), (where, include_restricted)
            assert first and isomorphic_exports(first, dump(source, fmt, where=where,
                                                                include_restricted=include_restricted), fmt)


def test_streamed_exports_of_a_real_ingest(tmp_path):
    """Ingested statement by statement, in two orders, one with a withdrawal: the same bytes."""
    paths = sorted(DATA.glob("*.facts.json"))
    one, two = open_store(tmp_path / "one"), open_store(tmp_path / "two")
    for path in paths:
        one.put_statement(build_graph(load_facts(path)))
    for path in reversed(paths):
        two.put_statement(build_graph(load_facts(path)))
    two.withdraw_statement(build_graph(load_facts(paths[0])).identifier)
    two.put_statement(build_graph(load_facts(paths[0])))
    for fmt in EXPORT_FORMATS:
        assert dump(one, fmt) == dump(two, fmt), fmt
    text = dump(one, "turtle").decode()
    assert "\n<person/kz/dana-aitova> a hrd:" in text and "\trdfs:label \"Dana Aitova\"" in text
    one.close()
    two.close()


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_helper_processes_write_the_same_bytes(fmt, tmp_path, monkeypatch):
    store = disk_copy(tmp_path / "s", analytics_store())
    alone = dump(store, fmt, workers=1)
    monkeypatch.setattr(export_module, "PARALLEL_MIN_STATEMENTS", 1)
    for workers in (2, 4):  # four slices of three statements: one empty
        result = io.BytesIO()
        written = export(store, result, fmt=fmt, workers=workers).triples
        assert result.getvalue() == alone, workers
        assert written == rdflib_count(alone, fmt)
    store.close()


def test_a_failed_helper_fails_the_export(tmp_path, monkeypatch):
    store = disk_copy(tmp_path / "s", analytics_store())
    monkeypatch.setattr(export_module, "PARALLEL_MIN_STATEMENTS", 1)
    monkeypatch.setattr(export_module.sys, "executable", shutil.which("false"))
    with pytest.raises(ExportError, match="helper process failed"):
        dump(store, "turtle", workers=2)
    store.close()


def test_slices_cut_between_subjects():
    import random
    from types import SimpleNamespace

    rnd = random.Random(5)
    for _ in range(2000):
        subjects = [k for k in range(rnd.randrange(12)) for _ in range(rnd.randrange(1, 5))]
        rows = [SimpleNamespace(subject=s, row=i) for i, s in enumerate(subjects)]
        cuts = sorted([0, len(rows)] + [rnd.randrange(len(rows) + 1) for _ in range(rnd.randrange(4))])
        slices = [[r.row for r in export_module._cut(rows[max(a - 1, 0):], max(a - 1, 0), a, b)]
                  for a, b in zip(cuts, cuts[1:])]
        assert [row for part in slices for row in part] == list(range(len(rows)))
        assert all(subjects[part[0]] != subjects[part[0] - 1] for part in slices[1:] if part and part[0])


# ------------------------------------------------------ independent parsers
@pytest.fixture(scope="module")
def rapper():
    if shutil.which("rapper"):
        return "rapper"
    if os.environ.get("HRDKG_SKIP_RAPPER") == "1":
        pytest.skip("rapper check skipped (HRDKG_SKIP_RAPPER=1)")
    pytest.fail("Raptor's rapper is not installed: run `apt-get install -y raptor2-utils` "
                "(Debian/Ubuntu), or set HRDKG_SKIP_RAPPER=1 to skip this check")


@pytest.mark.parametrize("on_disk", [False, True], ids=["sorted", "streamed"])
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_rdflib_pyoxigraph_and_rapper_agree(fmt, on_disk, tmp_path, rapper):
    store = disk_copy(tmp_path / "store", demo_store()) if on_disk else demo_store()
    path = tmp_path / f"export.{fmt}"
    with open(path, "wb") as fh:
        written = export(store, fh, fmt=fmt).triples
    data = path.read_bytes()
    assert rdflib_count(data, fmt) == written
    assert sum(1 for _ in ox.parse(data, OXIGRAPH[fmt])) == written
    if fmt in RAPPER:  # Raptor 2 has no JSON-LD parser
        assert rapper_count(path, fmt) == written
    store.close()


# ------------------------------------------------------------ JSON-LD
def test_jsonld_carries_the_published_context_inline():
    doc = json.loads(dump(demo_store(), "jsonld"))
    assert doc["@context"] == json.loads(CONTEXT_PATH.read_text())["@context"]  # nothing to fetch
    aitova = next(n for n in doc["@graph"] if n["@id"].endswith("/person/kz/dana-aitova"))
    assert aitova["@type"] == ["HumanRightsDefender", "Person"]
    assert aitova["label"] == "Dana Aitova" and aitova["memberOf"] == [f"{ID}organisation/ar-rukh-hak"]
    conviction = next(n for n in doc["@graph"] if n["@id"].endswith("sample-kz-aitova-2025-09-12/event/1"))
    assert conviction["date"] == "2025-09-10" and conviction["@type"] == "Conviction"
    fine = next(n for n in doc["@graph"] if n["@id"].endswith("sample-kz-aitova-2025-09-12/event/1/sanction"))
    assert fine["amount"] == "98300" and fine["currency"] == "KZT"


def test_context_terms_are_ontology_terms():
    context = jsonld_context()
    hrd_terms = {v["@id"] if isinstance(v, dict) else v for v in context.values()}
    for term in sorted(t for t in hrd_terms if t.startswith("hrd:")):
        assert getattr(HRD, term[4:])  # the closed namespace raises on an unknown term


# ------------------------------------------------------------ filters
def test_statement_country_and_period_filters():
    store = analytics_store()
    pick = lambda **kw: select_statements(store, ExportFilter(**kw))  # noqa: E731
    assert pick() == sorted(statement(n) for n in ("kz-one", "kz-two", "kg-three"))
    assert pick(country="KG") == [statement("kg-three")]
    assert pick(country="kz") == [statement("kz-one"), statement("kz-two")]
    assert pick(since=date(2025, 1, 1)) == [statement("kz-two")]
    assert pick(since=date(2024, 2, 1), until=date(2024, 2, 28)) == [statement("kz-one")]
    assert pick(statement=statement("kz-two"), country="KG") == []
    with pytest.raises(ExportError, match="no statement graph"):
        pick(statement=statement("kz-secret"))  # restricted: as if it did not exist


def subjects(data: bytes) -> set[str]:
    return {str(s) for s in Graph().parse(data=data, format="nt").subjects()}


def test_class_filter_includes_subclasses_and_respects_the_period():
    store = analytics_store()
    convictions = {f"{statement('kz-one')}/event/3", f"{statement('kz-one')}/event/4",
                   f"{statement('kz-two')}/event/1", f"{statement('kg-three')}/event/1"}
    hrd = str(HRD._NS)
    assert subjects(dump(store, "ntriples", where=ExportFilter(cls=hrd + "Conviction"))) == convictions
    events = subjects(dump(store, "ntriples", where=ExportFilter(cls=hrd + "Event")))  # abstract superclass
    assert len(events) == 8 and convictions <= events
    assert subjects(dump(store, "ntriples", where=ExportFilter(cls=hrd + "Conviction", since=date(2025, 1, 1)))) == {
        f"{statement('kz-two')}/event/1"}


def test_filtered_quad_export_keeps_only_the_chosen_graphs():
    store = analytics_store()
    ds = parse(dump(store, "nquads", where=ExportFilter(country="KG")), "nquads")
    assert {str(g.identifier) for g in ds.graphs() if len(g)} == {statement("kg-three")}


# ------------------------------------------------------- confidentiality
@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_restricted_statements_are_never_exported(fmt):
    store = analytics_store()
    public_only = fill(open_store(None), ("kz-one", "kz-two", "kg-three"))
    for where in (None, ExportFilter(country="KZ"), ExportFilter(since=date(2025, 1, 1)),
                  ExportFilter(cls=str(HRD.Person))):
        data = dump(store, fmt, where=where)
        for marker in SECRET_MARKERS:
            assert marker.encode() not in data, (fmt, where, marker)
        assert data == dump(public_only, fmt, where=where)  # exactly as if it did not exist


def test_a_private_backup_may_include_restricted_statements():
    data = dump(analytics_store(), "nquads", include_restricted=True)
    assert b"Farida Zeta" in data and statement("kz-secret").encode() in data


# ------------------------------------------------------------ VoID/DCAT
def test_description_counts_and_checksums(tmp_path):
    store = analytics_store()
    info = DatasetInfo(sparql_endpoint="https://hrdkg.example/sparql", download_base="https://hrdkg.example/dl/",
                       created=date(2026, 1, 2))
    paths = publish(store, tmp_path, formats=("turtle", "nquads"), info=info)
    assert [p.name for p in paths] == ["hrdkg.ttl", "hrdkg.nq", "hrdkg.void.ttl"]
    desc = Graph().parse(paths[-1], format="turtle")
    ds = URIRef(f"{ID}dataset")
    assert (ds, RDF.type, VOID.Dataset) in desc
    triples = len(Graph().parse(paths[0], format="turtle"))
    assert int(desc.value(ds, VOID.triples)) == triples
    sources = {str(s) for s in desc.objects(ds, URIRef("http://purl.org/dc/terms/source"))}
    assert sources == {statement(n) for n in ("kz-one", "kz-two", "kg-three")}
    assert str(desc.value(ds, VOID.sparqlEndpoint)) == "https://hrdkg.example/sparql"
    checksums = {str(v) for v in desc.objects(None, URIRef("http://spdx.org/rdf/terms#checksumValue"))}
    assert checksums == {hashlib.sha256(p.read_bytes()).hexdigest() for p in paths[:2]}
    assert URIRef("https://hrdkg.example/dl/hrdkg.ttl") in set(desc.objects(None, URIRef("http://www.w3.org/ns/dcat#downloadURL")))
    persons = next(p for p in desc.objects(ds, VOID.classPartition) if desc.value(p, VOID["class"]) == HRD.Person)
    assert int(desc.value(persons, VOID.entities)) == 7  # A, B, C, G, D, E, H; never Farida Zeta
    for marker in SECRET_MARKERS:
        assert marker not in paths[-1].read_text()


def test_description_of_a_filtered_export():
    desc = describe(analytics_store(), where=ExportFilter(country="KG"))
    ds = URIRef(f"{ID}dataset")
    assert {str(s) for s in desc.objects(ds, URIRef("http://purl.org/dc/terms/source"))} == {statement("kg-three")}


def test_cli_publish_and_describe(hrdkg, store_path, tmp_path):
    store = open_store(store_path)
    fill(store)
    store.close()
    out = hrdkg("publish", tmp_path / "site", "--formats", "turtle,jsonld", "--country", "KZ",
                "--endpoint", "https://hrdkg.example/sparql")
    assert out.exit_code == 0, out.output
    assert (tmp_path / "site" / "hrdkg.jsonld").exists() and (tmp_path / "site" / "hrdkg.void.ttl").exists()
    desc = hrdkg("describe", tmp_path / "site" / "hrdkg.ttl", "-o", tmp_path / "d.ttl", "--country", "KZ")
    assert desc.exit_code == 0, desc.output
    assert "spdx:checksumValue" in (tmp_path / "d.ttl").read_text()
    bad = hrdkg("publish", tmp_path / "x", "--formats", "rdfxml")
    assert bad.exit_code == 2 and "unknown export format" in bad.output
