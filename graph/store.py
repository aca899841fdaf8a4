"""The store: embedded Oxigraph, one named graph per statement plus a merged view.

Layout of the dataset
---------------------
* each statement's triples live in the named graph whose name is the
  statement's IRI (provenance: re-ingest, correct or withdraw one statement
  without touching the others);
* the **default graph** holds the de-duplicated union of the named graphs
  of *public* statements.  Ordinary queries read it, so each fact is seen
  once (pyoxigraph's union-of-named-graphs view returns a triple once per
  graph that holds it, which makes ``COUNT`` wrong and joins slow).
  It is maintained in the same transaction as the named graph: a triple
  leaves it only when no remaining statement supports it.

Back ends
---------
:func:`open_store` opens an embedded Oxigraph store (a directory, or
``None`` for memory) or, given an ``http(s)://`` URL, a SPARQL 1.1 server
through :class:`graph.remote.SparqlClient`.  Both sit behind the same
:class:`Store`: its ``inner`` is the pyoxigraph store or the client, which
speaks the same subset of the pyoxigraph API over HTTP.

Concurrency
-----------
RocksDB allows one read-write process per directory.  Every user of the
store (CLI command, web request) therefore *leases* it through
:class:`SharedStore`: the directory is opened on first use and released
when the last user of this process is done, and a process that finds it
locked retries for ``wait`` seconds.  So ``hrdkg ingest`` works while
``hrdkg serve`` runs: the server holds the store only while it answers a
request, and an ingest releases it between batches.

Readers that never write (the web app, query workers) need no lease:
:meth:`SharedStore.reader` keeps a **read-only** handle open, which takes no
lock, and reopens it when :func:`store_generation` shows that another
process wrote to the directory.  A reader therefore sees a consistent
snapshot that is at most one request old.  Results computed from the
content (counts, listings: see :meth:`Store.memoize`) live as long as the
handle they were computed from, so they can never be staler than the data.
"""
from __future__ import annotations

import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef

from .errors import StoreError

DEFAULT_STORE_ENV = "HRDKG_STORE"
#: Results :meth:`Store.memoize` keeps, the least recently used dropped first.
MEMO_ENTRIES = 256
# RocksDB files whose names, sizes or times change when data is written:
# write-ahead logs, tables, the manifest and its pointer (not the info LOG,
# which a read-only open rotates too)
_DATA_FILE = re.compile(r"^(?:\d+\.(?:log|sst)|MANIFEST-\d+|CURRENT)$")


def default_store_path() -> Path | str:
    """``$HRDKG_STORE`` if set (a directory or a server URL), else
    ``$XDG_DATA_HOME/hrdkg/store`` (``~/.local/share/hrdkg/store``), so every
    command finds the same store whatever the working directory."""
    if os.environ.get(DEFAULT_STORE_ENV):
        return store_location(os.environ[DEFAULT_STORE_ENV])
    data_home = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(data_home) / "hrdkg" / "store"


def is_url(location: object) -> bool:
    """Is ``location`` an http(s) URL (a SPARQL server) rather than a directory?"""
    return isinstance(location, str) and location.lower().startswith(("http://", "https://"))


def store_location(value: str | Path) -> Path | str:
    """What ``--store`` names: an ``http(s)://`` URL stays a string, anything else is a directory.

    >>> store_location("http://127.0.0.1:7878/")
    'http://127.0.0.1:7878/'
    >>> store_location("my-store")
    PosixPath('my-store')
    """
    return value if is_url(value) else Path(value)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def nt_term(term: object) -> str:
    """An rdflib term in N-Triples syntax, also valid inside SPARQL ``INSERT DATA``.

    (pyoxigraph's ``str()`` of a literal keeps raw line breaks, which neither
    N-Quads nor SPARQL accept in a short string.)

    >>> nt_term(Literal("a\\nb"))
    '"a\\\\nb"'
    """
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, Literal):
        text = f'"{str(term).translate(_ESCAPES)}"'
        if term.language:
            return f"{text}@{term.language}"
        if term.datatype is not None:
            return f"{text}^^<{term.datatype}>"
        return text
    if isinstance(term, BNode):
        return f"_:{term}"
    raise TypeError(f"cannot store term {term!r}")


def ntriples(graph: Graph) -> str:
    """A graph as N-Triples, one triple per line."""
    return "\n".join(f"{nt_term(s)} {nt_term(p)} {nt_term(o)} ." for s, p, o in graph)


