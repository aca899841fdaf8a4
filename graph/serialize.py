"""Writers that turn sorted rows of N-Triples terms into RDF files, one subject at a time.

A *row* is ``(graph, subject, rank, predicate, object)``: terms in their
N-Triples form (``<iri>``, ``"lex"^^<dt>``, ``"lex"@en``), ``graph`` empty
for a triple, ``rank`` 0 for ``rdf:type``, 1 for ``rdfs:label``, 2 otherwise
so that sorting rows puts a node's types and name first.  Rows arrive
sorted (see :mod:`graph.export`), so each writer only ever holds one
subject in memory and the same data always gives the same bytes.

We write Turtle, TriG and JSON-LD ourselves instead of using pyoxigraph's
serializers because those keep prefixes in a hash map (their order changes
from one process to the next, so two exports would differ) and escape ``/``
in prefixed names (``id:person\\/kz\\/...``), which nobody can read.
"""
from __future__ import annotations

import io
import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import groupby
from typing import Any, BinaryIO, Callable

import pyoxigraph as ox

from ontology import ONTOLOGY_DIR

from .namespaces import DEFAULT_BASE, PREFIXES

Row = tuple[str, str, int, str, str]
RDF_TYPE = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
RDFS_LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
CONTEXT_PATH = ONTOLOGY_DIR / "context.jsonld"
#: Where the JSON-LD context is published; exports also carry it inline, so
#: nobody ever has to fetch it.
CONTEXT_IRI = "https://w3id.org/hrdkg/context.jsonld"

# a prefixed name's local part that needs no escaping in Turtle/TriG
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
# a path relative to @base that resolves back to the same IRI: no scheme-like
# first segment, no dot segments, no query/fragment surprises
_RELATIVE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9_.~%-]*(/[A-Za-z0-9_~%-][A-Za-z0-9_.~%-]*)*")
_ECHAR = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHARS = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def rank(predicate: str) -> int:
    """Sort position of a predicate (N-Triples form): type, then label, then the rest."""
    return 0 if predicate == RDF_TYPE else 1 if predicate == RDFS_LABEL else 2


# ------------------------------------------------------------------ terms
def split_literal(term: str) -> tuple[str, str | None, str | None]:
    """``'"98"^^<…#decimal>'`` → ``('"98"', '…#decimal', None)``: quoted lexical form,
    datatype IRI (None for a plain or language string) and language tag."""
    end = term.rfind('"')  # datatype IRIs and language tags never contain a quote
    quoted, rest = term[: end + 1], term[end + 1:]
    if rest.startswith("@"):
        return quoted, None, rest[1:]
    if rest.startswith("^^"):
        return quoted, rest[3:-1], None
    return quoted, None, None


def unescape(quoted: str) -> str:
    """The value of an N-Triples string literal (``"a\\nb"`` → ``a⏎b``)."""
    def sub(m: re.Match[str]) -> str:
        code = m.group(1) or m.group(2)
        return chr(int(code, 16)) if code else _ECHARS.get(m.group(3), m.group(3))
    return _ECHAR.sub(sub, quoted[1:-1])


@lru_cache(maxsize=65536)
def turtle_iri(term: str) -> str:
    """An IRI (N-Triples form) as Turtle: a prefixed name, a path relative to
    the data base, or the full ``<IRI>``."""
    iri = term[1:-1]
    best = ""
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(ns) > len(PREFIXES.get(best, "")) and _LOCAL.fullmatch(iri[len(ns):]):
            best = prefix
    if best:
        return f"{best}:{iri[len(PREFIXES[best]):]}"
    if iri.startswith(DEFAULT_BASE) and _RELATIVE.fullmatch(iri[len(DEFAULT_BASE):]):
        return f"<{iri[len(DEFAULT_BASE):]}>"
    return term


