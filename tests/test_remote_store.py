"""The store behind one interface: embedded Oxigraph and a real ``oxigraph serve``.

The same tests run on both back ends (the ``any_store`` fixture).  The
server is the ``oxigraph`` binary of the PyPI package of that name, started
once per session on a free port of 127.0.0.1 (in memory); each test starts
from an empty dataset (``DROP ALL``).
"""
from __future__ import annotations

import doctest
import io
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

import graph.remote
from graph.browse import describe
from graph.catalog import overview
from graph.build import build_graph
from graph.errors import QueryError, StoreError
from graph.export import export
from graph.facts import load_facts
from graph.ingest import ingest_paths
from graph.query import format_result, iri, run, saved_queries, select
from graph.remote import Endpoints
from graph.stats import store_stats
from graph.store import SharedStore, Store, open_store

from conftest import DATA, FACTS, ROOT
from web_support import free_port

COUNT_DEFENDERS = "SELECT (COUNT(*) AS ?n) WHERE { ?p a hrd:HumanRightsDefender }"
OXIGRAPH = shutil.which("oxigraph", path=str(Path(sys.executable).parent) + os.pathsep + os.environ.get("PATH", ""))


class OxigraphServer:
    """``oxigraph serve`` in a subprocess on a free port of 127.0.0.1 (in memory)."""

    def __init__(self) -> None:
        if OXIGRAPH is None:
            pytest.fail("the oxigraph server binary is missing: pip install -e '.[test]' installs it")
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen([OXIGRAPH, "serve", "--bind", f"127.0.0.1:{self.port}"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"{self.url}/query?query=ASK%7B%7D", timeout=2).close()
                return
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("oxigraph serve did not start") from None
                time.sleep(0.05)

    def clear(self) -> None:
        request = urllib.request.Request(f"{self.url}/update", data=b"DROP ALL", method="POST",
                                         headers={"Content-Type": "application/sparql-update"})
        urllib.request.urlopen(request, timeout=10).close()

    def stop(self) -> None:
        self.proc.terminate()
        self.proc.wait(timeout=10)
        self.proc.stderr.close()  # type: ignore[union-attr]


@pytest.fixture(scope="session")
def server() -> Iterator[OxigraphServer]:
    srv = OxigraphServer()
    yield srv
    srv.stop()


@pytest.fixture
def remote(server: OxigraphServer) -> Iterator[Store]:
    server.clear()
    store = open_store(server.url)
    yield store
    store.close()


@pytest.fixture(params=["embedded", "remote"])
def any_store(request) -> Store:
    """An empty store: in memory, or on the live Oxigraph server."""
    if request.param == "embedded":
        return open_store(None)
    return request.getfixturevalue("remote")


def content(store: Store) -> list[str]:
    """Every quad as sorted N-Quads lines: compares stores by content."""
    return sorted(str(q) for q in store.quads())


def statement(name: str, **changes):
    facts = load_facts(FACTS / f"{name}.facts.json")
    return build_graph(facts.with_statement(**changes) if changes else facts)


def fill_demo(store: Store) -> Store:
    for path in sorted(DATA.glob("*.facts.json")):
        store.put_statement(build_graph(load_facts(path)))
    return store


# --------------------------------------------------- the merged graph stays right
def test_shared_facts_are_counted_once(any_store):
    any_store.put_statement(statement("minimal"))
    any_store.put_statement(statement("second"))
    assert select(any_store, COUNT_DEFENDERS) == [{"n": "1"}]
    assert len(any_store.statement_graphs()) == 2


def test_reingest_is_idempotent(any_store):
    g = statement("minimal")
    any_store.put_statement(g)
    before = content(any_store)
    any_store.put_statement(g)
    assert content(any_store) == before


def test_withdraw_keeps_what_another_statement_supports(any_store):
    one, two = statement("minimal"), statement("second")
    any_store.put_statement(one)
    alone = content(any_store)
    any_store.put_statement(two)
    assert any_store.withdraw_statement(str(two.identifier))
    assert content(any_store) == alone
    assert not any_store.withdraw_statement(str(two.identifier))
    assert any_store.withdraw_statement(str(one.identifier))
    assert len(any_store) == 0


def test_replacing_a_statement_drops_what_it_no_longer_says(any_store):
    facts = load_facts(FACTS / "minimal.facts.json")
    any_store.put_statement(build_graph(facts))
    corrected = facts.__class__(statement=facts.statement, entities=facts.entities, events=(), text=facts.text)
    any_store.put_statement(build_graph(corrected))
    assert select(any_store, "SELECT ?e WHERE { ?e a hrd:Conviction }") == []
    assert any_store.statement_graphs() == [str(build_graph(corrected).identifier)]


def test_restricted_statements_stay_out_of_the_merged_graph(any_store):
    secret = statement("minimal", restricted=True)
    public = statement("second")
    any_store.put_statement(secret, public=False)
    assert select(any_store, COUNT_DEFENDERS) == [{"n": "0"}]
    assert any_store.restricted_graphs() == {str(secret.identifier)}
    any_store.put_statement(public)
    assert any_store.public_graphs() == [str(public.identifier)]
    assert select(any_store, COUNT_DEFENDERS) == [{"n": "1"}]
    any_store.withdraw_statement(str(public.identifier))
    assert select(any_store, COUNT_DEFENDERS) == [{"n": "0"}]  # only the restricted statement holds it now


def test_both_back_ends_hold_the_same_quads(remote):
    embedded = open_store(None)
    for store in (embedded, remote):
        store.put_statement(statement("minimal", restricted=True), public=False)
        store.put_statement(statement("second"))
        fill_demo(store)
        store.withdraw_statement(str(statement("second").identifier))
    assert content(remote) == content(embedded)
    assert len(remote) == len(embedded)
    assert store_stats(remote) == store_stats(embedded)  # counts come from the merged graph: no duplicates


# ---------------------------------------------------------------- reading
def test_queries_answer_alike(remote):
    embedded = fill_demo(open_store(None))
    fill_demo(remote)
    for saved in saved_queries():
        assert select(remote, saved.text) == select(embedded, saved.text), saved.name
    person = select(embedded, "SELECT ?p WHERE { ?p a hrd:HumanRightsDefender } ORDER BY ?p LIMIT 1")[0]["p"]
    bound = "SELECT ?p ?class ?name WHERE { ?p rdfs:label ?name ; a ?class } ORDER BY ?name"
    bindings = {"p": iri(person), "class": iri("https://w3id.org/hrdkg/ontology#HumanRightsDefender")}
    assert select(remote, bound, bindings=bindings) == select(embedded, bound, bindings=bindings) != []
    assert bool(run(remote, "ASK { ?s a hrd:Court }"))
    construct = "CONSTRUCT { ?c a hrd:Court } WHERE { ?c a hrd:Court }"
    assert format_result(run(remote, construct), "ntriples") != b""
    assert sorted(format_result(run(remote, construct), "ntriples").splitlines()) == \
        sorted(format_result(run(embedded, construct), "ntriples").splitlines())
    assert format_result(run(remote, COUNT_DEFENDERS), "csv") == format_result(run(embedded, COUNT_DEFENDERS), "csv")


def test_exports_are_byte_identical(remote):
    embedded = fill_demo(open_store(None))
    fill_demo(remote)
    remote.put_statement(statement("minimal", restricted=True), public=False)
    embedded.put_statement(statement("minimal", restricted=True), public=False)
    for fmt in ("turtle", "nquads", "jsonld"):
        out_remote, out_embedded = io.BytesIO(), io.BytesIO()
        export(remote, out_remote, fmt=fmt)
        export(embedded, out_embedded, fmt=fmt)
        assert out_remote.getvalue() == out_embedded.getvalue(), fmt
    assert b"minimal" not in out_remote.getvalue()


def test_browse_pages_read_the_server(remote):
    embedded = fill_demo(open_store(None))
    fill_demo(remote)
    assert overview(remote) == overview(embedded)
    person = select(embedded, "SELECT ?p WHERE { ?p a hrd:HumanRightsDefender } ORDER BY ?p LIMIT 1")[0]["p"]
    assert describe(remote, person) == describe(embedded, person)


def test_web_app_on_a_server(remote):
    from webui import create_app

    fill_demo(remote)
    client = create_app({"STORE": SharedStore(remote.url), "TESTING": True}).test_client()
    assert client.get("/").status_code == 200
    answer = client.get("/sparql", query_string={"query": COUNT_DEFENDERS},
                        headers={"Accept": "application/sparql-results+json"})
    assert answer.status_code == 200, answer.data
    assert answer.json["results"]["bindings"][0]["n"]["value"] == select(remote, COUNT_DEFENDERS)[0]["n"]


def test_store_path_may_be_a_server_url(remote, tmp_path, monkeypatch):
    from webui import create_app

    fill_demo(remote)
    monkeypatch.chdir(tmp_path)  # a URL taken for a directory would be created here
    client = create_app({"STORE_PATH": remote.url, "TESTING": True}).test_client()
    page = client.get("/index.json").get_json()
    assert page["statements"] == overview(remote).statements > 0
    assert not any(tmp_path.iterdir())


def test_sparql_endpoint_on_a_server_sends_the_query_there(remote):
    """/sparql passes the query to the server: no worker, no copy of the data;
    the public dataset as protocol parameters, the result cap and the time limit still hold."""
    from graph.query_pool import pool_stats
    from web_support import RESTRICTED_STATEMENT, ZAUR, fill
    from webui import create_app

    fill(remote)  # two public statements and a restricted one
    app = create_app({"STORE": SharedStore(remote.url), "TESTING": True, "QUERY_WORKERS": 11,
                      "RESULT_LIMIT": 50, "QUERY_TIMEOUT": 0.5})
    client = app.test_client()

    def get(query: str, **params: str):
        return client.get("/sparql", query_string={"query": query, **params})

    graphs = get("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert graphs.status_code == 200, graphs.data
    listed = {row["g"]["value"] for row in graphs.json["results"]["bindings"]}
    assert len(listed) == 2 and RESTRICTED_STATEMENT not in listed
    for query, params in [(f"ASK {{ <{ZAUR}> ?p ?o }}", {}),
                          (f"ASK {{ GRAPH ?g {{ <{ZAUR}> ?p ?o }} }}", {}),
                          (f"ASK FROM <{RESTRICTED_STATEMENT}> {{ ?s ?p ?o }}", {}),
                          (f"ASK FROM NAMED <{RESTRICTED_STATEMENT}> {{ GRAPH ?g {{ ?s ?p ?o }} }}", {}),
                          ("ASK { ?s ?p ?o }", {"default-graph-uri": RESTRICTED_STATEMENT})]:
        answer = get(query, **params)
        assert answer.status_code == 200 and answer.json["boolean"] is False, (query, answer.data)
    assert get("ASK { ?s ?p ?o }").json["boolean"] is True
    # the cap: an error, never a cut; graphs too, and other formats
    assert get("SELECT * WHERE { ?s ?p ?o }").status_code == 422
    assert get("CONSTRUCT WHERE { ?s ?p ?o }").status_code == 422
    small = get("SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o LIMIT 5", format="csv")
    assert small.status_code == 200 and small.mimetype == "text/csv" and small.headers["X-Result-Count"] == "5"
    turtle = get(f"CONSTRUCT WHERE {{ <{ZAUR}> ?p ?o }}", format="turtle")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle" and turtle.headers["X-Result-Count"] == "0"
    assert get("SELECT ?s WHERE { ?s ").status_code == 400
    assert "SERVICE" in get("SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }").json["error"]["message"]
    # ~2.5 s on the server (it finishes on its own); the client stops waiting at the time limit
    stopped = get("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    assert stopped.status_code == 503 and "time limit of 0.5 s" in stopped.json["error"]["message"]
    assert pool_stats()[11]["started"] == 0  # no worker process was ever needed


# -------------------------------------------------------------- errors
def test_a_malformed_query_is_a_query_error(remote):
    with pytest.raises(QueryError, match="syntax"):
        run(remote, "SELECT ?s WHERE { ?s ")


def test_an_unreachable_server_is_a_clear_store_error():
    store = open_store(f"http://127.0.0.1:{free_port()}")
    with pytest.raises(StoreError, match="cannot reach the SPARQL server"):
        store.statement_graphs()


def test_a_bad_store_url_is_refused():
    with pytest.raises(StoreError, match="unknown store option"):
        open_store("http://127.0.0.1:7878/?colour=blue")


def test_endpoint_layouts():
    oxigraph = Endpoints.from_url("http://h:7878/")
    assert (oxigraph.query, oxigraph.update, oxigraph.gsp) == ("http://h:7878/query", "http://h:7878/update",
                                                               "http://h:7878/store")
    fuseki = Endpoints.from_url("http://h:3030/hrdkg")
    assert (fuseki.query, fuseki.update, fuseki.gsp) == ("http://h:3030/hrdkg", "http://h:3030/hrdkg", None)
    graphdb = Endpoints.from_url("http://h:7200/repositories/hrdkg?timeout=30")
    assert graphdb.update == "http://h:7200/repositories/hrdkg/statements" and graphdb.timeout == 30
    virtuoso = Endpoints.from_url("http://dba:pw@h:8890/sparql-auth?auth=digest")
    assert virtuoso.query == virtuoso.update == "http://dba:pw@h:8890/sparql-auth" and virtuoso.digest
    assert doctest.testmod(graph.remote).failed == 0


def test_load_without_a_bulk_endpoint_uses_insert_data(server):
    server.clear()
    store = open_store(f"{server.url}/?query=/query&update=/update&gsp=")
    assert store.inner.endpoints.gsp is None
    quads = [ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), ox.Literal(f"line\n{i}"),
                     ox.NamedNode("http://e/g")) for i in range(3)]
    store.load_quads(quads)
    assert sorted(map(str, store.quads(None, None, None, ox.NamedNode("http://e/g")))) == sorted(map(str, quads))


# ------------------------------------------------------------ end to end
def test_cli_ingest_and_query_on_a_server(server):
    server.clear()
    hrdkg = [sys.executable, "-m", "graph", "--store", server.url]
    ingest = subprocess.run([*hrdkg, "ingest", str(DATA)], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert ingest.returncode == 0, ingest.stderr
    answer = subprocess.run([*hrdkg, "query", COUNT_DEFENDERS, "--format", "csv"], capture_output=True,
                            text=True, cwd=ROOT, timeout=60)
    assert answer.returncode == 0, answer.stderr
    expected = select(fill_demo(open_store(None)), COUNT_DEFENDERS)[0]["n"]
    assert answer.stdout.split() == ["n", expected]
    env = {**os.environ, "HRDKG_STORE": server.url}
    stats = subprocess.run([sys.executable, "-m", "graph", "stats", "--format", "json"], capture_output=True,
                           text=True, cwd=ROOT, timeout=60, env=env)
    assert stats.returncode == 0 and '"statements": 3' in stats.stdout, stats.stderr


def test_ingest_paths_into_a_shared_server_store(server):
    server.clear()
    shared = SharedStore(server.url)
    report = ingest_paths(shared, [DATA])
    assert not report.rejected
    with shared.lease() as store:
        assert len(store.statement_graphs()) == len(report.stored) == 3


def test_a_query_past_its_timeout_is_a_store_error(remote):
    fill_demo(remote)
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
    with pytest.raises(StoreError, match="did not answer the query within 0.001 s"):
        remote.query(heavy, timeout=0.001)
    with pytest.raises(ValueError, match="cannot be given a timeout"):
        open_store(None).query(heavy, timeout=1)
