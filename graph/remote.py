"""A SPARQL 1.1 server as the store's back end (Oxigraph server, Fuseki, GraphDB, Virtuoso...).

:class:`SparqlClient` offers, over HTTP, the part of the
:class:`pyoxigraph.Store` API that :class:`graph.store.Store` and the rest
of hrdkg use (``query``, ``update``, ``load``, ``quads_for_pattern``,
``named_graphs``...), and answers with genuine pyoxigraph objects
(``QuerySolutions``, ``QueryBoolean``, ``QueryTriples``, ``Quad``), so code
written for the embedded store runs unchanged on a server.

Where the endpoints are
-----------------------
``open_store("http://HOST:PORT/PATH")`` picks the layout from the URL:

==================================  ==============================  ==========================  ====================
URL                                 query                           update                      bulk load (N-Quads)
==================================  ==============================  ==========================  ====================
``http://h:7878`` (no path)         ``/query``                      ``/update``                 ``/store`` (Oxigraph)
``…/repositories/NAME``             the URL                         ``URL/statements``          ``URL/statements`` (GraphDB, RDF4J)
anything else (``…/ds``, ``…/sparql``)  the URL                     the URL                     ``INSERT DATA``
==================================  ==============================  ==========================  ====================

URL parameters override them (relative references are resolved against
the URL): ``?query=…&update=…&gsp=…`` (``gsp`` is where N-Quads are POSTed;
``gsp=`` empty means "load with ``INSERT DATA``"), ``timeout=SECONDS``
(HTTP read timeout, default 300) and ``auth=digest`` (Virtuoso's
``/sparql-auth``; user and password come from the URL's ``user:pass@``,
which otherwise means HTTP Basic).  These parameters are read by hrdkg
and never sent to the server.

Atomicity
---------
Every write of one statement is **one** SPARQL Update request (withdraw
the old version, insert the new one, in the named graph and in the merged
graph).  Oxigraph, Fuseki (TDB2), GraphDB/RDF4J and Neptune run one
update request as one transaction; Virtuoso does not promise it (its
SPARQL updates commit as they go unless the server is configured
otherwise), so there a failure in the middle of a request can leave a
statement half-written: re-ingest it.

Substitutions (pre-bound variables) have no place in the SPARQL Protocol:
they are sent as a ``VALUES`` block at the start of the query's outer
``WHERE`` group, which gives the same answers as pyoxigraph's
substitutions for the kind of queries hrdkg runs (variables bound in the
outer pattern; not inside a sub-``SELECT``).
"""
from __future__ import annotations

import io
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import httpx
import pyoxigraph as ox

from .errors import StoreError

RESULTS_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
N_QUADS = "application/n-quads"
_ACCEPT = f"{RESULTS_JSON}, {N_TRIPLES};q=0.9, text/turtle;q=0.5"
_INSERT_CHUNK = 5_000  # quads per INSERT DATA request when the server has no N-Quads endpoint


@dataclass(frozen=True)
class Endpoints:
    """Where queries, updates and bulk loads go; ``gsp`` None: load with ``INSERT DATA``."""

    query: str
    update: str
    gsp: str | None
    timeout: float = 300.0
    digest: bool = False
    oxigraph: bool = False  # Oxigraph server's layout: it also takes ``union-default-graph``

    @classmethod
    def from_url(cls, url: str) -> Endpoints:
        """The layout for ``url`` (see the module docstring).

        >>> Endpoints.from_url("http://127.0.0.1:7878").update
        'http://127.0.0.1:7878/update'
        >>> Endpoints.from_url("http://h:7200/repositories/hr?timeout=20").gsp
        'http://h:7200/repositories/hr/statements'
        >>> Endpoints.from_url("http://h:3030/ds?gsp=/ds/data").gsp
        'http://h:3030/ds/data'
        """
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"{url}: not an http(s) URL of a SPARQL server")
        options = dict(parse_qsl(parts.query, keep_blank_values=True))
        unknown = set(options) - {"query", "update", "gsp", "timeout", "auth"}
        if unknown:
            raise StoreError(f"{url}: unknown store option(s) {', '.join(sorted(unknown))}; "
                             "use query=, update=, gsp=, timeout=, auth=digest")
        base = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        path = parts.path.rstrip("/")
        if not path:
            query, update, gsp = f"{base.rstrip('/')}/query", f"{base.rstrip('/')}/update", f"{base.rstrip('/')}/store"
        elif re.search(r"/repositories/[^/]+$", path):
            query, update, gsp = base, f"{base.rstrip('/')}/statements", f"{base.rstrip('/')}/statements"
        else:
            query, update, gsp = base, base, None
        resolve = lambda ref: urljoin(base + ("" if base.endswith("/") else "/"), ref)  # noqa: E731
        if "gsp" in options:
            gsp = resolve(options["gsp"]) if options["gsp"] else None
        try:
            timeout = float(options.get("timeout", 300))
        except ValueError:
            raise StoreError(f"{url}: timeout= must be a number of seconds") from None
        return cls(query=resolve(options["query"]) if options.get("query") else query,
                   update=resolve(options["update"]) if options.get("update") else update,
                   gsp=gsp, timeout=timeout, digest=options.get("auth") == "digest", oxigraph=not path)


