"""SPARQL: running queries, saved research questions, result formats.

Queries read the store's merged default graph (each fact once; see
:mod:`graph.store`).  The shared prefixes of :mod:`graph.namespaces` are
always declared, so ``hrd:``, ``rdfs:``, ``dcterms:`` ... need no
``PREFIX`` lines.  Values are bound through ``bindings`` (SEP-0007
substitutions), never formatted into query text.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from ontology import ONTOLOGY_DIR

from .errors import QueryError
from .namespaces import PREFIXES
from .store import Store

QUERY_DIR = ONTOLOGY_DIR / "queries"
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
GRAPH_FORMATS = ("turtle", "ntriples", "jsonld", "rdfxml")
_RESULTS = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
            "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_GRAPHS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "rdfxml": ox.RdfFormat.RDF_XML}


@dataclass(frozen=True)
class SavedQuery:
    """A research question shipped as ``ontology/queries/NAME.rq``.

    The file starts with comment lines: the first is the title, the
    following ones the description.
    """

    name: str
    title: str
    description: str
    text: str


def saved_queries() -> list[SavedQuery]:
    """Every saved query, sorted by name."""
    return [load_saved_query(p.stem) for p in sorted(QUERY_DIR.glob("*.rq"))]


def load_saved_query(name: str) -> SavedQuery:
    """The saved query ``name`` (file stem).

    :raises QueryError: if there is no such query.
    """
    if not re.fullmatch(r"[A-Za-z0-9_-]+", name) or not (QUERY_DIR / f"{name}.rq").exists():
        raise QueryError(f"no saved query named {name!r}")
    text = (QUERY_DIR / f"{name}.rq").read_text(encoding="utf-8")
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line.lstrip("# ").rstrip())
    title = comments[0] if comments else name
    return SavedQuery(name, title, " ".join(c for c in comments[1:] if c), text)


def resolve_query_text(query_or_file: str) -> str:
    """The CLI's argument: a ``.rq`` file, ``@name`` of a saved query, or query text."""
    if query_or_file.startswith("@"):
        return load_saved_query(query_or_file[1:]).text
    if query_or_file.endswith((".rq", ".sparql")) and "\n" not in query_or_file:
        path = Path(query_or_file)
        if not path.exists():
            raise QueryError(f"{query_or_file}: no such query file")
        return path.read_text(encoding="utf-8")
    return query_or_file


def run(store: Store, query: str, *, bindings: dict[str, Any] | None = None,
        union: bool = False) -> ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean:
    """Execute ``query`` on the store's merged default graph (embedded or on a
    SPARQL server: the answer is a pyoxigraph result either way).

    ``bindings`` maps variable names to values (str for IRIs given as
    ``<...>``-less strings are treated as literals; pass pyoxigraph terms
    for IRIs).  ``union=True`` reads the union of the statement graphs
    instead (slower, duplicates possible; for provenance work).

    :raises QueryError: on a syntax error or a failure of the engine.
    """
    subs = {ox.Variable(k): _term(v) for k, v in (bindings or {}).items()}
    try:
        return store.query(query, prefixes=PREFIXES, substitutions=subs or None,
                           use_default_graph_as_union=union)
    except SyntaxError as exc:
        raise QueryError(f"SPARQL syntax error: {exc}") from exc
    except (OSError, ValueError, RuntimeError) as exc:
        raise QueryError(f"query failed: {exc}") from exc


def select(store: Store, query: str, *, bindings: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Run a SELECT query and return rows as dicts of plain Python values.

    IRIs come back as ``str``, literals as their lexical form (``str``),
    unbound variables are missing from the row.

    >>> from graph.store import open_store
    >>> select(open_store(None), "SELECT (1 + 1 AS ?two) WHERE {}")
    [{'two': '2'}]
    """
    result = run(store, query, bindings=bindings)
    if not isinstance(result, ox.QuerySolutions):
        raise QueryError("select() needs a SELECT query")
    names = [v.value for v in result.variables]
    rows = []
    for solution in result:
        row = {}
        for name in names:
            term = solution[name]
            if term is not None:
                row[name] = term.value
        rows.append(row)
    return rows


def format_result(result: ox.QuerySolutions | ox.QueryTriples | ox.QueryBoolean, fmt: str) -> bytes:
    """Serialise a query result: table/csv/tsv/json/xml for SELECT and ASK,
    turtle/ntriples/jsonld/rdfxml for CONSTRUCT and DESCRIBE.

    :raises QueryError: if the format does not fit the kind of result.
    """
    if isinstance(result, ox.QueryTriples):
        fmt = "turtle" if fmt == "table" else fmt
        if fmt not in _GRAPHS:
            raise QueryError(f"a CONSTRUCT/DESCRIBE result cannot be written as {fmt}; use one of {', '.join(GRAPH_FORMATS)}")
        return result.serialize(format=_GRAPHS[fmt]) if fmt != "turtle" else _turtle(result)
    if fmt == "table":
        return _table(result).encode("utf-8")
    if fmt not in _RESULTS:
        raise QueryError(f"a SELECT/ASK result cannot be written as {fmt}; use one of {', '.join(RESULT_FORMATS)}")
    return result.serialize(format=_RESULTS[fmt])


def _turtle(result: ox.QueryTriples) -> bytes:
    buf = io.BytesIO()
    ox.serialize(result, buf, ox.RdfFormat.TURTLE, prefixes=PREFIXES)
    return buf.getvalue()


def compact(iri: str) -> str:
    """``https://w3id.org/hrdkg/ontology#Court`` → ``hrd:Court`` (longest prefix wins)."""
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")):
            rest = iri[len(ns):]
            if re.fullmatch(r"[A-Za-z0-9_.-]*", rest):
                best = prefix
    return f"{best}:{iri[len(PREFIXES[best]):]}" if best else f"<{iri}>"


def _cell(term: Any) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact(term.value)
    return term.value


def _table(result: ox.QuerySolutions | ox.QueryBoolean) -> str:
    if isinstance(result, ox.QueryBoolean):
        return ("yes" if bool(result) else "no") + "\n"
    names = [v.value for v in result.variables]
    rows = [[_cell(s[n]) for n in names] for s in result]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    widths = [min(w, 60) for w in widths]

    def line(cells: list[str]) -> str:
        return "  ".join(c[:60].ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(names), line(["-" * w for w in widths])] + [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _term(value: Any) -> ox.NamedNode | ox.Literal | ox.BlankNode:
    if isinstance(value, (ox.NamedNode, ox.Literal, ox.BlankNode)):
        return value
    if isinstance(value, bool):
        return ox.Literal("true" if value else "false", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean"))
    if isinstance(value, int):
        return ox.Literal(str(value), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))
    return ox.Literal(str(value))


def iri(value: str) -> ox.NamedNode:
    """An IRI value for ``bindings``."""
    return ox.NamedNode(value)
