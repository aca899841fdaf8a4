"""The web app through Flask's test client: pages, JSON/RDF twins, the SPARQL
endpoint (protocol, formats, read-only, public graphs only, caps), one error shape."""
from __future__ import annotations

import json
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from graph.ingest import ingest_paths
from graph.query import saved_queries, select
from graph.store import open_store
from web_support import ASA, BASE, COURT, FINE_STATEMENT, PUBLIC_STATEMENT, RAUF, RESTRICTED_STATEMENT, ZAUR, \
    fixture_store
from webui import create_app

DATA = Path(__file__).resolve().parent.parent / "data"
HRD = "https://w3id.org/hrdkg/ontology#"
JSON = {"Accept": "application/json"}
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"


@pytest.fixture()
def store():
    return fixture_store()


@pytest.fixture()
def app(store):
    return create_app({"STORE": store, "TESTING": True, "QUERY_TIMEOUT": 20})


@pytest.fixture()
def client(app):
    return app.test_client()


def parse_rdf(data: bytes, rdf_format: str) -> Graph:
    """RDF as an rdflib graph.  pyoxigraph parses it: rdflib's JSON-LD parser
    warns about its own deprecated ConjunctiveGraph (and warnings are errors)."""
    fmt = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "json-ld": ox.RdfFormat.JSON_LD,
           "xml": ox.RdfFormat.RDF_XML}[rdf_format]
    g = Graph()
    for t in ox.parse(data, format=fmt):
        g.add((_rdflib(t.subject), _rdflib(t.predicate), _rdflib(t.object)))
    return g


def _rdflib(term):
    if isinstance(term, ox.Literal):
        dt = term.datatype.value
        return Literal(term.value, lang=term.language or None,
                       datatype=None if term.language or dt.endswith("#string") else URIRef(dt))
    return URIRef(term.value)


def path(iri: str) -> str:
    return "/id/" + iri[len(BASE):]


def assert_error(response, status: int, words: str = "") -> dict:
    """The one error shape, pinned."""
    assert response.status_code == status, response.data[:500]
    body = response.get_json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"status", "title", "message"}
    assert body["error"]["status"] == status
    assert words.lower() in body["error"]["message"].lower()
    return body["error"]


# ------------------------------------------------------------------- pages
def test_home_shows_counts_and_entry_points(client):
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert "2 public statements" in html
    assert "Article 206 of the Criminal Code" in html  # most invoked provision
    assert "Azerbaijan" in html
    assert "Confidential" not in html and "Zaur" not in html


def test_home_json_twin(client):
    for r in (client.get("/index.json"), client.get("/", headers=JSON)):
        data = r.get_json()
        assert data["statements"] == 2  # the restricted statement is not counted
        assert data["classes"]["HumanRightsDefender"] == 1
        assert [p[1] for p in data["provisions"]] == [2]


def test_entity_page_shows_links_evidence_and_timeline(client):
    r = client.get(path(ASA))
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "<h1>Åsa Lindqvist-Ørsted</h1>" in html
    assert "woman human rights defender Åsa Lindqvist-Ørsted" in html  # evidence quote
    assert "What points here" in html and "is concerns of" in html  # incoming links
    assert 'href="/id/statement/web-arrest-2024"' in html  # described in
    assert html.index("2024-01-10") < html.index("2024-06-01") < html.index("2024-09-02")  # timeline order
    assert "2024-03-03" not in html and "Zaur" not in html  # the restricted arrest stays hidden
    assert 'id="graph"' in html


def test_entity_json_twin(client):
    for r in (client.get(path(ASA) + ".json"), client.get(path(ASA), headers=JSON)):
        data = r.get_json()
        assert data["label"] == "Åsa Lindqvist-Ørsted"
        assert {t["value"] for t in data["types"]} == {HRD + "Person", HRD + "HumanRightsDefender"}
        assert [e["type"] for e in data["timeline"]] == ["hrd:Arrest", "hrd:Conviction", "hrd:Conviction"]
        assert all(e["quote"] for e in data["timeline"])
        assert {e["statement"] for e in data["evidence"]} == {PUBLIC_STATEMENT, FINE_STATEMENT}


