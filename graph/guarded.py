"""Run a SPARQL query with a time limit, a result cap and a public-only dataset.

pyoxigraph cannot interrupt a query: an aggregate or ``ORDER BY`` is computed
inside one call into Rust that no Python thread can stop.  So guarded
queries run in **worker processes** (``python -m graph.guarded``, a pool of
at most ``workers``: :mod:`graph.query_pool`); a worker is killed when the
time limit passes, its CPU and memory are freed at once and the caller gets
:class:`QueryTimeout`, never a partial answer.

* A store on disk is opened **read-only** by the workers, which take no
  lock: the server and ``hrdkg ingest`` may write meanwhile.  A worker keeps
  the store open across queries and reopens it when
  :func:`graph.store.store_generation` shows a write, so a query sees
  every write completed before it started.  (RocksDB does not promise what
  a read-only reader sees while another process compacts the files; the
  worst case is a failed query, reported as such — retry.)
* An in-memory store (tests, small demos) cannot be shared with another
  process, so its quads are copied to a worker for each query (which loads
  them into a store of its own and drops it afterwards): fine for test
  data, not for a real dataset.
* A **SPARQL server** (a :class:`graph.remote.SparqlClient`, what a store
  URL opens) needs no worker and no copy: the query goes straight to the
  server, the dataset as ``default-graph-uri`` / ``named-graph-uri``
  parameters, the time limit as the HTTP timeout, and the result cap is
  applied while the answer is read (see :func:`remote_params` for what the
  protocol cannot express).
* The result is capped at ``max_rows`` solutions (or triples): a query that
  would return more fails with :class:`ResultTooLarge`, it is never cut.
* At most ``workers`` queries run at once; a flood of queries waits for a
  free worker, then fails with :class:`QueryBusy`.

:func:`public_dataset` decides which graphs a public query may read: the
merged public default graph, and only the named graphs of public
statements, whatever ``FROM``/``FROM NAMED`` or protocol parameters say.
:func:`admin_dataset` is the same for an administrator: every statement
graph, restricted ones included.  The worker always names the default
graph explicitly, and the named graphs too unless every graph of the store
may be read, so a ``FROM`` this module failed to see can never widen it.
A query without ``GRAPH`` cannot reach a named graph, so its dataset names
none (:data:`NO_GRAPH`): pyoxigraph then need not check thousands of
graph names on every pattern, which made such queries ~10x slower.

:func:`check_query` refuses, before any worker starts, what must never be
evaluated: ``SERVICE`` (pyoxigraph would send an HTTP request to any IRI
named there) and queries nested deeper than :data:`MAX_DEPTH` (the parser
recurses and would overflow its stack).
"""
from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from .errors import HrdkgError, QueryError, StoreError
from .query_pool import QueryBusy, QueryTimeout, limit_memory, pool, pool_stats, serve_jobs, shutdown, timed_out

__all__ = ["GRAPH_FORMATS", "MEDIA_TYPES", "RESULT_FORMATS", "Dataset", "GuardedResult", "Limits", "QueryBusy",
           "QueryRefused", "QueryTimeout", "ResultTooLarge", "admin_dataset", "check_query", "dataset_clauses",
           "pool_stats", "public_dataset", "remote_params", "run_guarded", "shutdown", "uses_graph"]

RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                  "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
                 "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}
MEDIA_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
               "csv": "text/csv", "tsv": "text/tab-separated-values",
               "turtle": "text/turtle", "ntriples": "application/n-triples",
               "jsonld": "application/ld+json", "rdfxml": "application/rdf+xml"}
#: Stands for "no graph at all" when every graph a query names is hidden.
NO_GRAPH = "urn:hrdkg:no-graph"
#: Stands for the store's default graph (the merged public graph) in :attr:`Dataset.default`.
MERGED = ""
#: Deepest nesting of ``{ ( [`` a query may have: real queries stay far below;
#: pyoxigraph's recursive parser overflows its stack a few thousand levels down.
MAX_DEPTH = 100


class ResultTooLarge(QueryError):
    """The result has more rows than the cap allows."""


class QueryRefused(QueryError):
    """The query asks for something this endpoint never does (``SERVICE``, absurd nesting)."""


