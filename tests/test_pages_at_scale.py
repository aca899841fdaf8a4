"""Pages whose size grows with the data: paginated sections of an entity page,
listings remembered per store content, and the read-only handle the web app
reads through.  Small hand-made graphs; every page walked to the end."""
from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import XSD

from graph import browse, catalog
from graph.store import MEMO_ENTRIES, SharedStore, Store, open_store, store_generation

HRD = Namespace("https://w3id.org/hrdkg/ontology#")
OA = Namespace("http://www.w3.org/ns/oa#")
ID = "https://w3id.org/hrdkg/id/"
PERSON = URIRef(ID + "person/kz/often-tried")
EVENTS = 123  # not a multiple of the page size: the last page is partial


def statement(n: int) -> Graph:
    """Statement ``n``: an arrest of PERSON on day ``n``, quoted twice (about the person and the arrest)."""
    st = URIRef(f"{ID}statement/s{n:03d}")
    g = Graph(identifier=st)
    g.add((st, RDF.type, HRD.Statement))
    g.add((st, RDFS.label, Literal(f"Statement {n:03d}")))
    event = URIRef(f"{st}/event/1")
    g.add((event, RDF.type, HRD.Arrest))
    g.add((event, RDFS.label, Literal(f"Arrest {n:03d}")))
    g.add((event, HRD.concerns, PERSON))
    g.add((event, HRD.date, Literal(f"2024-{1 + n // 28:02d}-{1 + n % 28:02d}", datatype=XSD.date)))
    g.add((PERSON, RDF.type, HRD.HumanRightsDefender))
    g.add((PERSON, RDF.type, HRD.Person))
    g.add((PERSON, RDFS.label, Literal("Often Tried")))
    g.add((PERSON, HRD.describedIn, st))
    for i, body in enumerate((PERSON, event)):
        ann = URIRef(f"{st}/evidence/{i}")
        target = URIRef(f"{ann}/target")
        quote, position = URIRef(f"{target}/quote"), URIRef(f"{target}/position")
        g.add((ann, RDF.type, OA.Annotation))
        g.add((ann, OA.hasBody, body))
        g.add((ann, OA.hasTarget, target))
        g.add((target, OA.hasSource, st))
        g.add((target, OA.hasSelector, quote))
        g.add((target, OA.hasSelector, position))
        g.add((quote, RDF.type, OA.TextQuoteSelector))
        g.add((quote, OA.exact, Literal(f"quote {n}/{i}")))
        g.add((position, RDF.type, OA.TextPositionSelector))
        g.add((position, OA.start, Literal(10 * i)))
        g.add((position, OA.end, Literal(10 * i + 5)))
    return g


@pytest.fixture(scope="module")
def crowded() -> Store:
    store = open_store(None)
    for n in range(EVENTS):
        store.put_statement(statement(n))
    return store


def walk(read, step: int = 50) -> list:
    """Every item of every page, following offsets until the total is reached."""
    seen, offset = [], 0
    while True:
        items, total = read(offset)
        seen += items
        offset += step
        if offset >= total:
            return seen


def test_timeline_pages_cover_every_event_once_in_date_order(crowded):
    def read(offset):
        page = browse.describe(crowded, str(PERSON), timeline_offset=offset)
        return list(page.timeline), page.timeline_total

    entries = walk(read)
    assert len(entries) == EVENTS == len({e.event for e in entries})
    assert [e.date for e in entries] == sorted(e.date for e in entries)
    assert entries[0].quote == "quote 0/1" and entries[0].type == "hrd:Arrest"


def test_evidence_pages_cover_every_quote_once(crowded):
    def read(offset):
        page = browse.describe(crowded, str(PERSON), evidence_offset=offset)
        assert len(page.evidence) <= 50
        return list(page.evidence), page.evidence_total

    quotes = walk(read)
    assert sorted(e.quote for e in quotes) == sorted(f"quote {n}/0" for n in range(EVENTS))
    assert all((e.start, e.end) == (0, 5) and e.statement_label.startswith("Statement") for e in quotes)


def test_incoming_pages_cover_every_link_once(crowded):
    def read(offset):
        page = browse.describe(crowded, str(PERSON), incoming_offset=offset, incoming_limit=50)
        return [(p.iri, v.value) for p in page.incoming for v in p.values], page.incoming_total

    links = walk(read)
    assert len(links) == EVENTS == len(set(links))
    assert {p for p, _ in links} == {str(HRD.concerns)}


