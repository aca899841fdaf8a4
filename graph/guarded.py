"""Run a SPARQL query with a time limit, a result cap and a public-only dataset.

pyoxigraph cannot interrupt a query: an aggregate or ``ORDER BY`` is computed
inside one call into Rust that no Python thread can stop.  So each guarded
query runs in a **worker process** (``python -m graph.guarded``) that is
killed when the time limit passes; the CPU and memory it used are freed at
once and the caller gets :class:`QueryTimeout`, never a partial answer.

* A store on disk is opened **read-only** by the worker, which takes no lock:
  the server keeps leasing the store per request and ``hrdkg ingest`` may
  run meanwhile.  (RocksDB does not promise what a read-only reader sees
  while another process compacts the files; the worst case is a failed
  query, reported as such — retry.)
* An in-memory store (tests, small demos) cannot be shared with another
  process, so its quads are copied to the worker for each query: fine for
  test data, not for a real dataset.
* The result is capped at ``max_rows`` solutions (or triples): a query that
  would return more fails with :class:`ResultTooLarge`, it is never cut.
* Starting a worker costs about 0.1 s; at most ``workers`` run at once (a
  flood of queries waits for a free slot, then fails with :class:`QueryBusy`).

:func:`public_dataset` decides which graphs a public query may read: the
merged public default graph, and only the named graphs of public
statements, whatever ``FROM``/``FROM NAMED`` or protocol parameters say.
:func:`admin_dataset` is the same for an administrator: every statement
graph, restricted ones included.  The worker always names the dataset
explicitly, so a ``FROM`` this module failed to see can never widen it.

:func:`check_query` refuses, before any worker starts, what must never be
evaluated: ``SERVICE`` (pyoxigraph would send an HTTP request to any IRI
named there) and queries nested deeper than :data:`MAX_DEPTH` (the parser
recurses and would overflow its stack).
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError

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
_SLOTS: dict[int, threading.BoundedSemaphore] = {}
_SLOTS_LOCK = threading.Lock()


class QueryTimeout(QueryError):
    """The query ran past its time limit and was stopped."""


class ResultTooLarge(QueryError):
    """The result has more rows than the cap allows."""


class QueryBusy(QueryError):
    """Every query worker stayed busy for the whole time limit."""


class QueryRefused(QueryError):
    """The query asks for something this endpoint never does (``SERVICE``, absurd nesting)."""


@dataclass(frozen=True)
class Dataset:
    """The graphs a query may read: ``default`` None means the store's
    default graph (the merged public graph), also written :data:`MERGED`
    inside the tuple; ``named`` the graphs ``GRAPH ?g`` may visit."""

    default: tuple[str, ...] | None = None
    named: tuple[str, ...] = ()


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
    ``fmt`` the format name actually written; ``count`` rows or triples."""

    kind: str
    fmt: str
    body: bytes
    count: int = 0
    media_type: str = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "media_type", MEDIA_TYPES[self.fmt])


def run_guarded(source: Path | ox.Store, query: str, *, results_format: str = "json",
                graph_format: str = "turtle", dataset: Dataset = Dataset(),
                limits: Limits = Limits(), prefixes: dict[str, str] | None = None) -> GuardedResult:
    """Run ``query`` in a worker process and return its serialised result.

    ``source`` is a store directory (opened read-only by the worker) or an
    in-memory :class:`pyoxigraph.Store` (copied to the worker).
    ``results_format`` is used for SELECT/ASK, ``graph_format`` for
    CONSTRUCT/DESCRIBE.  ``prefixes`` default to :data:`graph.namespaces.PREFIXES`.

    :raises QueryError: for a malformed query or a failure of the engine.
    :raises QueryTimeout: when the time limit passes.
    :raises ResultTooLarge: when the result exceeds ``limits.max_rows``.
    :raises QueryBusy: when no worker slot frees up within the time limit.
    :raises QueryRefused: for ``SERVICE`` or a query nested too deeply (see :func:`check_query`).
    """
    check_query(query)
    if results_format not in RESULT_FORMATS or graph_format not in GRAPH_FORMATS:
        raise QueryError(f"unknown result format {results_format!r} / {graph_format!r}")
    if prefixes is None:
        from .namespaces import PREFIXES  # imported here: the worker itself must stay light
        prefixes = PREFIXES
    job = {"query": query, "results_format": results_format, "graph_format": graph_format,
           "default": list(dataset.default) if dataset.default is not None else None,
           "named": list(dataset.named), "max_rows": limits.max_rows, "prefixes": prefixes,
           "memory": limits.memory, "path": str(source) if isinstance(source, Path) else None}
    payload = b"" if isinstance(source, Path) else ox.serialize(
        source.quads_for_pattern(None, None, None), format=ox.RdfFormat.N_QUADS) or b""
    slots = _slots(limits.workers)
    if not slots.acquire(timeout=limits.timeout):
        raise QueryBusy(f"all {limits.workers} query workers stayed busy for {limits.timeout:g} s; try again later")
    try:
        header, body = _ask_worker(job, payload, limits.timeout)
    finally:
        slots.release()
    if not header.get("ok"):
        kinds = {"limit": ResultTooLarge, "syntax": QueryError, "refused": QueryRefused}
        error = kinds.get(header.get("error"), QueryError)
        raise error(header.get("message", "the query failed"))
    return GuardedResult(header["kind"], header["format"], body, header.get("count", 0))