@dataclass(frozen=True)
class Dataset:
    """The graphs a query may read: ``default`` None means the store's
    default graph (the merged public graph), also written :data:`MERGED`
    inside the tuple; ``named`` the graphs ``GRAPH ?g`` may visit, None
    meaning every graph of the store (the administrator's)."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] | None = ()


@dataclass(frozen=True)
class Limits:
    """How long a query may run (s), how many rows it may return, how many
    workers may run at once, and the address-space limit of a worker (bytes)."""

    timeout: float = 30.0
    max_rows: int = 10_000
    workers: int = 4
    memory: int | None = 4 * 1024 ** 3


@dataclass(frozen=True)
class GuardedResult:
    """A serialised result: ``kind`` is ``solutions``, ``boolean`` or ``graph``;
    ``fmt`` the format name actually written; ``count`` rows or triples;
    ``worker`` the pid of the worker process that answered (None: a server did)."""

    kind: str
    fmt: str
    body: bytes
    count: int = 0
    worker: int | None = None
    media_type: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "media_type", MEDIA_TYPES[self.fmt])


def run_guarded(source: Any, query: str, *, results_format: str = "json",
                graph_format: str = "turtle", dataset: Dataset = Dataset(),
                limits: Limits = Limits(), prefixes: dict[str, str] | None = None) -> GuardedResult:
    """Run ``query`` in a worker process (or on a SPARQL server) and return its serialised result.

    ``source`` is a store directory (a :class:`~pathlib.Path`, opened
    read-only by the workers), an in-memory :class:`pyoxigraph.Store`
    (copied to a worker) or a :class:`graph.remote.SparqlClient` (queried
    directly, see :func:`remote_params`).  ``results_format`` is used for
    SELECT/ASK, ``graph_format`` for CONSTRUCT/DESCRIBE.  ``prefixes``
    default to :data:`graph.namespaces.PREFIXES`.

    :raises QueryError: for a malformed query or a failure of the engine
        (a worker that ran out of memory or crashed: it is replaced).
    :raises QueryTimeout: when the time limit passes.
    :raises ResultTooLarge: when the result exceeds ``limits.max_rows``.
    :raises QueryBusy: when no worker frees up within the time limit.
    :raises QueryRefused: for ``SERVICE`` or a query nested too deeply (see :func:`check_query`).
    :raises StoreError: when a SPARQL server cannot be reached or fails.
    """
    check_query(query)
    if results_format not in RESULT_FORMATS or graph_format not in GRAPH_FORMATS:
        raise QueryError(f"unknown result format {results_format!r} / {graph_format!r}")
    if prefixes is None:
        from .namespaces import PREFIXES  # imported here: the worker itself must stay light
        prefixes = PREFIXES
    job = {"query": query, "results_format": results_format, "graph_format": graph_format,
           "default": list(dataset.default) if dataset.default is not None else None,
           "named": list(dataset.named) if dataset.named is not None else None,
           "max_rows": limits.max_rows, "prefixes": prefixes, "memory": limits.memory,
           "path": str(source) if isinstance(source, Path) else None}
    if getattr(source, "is_remote", False):
        header, body = _ask_server(source, job, remote_params(query, dataset), limits)
    else:
        payload = b"" if isinstance(source, Path) else ox.serialize(
            source.quads_for_pattern(None, None, None), format=ox.RdfFormat.N_QUADS) or b""
        header, body = pool(limits.workers).ask(job, payload, limits.timeout)
    if not header.get("ok"):
        kinds = {"limit": ResultTooLarge, "syntax": QueryError, "refused": QueryRefused}
        error = kinds.get(header.get("error"), QueryError)
        raise error(header.get("message", "the query failed"))
    return GuardedResult(header["kind"], header["format"], body, header.get("count", 0), header.get("worker"))


def remote_params(query: str, dataset: Dataset) -> list[tuple[str, str]]:
    """The SPARQL Protocol parameters that give a server ``dataset``.

    The merged public graph is the server's default graph, which the
    protocol has no IRI for: it is used by sending no ``default-graph-uri``.
    But as soon as a request names graphs, the dataset is exactly what it
    names (Oxigraph server, like the protocol, then makes the default graph
    empty), so the server's default graph **cannot be combined with a list
    of named graphs**.  Hence, on a server:

    * a query without ``GRAPH`` gets no named graphs (it could not read
      them) and reads the merged public graph: nothing is sent;
    * a public query that uses ``GRAPH`` sees the public statement graphs
      as named graphs and an **empty default graph** (the merged graph and
      ``GRAPH ?g`` cannot be joined in one query there; the embedded store can);
    * ``FROM`` / ``FROM NAMED`` / protocol parameters work as everywhere;
    * the administrator's default graph is the merged public graph only
      (the restricted statements are read with ``GRAPH``, which sees every graph).

    The server must not be configured to make its default graph the union of
    all graphs (Fuseki's ``unionDefaultGraph``, GraphDB's implicit union):
    that would show the restricted statements to everyone.

    >>> remote_params("SELECT * { ?s ?p ?o }", Dataset((MERGED,), ("http://e/g",)))
    []
    >>> remote_params("SELECT * { GRAPH ?g { ?s ?p ?o } }", Dataset((MERGED,), ("http://e/g",)))
    [('default-graph-uri', 'urn:hrdkg:no-graph'), ('named-graph-uri', 'http://e/g')]
    """
    default = dataset.default if dataset.default is not None else (MERGED,)
    # the server's default graph is asked for by naming nothing (graphs beside it are left out)
    params = [] if MERGED in default else [("default-graph-uri", g) for g in default]
    if dataset.named is not None and uses_graph(query):
        params = params or [("default-graph-uri", NO_GRAPH)]
        params += [("named-graph-uri", g) for g in dataset.named]
    return params


def _ask_server(client: Any, job: dict, params: list[tuple[str, str]], limits: Limits) -> tuple[dict, bytes]:
    """Run a job on a SPARQL server, the result capped as the answer arrives."""
    import httpx

    deadline = time.monotonic() + limits.timeout
    with pool(limits.workers).slot(limits.timeout):
        remaining = max(deadline - time.monotonic(), 0.001)
        try:
            with client.streamed_query(job["query"], prefixes=job["prefixes"], params=params,
                                       timeout=remaining) as result:
                return _answer_of(result, job, deadline)
        except SyntaxError as exc:
            return {"ok": False, "error": "syntax", "message": f"SPARQL syntax error: {exc}"}, b""
        except _TooMany as exc:
            return {"ok": False, "error": "limit", "message": str(exc)}, b""
        except (StoreError, OSError, ValueError, httpx.HTTPError) as exc:
            if time.monotonic() >= deadline or isinstance(exc.__cause__, httpx.TimeoutException):
                raise timed_out(limits.timeout) from None
            if isinstance(exc, StoreError):
                raise
            raise StoreError(f"{client.display}: the answer to the query could not be read: {exc}") from exc


# ------------------------------------------------------------------ dataset
_TOKEN = re.compile(r'''
    (?P<comment>\#[^\n]*)
  | (?P<string>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\'
              |"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
  | (?P<iri><[^<>"{}|^`\\\s]*>)
  | (?P<var>[?$]\w+)
  | (?P<word>[A-Za-z_][\w.-]*(?::[\w.-]*)?|:[\w.-]*)
  | (?P<other>\S)
''', re.VERBOSE)
_UCHAR = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_OPEN, _CLOSE = set("{(["), set("})]")


def _tokens(query: str) -> Iterator[tuple[str, str]]:
    """(kind, text) of each token, comments left out.  A tokenizer, not a
    parser: enough to tell keywords from the same letters in strings, IRIs,
    variables and comments."""
    for match in _TOKEN.finditer(query):
        if match.lastgroup != "comment":
            yield match.lastgroup or "other", match.group()


def check_query(query: str) -> None:
    """Refuse what must never be evaluated, before anything is evaluated.

    >>> check_query('SELECT ?service { ?s ?p "SERVICE <http://x/>" }')  # a variable and a string: fine
    >>> check_query("SELECT * { service <http://127.0.0.1:9/> { ?s ?p ?o } }")
    Traceback (most recent call last):
    graph.guarded.QueryRefused: SERVICE is refused: this endpoint never queries other servers
    >>> check_query("SELECT * " + "{" * 101 + "}" * 101)
    Traceback (most recent call last):
    graph.guarded.QueryRefused: the query is nested more than 100 levels deep; this endpoint refuses it

    :raises QueryRefused: for a ``SERVICE`` clause (also written with ``\\u``
        escapes) or brackets nested deeper than :data:`MAX_DEPTH`.
    """
    # SPARQL allows \\u escapes anywhere; pyoxigraph refuses them in keywords,
    # but look at the decoded text too so that no engine version can be fooled.
    for text in dict.fromkeys((query, _decoded(query))):
        depth = 0
        for kind, token in _tokens(text):
            if kind == "word" and token.upper() == "SERVICE":
                raise QueryRefused("SERVICE is refused: this endpoint never queries other servers")
            if kind == "other" and token in _OPEN:
                depth += 1
                if depth > MAX_DEPTH:
                    raise QueryRefused(f"the query is nested more than {MAX_DEPTH} levels deep; "
                                       "this endpoint refuses it")
            elif kind == "other" and token in _CLOSE:
                depth = max(0, depth - 1)


def dataset_clauses(query: str, prefixes: dict[str, str]) -> tuple[list[str], list[str]] | None:
    """The IRIs of the query's ``FROM`` and ``FROM NAMED`` clauses, or None if it has none.

    A clause it cannot read becomes :data:`NO_GRAPH` (reads nothing), never a
    graph it did not check.

    >>> dataset_clauses("PREFIX e: <http://e/> SELECT * FROM e:a FROM NAMED <http://e/b> {}", {})
    (['http://e/a'], ['http://e/b'])
    >>> dataset_clauses('SELECT * { ?s ?p "FROM <x>" }', {}) is None
    True
    """
    declared = dict(prefixes)
    tokens = [t for t in _tokens(query) if t[0] in ("word", "iri")]
    default: list[str] = []
    named: list[str] = []
    found = False
    for i, (kind, text) in enumerate(tokens):
        if kind != "word":
            continue
        upper = text.upper()
        if upper == "PREFIX" and i + 2 < len(tokens) and tokens[i + 2][0] == "iri":
            declared[tokens[i + 1][1].rstrip(":")] = tokens[i + 2][1][1:-1]
        elif upper == "FROM":
            found = True
            is_named = i + 1 < len(tokens) and tokens[i + 1][1].upper() == "NAMED"
            target = (tokens[i + 2] if i + 2 < len(tokens) else ("", "")) if is_named \
                else tokens[i + 1] if i + 1 < len(tokens) else ("", "")
            (named if is_named else default).append(_resolve(target, declared))
    return (default, named) if found else None


def _resolve(token: tuple[str | None, str], prefixes: dict[str, str]) -> str:
    kind, text = token
    if kind == "iri":
        return text[1:-1]
    if kind == "word" and ":" in text:
        prefix, local = text.split(":", 1)
        if prefix in prefixes:
            return prefixes[prefix] + local
    return NO_GRAPH


Graphs = Sequence[str] | Callable[[], Iterable[str]]


def public_dataset(query: str, public: Graphs, *, default_graph_uris: Sequence[str] = (),
                   named_graph_uris: Sequence[str] = (), prefixes: dict[str, str] | None = None) -> Dataset:
    """The dataset a public query reads (SPARQL 1.1 Protocol rules, public graphs only).

    Protocol parameters win over the query's ``FROM``/``FROM NAMED``; without
    either the query reads the merged public graph and may name any public
    statement graph.  A graph that is not public is treated as if it did not
    exist, so a restricted statement answers exactly like an unknown one.
    ``public`` may be a function that lists them: it is called only when the
    query needs the list (it names graphs or uses ``GRAPH``).

    >>> public_dataset("SELECT * { ?s ?p ?o }", lambda: 1 / 0)  # no graph named: no list needed
    Dataset(default=('',), named=('urn:hrdkg:no-graph',))
    >>> public_dataset("SELECT * { GRAPH ?g { ?s ?p ?o } }", ["http://e/b", "http://e/a"])
    Dataset(default=('',), named=('http://e/a', 'http://e/b'))
    """
    return _dataset(query, public, (MERGED,), default_graph_uris, named_graph_uris, prefixes)


def admin_dataset(query: str, statements: Graphs, restricted: Iterable[str], *,
                  default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (),
                  prefixes: dict[str, str] | None = None) -> Dataset:
    """The dataset an administrator's query reads: every statement graph.

    Without ``FROM`` or protocol parameters the default graph is the merged
    public graph plus the graphs of the ``restricted`` statements (a fact
    stated by a public and a restricted statement is then seen twice: use
    ``DISTINCT``), and ``GRAPH`` may visit every graph of the store.
    """
    merged = (MERGED, *sorted(restricted))
    return _dataset(query, statements, merged, default_graph_uris, named_graph_uris, prefixes, everything=True)


def _dataset(query: str, allowed_graphs: Graphs, merged: tuple[str, ...], default_graph_uris: Sequence[str],
             named_graph_uris: Sequence[str], prefixes: dict[str, str] | None, *,
             everything: bool = False) -> Dataset:
    if prefixes is None:
        from .namespaces import PREFIXES
        prefixes = PREFIXES
    listed: list[set[str]] = []

    def allowed() -> set[str]:
        if not listed:
            listed.append(set(allowed_graphs() if callable(allowed_graphs) else allowed_graphs))
        return listed[0]

    def keep(iris: Sequence[str]) -> tuple[str, ...]:
        # an empty list would mean "no restriction" to pyoxigraph: name a graph that never exists
        return tuple(i for i in iris if i in allowed()) or (NO_GRAPH,)

    # without GRAPH no named graph can be read: name none, whatever the rest says
    graph = uses_graph(query)

    def named(iris: Sequence[str]) -> tuple[str, ...] | None:
        return keep(iris) if graph else (NO_GRAPH,)

    if default_graph_uris or named_graph_uris:
        # as with FROM clauses, a graph not listed is not in the dataset
        return Dataset(keep(default_graph_uris), named(named_graph_uris))
    decoded = _decoded(query)
    clauses = dataset_clauses(query, prefixes) or (dataset_clauses(decoded, prefixes) if decoded != query else None)
    if clauses is None:
        if not graph:
            return Dataset(merged, (NO_GRAPH,))
        return Dataset(merged, None if everything else tuple(sorted(allowed())) or (NO_GRAPH,))
    default_iris, named_iris = clauses
    return Dataset(keep(default_iris), named(named_iris))


def uses_graph(query: str) -> bool:
    """Does the query have a ``GRAPH`` keyword (also written with ``\\u`` escapes)?
    Without one, no named graph can be read.

    >>> uses_graph('SELECT ?graph { ?s hrd:graph "GRAPH" }'), uses_graph("ASK { graph ?g { } }")
    (False, True)
    """
    return any(kind == "word" and token.upper() == "GRAPH"
               for text in dict.fromkeys((query, _decoded(query))) for kind, token in _tokens(text))


def _decoded(query: str) -> str:
    """The query with its ``\\u`` escapes decoded: SPARQL allows them anywhere,
    some servers decode them before parsing."""
    return _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)


# ------------------------------------------------------------------- worker
def _worker_main() -> None:
    """Entry point of a worker process: answer jobs until the pool closes our input."""
    from . import store  # noqa: F401 - imported before the worker says it is ready

    serve_jobs(_answer)


def _answer(job: dict, payload: bytes) -> tuple[dict, bytes]:
    """One job's answer frame; every failure becomes an error answer."""
    limit_memory(job.get("memory"))
    try:
        header, body = _evaluate(job, payload)
    except QueryRefused as exc:
        header, body = {"ok": False, "error": "refused", "message": str(exc)}, b""
    except SyntaxError as exc:
        header, body = {"ok": False, "error": "syntax", "message": f"SPARQL syntax error: {exc}"}, b""
    except _TooMany as exc:
        header, body = {"ok": False, "error": "limit", "message": str(exc)}, b""
    except MemoryError:
        # the worker's state is not to be trusted any more: answer, then exit (the pool replaces it)
        header, body = {"ok": False, "error": "memory", "exit": True,
                        "message": "the query worker failed: it ran out of memory; "
                                   "make the query more selective or add a LIMIT"}, b""
    except (OSError, ValueError, RuntimeError, HrdkgError) as exc:
        header, body = {"ok": False, "error": "failed", "message": f"query failed: {exc}"}, b""
    header["worker"] = os.getpid()
    return header, body