def test_a_statement_page_still_shows_all_its_quotes(crowded):
    page = browse.statement_text(crowded, f"{ID}statement/s007")
    assert [e.quote for e in page.evidence] == ["quote 7/0", "quote 7/1"]


def test_listing_and_counts_follow_writes_through_the_same_store():
    store = open_store(None)
    for n in range(3):
        store.put_statement(statement(n))
    assert catalog.list_class(store, "Arrest").total == 3
    assert catalog.class_counts(store)["Arrest"] == 3
    assert catalog.search(store, "arrest 002")
    store.put_statement(statement(3))
    assert catalog.list_class(store, "Arrest").total == 4
    assert catalog.class_counts(store)["Arrest"] == 4
    assert catalog.overview(store).statements == 4
    store.withdraw_statement(f"{ID}statement/s000")
    assert catalog.list_class(store, "Arrest").total == 3
    assert not catalog.search(store, "arrest 000")


def test_memo_keeps_a_bounded_number_of_results():
    store = open_store(None)
    calls = []
    for i in range(MEMO_ENTRIES + 10):
        store.memoize(("k", i), lambda i=i: calls.append(i) or i)
    assert store.memoize(("k", MEMO_ENTRIES + 9), lambda: "recomputed") == MEMO_ENTRIES + 9
    assert store.memoize(("k", 0), lambda: "recomputed") == "recomputed"  # the oldest was dropped


def test_generation_changes_on_write_not_on_read(tmp_path: Path):
    path = tmp_path / "store"
    assert store_generation(path) is None
    shared = SharedStore(path)
    with shared.lease() as store:
        store.put_statement(statement(0))
    before = store_generation(path)
    with shared.reader() as reader:
        assert reader.read_only
        assert catalog.list_class(reader, "Arrest").total == 1
    assert store_generation(path) == before
    with shared.lease() as store:
        store.put_statement(statement(1))
    assert store_generation(path) != before


def test_reader_sees_writes_of_another_process_handle(tmp_path: Path):
    path = tmp_path / "store"
    reading = SharedStore(path)  # the web app's
    writing = SharedStore(path)  # an ingest's (another process in real life: same files, same lock)
    with writing.lease() as store:
        store.put_statement(statement(0))
    with reading.reader() as reader:
        first = reader
        assert catalog.list_class(reader, "Arrest").total == 1
    with reading.reader() as reader:
        assert reader is first  # nothing written: the same handle and its remembered listings
    with writing.lease() as store:
        store.put_statement(statement(1))
        store.put_statement(statement(2))
    with reading.reader() as reader:
        assert reader is not first
        assert catalog.list_class(reader, "Arrest").total == 3
        assert browse.describe(reader, str(PERSON)).timeline_total == 3


def test_entity_page_links_to_the_next_events(crowded):
    from webui import create_app

    client = create_app({"STORE": crowded, "TESTING": True}).test_client()
    html = client.get("/id/person/kz/often-tried").get_data(as_text=True)
    assert f"{EVENTS} events" in html and "?events=50" in html and "1–50 of 123" in html
    assert html.count(f"and {EVENTS - 50} more") == 2  # "described in": as a property and as a list
    later = client.get("/id/person/kz/often-tried?events=100").get_data(as_text=True)
    assert "101–123 of 123" in later and "?events=50" in later
    data = client.get("/id/person/kz/often-tried.json?quotes=100").get_json()
    assert data["evidence_total"] == EVENTS and len(data["evidence"]) == EVENTS - 100


def test_values_limit_keeps_the_first_values_and_counts_them_all(crowded):
    page = browse.describe(crowded, str(PERSON), values_limit=50)
    described = next(p for p in page.properties if p.iri == str(HRD.describedIn))
    assert len(described.values) == 50 and described.total == EVENTS
    assert len(page.statements) == 50 and page.statements_total == EVENTS
    assert {v.value for v in described.values} == {f"{ID}statement/s{n:03d}" for n in range(50)}
    everything = browse.describe(crowded, str(PERSON))
    assert len(next(p for p in everything.properties if p.iri == str(HRD.describedIn)).values) == EVENTS