class SparqlClient:
    """The subset of :class:`pyoxigraph.Store` hrdkg uses, over the SPARQL 1.1 protocols.

    Thread-safe (one pooled :class:`httpx.Client`).  Errors: a malformed
    query raises :class:`SyntaxError` (as pyoxigraph does); a server that
    cannot be reached or refuses a request raises
    :class:`graph.errors.StoreError` naming the URL and the server's reason.
    """

    is_remote = True

    def __init__(self, url: str) -> None:
        self.url = url
        self.endpoints = Endpoints.from_url(url)
        parts = urlsplit(url)
        auth: httpx.Auth | None = None
        if parts.username is not None:
            user, password = parts.username, parts.password or ""
            auth = httpx.DigestAuth(user, password) if self.endpoints.digest else httpx.BasicAuth(user, password)
        self._http = httpx.Client(auth=auth, timeout=httpx.Timeout(self.endpoints.timeout, connect=10.0),
                                  headers={"User-Agent": "hrdkg"})
        # the URL without credentials, for messages
        self.display = urlunsplit((parts.scheme, parts.hostname + (f":{parts.port}" if parts.port else ""),
                                   parts.path, "", ""))

    def __repr__(self) -> str:
        return f"SparqlClient({self.display!r})"

    def close(self) -> None:
        """Close the pooled connections (also done when the client is garbage-collected)."""
        self._http.close()

    def __del__(self) -> None:
        http = getattr(self, "_http", None)
        if http is not None:
            http.close()

    # ---------------------------------------------------------------- HTTP
    def _post(self, url: str, *, what: str, stream: bool = False, **kwargs: Any) -> httpx.Response:
        try:
            request = self._http.build_request("POST", url, **kwargs)
            response = self._http.send(request, stream=stream)
        except httpx.TimeoutException as exc:
            limit = kwargs["timeout"].read if "timeout" in kwargs else self.endpoints.timeout
            raise StoreError(f"{self.display}: the server did not answer the {what} within "
                             f"{limit:g} s (raise it with ?timeout=SECONDS in the store URL)") from exc
        except httpx.HTTPError as exc:
            raise StoreError(f"{self.display}: cannot reach the SPARQL server for the {what}: {exc}") from exc
        if response.status_code >= 400:
            body = response.read().decode("utf-8", "replace").strip() if stream else response.text.strip()
            response.close()
            reason = body.splitlines()[0][:500] if body else response.reason_phrase
            if response.status_code == 400 and what == "query":
                raise SyntaxError(reason)
            if response.status_code in (401, 403):
                reason += " (give credentials as http://USER:PASSWORD@host/... in the store URL)"
            raise StoreError(f"{self.display}: the server refused the {what} "
                             f"(HTTP {response.status_code}): {reason}")
        return response

    def _query_request(self, query: str, *, stream: bool = False, accept: str = _ACCEPT,
                       params: list[tuple[str, str]] = (), timeout: float | None = None) -> httpx.Response:
        form = [("query", query), *params]
        extra = {"timeout": httpx.Timeout(timeout, connect=10.0)} if timeout is not None else {}
        return self._post(self.endpoints.query, what="query", stream=stream,
                          content=urlencode(form).encode("ascii"),
                          headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}, **extra)

    # --------------------------------------------------------------- reads
    def query(self, query: str, *, prefixes: dict[str, str] | None = None,
              substitutions: dict[ox.Variable, Any] | None = None, use_default_graph_as_union: bool = False,
              default_graph: Any = None, named_graphs: Iterable[Any] | None = None,
              base_iri: str | None = None, timeout: float | None = None,
              ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        """Run a query on the server: same options and answer types as :meth:`pyoxigraph.Store.query`.

        ``use_default_graph_as_union`` is Oxigraph's ``union-default-graph``
        parameter, which other servers ignore or refuse.  ``timeout``
        (seconds) replaces the URL's HTTP read timeout for this query; the
        server may go on computing after the client gives up unless its own
        query timeout is set (see the README).
        """
        text = with_prologue(inject_values(query, substitutions or {}), prefixes or {}, base_iri)
        params: list[tuple[str, str]] = []
        if default_graph is not None:
            graphs = list(default_graph) if isinstance(default_graph, (list, tuple)) else [default_graph]
            named = [g for g in graphs if not isinstance(g, ox.DefaultGraph)]
            if named and len(named) < len(graphs):
                # the protocol can name graphs, not the server's own default graph beside them
                raise ValueError("a SPARQL server cannot take its default graph together with named "
                                 "graphs as the default graph of one query; use GRAPH clauses instead")
            params += [("default-graph-uri", g.value) for g in named]
        params += [("named-graph-uri", g.value) for g in named_graphs or ()]
        if use_default_graph_as_union:
            if not self.endpoints.oxigraph:
                raise ValueError("reading the union of the named graphs needs Oxigraph server's "
                                 "union-default-graph option; use GRAPH ?g { ... } in the query instead")
            params.append(("union-default-graph", ""))
        response = self._query_request(text, params=params, timeout=timeout)
        return self._answer(response, response.content)

    @contextmanager
    def streamed_query(self, query: str, *, prefixes: dict[str, str] | None = None,
                       params: list[tuple[str, str]] = (), timeout: float | None = None,
                       ) -> Iterator[ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]]:
        """Run a query and read its answer as it arrives, for a ``with`` block
        (the connection is closed at its end, so a reader may stop early).

        ``params`` are SPARQL Protocol parameters as they are sent
        (``default-graph-uri``, ``named-graph-uri``).  A CONSTRUCT/DESCRIBE
        answer is an iterator of :class:`pyoxigraph.Triple`.

        :raises SyntaxError: when the server refuses the query as malformed.
        :raises StoreError: when the server cannot be reached, fails or passes ``timeout``.
        """
        response = self._query_request(with_prologue(query, prefixes or {}, None), stream=True,
                                       params=list(params), timeout=timeout)
        try:
            yield self._answer(response, _ResponseReader(response), stream=True)
        finally:
            response.close()

    def _answer(self, response: httpx.Response, body: Any, *, stream: bool = False,
                ) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | Iterator[ox.Triple]:
        """A query's answer, parsed by its media type from ``body`` (bytes, or a streamed reader)."""
        media = response.headers.get("content-type", "").split(";")[0].strip().lower()
        if media in (RESULTS_JSON, "application/json"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if media in ("application/sparql-results+xml", "application/xml"):
            return ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        rdf = ox.RdfFormat.from_media_type(media)
        if rdf is None:
            raise StoreError(f"{self.display}: unexpected answer of type {media!r} to a query")
        if stream:
            return (ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=rdf))
        return _as_query_triples(body, rdf)

    def quads_for_pattern(self, subject: Any = None, predicate: Any = None, obj: Any = None,
                          graph_name: Any = None) -> Iterator[ox.Quad]:
        """Matching quads, streamed as the server sends them (``graph_name``
        None: every graph, the default one included)."""
        terms = {"s": subject, "p": predicate, "o": obj}
        for term in (*terms.values(), graph_name):
            if isinstance(term, ox.BlankNode):
                raise ValueError("a blank node cannot be looked up on a remote store")
        pattern = " ".join(sparql_term(t) if t is not None else f"?{k}" for k, t in terms.items())
        free = [k for k, t in terms.items() if t is None]
        if isinstance(graph_name, ox.DefaultGraph):
            where, graph = f"{{ {pattern} }}", graph_name
        elif graph_name is not None:
            where, graph = f"{{ GRAPH {sparql_term(graph_name)} {{ {pattern} }} }}", graph_name
        else:
            where, graph = f"{{ {{ {pattern} }} UNION {{ GRAPH ?g {{ {pattern} }} }} }}", None
            free.append("g")
        select = " ".join(f"?{k}" for k in free) if free else "*"
        return self._stream_quads(f"SELECT {select} WHERE {where}", terms, graph)

    def _stream_quads(self, query: str, terms: dict[str, Any], graph: Any) -> Iterator[ox.Quad]:
        response = self._query_request(query, stream=True, accept=RESULTS_JSON)
        try:
            solutions = ox.parse_query_results(_ResponseReader(response), format=ox.QueryResultsFormat.JSON)
            for row in solutions:
                s, p, o = (terms[k] if terms[k] is not None else row[k] for k in "spo")
                g = graph if graph is not None else (row["g"] or ox.DefaultGraph())
                yield ox.Quad(s, p, o, g)
        finally:
            response.close()

    def __iter__(self) -> Iterator[ox.Quad]:
        return self.quads_for_pattern(None, None, None, None)

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
        return iter([row["g"] for row in result if isinstance(row["g"], ox.NamedNode)])  # type: ignore[union-attr]

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {sparql_term(graph)} {{ }} }}"))

    def __len__(self) -> int:
        rows = self.query("SELECT (COUNT(*) AS ?n) WHERE { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } }")
        return int(next(iter(rows))["n"].value)  # type: ignore[index]

    # -------------------------------------------------------------- writes
    def update(self, update: str, *, base_iri: str | None = None) -> None:
        """Run a SPARQL Update request (one transaction on most servers: see the module docstring)."""
        self._post(self.endpoints.update, what="update", content=with_prologue(update, {}, base_iri).encode("utf-8"),
                   headers={"Content-Type": "application/sparql-update"}).close()

    def load(self, input: bytes | str, *, format: ox.RdfFormat, **_: Any) -> None:  # noqa: A002 - pyoxigraph's name
        """Add N-Quads/N-Triples data (bytes or str): POSTed to the bulk-load
        endpoint when the server has one, else sent as ``INSERT DATA``."""
        data = input.encode("utf-8") if isinstance(input, str) else input
        if self.endpoints.gsp is not None:
            self._post(self.endpoints.gsp, what="load", content=data,
                       headers={"Content-Type": format.media_type}).close()
            return
        self.extend(ox.parse(data, format=format))

    def bulk_load(self, input: bytes | str | None = None, *, format: ox.RdfFormat,  # noqa: A002
                  path: str | None = None, **_: Any) -> None:
        """:meth:`load`, from ``input`` or a file ``path`` (not streamed: the file is read whole)."""
        if path is not None:
            with open(path, "rb") as fh:
                input = fh.read()
        self.load(input or b"", format=format)

    def extend(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads: N-Quads to the bulk endpoint, or ``INSERT DATA`` of
        :data:`_INSERT_CHUNK` quads per request."""
        if self.endpoints.gsp is not None:
            self.load(ox.serialize(quads, format=ox.RdfFormat.N_QUADS) or b"", format=ox.RdfFormat.N_QUADS)
            return
        batch: list[ox.Quad] = []
        for quad in quads:
            batch.append(quad)
            if len(batch) >= _INSERT_CHUNK:
                self.update(insert_data(batch))
                batch = []
        if batch:
            self.update(insert_data(batch))

    def flush(self) -> None:
        """Nothing to do: the server commits each request."""

    def optimize(self) -> None:
        """Nothing to do on a server."""


class _ResponseReader(io.RawIOBase):
    """A streamed HTTP body as a binary file, for pyoxigraph's streaming parsers."""

    def __init__(self, response: httpx.Response) -> None:
        self._chunks = response.iter_bytes()
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                return 0
        n = min(len(buffer), len(self._pending))
        buffer[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n


def _as_query_triples(body: bytes, fmt: ox.RdfFormat) -> ox.QueryTriples:
    """A CONSTRUCT/DESCRIBE answer as a real :class:`pyoxigraph.QueryTriples`
    (pyoxigraph offers no constructor: the triples go through a scratch store)."""
    scratch = ox.Store()
    scratch.load(body, format=fmt, to_graph=ox.DefaultGraph())
    return scratch.query("CONSTRUCT WHERE { ?s ?p ?o }")  # type: ignore[return-value]


# ------------------------------------------------------------- query text
_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def sparql_term(term: Any) -> str:
    """A pyoxigraph term as SPARQL/N-Triples text, escaped (a literal may hold line breaks).

    >>> sparql_term(ox.Literal('a "b"\\nc', language="en"))
    '"a \\\\"b\\\\"\\\\nc"@en'
    """
    if isinstance(term, ox.NamedNode):
        if re.search(r'[\x00-\x20<>"{}|^`\\]', term.value):
            raise ValueError(f"not a valid IRI: {term.value!r}")
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        text = f'"{term.value.translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            return f"{text}^^<{term.datatype.value}>"
        return text
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    raise TypeError(f"cannot write {term!r} into SPARQL")


def insert_data(quads: Iterable[ox.Quad]) -> str:
    """``INSERT DATA`` for quads, grouped by graph."""
    by_graph: dict[str, list[str]] = {}
    for q in quads:
        key = "" if isinstance(q.graph_name, ox.DefaultGraph) else sparql_term(q.graph_name)
        by_graph.setdefault(key, []).append(
            f"{sparql_term(q.subject)} {sparql_term(q.predicate)} {sparql_term(q.object)} .")
    parts = [("\n".join(lines) if not g else f"GRAPH {g} {{\n" + "\n".join(lines) + "\n}")
             for g, lines in by_graph.items()]
    return "INSERT DATA {\n" + "\n".join(parts) + "\n}"


def with_prologue(text: str, prefixes: dict[str, str], base_iri: str | None) -> str:
    """``text`` with ``BASE`` and ``PREFIX`` declarations in front (the query's own win)."""
    head = [f"BASE <{base_iri}>"] if base_iri else []
    head += [f"PREFIX {p}: <{ns}>" for p, ns in prefixes.items()]
    return "\n".join(head + [text]) if head else text


_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<word>[A-Za-z_][\w.-]*(?::[\w.-]*)?|:[\w.-]*)
  | (?P<other>\S)
''', re.VERBOSE)


def inject_values(query: str, substitutions: dict[Any, Any]) -> str:
    """The query with ``VALUES (?a ?b) { (x y) }`` opening its outer ``WHERE`` group.

    >>> inject_values("SELECT ?s WHERE { ?s a ?c }", {ox.Variable("c"): ox.NamedNode("http://e/C")})
    'SELECT ?s WHERE { VALUES (?c) { (<http://e/C>) } ?s a ?c }'

    :raises ValueError: if the query has no ``WHERE`` group to put them in.
    """
    if not substitutions:
        return query
    names = [v.value if isinstance(v, ox.Variable) else str(v) for v in substitutions]
    values = f" VALUES ({' '.join('?' + n for n in names)}) {{ ({' '.join(sparql_term(t) for t in substitutions.values())}) }}"
    at = _where_group(query)
    if at is None:
        raise ValueError("this query has no WHERE group to bind values in")
    return query[:at] + values + query[at:]


def _where_group(query: str) -> int | None:
    """Offset just after the ``{`` that opens the outer ``WHERE`` group."""
    braces = parens = 0
    form = None
    after_where = False
    for m in _TOKEN.finditer(query):
        kind, text = m.lastgroup, m.group()
        if kind in ("comment", "string", "iri"):
            continue
        word = text.upper() if kind == "word" else ""
        if braces == 0 and parens == 0:
            if word in ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE") and form is None:
                form = word
            elif word == "WHERE":
                after_where = True
            elif text == "{" and (after_where or form in ("SELECT", "ASK")):
                return m.end()
        if text == "{":
            braces += 1
        elif text == "}":
            braces -= 1
        elif text == "(":
            parens += 1
        elif text == ")":
            parens -= 1
    return None