def turtle_term(term: str) -> str:
    """Any term (N-Triples form) as Turtle."""
    if term.startswith("<"):
        return turtle_iri(term)
    if term.startswith('"'):
        quoted, datatype, lang = split_literal(term)
        if lang:
            return f"{quoted}@{lang}"
        if datatype and datatype != XSD_STRING:
            return f"{quoted}^^{turtle_iri('<' + datatype + '>')}"
        return quoted
    return term  # blank node: same syntax


# ---------------------------------------------------------------- writers
def _text(out: BinaryIO) -> io.TextIOWrapper:
    return io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=False)


def _finish(text: io.TextIOWrapper) -> None:
    """Flush and hand the caller's stream back unclosed."""
    text.flush()
    text.detach()


def write_ntriples(rows: Iterable[Row], out: BinaryIO) -> int:
    """N-Triples (the graph of each row is ignored).  Returns the rows written."""
    text, n = _text(out), 0
    for _g, s, _r, p, o in rows:
        text.write(f"{s} {p} {o} .\n")
        n += 1
    _finish(text)
    return n


def write_nquads(rows: Iterable[Row], out: BinaryIO) -> int:
    """N-Quads: rows with a graph keep it.  Returns the rows written."""
    text, n = _text(out), 0
    for g, s, _r, p, o in rows:
        text.write(f"{s} {p} {o} {g} .\n" if g else f"{s} {p} {o} .\n")
        n += 1
    _finish(text)
    return n


def _header(text: io.TextIOWrapper) -> None:
    # fixed order (the shared prefix map's), so the header never changes
    text.write(f"@base <{DEFAULT_BASE}> .\n")
    for prefix, ns in PREFIXES.items():
        text.write(f"@prefix {prefix}: <{ns}> .\n")
    text.write("\n")


def _subject_block(subject: str, rows: list[Row], indent: str) -> tuple[str, int]:
    """One subject with its predicates and objects, ``;`` and ``,`` grouped."""
    parts = []
    for p, group in groupby(rows, key=lambda r: r[3]):
        verb = "a" if p == RDF_TYPE else turtle_iri(p)
        parts.append(f"{verb} " + ", ".join(turtle_term(r[4]) for r in group))
    sep = f" ;\n{indent}    "
    return f"{indent}{turtle_term(subject)} " + sep.join(parts) + " .\n", len(rows)


def write_turtle(rows: Iterable[Row], out: BinaryIO) -> int:
    """Turtle: fixed prefixes, one block per subject, a blank line between blocks."""
    text, n = _text(out), 0
    _header(text)
    first = True
    for subject, group in groupby(rows, key=lambda r: r[1]):
        block, count = _subject_block(subject, list(group), "")
        text.write(block if first else "\n" + block)
        first, n = False, n + count
    _finish(text)
    return n


def write_trig(rows: Iterable[Row], out: BinaryIO) -> int:
    """TriG: one ``<statement> { ... }`` block per named graph."""
    text, n = _text(out), 0
    _header(text)
    for graph, in_graph in groupby(rows, key=lambda r: r[0]):
        if graph:
            text.write(f"{turtle_iri(graph)} {{\n")
        for subject, group in groupby(in_graph, key=lambda r: r[1]):
            block, count = _subject_block(subject, list(group), "    " if graph else "")
            text.write(block)
            n += count
        text.write("}\n\n" if graph else "\n")
    _finish(text)
    return n


# ---------------------------------------------------------------- JSON-LD
@lru_cache(maxsize=1)
def jsonld_context() -> dict[str, Any]:
    """The ``@context`` object of ``ontology/context.jsonld``."""
    return json.loads(CONTEXT_PATH.read_text(encoding="utf-8"))["@context"]