@pytest.mark.parametrize("suffix, accept, rdf_format", [
    (".ttl", "text/turtle", "turtle"), (".nt", "application/n-triples", "nt"),
    (".jsonld", "application/ld+json", "json-ld"), (".rdf", "application/rdf+xml", "xml")])
def test_entity_rdf_by_suffix_and_accept(client, suffix, accept, rdf_format):
    for r in (client.get(path(ASA) + suffix), client.get(path(ASA), headers={"Accept": accept})):
        assert r.status_code == 200 and r.mimetype == accept
        g = parse_rdf(r.data, rdf_format)
        assert (URIRef(ASA), RDFS.label, Literal("Åsa Lindqvist-Ørsted")) in g
        assert (URIRef(PUBLIC_STATEMENT + "/event/1"), URIRef(HRD + "concerns"), URIRef(ASA)) in g  # incoming too
        assert not any("zaur" in str(t) or "restricted" in str(t) for triple in g for t in triple)


def test_unknown_and_restricted_entities_are_not_found(client):
    for iri in (BASE + "person/az/nobody", ZAUR, RESTRICTED_STATEMENT):
        assert client.get(path(iri)).status_code == 404
        assert_error(client.get(path(iri) + ".json"), 404, "nothing is known")


def test_statement_page_highlights_evidence(client):
    html = client.get(path(PUBLIC_STATEMENT)).get_data(as_text=True)
    assert "stored after passing the SHACL shapes" in html
    marks = re.findall(r'<a class="hl" href="([^"]+)"[^>]*>([^<]+)</a>', html)
    assert ("/id/organisation/example-watch", "Example Watch") in marks
    assert ("/id/court/az/baku-grave-crimes-court", "Baku Grave Crimes Court") in marks
    assert "release them immediately" in html  # the demand
    data = client.get(path(PUBLIC_STATEMENT) + ".json").get_json()
    text = "".join(s["text"] for s in data["statement"]["segments"])
    assert text.startswith("On 10 January 2024, the State Security Service arrested")


def test_class_listing_with_facets_sort_and_pages(client):
    html = client.get("/class/Person").get_data(as_text=True)
    assert "Åsa Lindqvist-Ørsted" in html and "Rauf Mammadov" in html and "Zaur" not in html
    data = client.get("/class/Event.json").get_json()
    assert data["total"] == 3
    assert data["facets"]["type"] == {"Arrest": 1, "Conviction": 2}
    assert data["facets"]["year"] == {"2024": 3}
    convictions = client.get("/class/Event.json?type=Conviction&sort=date&order=desc").get_json()
    assert [r["date"] for r in convictions["rows"]] == ["2024-09-02", "2024-06-01"]
    page = client.get("/class/Event.json?offset=2").get_json()
    assert len(page["rows"]) == 1 and page["offset"] == 2
    statements = client.get("/class/Statement", headers=JSON).get_json()
    assert statements["facets"]["publisher"] == {"Example Watch": 2}


def test_class_listing_errors(client):
    assert_error(client.get("/class/Nonsense.json"), 400, "no class")
    assert_error(client.get("/class/Event.json?sort=colour"), 400, "cannot sort")
    assert_error(client.get("/class/Event.json?offset=minus"), 400, "whole number")


def test_search_ignores_case_and_accents(client):
    for text in ("asa lindqvist", "ÅSA", "orsted"):
        hits = client.get("/search.json", query_string={"q": text}).get_json()["hits"]
        assert hits[0]["iri"] == ASA, text
    assert client.get("/search.json?q=zaur").get_json()["hits"] == []
    html = client.get("/search?q=baku").get_data(as_text=True)
    assert 'href="/id/court/az/baku-grave-crimes-court"' in html


def test_neighbourhood_json(client):
    data = client.get("/neighbours/" + ASA[len(BASE):]).get_json()
    ids = {n["id"] for n in data["nodes"]}
    assert {ASA, PUBLIC_STATEMENT + "/event/1"} <= ids and ZAUR not in ids
    assert all(n["href"].startswith("/id/") for n in data["nodes"])