class Store:
    """An open hrdkg dataset: wraps a :class:`pyoxigraph.Store`, or a
    :class:`graph.remote.SparqlClient` that offers the same API over HTTP.

    Use :func:`open_store` rather than the constructor.
    """

    def __init__(self, inner: ox.Store, *, path: Path | None = None, url: str | None = None,
                 read_only: bool = False) -> None:
        self._inner: ox.Store | None = inner
        self.path = path
        self.url = url
        #: opened by :meth:`SharedStore.reader`: queries only, and a snapshot
        self.read_only = read_only
        #: a SPARQL server: writes go as SPARQL updates, never as local transactions
        self.remote = bool(getattr(inner, "is_remote", False))
        # threads of one process share a Store: writes of one statement must not interleave
        self._write_lock = threading.Lock()
        self._memo: OrderedDict[Any, Any] = OrderedDict()
        self._memo_lock = threading.Lock()

    @property
    def location(self) -> str:
        """The directory, the server URL, or ``(memory)``: for messages."""
        if self.url is not None:
            return getattr(self._inner, "display", self.url)
        return str(self.path) if self.path is not None else "(memory)"

    @property
    def inner(self) -> ox.Store:
        """The pyoxigraph store, or on a server its HTTP stand-in (same methods)."""
        if self._inner is None:
            raise StoreError(f"{self.location}: the store was closed (its lease ended)")
        return self._inner

    def close(self) -> None:
        """Release the directory: drop our reference so RocksDB unlocks it.
        Any later use of this object raises :class:`StoreError`."""
        if self._inner is not None and self.path is not None and not self.read_only:
            self._inner.flush()
        if self._inner is not None and self.remote:
            self._inner.close()  # type: ignore[attr-defined]
        self._inner = None

    def memoize(self, key: Any, compute: Callable[[], Any]) -> Any:
        """``compute()``, remembered under ``key`` until the content changes.

        Pages use it for what is costly and the same for every visitor
        (class counts, listings, the public graph list).  Every write through
        this object forgets everything; a read-only handle is replaced
        whenever another process writes.  On a SPARQL server other clients
        write unseen, so nothing is remembered there.
        """
        if self.remote:
            return compute()
        with self._memo_lock:
            if key in self._memo:
                self._memo.move_to_end(key)
                return self._memo[key]
        value = compute()
        with self._memo_lock:
            self._memo[key] = value
            while len(self._memo) > MEMO_ENTRIES:  # a crawler trying every filter must not fill memory
                self._memo.popitem(last=False)
        return value

    @contextmanager
    def _writing(self) -> Iterator[None]:
        # forget before (no reader keeps using old values) and after (nothing
        # computed during the write survives it)
        self._forget()
        try:
            yield
        finally:
            self._forget()

    def _forget(self) -> None:
        with self._memo_lock:
            self._memo.clear()

    # ---------------------------------------------------------------- query
    def query(self, query: str, *, prefixes: dict[str, str] | None = None,
              substitutions: dict[ox.Variable, Any] | None = None, use_default_graph_as_union: bool = False,
              default_graph: Any = None, named_graphs: list[ox.NamedNode] | None = None,
              timeout: float | None = None) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
        """Evaluate a SPARQL query, here or on the server: same options and
        answer types as :meth:`pyoxigraph.Store.query` (``default_graph`` /
        ``named_graphs`` become ``default-graph-uri`` / ``named-graph-uri`` on a server).

        ``timeout`` (seconds) is for a server only: pyoxigraph cannot stop an
        embedded query (:mod:`graph.guarded` runs those in a killable process).

        :raises SyntaxError: for a malformed query.
        :raises StoreError: if the server cannot be reached, fails or passes ``timeout``.
        :raises ValueError: for ``timeout`` on an embedded store.
        """
        options: dict[str, Any] = {"prefixes": prefixes, "substitutions": substitutions or None,
                                   "use_default_graph_as_union": use_default_graph_as_union}
        if timeout is not None:
            if not self.remote:
                raise ValueError("an embedded query cannot be given a timeout; use graph.guarded.run_guarded")
            options["timeout"] = timeout
        if default_graph is not None:
            options["default_graph"] = default_graph
        if named_graphs is not None:
            options["named_graphs"] = named_graphs
        return self.inner.query(query, **options)

    def quads(self, subject: Any = None, predicate: Any = None, obj: Any = None,
              graph_name: Any = None) -> Iterator[ox.Quad]:
        """Quads matching a pattern (None matches anything; ``graph_name`` None: every graph)."""
        return self.inner.quads_for_pattern(subject, predicate, obj, graph_name)

    # ---------------------------------------------------------------- writes
    def put_statement(self, graph: Graph, *, public: bool = True) -> None:
        """Replace the statement graph named ``graph.identifier`` in one transaction.

        Its old triples leave the merged default graph unless another
        statement still holds them; its new triples join it when ``public``.
        """
        self.put_ntriples(str(graph.identifier), ntriples(graph), public=public)

    def put_ntriples(self, statement_iri: str, body: str, *, public: bool = True) -> None:
        """:meth:`put_statement` for a graph already written as N-Triples lines
        (what ingest workers hand back to the writing process)."""
        name = ox.NamedNode(statement_iri)
        with self._write_lock, self._writing():
            # on a server, always the one update request: it is atomic there,
            # whereas a check followed by a load races with other clients
            if self.remote or self.inner.contains_named_graph(name):
                self._replace(name, body, public=public)
            else:
                self._add_new(name, body, public=public)

    def _replace(self, name: ox.NamedNode, body: str, *, public: bool) -> None:
        # One update request is one transaction in Oxigraph: the statement is
        # wholly replaced or left as it was.  Terms are written by nt_term(),
        # which escapes them, never by formatting user text into the update.
        merged = body if public else ""
        withdraw = _WITHDRAW_TEMPLATE.replace("<GRAPH>", str(name))
        self._update(f"{withdraw}INSERT DATA {{ {merged}\n GRAPH {name} {{ {body} }} }}")

    def _add_new(self, name: ox.NamedNode, body: str, *, public: bool) -> None:
        # A statement seen for the first time has nothing to withdraw: one
        # transactional load of N-Quads (its graph, plus the merged graph) is
        # ~8x cheaper than parsing the same data as a SPARQL update.
        lines = [line for line in body.split("\n") if line.strip()]  # not splitlines(): U+2028 may sit in a literal
        quads = [f"{line[:-1].rstrip()} {name} ." for line in lines]
        if public:
            quads += lines
        try:
            self.inner.load("\n".join(quads).encode("utf-8"), format=ox.RdfFormat.N_QUADS)
        except (OSError, SyntaxError, ValueError) as exc:
            raise StoreError(f"the store could not be written: {exc}") from exc

    def withdraw_statement(self, statement_iri: str) -> bool:
        """Remove a statement's graph and the facts only it supported.  True if it existed."""
        name = ox.NamedNode(statement_iri)
        with self._write_lock, self._writing():
            if not self.inner.contains_named_graph(name):
                return False
            self._update(_WITHDRAW_TEMPLATE.replace("<GRAPH>", str(name)).rstrip().rstrip(";"))
        return True

    def _update(self, update: str) -> None:
        try:
            self.inner.update(update)  # one request, so one transaction (embedded, Oxigraph server, Fuseki...)
        except (OSError, SyntaxError) as exc:
            raise StoreError(f"the store could not be written: {exc}") from exc

    def load_quads(self, quads: Iterable[ox.Quad]) -> None:
        """Add quads (used by restore): atomically when embedded; on a server,
        in one request if it takes N-Quads, else in chunks of ``INSERT DATA``."""
        with self._writing():
            self.inner.extend(quads)

    # ----------------------------------------------------------------- reads
    def statement_graphs(self) -> list[str]:
        """IRIs of the statement graphs, sorted."""
        return sorted(g.value for g in self.inner.named_graphs() if isinstance(g, ox.NamedNode))

    def restricted_graphs(self) -> set[str]:
        """IRIs of the statements ingested as restricted (confidential)."""
        rows = self.inner.query(
            "SELECT ?g WHERE { GRAPH ?g { ?g <https://w3id.org/hrdkg/ontology#restricted> true } }")
        return {row["g"].value for row in rows}

    def public_graphs(self) -> list[str]:
        """IRIs of the statements anyone may see, sorted."""
        hidden = self.restricted_graphs()
        return [g for g in self.statement_graphs() if g not in hidden]

    def has_statement(self, statement_iri: str) -> bool:
        return self.inner.contains_named_graph(ox.NamedNode(statement_iri))

    def graph_triples(self, statement_iri: str) -> Iterator[ox.Quad]:
        """The quads of one statement graph."""
        return self.inner.quads_for_pattern(None, None, None, ox.NamedNode(statement_iri))

    def default_triples(self) -> Iterator[ox.Quad]:
        """The quads of the merged default graph."""
        return self.inner.quads_for_pattern(None, None, None, ox.DefaultGraph())

    def __len__(self) -> int:
        return len(self.inner)

    def flush(self) -> None:
        """Make sure everything written is on disk."""
        if self.path is not None:
            self.inner.flush()

    def __repr__(self) -> str:
        return f"<hrdkg Store {self.location}>"