class _TooMany(Exception):
    pass


_READER: tuple[str, Any] | None = None  # (path, SharedStore) of the store this worker reads


def _evaluate(job: dict, payload: bytes) -> tuple[dict, bytes]:
    check_query(job["query"])  # again: this process is the one that could open a connection
    if not job["path"]:
        store = ox.Store()
        if payload:
            store.load(payload, format=ox.RdfFormat.N_QUADS)
        existing = frozenset(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode))
        return _query(store, existing, job)
    global _READER
    from .store import SharedStore

    path = Path(job["path"])
    if not (path / "CURRENT").is_file():  # else the reader would create a store there
        raise StoreError(f"{path}: there is no store there")
    if _READER is None or _READER[0] != job["path"]:
        _READER = (job["path"], SharedStore(path))
    # kept open across jobs, reopened when the store's generation changed since the last job
    with _READER[1].reader() as reader:
        existing = reader.memoize(("guarded", "named graphs"), lambda: frozenset(
            g.value for g in reader.inner.named_graphs() if isinstance(g, ox.NamedNode)))
        return _query(reader.inner, existing, job)


def _query(store: ox.Store, existing: frozenset[str], job: dict) -> tuple[dict, bytes]:
    # Always name the default graph, and the named graphs unless every graph of this
    # snapshot may be read anyway: pyoxigraph then ignores the query's own FROM (and
    # FROM NAMED), so a clause the tokenizer missed cannot reach a hidden graph.
    default = job["default"] if job["default"] is not None else [MERGED]
    options: dict = {"prefixes": job["prefixes"],
                     "default_graph": [ox.DefaultGraph() if g == MERGED else ox.NamedNode(g) for g in default]}
    named = job["named"]
    if named is not None and not existing <= _as_set(named):
        options["named_graphs"] = [ox.NamedNode(g) for g in named]  # ~10x slower than none: only when needed
    result = store.query(job["query"], **options)
    return _answer_of(result, job)