def _slots(workers: int) -> threading.BoundedSemaphore:
    """One semaphore per pool size, shared by every caller in this process."""
    with _SLOTS_LOCK:
        return _SLOTS.setdefault(workers, threading.BoundedSemaphore(workers))


def _ask_worker(job: dict, payload: bytes, timeout: float) -> tuple[dict, bytes]:
    message = json.dumps(job).encode("utf-8") + b"\n" + payload
    proc = subprocess.Popen([sys.executable, "-m", "graph.guarded"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    try:
        out, err = proc.communicate(message, timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()  # SIGKILL: frees the worker's CPU and memory at once
        proc.communicate()
        raise QueryTimeout(f"the query was stopped after the time limit of {timeout:g} s; "
                           "make it more selective or add a LIMIT") from None
    head, _, body = out.partition(b"\n")
    try:
        return json.loads(head), body
    except ValueError:
        detail = err.decode("utf-8", "replace").strip().splitlines()[-1:] or [f"exit code {proc.returncode}"]
        reason = "it ran out of memory" if proc.returncode and proc.returncode < 0 else detail[0]
        raise QueryError(f"the query worker failed: {reason}") from None


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
    decoded = _UCHAR.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), query)
    for text in dict.fromkeys((query, decoded)):
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


def public_dataset(query: str, public: Sequence[str], *, default_graph_uris: Sequence[str] = (),
                   named_graph_uris: Sequence[str] = (), prefixes: dict[str, str] | None = None) -> Dataset:
    """The dataset a public query reads (SPARQL 1.1 Protocol rules, public graphs only).

    Protocol parameters win over the query's ``FROM``/``FROM NAMED``; without
    either the query reads the merged public graph and may name any public
    statement graph.  A graph that is not public is treated as if it did not
    exist, so a restricted statement answers exactly like an unknown one.
    """
    return _dataset(query, public, (MERGED,), default_graph_uris, named_graph_uris, prefixes)


def admin_dataset(query: str, statements: Sequence[str], restricted: Sequence[str], *,
                  default_graph_uris: Sequence[str] = (), named_graph_uris: Sequence[str] = (),
                  prefixes: dict[str, str] | None = None) -> Dataset:
    """The dataset an administrator's query reads: every statement graph.

    Without ``FROM`` or protocol parameters the default graph is the merged
    public graph plus the graphs of the ``restricted`` statements (a fact
    stated by a public and a restricted statement is then seen twice: use
    ``DISTINCT``).
    """
    merged = (MERGED, *sorted(restricted))
    return _dataset(query, statements, merged, default_graph_uris, named_graph_uris, prefixes)


def _dataset(query: str, allowed_graphs: Sequence[str], merged: tuple[str, ...], default_graph_uris: Sequence[str],
             named_graph_uris: Sequence[str], prefixes: dict[str, str] | None) -> Dataset:
    if prefixes is None:
        from .namespaces import PREFIXES
        prefixes = PREFIXES
    allowed = set(allowed_graphs)

    def keep(iris: Sequence[str]) -> tuple[str, ...]:
        # an empty list would mean "no restriction" to pyoxigraph: name a graph that never exists
        return tuple(i for i in iris if i in allowed) or (NO_GRAPH,)

    if default_graph_uris or named_graph_uris:
        # as with FROM clauses, a graph not listed is not in the dataset
        return Dataset(keep(default_graph_uris), keep(named_graph_uris))
    clauses = dataset_clauses(query, prefixes)
    if clauses is None:
        return Dataset(merged, tuple(sorted(allowed)) or (NO_GRAPH,))
    default_iris, named_iris = clauses
    return Dataset(keep(default_iris), keep(named_iris))


# ------------------------------------------------------------------- worker
def _worker_main() -> None:
    """Entry point of the worker process: one job from stdin, one answer to stdout."""
    head = sys.stdin.buffer.readline()
    payload = sys.stdin.buffer.read()
    job = json.loads(head)
    if job.get("memory"):
        import resource

        resource.setrlimit(resource.RLIMIT_AS, (job["memory"], job["memory"]))
    try:
        header, body = _evaluate(job, payload)
    except QueryRefused as exc:
        header, body = {"ok": False, "error": "refused", "message": str(exc)}, b""
    except SyntaxError as exc:
        header, body = {"ok": False, "error": "syntax", "message": f"SPARQL syntax error: {exc}"}, b""
    except _TooMany as exc:
        header, body = {"ok": False, "error": "limit", "message": str(exc)}, b""
    except (OSError, ValueError, RuntimeError, MemoryError) as exc:
        header, body = {"ok": False, "error": "failed", "message": f"query failed: {exc}"}, b""
    sys.stdout.buffer.write(json.dumps(header).encode("utf-8") + b"\n" + body)
    sys.stdout.buffer.flush()


class _TooMany(Exception):
    pass


def _evaluate(job: dict, payload: bytes) -> tuple[dict, bytes]:
    check_query(job["query"])  # again: this process is the one that could open a connection
    if job["path"]:
        store = ox.Store.read_only(job["path"])
    else:
        store = ox.Store()
        if payload:
            store.load(payload, format=ox.RdfFormat.N_QUADS)
    # Always name both parts of the dataset: pyoxigraph then ignores the query's own
    # FROM / FROM NAMED, so a clause the tokenizer missed cannot reach a hidden graph.
    default = job["default"] if job["default"] is not None else [MERGED]
    options: dict = {"prefixes": job["prefixes"],
                     "default_graph": [ox.DefaultGraph() if g == MERGED else ox.NamedNode(g) for g in default],
                     "named_graphs": [ox.NamedNode(g) for g in job["named"]]}
    result = store.query(job["query"], **options)
    cap = job["max_rows"]
    too_many = (f"the result has more than {cap} rows, the limit of this endpoint; "
                "add a LIMIT (and OFFSET to page through it) or aggregate")
    if isinstance(result, ox.QueryBoolean):
        fmt = job["results_format"]
        return {"ok": True, "kind": "boolean", "format": fmt}, result.serialize(format=RESULT_FORMATS[fmt])
    if isinstance(result, ox.QuerySolutions):
        return _solutions(result, job["results_format"], cap, too_many)
    triples = []
    for triple in result:
        if len(triples) == cap:
            raise _TooMany(too_many.replace("rows", "triples"))
        triples.append(triple)
    fmt = job["graph_format"]
    # prefixes whose IRIs hold "/" would come out escaped (id:person\/kz\/...): leave them out
    prefixes = {p: ns for p, ns in job["prefixes"].items() if ns.endswith("#") or p in ("schema", "dcterms", "wd")}
    body = ox.serialize(triples, format=GRAPH_FORMATS[fmt],
                        prefixes=prefixes if fmt == "turtle" else None) or b""
    return {"ok": True, "kind": "graph", "format": fmt, "count": len(triples)}, body


def _solutions(result: ox.QuerySolutions, fmt: str, cap: int, too_many: str) -> tuple[dict, bytes]:
    """Write the solutions as SPARQL JSON while counting them; other formats are
    converted from that JSON by pyoxigraph (its writers cannot stop at a cap)."""
    names = [v.value for v in result.variables]
    bindings = []
    for solution in result:
        if len(bindings) == cap:
            raise _TooMany(too_many)
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = _json_term(term)
        bindings.append(row)
    doc = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}},
                     ensure_ascii=False).encode("utf-8")
    if fmt != "json":
        doc = ox.parse_query_results(doc, format=ox.QueryResultsFormat.JSON).serialize(format=RESULT_FORMATS[fmt])
    return {"ok": True, "kind": "solutions", "format": fmt, "count": len(bindings)}, doc


def _json_term(term: object) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {k: _json_term(getattr(term, k)) for k in ("subject", "predicate", "object")}}
    raise ValueError(f"cannot write term {term!r}")


if __name__ == "__main__":
    _worker_main()
