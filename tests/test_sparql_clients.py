"""The SPARQL endpoint of a real server (waitress, in a subprocess on a free
port of 127.0.0.1) queried by real clients: SPARQLWrapper and rdflib's SPARQLStore."""
from __future__ import annotations

import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, TURTLE, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from web_support import ASA, COURT, RAUF, fixture_store, live_server

HRD = "https://w3id.org/hrdkg/ontology#"
QUERY_TIMEOUT = 3


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    """A live server over a store on disk holding the web fixtures; yields its base URL."""
    store_dir = tmp_path_factory.mktemp("served") / "store"
    fixture_store(store_dir).close()
    with live_server(store_dir, query_timeout=QUERY_TIMEOUT) as url:
        yield url


def wrapper(server: str) -> SPARQLWrapper:
    return SPARQLWrapper(server + "/sparql")


def test_sparqlwrapper_select_json(server):
    sparql = wrapper(server)
    sparql.setQuery(f"""PREFIX hrd: <{HRD}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?name WHERE {{ ?p a hrd:Person ; rdfs:label ?name }} ORDER BY ?name""")
    sparql.setReturnFormat(JSON)
    result = sparql.query().convert()
    assert [b["name"]["value"] for b in result["results"]["bindings"]] == ["Rauf Mammadov", "Åsa Lindqvist-Ørsted"]


def test_sparqlwrapper_post_ask_and_construct(server):
    sparql = wrapper(server)
    sparql.setMethod(POST)
    sparql.setQuery(f"ASK {{ <{ASA}> a <{HRD}HumanRightsDefender> }}")
    sparql.setReturnFormat(JSON)
    assert sparql.query().convert()["boolean"] is True
    sparql.setQuery(f"CONSTRUCT {{ <{COURT}> ?p ?o }} WHERE {{ <{COURT}> ?p ?o }}")
    sparql.setReturnFormat(TURTLE)
    g = Graph().parse(data=sparql.query().convert(), format="turtle")
    assert (URIRef(COURT), RDFS.label, Literal("Baku Grave Crimes Court")) in g


def test_sparqlwrapper_sees_errors(server):
    sparql = wrapper(server)
    sparql.setQuery("SELECT ?x WHERE {")
    with pytest.raises(QueryBadFormed):
        sparql.query()
    sparql = wrapper(server)
    sparql.setMethod(POST)
    sparql.setQuery(f"INSERT DATA {{ <{ASA}> <{RDFS.label}> \"changed\" }}")  # SPARQLWrapper sends it as update=
    # SPARQLWrapper turns 400/401/404/500 into its own exceptions and lets others through
    with pytest.raises(urllib.error.HTTPError) as refused:
        sparql.query()
    assert refused.value.code == 403 and b"read-only" in refused.value.read()
    refused.value.close()


def test_rdflib_sparqlstore(server):
    g = Graph(store=SPARQLStore(query_endpoint=server + "/sparql", returnFormat="json"))
    rows = list(g.query(f"SELECT ?name WHERE {{ <{RAUF}> <{RDFS.label}> ?name }}"))
    assert [str(r[0]) for r in rows] == ["Rauf Mammadov"]
    assert (URIRef(ASA), RDFS.label, Literal("Åsa Lindqvist-Ørsted")) in g
    labels = set(g.objects(URIRef(COURT), RDFS.label))
    assert labels == {Literal("Baku Grave Crimes Court")}


def test_a_long_query_is_stopped_while_others_are_served(server):
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    outcome: dict[str, object] = {}

    def long_query() -> None:
        request = urllib.request.Request(server + "/sparql?" + urllib.parse.urlencode({"query": heavy}))
        try:
            urllib.request.urlopen(request, timeout=60)
            outcome["status"] = 200
        except urllib.error.HTTPError as exc:
            outcome["status"] = exc.code
            outcome["body"] = exc.read().decode()
            exc.close()

    thread = threading.Thread(target=long_query)
    thread.start()
    time.sleep(0.5)
    started = time.monotonic()
    sparql = wrapper(server)
    sparql.setQuery(f"SELECT ?l WHERE {{ <{ASA}> <{RDFS.label}> ?l }}")
    sparql.setReturnFormat(JSON)
    assert sparql.query().convert()["results"]["bindings"]
    assert time.monotonic() - started < 2
    thread.join(QUERY_TIMEOUT + 20)
    assert outcome["status"] == 503
    assert "time limit" in str(outcome["body"])