# Delete from the default graph the triples of <GRAPH> that no other *public*
# statement graph holds, then drop <GRAPH>.  (A triple held only by restricted
# statements must not stay in the public merged graph.)  The graph IRI is
# minted by hrdkg and checked by NamedNode, so substituting it here is safe.
_WITHDRAW_TEMPLATE = """
DELETE { ?s ?p ?o } WHERE {
  GRAPH <GRAPH> { ?s ?p ?o }
  FILTER NOT EXISTS {
    GRAPH ?other { ?s ?p ?o }
    FILTER (?other != <GRAPH>)
    FILTER NOT EXISTS { GRAPH ?other { ?other <https://w3id.org/hrdkg/ontology#restricted> true } }
  }
} ;
DROP SILENT GRAPH <GRAPH> ;
"""


class SharedStore:
    """A per-process lease on one store directory (see the module docstring).

    ``with shared.lease() as store: ...`` opens the directory if nobody in
    this process holds it, and closes it when the last lease ends, so that
    another process (an ingest, a server) can take its turn.  An in-memory
    store (``path=None``) is simply kept for the life of the object.
    """

    def __init__(self, path: Path | str | None, *, wait: float = 30.0) -> None:
        # a server URL is opened once and kept: it has no lock to release
        self.url = str(path) if is_url(path) else None
        self.path = None if self.url is not None else (Path(path) if path is not None else None)
        self.wait = wait
        self._lock = threading.Lock()
        self._store: Store | None = open_store(self.url if self.url else None) if self.path is None else None
        self._users = 0
        self._reader: Store | None = None
        self._reader_generation: tuple | None = None

    @contextmanager
    def reader(self) -> Iterator[Store]:
        """A handle for reading only (queries, pages, exports), for a ``with`` block.

        On a directory it is a read-only handle kept open across calls and
        reopened when another process has written (see the module docstring);
        it takes no lock, so writers never wait for readers.  In memory or
        on a server it is the one store, as with :meth:`lease`.
        """
        if self.path is None:
            with self.lease() as store:
                yield store
            return
        generation = store_generation(self.path)
        if generation is None:  # nothing on disk yet: a lease creates it
            with self.lease():
                pass
            generation = store_generation(self.path)
        with self._lock:
            if self._reader is None or generation != self._reader_generation:
                self._reader = _open_read_only(self.path)
                self._reader_generation = generation
            reader = self._reader
        yield reader

    @contextmanager
    def lease(self) -> Iterator[Store]:
        """Hold the store for the duration of the ``with`` block."""
        with self._lock:
            if self._store is None:
                self._store = _open_with_retry(self.path, self.wait)  # type: ignore[arg-type]
            self._users += 1
            store = self._store
        try:
            yield store
        finally:
            with self._lock:
                self._users -= 1
                if self._users == 0 and self.path is not None:
                    # close() drops the last reference to the pyoxigraph store even if
                    # a caller still holds the wrapper, which releases the RocksDB lock
                    self._store.close()  # type: ignore[union-attr]
                    self._store = None