def test_saved_queries_gallery_and_editor(client):
    names = [q["name"] for q in client.get("/queries.json").get_json()["queries"]]
    assert len(names) >= 12
    html = client.get("/queries").get_data(as_text=True)
    assert "Courts by number of convictions" in html
    assert client.get("/queries/co-defendants.rq").get_data(as_text=True).startswith("# Co-defendants")
    assert_error(client.get("/queries/nothing.rq", headers=JSON), 404)
    editor = client.get("/editor").get_data(as_text=True)
    assert "vendor/yasgui/yasgui.min.js" in editor and 'data-name="co-defendants"' in editor
    config = client.get("/editor.json").get_json()
    assert config["endpoint"] == "/sparql" and config["prefixes"]["hrd"] == HRD


def test_vendored_scripts_are_served_with_their_licences(client):
    for asset in ("vendor/yasgui/yasgui.min.js", "vendor/yasgui/yasgui.min.css", "vendor/yasgui/LICENSE",
                  "vendor/cytoscape/cytoscape.min.js", "vendor/cytoscape/LICENSE", "vendor/VERSION",
                  "hrdkg.css", "editor.js", "graph.js"):
        r = client.get("/static/" + asset)
        assert r.status_code == 200, asset
        r.close()


def test_security_headers(client):
    r = client.get("/")
    assert "script-src 'self'" in r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["X-Content-Type-Options"] == "nosniff"


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_no_broken_internal_link(client):
    """Walk every internal link reachable from the home page (bounded)."""
    seen, todo = set(), ["/"]
    while todo and len(seen) < 400:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        r = client.get(url)
        assert r.status_code == 200, url
        if r.mimetype == "text/html":
            parser = Links()
            parser.feed(r.get_data(as_text=True))
            for link in parser.links:
                target = urljoin(url, link)
                parts = urlsplit(target)
                if not parts.netloc and not target.startswith("/sparql"):
                    todo.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        r.close()
    assert len(seen) > 30


# ------------------------------------------------------------------ SPARQL
SELECT_DEFENDERS = "SELECT ?d ?name WHERE { ?d a hrd:HumanRightsDefender ; rdfs:label ?name }"


def test_sparql_get_post_form_and_direct_post(client):
    answers = [
        client.get("/sparql", query_string={"query": SELECT_DEFENDERS}),
        client.post("/sparql", data={"query": SELECT_DEFENDERS}),
        client.post("/sparql", data=SELECT_DEFENDERS.encode(), content_type="application/sparql-query"),
    ]
    for r in answers:
        assert r.status_code == 200 and r.mimetype == "application/sparql-results+json"
        rows = r.get_json()["results"]["bindings"]
        assert [row["name"]["value"] for row in rows] == ["Åsa Lindqvist-Ørsted"]
        assert r.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("accept, fmt, media, marker", [
    ("application/sparql-results+xml", "xml", "application/sparql-results+xml", b"<sparql"),
    ("text/csv", "csv", "text/csv", b"d,name\r\n"),
    ("text/tab-separated-values", "tsv", "text/tab-separated-values", b"?d\t?name\n"),
    ("application/sparql-results+json", "json", "application/sparql-results+json", b'"bindings"')])
def test_sparql_result_formats(client, accept, fmt, media, marker):
    by_accept = client.get("/sparql", query_string={"query": SELECT_DEFENDERS}, headers={"Accept": accept})
    by_param = client.get("/sparql", query_string={"query": SELECT_DEFENDERS, "format": fmt})
    for r in (by_accept, by_param):
        assert r.mimetype == media and marker in r.data
        assert "Åsa".encode() in r.data


@pytest.mark.parametrize("accept, rdf_format", [("text/turtle", "turtle"), ("application/n-triples", "nt"),
                                                ("application/ld+json", "json-ld"),
                                                ("application/rdf+xml", "xml")])
def test_sparql_construct_and_describe_formats(client, accept, rdf_format):
    query = "CONSTRUCT { ?d rdfs:label ?n } WHERE { ?d a hrd:Person ; rdfs:label ?n }"
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept": accept})
    assert r.mimetype == accept
    g = parse_rdf(r.data, rdf_format)
    assert (URIRef(RAUF), RDFS.label, Literal("Rauf Mammadov")) in g and len(g) == 2
    r = client.get("/sparql", query_string={"query": f"DESCRIBE <{COURT}>"}, headers={"Accept": accept})
    assert (URIRef(COURT), RDFS.label, Literal("Baku Grave Crimes Court")) in parse_rdf(r.data, rdf_format)


