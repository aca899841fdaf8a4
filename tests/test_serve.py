"""`hrdkg serve` for real: the CLI in a subprocess on a free port, over a store
filled by `hrdkg ingest data/`, spoken to over HTTP by urllib, SPARQLWrapper
and rdflib's SPARQLStore.

Also walks every link of the demo site (same origin; only external links are
skipped) and checks that every HTML page has a JSON or Turtle twin.
"""
from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import JSON, POST, SPARQLWrapper

from web_support import free_port, server_process

DATA = Path(__file__).resolve().parent.parent / "data"
HRD = "https://w3id.org/hrdkg/ontology#"
BASE = "https://w3id.org/hrdkg/id/"
TIMEOUT = 2
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
DEFENDERS = f"SELECT ?d ?name WHERE {{ ?d a <{HRD}HumanRightsDefender> ; <{RDFS.label}> ?name }} ORDER BY ?name"


def hrdkg(store: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "graph", "--store", str(store), *args]


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory) -> Path:
    store = tmp_path_factory.mktemp("serve") / "store"
    done = subprocess.run(hrdkg(store, "ingest", str(DATA)), capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    return store


@pytest.fixture(scope="module")
def server(store_dir) -> Iterator[str]:
    port = free_port()
    with server_process(hrdkg(store_dir, "serve", "--port", str(port), "--query-timeout", str(TIMEOUT)),
                        port) as url:
        yield url


def get(url: str, *, accept: str | None = None) -> tuple[int, str, bytes]:
    """(status, media type, body) of a GET, errors included."""
    request = urllib.request.Request(url, headers={"Accept": accept} if accept else {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get_content_type(), response.read()
    except urllib.error.HTTPError as exc:
        with exc:
            return exc.code, exc.headers.get_content_type(), exc.read()


def sparql_json(server: str, query: str) -> dict:
    sparql = SPARQLWrapper(server + "/sparql")
    sparql.setQuery(query)
    sparql.setReturnFormat(JSON)
    return sparql.query().convert()


def defenders(server: str) -> list[tuple[str, str]]:
    return [(b["d"]["value"], b["name"]["value"]) for b in sparql_json(server, DEFENDERS)["results"]["bindings"]]


# ------------------------------------------------------------------ pages
def test_home_entity_statement_and_editor(server):
    status, media, body = get(server + "/")
    assert (status, media) == (200, "text/html") and b"hrdkg" in body
    iri, name = defenders(server)[0]
    status, media, body = get(server + "/id/" + iri[len(BASE):])
    assert (status, media) == (200, "text/html") and f"<h1>{name}</h1>".encode() in body
    statement = sparql_json(server, f"SELECT ?s WHERE {{ ?s a <{HRD}Statement> }} LIMIT 1")
    st = statement["results"]["bindings"][0]["s"]["value"]
    status, media, body = get(server + "/id/" + st[len(BASE):])
    assert status == 200 and b'class="hl"' in body  # the text with its evidence highlighted
    status, media, body = get(server + "/editor")
    assert status == 200 and b"yasgui" in body


# ------------------------------------------------------------------ clients
def test_sparqlwrapper_and_rdflib_sparqlstore(server):
    found = defenders(server)
    assert found and all(iri.startswith(BASE) for iri, _ in found)
    g = Graph(store=SPARQLStore(query_endpoint=server + "/sparql", returnFormat="json"))
    iri, name = found[0]
    assert (URIRef(iri), RDFS.label, Literal(name)) in g
    rows = list(g.query(f"SELECT (COUNT(?s) AS ?n) WHERE {{ ?s a <{HRD}Statement> }}"))
    assert int(rows[0][0]) == len(list(DATA.glob("*.facts.json")))


def _snapshot(store_dir: Path) -> list[str]:
    """Every quad of the store, read beside the running server (read-only)."""
    return sorted(map(str, ox.Store.read_only(str(store_dir))))


def test_updates_are_refused_and_the_store_is_unchanged(server, store_dir):
    before = _snapshot(store_dir)
    sparql = SPARQLWrapper(server + "/sparql")
    sparql.setMethod(POST)
    for update in ("DELETE WHERE { ?s ?p ?o }", f'INSERT DATA {{ <{BASE}x> <{RDFS.label}> "x" }}', "DROP ALL"):
        sparql.setQuery(update)  # SPARQLWrapper sends these as update=
        with pytest.raises(urllib.error.HTTPError) as refused:
            sparql.query()
        assert refused.value.code == 403 and b"read-only" in refused.value.read()
        refused.value.close()
    status, _, body = get(server + "/sparql?" + urllib.parse.urlencode({"update": "CLEAR ALL"}))
    assert status == 403 and json.loads(body)["error"]["status"] == 403
    status, _, _ = get(server + "/sparql?" + urllib.parse.urlencode({"query": "CLEAR ALL"}))
    assert status == 400
    assert _snapshot(store_dir) == before
    assert defenders(server)


def test_a_never_ending_query_is_stopped_while_another_client_is_served(server):
    outcome: dict[str, object] = {}

    def never_ending() -> None:
        outcome["status"], _, body = get(server + "/sparql?" + urllib.parse.urlencode({"query": HEAVY}))
        outcome["body"] = json.loads(body)

    thread = threading.Thread(target=never_ending)
    thread.start()
    time.sleep(0.5)  # the heavy query is running now
    started = time.monotonic()
    assert defenders(server)
    assert time.monotonic() - started < 2
    thread.join(TIMEOUT + 30)
    assert outcome["status"] == 503
    message = outcome["body"]["error"]["message"]  # type: ignore[index]
    assert f"stopped after the time limit of {TIMEOUT} s" in message and "LIMIT" in message


# ------------------------------------------------------------------ the site
class Links(HTMLParser):
    """href/src of every element of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.twins: list[str] = []
        self._footer = False

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        self._footer = self._footer or tag == "footer"
        for name in ("href", "src"):
            if values.get(name):
                self.links.append(values[name])  # type: ignore[arg-type]
                if self._footer and tag == "a":
                    self.twins.append(values[name])  # type: ignore[arg-type]

    def handle_endtag(self, tag):
        if tag == "footer":
            self._footer = False


def _page_links(server: str, path: str) -> tuple[int, str, list[str], list[str]]:
    """GET ``path``: status, media type, same-origin links and footer links (the twins)."""
    status, media, body = get(server + path)
    if media != "text/html" or status != 200:
        return status, media, [], []
    parser = Links()
    parser.feed(body.decode("utf-8"))
    origin = urlsplit(server).netloc
    links = []
    for link in parser.links:
        parts = urlsplit(urljoin(server + path, link))
        if parts.scheme in ("http", "https") and parts.netloc == origin:  # only external links are skipped
            links.append(parts.path + (f"?{parts.query}" if parts.query else ""))
    return status, media, links, parser.twins


@pytest.fixture(scope="module")
def site(server) -> dict[str, tuple[int, str, list[str]]]:
    """Every same-origin URL reachable from ``/`` (and from a search, which
    the search box submits): status, media type, footer links.  Fetched a
    wave at a time by a few threads, like several visitors at once."""
    pages: dict[str, tuple[int, str, list[str]]] = {}
    wave = {"/", "/search?q=a"}
    with ThreadPoolExecutor(max_workers=6) as pool:
        while wave:
            results = list(pool.map(lambda path: (path, _page_links(server, path)), sorted(wave)))
            wave = set()
            for path, (status, media, links, twins) in results:
                pages[path] = (status, media, twins)
                wave.update(link for link in links if link not in pages)
    return pages


def test_no_broken_link_anywhere_on_the_demo_site(site):
    broken = {path: status for path, (status, _, _) in site.items() if status != 200}
    assert not broken, broken
    kinds = {path.split("/")[1].split("?")[0].split(".")[0] for path in site}
    assert {"", "id", "class", "search", "queries", "editor", "sparql", "static"} <= kinds, kinds
    assert len(site) > 100


def _has_twin(server: str, path: str, twins: list[str]) -> bool:
    """The twin linked from the page's footer, else the same URL by content negotiation."""
    tries = [(urljoin(path, twin), None) for twin in twins if not twin.startswith("/static/")]
    tries += [(path, "application/json"), (path, "text/turtle")]
    answers = (get(server + url, accept=accept) for url, accept in tries)
    return any(status == 200 and kind in ("application/json", "text/turtle", "application/ld+json")
               for status, kind, _ in answers)


def test_every_html_page_has_a_json_or_turtle_twin(server, site):
    html = sorted(path for path, (_, media, _) in site.items() if media == "text/html")
    with ThreadPoolExecutor(max_workers=6) as pool:
        found = pool.map(lambda path: _has_twin(server, path, site[path][2]), html)
        missing = [path for path, ok in zip(html, found) if not ok]
    assert not missing, missing