_SETS: list[tuple[list[str], frozenset[str]]] = []


def _as_set(graphs: list[str]) -> frozenset[str]:
    """``frozenset(graphs)``, remembered while jobs bring the same list (see :mod:`graph.query_pool`)."""
    if not _SETS or _SETS[0][0] is not graphs:
        _SETS[:] = [(graphs, frozenset(graphs))]
    return _SETS[0][1]


def _answer_of(result: Any, job: dict, deadline: float | None = None) -> tuple[dict, bytes]:
    """A query result written in the job's format, with at most ``max_rows`` rows:
    the answer frame of a worker, also used for a SPARQL server's answer."""
    cap = job["max_rows"]
    too_many = (f"the result has more than {cap} rows, the limit of this endpoint; "
                "add a LIMIT (and OFFSET to page through it) or aggregate")
    if isinstance(result, ox.QueryBoolean):
        fmt = job["results_format"]
        return {"ok": True, "kind": "boolean", "format": fmt}, result.serialize(format=RESULT_FORMATS[fmt])
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, job["results_format"], cap, too_many, deadline)
    triples = []
    for triple in result:
        if len(triples) == cap:
            raise _TooMany(too_many.replace("rows", "triples"))
        _check_deadline(deadline)
        triples.append(triple)
    fmt = job["graph_format"]
    # prefixes whose IRIs hold "/" would come out escaped (id:person\/kz\/...): leave them out
    prefixes = {p: ns for p, ns in job["prefixes"].items() if ns.endswith("#") or p in ("schema", "dcterms", "wd")}
    body = ox.serialize(triples, format=GRAPH_FORMATS[fmt],
                        prefixes=prefixes if fmt == "turtle" else None) or b""
    return {"ok": True, "kind": "graph", "format": fmt, "count": len(triples)}, body