@lru_cache(maxsize=1)
def _context_maps() -> tuple[dict[str, tuple[str, str | None]], dict[str, str], dict[str, str], set[str]]:
    """From the context: property IRI → (term, coercion IRI or '@id'),
    class IRI → term, prefix → namespace, and the terms always written as arrays."""
    ctx = jsonld_context()
    prefixes = {k: v for k, v in ctx.items() if isinstance(v, str) and v.endswith(("#", "/"))}

    def expand(value: str) -> str:
        head, _, tail = value.partition(":")
        return prefixes[head] + tail if head in prefixes else value

    props: dict[str, tuple[str, str | None]] = {}
    classes: dict[str, str] = {}
    sets = {term for term, value in ctx.items() if isinstance(value, dict) and value.get("@container") == "@set"}
    for term, value in ctx.items():
        if isinstance(value, dict):
            coerce = value.get("@type")
            props[expand(value["@id"])] = (term, coerce if coerce == "@id" or coerce is None else expand(coerce))
        elif term not in prefixes:
            classes[expand(value)] = term
    return props, classes, prefixes, sets


def _jsonld_key(iri: str) -> tuple[str, str | None]:
    props, _classes, prefixes, _sets = _context_maps()
    if iri in props:
        return props[iri]
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}", None
    return iri, None


def _jsonld_value(term: str, coerce: str | None) -> Any:
    if term.startswith("<"):
        return term[1:-1] if coerce == "@id" else {"@id": term[1:-1]}
    if term.startswith("_:"):
        return {"@id": term}
    quoted, datatype, lang = split_literal(term)
    value = unescape(quoted)
    if lang:
        return {"@value": value, "@language": lang}
    datatype = datatype or XSD_STRING
    if datatype == coerce or (coerce is None and datatype == XSD_STRING):
        return value
    if datatype == XSD_STRING:
        return {"@value": value}  # a value object is never coerced by its term
    return {"@value": value, "@type": _jsonld_key(datatype)[0]}


def jsonld_node(subject: str, rows: list[Row]) -> dict[str, Any]:
    """One subject's rows as a compact JSON-LD node object."""
    _props, classes, _prefixes, sets = _context_maps()
    node: dict[str, Any] = {"@id": subject[1:-1] if subject.startswith("<") else subject}
    for p, group in groupby(rows, key=lambda r: r[3]):
        objects = [r[4] for r in group]
        if p == RDF_TYPE:
            types = [classes.get(o[1:-1]) or _jsonld_key(o[1:-1])[0] for o in objects]
            node["@type"] = types[0] if len(types) == 1 else types
            continue
        key, coerce = _jsonld_key(p[1:-1])
        values = [_jsonld_value(o, coerce) for o in objects]
        node[key] = values if len(values) > 1 or key in sets else values[0]
    return node


def write_jsonld(rows: Iterable[Row], out: BinaryIO) -> int:
    """JSON-LD with the hrdkg context inline (no remote context is ever needed)
    and one node object per subject in ``@graph``."""
    text, n = _text(out), 0
    text.write('{\n  "@context": ')
    text.write(json.dumps(jsonld_context(), ensure_ascii=False, indent=2).replace("\n", "\n  "))
    text.write(',\n  "@graph": [')
    first = True
    for subject, group in groupby(rows, key=lambda r: r[1]):
        members = list(group)
        node = json.dumps(jsonld_node(subject, members), ensure_ascii=False, indent=2)
        text.write(("\n    " if first else ",\n    ") + node.replace("\n", "\n    "))
        first, n = False, n + len(members)
    text.write("\n  ]\n}\n")
    _finish(text)
    return n


WRITERS: dict[str, Callable[[Iterable[Row], BinaryIO], int]] = {
    "turtle": write_turtle,
    "ntriples": write_ntriples,
    "jsonld": write_jsonld,
    "trig": write_trig,
    "nquads": write_nquads,
}


def rows_of(quads: Iterable[Any], *, keep_graph: bool) -> Iterator[Row]:
    """pyoxigraph quads → rows (graph name kept only if ``keep_graph``)."""
    for q in quads:
        p = str(q.predicate)
        g = str(q.graph_name) if keep_graph and isinstance(q.graph_name, ox.NamedNode) else ""
        yield (g, str(q.subject), rank(p), p, str(q.object))