def store_generation(path: Path) -> tuple | None:
    """A fingerprint of the store directory that changes whenever data is
    written to it (by any process), and not when it is only read; None if
    there is no store there.  A few ``stat`` calls: cheap enough per request."""
    try:
        entries = sorted((e.name, (st := e.stat()).st_size, st.st_mtime_ns)
                         for e in os.scandir(path) if _DATA_FILE.match(e.name))
    except (FileNotFoundError, NotADirectoryError):
        return None
    return tuple(entries) or None


def _open_read_only(path: Path, attempts: int = 5) -> Store:
    # A writer in another process may delete a file between our listing of
    # the directory and RocksDB's: open again from the new state.
    for attempt in range(attempts):
        try:
            return Store(ox.Store.read_only(str(path)), path=path, read_only=True)
        except OSError as exc:
            if attempt == attempts - 1:
                raise StoreError(f"{path}: cannot open the store for reading: {exc}") from exc
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def open_store(path: Path | str | None, *, wait: float = 30.0) -> Store:
    """Open the store at ``path`` (created if missing), an in-memory store for
    ``None``, or the SPARQL server at an ``http(s)://`` URL (see :mod:`graph.remote`).

    :raises StoreError: if the directory stays locked by another process for
        ``wait`` seconds, or is not an Oxigraph store; if the URL is malformed.
    """
    if path is None:
        return Store(ox.Store(), path=None)
    if is_url(path):
        from .remote import SparqlClient

        return Store(SparqlClient(str(path)), url=str(path))  # type: ignore[arg-type]
    return _open_with_retry(Path(path), wait)


def _open_with_retry(path: Path, wait: float) -> Store:
    deadline = time.monotonic() + wait
    delay = 0.02
    while True:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return Store(ox.Store(str(path)), path=path)
        except OSError as exc:
            locked = "lock" in str(exc).lower()
            if not locked:
                raise StoreError(f"{path}: cannot open the store: {exc}") from exc
            if time.monotonic() >= deadline:
                raise StoreError(
                    f"{path}: the store is in use by another process (an ingest or `hrdkg serve`) "
                    f"and was not released within {wait:g} s; try again when it is done"
                ) from exc
            time.sleep(delay)
            delay = min(delay * 2, 0.5)