def _check_deadline(deadline: float | None) -> None:
    """For an answer read from a server as it arrives: stop at the time limit."""
    if deadline is not None and time.monotonic() > deadline:
        raise TimeoutError("the answer did not arrive within the time limit")


def _solutions(result: ox.QuerySolutions, fmt: str, cap: int, too_many: str,
               deadline: float | None = None) -> tuple[dict, bytes]:
    """Write the solutions with pyoxigraph's own writer (Python objects per row
    cost twice as much), as TSV, whose lines are the solutions (line breaks in
    terms are escaped), through a file that stops it past the cap; then
    convert the TSV to the format asked for."""
    out = _LineCap(cap + 1, too_many, deadline)  # the first line names the variables
    result.serialize(out, format=ox.QueryResultsFormat.TSV)
    tsv = b"".join(out.chunks)
    if fmt != "tsv":
        tsv = ox.parse_query_results(tsv, format=ox.QueryResultsFormat.TSV).serialize(format=RESULT_FORMATS[fmt])
    return {"ok": True, "kind": "solutions", "format": fmt, "count": out.lines - 1}, tsv


class _LineCap:
    """A binary file that keeps what is written, up to ``lines`` lines (else :class:`_TooMany`)."""

    def __init__(self, lines: int, too_many: str, deadline: float | None) -> None:
        self.chunks: list[bytes] = []
        self.lines = 0
        self.limit, self.too_many, self.deadline = lines, too_many, deadline

    def write(self, data: bytes) -> int:
        data = bytes(data)
        self.lines += data.count(b"\n")
        if self.lines > self.limit:
            raise _TooMany(self.too_many)
        _check_deadline(self.deadline)
        self.chunks.append(data)
        return len(data)

    def flush(self) -> None:
        pass


if __name__ == "__main__":
    _worker_main()