def test_sparql_ask_and_format_mismatch(client):
    r = client.get("/sparql", query_string={"query": f"ASK {{ <{ASA}> a hrd:HumanRightsDefender }}"})
    assert r.get_json() == {"head": {}, "boolean": True}
    assert_error(client.get("/sparql", query_string={"query": SELECT_DEFENDERS, "format": "turtle"}), 400,
                 "cannot be written as turtle")
    assert_error(client.get("/sparql", query_string={"query": SELECT_DEFENDERS, "format": "yaml"}), 400,
                 "unknown format")


def test_sparql_service_description_and_cors_preflight(client):
    r = client.get("/sparql", headers={"Accept": "text/turtle"})
    g = parse_rdf(r.data, "turtle")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    assert (None, URIRef(sd + "supportedLanguage"), URIRef(sd + "SPARQL11Query")) in g
    assert client.get("/sparql", headers={"Accept": "text/html"}).mimetype == "text/html"  # the editor
    pre = client.options("/sparql", headers={"Origin": "https://example.org",
                                             "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204 and "POST" in pre.headers["Access-Control-Allow-Methods"]


def test_sparql_is_read_only(client, store):
    before = len(store)
    insert = f"INSERT DATA {{ <{ASA}> rdfs:label \"hacked\" }}"
    assert_error(client.post("/sparql", data={"update": insert}), 403, "read-only")
    assert_error(client.post("/sparql", data=insert.encode(), content_type="application/sparql-update"), 403)
    assert_error(client.get("/sparql", query_string={"update": insert}), 403)
    assert_error(client.get("/sparql", query_string={"query": insert}), 400, "syntax")
    assert_error(client.post("/sparql", data={"query": "DROP ALL"}), 400)
    assert len(store) == before
    assert select(store, f"SELECT ?l WHERE {{ <{ASA}> rdfs:label ?l }}") == [{"l": "Åsa Lindqvist-Ørsted"}]


def test_sparql_malformed_requests(client):
    assert_error(client.get("/sparql?query=SELECT&query=ASK{}"), 400, "one query")
    assert_error(client.get("/sparql", query_string={"query": "SELECT ?x WHERE {"}), 400, "syntax error")
    assert_error(client.post("/sparql", data=b"x", content_type="text/plain"), 415)
    assert_error(client.delete("/sparql"), 405)


def rows(response) -> list[dict]:
    return response.get_json()["results"]["bindings"]


def test_sparql_sees_only_public_graphs(client):
    graphs = rows(client.get("/sparql", query_string={"query": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"}))
    assert {r["g"]["value"] for r in graphs} == {PUBLIC_STATEMENT, FINE_STATEMENT}
    attacks = [
        {"query": f"SELECT * FROM <{RESTRICTED_STATEMENT}> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{RESTRICTED_STATEMENT}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": f"SELECT * WHERE {{ GRAPH <{RESTRICTED_STATEMENT}> {{ ?s ?p ?o }} }}"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": RESTRICTED_STATEMENT},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": RESTRICTED_STATEMENT},
        {"query": f"SELECT * WHERE {{ <{ZAUR}> ?p ?o }}"},
        {"query": "PREFIX x: <https://w3id.org/hrdkg/id/statement/> SELECT * FROM x:web-restricted-2024 { ?s ?p ?o }"},
    ]
    for params in attacks:
        assert rows(client.get("/sparql", query_string=params)) == [], params
    ask = client.get("/sparql", query_string={"query": f"ASK {{ GRAPH ?g {{ <{ZAUR}> ?p ?o }} }}"}).get_json()
    assert ask["boolean"] is False
    described = client.get("/sparql", query_string={"query": f"DESCRIBE <{ZAUR}>", "format": "ntriples"})
    assert described.data.strip() == b""


def test_sparql_protocol_dataset_of_public_graphs(client):
    r = client.get("/sparql", query_string={"query": "SELECT DISTINCT ?s WHERE { ?s a hrd:Statement }",
                                            "default-graph-uri": FINE_STATEMENT})
    assert [row["s"]["value"] for row in rows(r)] == [FINE_STATEMENT]
    r = client.get("/sparql", query_string={"query": f"SELECT ?s FROM <{PUBLIC_STATEMENT}> WHERE {{ ?s a hrd:Statement }}"})
    assert [row["s"]["value"] for row in rows(r)] == [PUBLIC_STATEMENT]


def test_sparql_result_cap_is_an_error_not_a_cut(store):
    client = create_app({"STORE": store, "RESULT_LIMIT": 3}).test_client()
    error = assert_error(client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o }"}), 422,
                         "more than 3 rows")
    assert "LIMIT" in error["message"]
    assert len(rows(client.get("/sparql", query_string={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 3"}))) == 3


def test_sparql_time_limit_stops_the_query(store):
    client = create_app({"STORE": store, "QUERY_TIMEOUT": 1}).test_client()
    started = time.monotonic()
    error = assert_error(client.get("/sparql", query_string={"query": HEAVY}), 503, "time limit of 1 s")
    assert time.monotonic() - started < 10
    assert "stopped" in error["message"]
    assert rows(client.get("/sparql", query_string={"query": SELECT_DEFENDERS}))  # still serving


def test_sparql_time_limit_on_a_disk_store(tmp_path):
    fixture_store(tmp_path / "store").close()
    client = create_app({"STORE_PATH": str(tmp_path / "store"), "QUERY_TIMEOUT": 1}).test_client()
    assert_error(client.get("/sparql", query_string={"query": HEAVY}), 503, "time limit")
    assert rows(client.get("/sparql", query_string={"query": SELECT_DEFENDERS}))


def test_server_does_not_hold_the_store_between_requests(tmp_path):
    fixture_store(tmp_path / "store").close()
    client = create_app({"STORE_PATH": str(tmp_path / "store")}).test_client()
    assert client.get("/").status_code == 200
    writer = open_store(tmp_path / "store", wait=0.5)  # would fail if the app still held the lock
    writer.close()
    assert client.get(path(ASA)).status_code == 200


# ------------------------------------------------------------- saved queries
def test_every_saved_query_has_a_title_and_description():
    queries = saved_queries()
    assert len(queries) >= 12
    for q in queries:
        assert q.text.startswith(f"# {q.title}\n") and q.description, q.name


@pytest.fixture(scope="module")
def demo_store():
    store = open_store(None)
    report = ingest_paths(store, [DATA])
    assert report.stored and not report.rejected
    return store


@pytest.mark.parametrize("name", [q.name for q in saved_queries()])
def test_saved_query_returns_rows_on_the_demo_data(demo_store, name):
    query = next(q for q in saved_queries() if q.name == name)
    assert select(demo_store, query.text), f"{name} returned no row on data/"


@pytest.mark.parametrize("name", [q.name for q in saved_queries()])
def test_saved_query_runs_through_the_endpoint(client, name):
    r = client.get("/sparql", query_string={"query": next(q.text for q in saved_queries() if q.name == name)})
    assert r.status_code == 200 and "results" in r.get_json()


def test_json_errors_share_one_shape(client):
    for response, status in [(client.get("/nowhere.json"), 404), (client.get("/id/x/y.json"), 404),
                             (client.post("/sparql", data={"update": "CLEAR ALL"}), 403),
                             (client.get("/class/Nope", headers=JSON), 400)]:
        assert_error(response, status)
    html = client.get("/nowhere")
    assert html.status_code == 404 and html.mimetype == "text/html" and "404 Not Found" in html.get_data(as_text=True)


def test_every_page_has_a_json_twin(client):
    for page, twin in [("/", "/index.json"), (path(ASA), path(ASA) + ".json"), ("/class/Court", "/class/Court.json"),
                       ("/search?q=baku", "/search.json?q=baku"), ("/queries", "/queries.json"),
                       ("/editor", "/editor.json"), (path(PUBLIC_STATEMENT), path(PUBLIC_STATEMENT) + ".json")]:
        assert client.get(page).mimetype == "text/html"
        assert client.get(twin).mimetype == "application/json"
        json.dumps(client.get(page, headers=JSON).get_json())
