"""Attacks on the web side: confidentiality, administrator access, and a hardened endpoint.

Confidentiality is tested by **comparison**: every attack is sent to an app
over the fixture store (two public statements and one restricted statement
naming Zaur Hidden) and to an app over a store that never held the
restricted statement; the answers must be identical, byte for byte, so the
restricted statement is indistinguishable from data that does not exist.

Each entry of the attack tables (``SPARQL_ATTACKS``, ``PAGE_ATTACKS``,
``UPDATES``, ``SERVICE_QUERIES``, ``NESTED``...) is one distinct attack or
bad input.
"""
from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask

from graph.auth import AuthError, hash_password
from graph.store import Store
from web_support import ASA, BASE, PUBLIC_STATEMENT, RESTRICTED_STATEMENT, ZAUR, fixture_store, live_server
from webui import create_app

HRD = "https://w3id.org/hrdkg/ontology#"
ADMIN, PASSWORD = "warden", "correct horse battery staple"
HASH = hash_password(PASSWORD)
RESTRICTED_EVENT = RESTRICTED_STATEMENT + "/event/1"


def basic(user: str, password: str) -> dict[str, str]:
    token = base64.b64encode(f"{user}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


AS_ADMIN = basic(ADMIN, PASSWORD)


def make_app(store: Store, **config: object) -> Flask:
    settings = {"STORE": store, "TESTING": True, "QUERY_TIMEOUT": 20, "ADMIN_USER": ADMIN,
                "ADMIN_PASSWORD_HASH": HASH}
    return create_app({**settings, **config})


@pytest.fixture(scope="module")
def store() -> Store:
    return fixture_store()


@pytest.fixture(scope="module")
def secret(store):
    """The app over the store holding the restricted statement."""
    return make_app(store).test_client()


@pytest.fixture(scope="module")
def never():
    """The app over a store that never held the restricted statement."""
    return make_app(fixture_store(restricted=False)).test_client()


def page(iri: str) -> str:
    return "/id/" + iri[len(BASE):]


def same(secret, never, url: str, **kwargs) -> None:
    """Both apps answer ``url`` identically."""
    method = kwargs.pop("method", "get")
    a = getattr(secret, method)(url, **kwargs)
    b = getattr(never, method)(url, **kwargs)
    assert (a.status_code, a.mimetype) == (b.status_code, b.mimetype), url
    assert a.data == b.data, (url, a.data[:300], b.data[:300])
    a.close()
    b.close()


# ------------------------------------------------------- confidentiality
SPARQL_ATTACKS = {
    "FROM": f"SELECT * FROM <{RESTRICTED_STATEMENT}> WHERE {{ ?s ?p ?o }}",
    "from lower case, no space": f"select * from<{RESTRICTED_STATEMENT}> where {{ ?s ?p ?o }}",
    "FROM prefixed name": "PREFIX x: <https://w3id.org/hrdkg/id/statement/> "
                          "SELECT * FROM x:web-restricted-2024 { ?s ?p ?o }",
    "FROM escaped IRI": "SELECT * FROM <\\u0068ttps://w3id.org/hrdkg/id/statement/web-restricted-2024> { ?s ?p ?o }",
    "FROM behind a comment": f"SELECT * # FROM <{PUBLIC_STATEMENT}>\nFROM <{RESTRICTED_STATEMENT}> {{ ?s ?p ?o }}",
    "FROM NAMED": f"SELECT * FROM NAMED <{RESTRICTED_STATEMENT}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "FROM public + FROM NAMED restricted": f"SELECT * FROM <{PUBLIC_STATEMENT}> FROM NAMED <{RESTRICTED_STATEMENT}> "
                                           "{ GRAPH ?g { ?s ?p ?o } }",
    "GRAPH <restricted>": f"SELECT * WHERE {{ GRAPH <{RESTRICTED_STATEMENT}> {{ ?s ?p ?o }} }}",
    "GRAPH ?g listing": "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g",
    "GRAPH ?g count": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
    "restricted flag": "SELECT * WHERE { GRAPH ?g { ?s hrd:restricted ?x } }",
    "default graph count": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "defender count": "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a hrd:HumanRightsDefender }",
    "label regex": 'SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(REGEX(?l, "zaur|ganja|confidential", "i")) }',
    "text search": 'SELECT ?s WHERE { ?s hrd:text ?t FILTER(CONTAINS(?t, "Ganja")) }',
    "events of Åsa": f"SELECT ?e ?d WHERE {{ ?e hrd:concerns <{ASA}> OPTIONAL {{ ?e hrd:date ?d }} }} ORDER BY ?d",
    "ASK about Zaur": f"ASK {{ <{ZAUR}> ?p ?o }}",
    "ASK in any graph": f"ASK {{ GRAPH ?g {{ <{ZAUR}> ?p ?o }} }}",
    "ASK restricted graph exists": f"ASK {{ GRAPH <{RESTRICTED_STATEMENT}> {{ ?s ?p ?o }} }}",
    "DESCRIBE Zaur": f"DESCRIBE <{ZAUR}>",
    "DESCRIBE restricted statement": f"DESCRIBE <{RESTRICTED_STATEMENT}>",
    "DESCRIBE restricted event": f"DESCRIBE <{RESTRICTED_EVENT}>",
    "CONSTRUCT all graphs": "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }",
    "string holding FROM": f'SELECT * WHERE {{ ?s ?p "FROM <x>" }} ',
}


@pytest.mark.parametrize("name", list(SPARQL_ATTACKS))
def test_sparql_attack_sees_nothing_restricted(secret, never, name):
    same(secret, never, "/sparql", query_string={"query": SPARQL_ATTACKS[name]})


PROTOCOL_ATTACKS = {
    "default-graph-uri": {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": RESTRICTED_STATEMENT},
    "named-graph-uri": {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": RESTRICTED_STATEMENT},
    "both, with public": {"query": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
                          "default-graph-uri": [PUBLIC_STATEMENT, RESTRICTED_STATEMENT],
                          "named-graph-uri": [PUBLIC_STATEMENT, RESTRICTED_STATEMENT]},
    "default-graph-uri + DESCRIBE": {"query": f"DESCRIBE <{ZAUR}>", "default-graph-uri": RESTRICTED_STATEMENT},
}


@pytest.mark.parametrize("name", list(PROTOCOL_ATTACKS))
def test_protocol_dataset_attack_sees_nothing_restricted(secret, never, name):
    same(secret, never, "/sparql", query_string=PROTOCOL_ATTACKS[name])


def test_posted_attacks_see_nothing_restricted(secret, never):
    query = f"SELECT * FROM NAMED <{RESTRICTED_STATEMENT}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"
    same(secret, never, "/sparql", method="post", data={"query": query})
    same(secret, never, f"/sparql?named-graph-uri={RESTRICTED_STATEMENT}", method="post",
         data=b"SELECT * { GRAPH ?g { ?s ?p ?o } }", content_type="application/sparql-query")


PAGE_ATTACKS = [
    page(ZAUR), page(ZAUR) + ".json", page(ZAUR) + ".ttl", page(ZAUR) + ".jsonld", page(ZAUR) + ".nt",
    page(ZAUR) + ".rdf", page(RESTRICTED_STATEMENT), page(RESTRICTED_STATEMENT) + ".json",
    page(RESTRICTED_STATEMENT) + ".ttl", page(RESTRICTED_EVENT), page(RESTRICTED_EVENT) + ".json",
    "/neighbours/" + ZAUR[len(BASE):], "/neighbours/" + ASA[len(BASE):] + "?hops=2",
    page(ASA), page(ASA) + ".json", page(ASA) + ".ttl", page(ASA) + ".jsonld", page(ASA) + "?offset=1",
    "/search?q=zaur", "/search.json?q=Hidden", "/search.json?q=ganja", "/search.json?q=confidential",
    "/search.json?q=%C3%A5sa",
    "/", "/index.json",
    "/class/HumanRightsDefender", "/class/HumanRightsDefender.json", "/class/Person.json",
    "/class/Event.json", "/class/Event.json?type=Arrest", "/class/Event.json?year=2024&sort=date&order=desc",
    "/class/Arrest.json", "/class/Statement.json", "/class/Statement.json?sort=date",
    "/class/Country.json", "/class/City.json",
]


@pytest.mark.parametrize("url", PAGE_ATTACKS)
def test_typed_url_answers_as_if_restricted_data_never_existed(secret, never, url):
    same(secret, never, url)


@pytest.mark.parametrize("accept", ["text/turtle", "application/ld+json", "application/json", "text/html"])
def test_content_negotiation_on_a_restricted_iri(secret, never, accept):
    same(secret, never, page(ZAUR), headers={"Accept": accept})


def test_restricted_defender_404_is_that_of_an_unknown_iri(secret):
    known_only_there = secret.get(page(ZAUR) + ".json")
    unknown = secret.get(page(BASE + "person/az/zaur-hiddem") + ".json")
    assert known_only_there.status_code == unknown.status_code == 404
    assert known_only_there.get_json()["error"]["message"].replace("zaur-hidden", "X") == \
        unknown.get_json()["error"]["message"].replace("zaur-hiddem", "X")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.links += [v for k, v in attrs if k in ("href", "src") and v]


def _crawl(client, limit: int = 600) -> dict[str, bytes]:
    seen: dict[str, bytes] = {}
    todo = ["/"]
    while todo and len(seen) < limit:
        url = todo.pop()
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = response.data
        if response.mimetype == "text/html":
            parser = _Links()
            parser.feed(response.get_data(as_text=True))
            for link in parser.links:
                parts = urlsplit(urljoin(url, link))
                if not parts.netloc:
                    todo.append(parts.path + (f"?{parts.query}" if parts.query else ""))
        response.close()
    return seen


def test_the_whole_public_site_is_the_same_as_without_the_restricted_statement(secret, never):
    """Every page reachable from the home page (counts, facets, exports, analytics...)."""
    with_secret, without = _crawl(secret), _crawl(never)
    assert sorted(with_secret) == sorted(without)
    differ = [url for url in with_secret if with_secret[url] != without[url]]
    assert not differ, differ
    assert len(with_secret) > 30


# ----------------------------------------------------------------- admin
def test_the_administrator_sees_restricted_data(secret):
    assert secret.get(page(ZAUR), headers=AS_ADMIN).status_code == 200
    statement = secret.get(page(RESTRICTED_STATEMENT) + ".json", headers=AS_ADMIN).get_json()
    assert "confidential source Zaur Hidden" in "".join(s["text"] for s in statement["statement"]["segments"])
    assert secret.get("/index.json", headers=AS_ADMIN).get_json()["statements"] == 3
    hits = secret.get("/search.json?q=zaur", headers=AS_ADMIN).get_json()["hits"]
    assert hits[0]["iri"] == ZAUR
    timeline = secret.get(page(ASA) + ".json", headers=AS_ADMIN).get_json()["timeline"]
    assert "2024-03-03" in [e["date"] for e in timeline]
    html = secret.get(page(ASA), headers=AS_ADMIN).get_data(as_text=True)
    assert "Administrator view" in html


def test_the_administrator_queries_every_graph(secret):
    r = secret.get("/sparql", query_string={"query": SPARQL_ATTACKS["GRAPH ?g listing"]}, headers=AS_ADMIN)
    graphs = [b["g"]["value"] for b in r.get_json()["results"]["bindings"]]
    assert RESTRICTED_STATEMENT in graphs and len(graphs) == 3
    r = secret.get("/sparql", query_string={"query": SPARQL_ATTACKS["ASK about Zaur"]}, headers=AS_ADMIN)
    assert r.get_json()["boolean"] is True
    r = secret.get("/sparql", query_string={"query": SPARQL_ATTACKS["FROM"]}, headers=AS_ADMIN)
    assert r.get_json()["results"]["bindings"]


def test_admin_answers_are_never_cached_publicly(secret):
    admin = secret.get(page(ASA), headers=AS_ADMIN)
    assert admin.headers["Cache-Control"] == "private, no-store"
    public = secret.get(page(ASA))
    assert "Authorization" in public.headers["Vary"] and "no-store" not in public.headers.get("Cache-Control", "")


BAD_CREDENTIALS = {
    "wrong password": basic(ADMIN, "guess"),
    "wrong user": basic("root", PASSWORD),
    "empty password": basic(ADMIN, ""),
    "password as the hash": basic(ADMIN, HASH),
    "user with colon": basic(ADMIN + ":x", PASSWORD),
    "bearer token": {"Authorization": "Bearer " + PASSWORD},
}


@pytest.mark.parametrize("name", list(BAD_CREDENTIALS))
def test_bad_credentials_are_refused_not_downgraded(secret, name):
    for url in (page(ZAUR) + ".json", "/sparql?query=ASK{}", "/index.json"):
        r = secret.get(url, headers=BAD_CREDENTIALS[name])
        assert r.status_code == 401, (name, url)
        assert r.get_json()["error"]["status"] == 401
        assert r.headers["WWW-Authenticate"].startswith("Basic realm=")
        assert b"Zaur" not in r.data


def test_admin_page_asks_for_credentials(secret):
    r = secret.get("/admin")
    assert r.status_code == 401 and r.headers["WWW-Authenticate"].startswith("Basic")
    assert secret.get("/admin.json", headers=AS_ADMIN).get_json() == {"admin": True, "user": ADMIN}
    assert secret.get("/admin", headers=AS_ADMIN).mimetype == "text/html"


def test_unparsable_authorization_is_the_public_view(secret, never):
    same(secret, never, "/index.json", headers={"Authorization": "Basic !!!not-base64"})


def test_credentials_without_an_administrator_are_the_public_view(store):
    client = create_app({"STORE": store, "TESTING": True, "ADMIN_USER": "", "ADMIN_PASSWORD_HASH": ""}).test_client()
    assert client.get(page(ZAUR), headers=AS_ADMIN).status_code == 404
    assert client.get("/admin").status_code == 401


@pytest.mark.parametrize("config", [{"ADMIN_USER": ADMIN, "ADMIN_PASSWORD_HASH": PASSWORD},
                                    {"ADMIN_USER": ADMIN, "ADMIN_PASSWORD_HASH": ""},
                                    {"ADMIN_USER": "", "ADMIN_PASSWORD_HASH": HASH}])
def test_a_plain_password_or_half_a_configuration_is_refused_at_start(store, config, monkeypatch):
    monkeypatch.delenv("HRDKG_ADMIN_USER", raising=False)
    monkeypatch.delenv("HRDKG_ADMIN_PASSWORD_HASH", raising=False)
    with pytest.raises(AuthError):
        create_app({"STORE": store, **config})


def test_credentials_from_the_environment(store, monkeypatch):
    monkeypatch.setenv("HRDKG_ADMIN_USER", ADMIN)
    monkeypatch.setenv("HRDKG_ADMIN_PASSWORD_HASH", HASH)
    client = create_app({"STORE": store, "TESTING": True}).test_client()
    assert client.get(page(ZAUR), headers=AS_ADMIN).status_code == 200
    assert client.get(page(ZAUR)).status_code == 404


def test_hash_command_prints_a_hash_that_checks(tmp_path):
    import subprocess
    import sys

    from graph.auth import Credentials

    done = subprocess.run([sys.executable, "-m", "graph.auth", "hash"], input="a long passphrase\n",
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    hashed = done.stdout.strip()
    assert "a long passphrase" not in hashed
    admin = Credentials("warden", hashed)
    assert admin.check("warden", "a long passphrase") and not admin.check("warden", "a long passphrasE")
    short = subprocess.run([sys.executable, "-m", "graph.auth", "hash"], input="short\n",
                           capture_output=True, text=True, timeout=60)
    assert short.returncode == 2 and "at least 8" in short.stderr and not short.stdout
    usage = subprocess.run([sys.executable, "-m", "graph.auth"], capture_output=True, text=True, timeout=60)
    assert usage.returncode == 2 and "usage" in usage.stderr


# ------------------------------------------------------ hardened endpoint
UPDATES = {
    "INSERT DATA": f'INSERT DATA {{ <{ASA}> rdfs:label "hacked" }}',
    "DELETE WHERE": "DELETE WHERE { ?s ?p ?o }",
    "DELETE/INSERT": 'DELETE { ?s rdfs:label ?l } INSERT { ?s rdfs:label "x" } WHERE { ?s rdfs:label ?l }',
    "LOAD": "LOAD <http://127.0.0.1:9/data.ttl>",
    "CLEAR ALL": "CLEAR ALL",
    "DROP ALL": "DROP ALL",
    "DROP GRAPH": f"DROP GRAPH <{PUBLIC_STATEMENT}>",
    "CREATE": "CREATE GRAPH <urn:x>",
    "COPY": f"COPY <{RESTRICTED_STATEMENT}> TO DEFAULT",
    "MOVE": f"MOVE <{RESTRICTED_STATEMENT}> TO <urn:leak>",
    "ADD": f"ADD <{RESTRICTED_STATEMENT}> TO DEFAULT",
}


@pytest.mark.parametrize("name", list(UPDATES))
def test_every_kind_of_update_is_refused_every_way(store, secret, name):
    update = UPDATES[name]
    before = sorted(map(str, store.inner))
    for response, status in [
            (secret.get("/sparql", query_string={"update": update}), 403),
            (secret.post("/sparql", data={"update": update}), 403),
            (secret.post("/sparql", data=update.encode(), content_type="application/sparql-update"), 403),
            (secret.get("/sparql", query_string={"query": update}), 400),
            (secret.post("/sparql", data=update.encode(), content_type="application/sparql-query"), 400),
            (secret.post("/sparql", data={"update": update}, headers=AS_ADMIN), 403)]:  # not even the admin
        assert response.status_code == status, (name, response.data)
        assert set(response.get_json()["error"]) == {"status", "title", "message"}
    assert sorted(map(str, store.inner)) == before


class Listener:
    """A loopback TCP port that counts the connections it receives."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


@pytest.fixture()
def listener() -> Iterator[Listener]:
    lst = Listener()
    yield lst
    lst.close()


SERVICE_QUERIES = {
    "SERVICE": "SELECT * WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "SERVICE SILENT": "SELECT * WHERE { SERVICE SILENT <URL> { ?s ?p ?o } }",
    "lower case": "select * where { service <URL> { ?s ?p ?o } }",
    "in a subquery": "SELECT * WHERE { { SELECT ?s WHERE { SERVICE <URL> { ?s ?p ?o } } } }",
    "in OPTIONAL": "SELECT * WHERE { ?a ?b ?c OPTIONAL { SERVICE SILENT <URL> { ?a ?p ?o } } } LIMIT 1",
    "in FILTER EXISTS": "SELECT * WHERE { ?a ?b ?c FILTER EXISTS { SERVICE SILENT <URL> { ?a ?p ?o } } } LIMIT 1",
    "variable endpoint": "SELECT * WHERE { VALUES ?e { <URL> } SERVICE ?e { ?s ?p ?o } }",
    "prefixed endpoint": "PREFIX r: <URL> SELECT * WHERE { SERVICE r: { ?s ?p ?o } }",
    "after a comment": "SELECT * WHERE { # { }\n SERVICE <URL> { ?s ?p ?o } }",
    "ASK": "ASK { SERVICE <URL> { ?s ?p ?o } }",
    "CONSTRUCT": "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <URL> { ?s ?p ?o } }",
    "escaped keyword": "SELECT * WHERE { \\u0053ERVICE <URL> { ?s ?p ?o } }",
}


@pytest.mark.parametrize("name", list(SERVICE_QUERIES))
def test_service_is_refused_before_evaluation(secret, listener, name):
    query = SERVICE_QUERIES[name].replace("URL", f"http://127.0.0.1:{listener.port}/sparql")
    for response in (secret.get("/sparql", query_string={"query": query}),
                     secret.post("/sparql", data=query.encode(), content_type="application/sparql-query"),
                     secret.post("/sparql", data={"query": query}, headers=AS_ADMIN)):
        assert response.status_code == 400, (name, response.data)
        assert "SERVICE is refused" in response.get_json()["error"]["message"]
    time.sleep(0.2)
    assert listener.connections == 0


def test_no_remote_fetch_anywhere(secret, listener):
    """A query naming a remote IRI, an update loading one, an RDF body with a
    remote JSON-LD context or an XML external entity: nothing is fetched."""
    url = f"http://127.0.0.1:{listener.port}/x"
    for query in (f"SELECT * FROM <{url}> {{ ?s ?p ?o }}", f"DESCRIBE <{url}>",
                  f"SELECT * FROM NAMED <{url}> {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        assert secret.get("/sparql", query_string={"query": query}).status_code == 200
    assert secret.get("/sparql", query_string={"update": f"LOAD <{url}>"}).status_code == 403
    jsonld = f'{{"@context": "{url}", "@id": "urn:a", "name": "x"}}'.encode()
    assert secret.post("/sparql", data=jsonld, content_type="application/ld+json").status_code == 415
    xxe = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "{url}">]>'
           '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&e;</rdf:RDF>').encode()
    assert secret.post("/sparql", data=xxe, content_type="application/rdf+xml").status_code == 415
    assert secret.get(f"/id/x?next={url}").status_code == 404
    time.sleep(0.2)
    assert listener.connections == 0


NESTED = {
    "10,000 braces": "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000,
    "10,000 parentheses": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
    "10,000 brackets": "SELECT * WHERE { ?s ?p " + "[ ?p " * 10_000 + "1" + " ]" * 10_000 + " }",
    "unbalanced 50,000 braces": "SELECT * WHERE " + "{" * 50_000,
    "nested subqueries": "SELECT * WHERE { " + "{ SELECT * WHERE " * 2_000 + "{}" + " }" * 2_000 + " }",
}


@pytest.mark.parametrize("name", list(NESTED))
def test_deeply_nested_queries_get_400_and_the_server_goes_on(secret, name):
    r = secret.post("/sparql", data=NESTED[name].encode(), content_type="application/sparql-query")
    assert r.status_code == 400
    assert "nested more than" in r.get_json()["error"]["message"]
    assert secret.get("/sparql", query_string={"query": "ASK { ?s ?p ?o }"}).get_json()["boolean"] is True


def test_oversized_bodies_get_413(secret):
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * (1024 * 1024)
    r = secret.post("/sparql", data=big.encode(), content_type="application/sparql-query")
    assert r.status_code == 413 and set(r.get_json()["error"]) == {"status", "title", "message"}
    assert secret.post("/sparql", data={"query": big}).status_code == 413


def _raw_request(url: str, head: str, body_chunks: list[bytes]) -> tuple[int, bytes]:
    """Send a request over a plain socket; returns (status, response body)."""
    parts = urlsplit(url)
    with socket.create_connection((parts.hostname, parts.port), timeout=30) as sock:
        sock.sendall(head.encode("ascii"))
        try:
            for chunk in body_chunks:
                sock.sendall(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server may answer and close before reading it all
        data = b""
        while True:
            try:
                more = sock.recv(65536)
            except ConnectionResetError:
                break
            if not more:
                break
            data += more
    status = int(data.split(b" ", 2)[1])
    return status, data.partition(b"\r\n\r\n")[2]


def _chunked(payload: bytes, size: int = 64 * 1024) -> list[bytes]:
    chunks = [b"%x\r\n%s\r\n" % (len(payload[i:i + size]), payload[i:i + size]) for i in range(0, len(payload), size)]
    return chunks + [b"0\r\n\r\n"]


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[str]:
    store_dir = tmp_path_factory.mktemp("trust") / "store"
    fixture_store(store_dir).close()
    with live_server(store_dir, query_timeout=5) as url:
        yield url


def test_chunked_bodies_over_the_cap_get_413_from_a_real_server(server):
    head = ("POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
            "Accept: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n")
    small = b"ASK { ?s ?p ?o }"
    status, body = _raw_request(server, head, _chunked(small))
    assert status == 200 and b"true" in body
    status, body = _raw_request(server, head, _chunked(b"#" * (2 * 1024 * 1024)))  # 2 MiB: the app's 413
    assert status == 413 and b'"status":413' in body.replace(b" ", b"")
    status, _ = _raw_request(server, head, _chunked(b"#" * (6 * 1024 * 1024)))  # beyond what waitress buffers
    assert status == 413
    length_head = head.replace("Transfer-Encoding: chunked", f"Content-Length: {2 * 1024 * 1024}")
    status, _ = _raw_request(server, length_head, [b"#" * (2 * 1024 * 1024)])
    assert status == 413


def test_nesting_bomb_through_a_real_server(server):
    import urllib.error
    import urllib.request

    request = urllib.request.Request(server + "/sparql", data=NESTED["10,000 braces"].encode(),
                                     headers={"Content-Type": "application/sparql-query"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 400
    refused.value.close()
    with urllib.request.urlopen(server + "/sparql?query=ASK%7B%7D", timeout=30) as ok:
        assert ok.status == 200


def test_errors_share_one_shape(store, secret):
    capped = make_app(store, RESULT_LIMIT=1).test_client()
    slow = make_app(store, QUERY_TIMEOUT=0.5).test_client()
    heavy = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o }"
    answers = {
        400: secret.get("/sparql?query=SELECT"),
        401: secret.get("/index.json", headers=BAD_CREDENTIALS["wrong password"]),
        403: secret.get("/sparql?update=CLEAR%20ALL"),
        404: secret.get(page(ZAUR) + ".json"),
        405: secret.delete("/sparql"),
        413: secret.post("/sparql", data=b"#" * (2 * 1024 * 1024), content_type="application/sparql-query"),
        415: secret.post("/sparql", data=b"x", content_type="text/plain"),
        422: capped.get("/sparql", query_string={"query": "SELECT * { ?s ?p ?o }"}),
        503: slow.get("/sparql", query_string={"query": heavy}),
    }
    for status, response in answers.items():
        body = response.get_json()
        assert response.status_code == status and set(body) == {"error"}, (status, response.data[:200])
        assert set(body["error"]) == {"status", "title", "message"} and body["error"]["status"] == status
    assert "more than 1 rows" in answers[422].get_json()["error"]["message"]
    assert "time limit of 0.5 s" in answers[503].get_json()["error"]["message"]


# --------------------------------------------------------- browser safety
def test_values_are_escaped_and_javascript_iris_never_become_links():
    from graph.store import open_store

    evil = open_store(None)
    body = "\n".join([
        f'<{BASE}person/x/evil> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{HRD}Person> .',
        f'<{BASE}person/x/evil> <http://www.w3.org/2000/01/rdf-schema#label> '
        '"<script>alert(1)</script>\\" onmouseover=\\"alert(2)" .',
        f'<{BASE}person/x/evil> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <javascript:alert(3)> .',
        f'<{BASE}person/x/evil> <http://www.w3.org/2000/01/rdf-schema#seeAlso> <data:text/html,x> .',
    ])
    evil.put_ntriples(BASE + "statement/evil", body)
    client = create_app({"STORE": evil, "TESTING": True}).test_client()
    html = client.get(page(BASE + "person/x/evil")).get_data(as_text=True)
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'onmouseover="alert' not in html
    assert 'href="javascript:' not in html.lower() and 'href="data:' not in html.lower()
    search = client.get("/search?q=script").get_data(as_text=True)
    assert "<script>alert" not in search
