"""Writers that turn an ordered stream of pyoxigraph quads into RDF files.

The quads arrive in export order (see :mod:`graph.export`): grouped by
subject, and for TriG and N-Quads by graph first.  Turtle, TriG, N-Triples
and N-Quads are written by pyoxigraph's own serializers (Rust, streaming:
consecutive triples of one subject share a block, ``;`` and ``,`` grouped),
so a writer holds nothing in memory and the same stream always gives the
same bytes.

Turtle and TriG carry our fixed header (``@base`` and every prefix of
:data:`graph.namespaces.PREFIXES`, in that order) in place of the one
pyoxigraph writes, whose prefix order is its hash map's and whose prefix
IRIs are written relative to the base.  Data IRIs under the base come out
relative (``<person/kz/dana-aitova>``), not as ``id:`` names, which the
serializer would have to write with escaped slashes (``id:person\\/kz\\/...``).

JSON-LD is written here: the hrdkg context inline, then one compact node
object per subject, one line each.

Every format is a header, a body and a footer (:func:`write_header`,
:func:`write_body`, :func:`write_footer`), so that slices of one export can
be written apart (by several processes) and put end to end.
"""
from __future__ import annotations

import io
import json
import operator
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import count, groupby
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
#: The prefixes the Turtle/TriG serializer may use: all but ``id:``, whose
#: IRIs are written relative to ``@base`` instead.
SERIALIZER_PREFIXES = {p: ns for p, ns in PREFIXES.items() if ns != DEFAULT_BASE}

# a prefixed name's local part that needs no escaping
_LOCAL = re.compile(r"[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_-])?")


def rank(predicate: str) -> int:
    """Sort position of a predicate (N-Triples form): type, then label, then the rest."""
    return 0 if predicate == RDF_TYPE else 1 if predicate == RDFS_LABEL else 2


def rows_of(quads: Iterable[Any], *, keep_graph: bool) -> Iterator[Row]:
    """pyoxigraph quads → rows ``(graph, subject, rank, predicate, object)`` of
    N-Triples terms (graph name kept only if ``keep_graph``, else ``""``)."""
    for q in quads:
        p = str(q.predicate)
        g = str(q.graph_name) if keep_graph and isinstance(q.graph_name, ox.NamedNode) else ""
        yield (g, str(q.subject), rank(p), p, str(q.object))


# ---------------------------------------------------------------- writers
def header() -> str:
    """The fixed ``@base`` and ``@prefix`` lines of every Turtle and TriG export."""
    return (f"@base <{DEFAULT_BASE}> .\n" + "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in PREFIXES.items())
            + "\n")


@lru_cache(maxsize=None)
def _serializer_header_size(fmt: ox.RdfFormat) -> int:
    """Bytes of the header pyoxigraph writes before the first triple (the same
    length in every process, whatever order its prefixes come in)."""
    probe = ox.NamedNode("urn:x")
    text = ox.serialize([ox.Quad(probe, probe, probe, probe if fmt == ox.RdfFormat.TRIG else ox.DefaultGraph())],
                        format=fmt, prefixes=SERIALIZER_PREFIXES, base_iri=DEFAULT_BASE)
    lines = text.splitlines(keepends=True)
    size = 0
    for line in lines:
        if not line.startswith(b"@"):
            break
        size += len(line)
    assert size and size < len(text), text
    return size


class _Headless:
    """A binary writer that drops the first ``skip`` bytes written to it (the
    serializer's own header) and passes the rest on to ``out``."""

    def __init__(self, out: BinaryIO, skip: int) -> None:
        self.out, self.skip, self.dropped = out, skip, b""

    def write(self, data: bytes) -> int:
        size = len(data)  # all of it taken: a short count would make the caller write the rest again
        if self.skip:
            self.dropped += bytes(data[: self.skip])
            data = data[self.skip:]
            self.skip = max(self.skip - size, 0)
            if not self.skip:  # only ever the @base and @prefix lines
                assert self.dropped.startswith(b"@") and self.dropped.endswith(b" .\n"), self.dropped[-80:]
        if data:
            self.out.write(data)
        return size

    def flush(self) -> None:
        pass  # the caller flushes its own stream


def counting(items: Iterable[Any]) -> tuple[Iterator[Any], Iterator[int]]:
    """``items`` passed through unchanged, and a counter: after the items are
    consumed, ``next(counter)`` is how many there were (C-level, no Python
    frame per item)."""
    counter = count()
    return map(operator.itemgetter(0), zip(items, counter)), counter


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


@lru_cache(maxsize=4096)
def _jsonld_key(iri: str) -> tuple[str, str | None]:
    props, _classes, prefixes, _sets = _context_maps()
    if iri in props:
        return props[iri]
    for prefix, ns in prefixes.items():
        if iri.startswith(ns) and _LOCAL.fullmatch(iri[len(ns):]):
            return f"{prefix}:{iri[len(ns):]}", None
    return iri, None


def _jsonld_value(term: Any, coerce: str | None) -> Any:
    if isinstance(term, ox.NamedNode):
        return term.value if coerce == "@id" else {"@id": term.value}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    value, lang = term.value, term.language
    if lang:
        return {"@value": value, "@language": lang}
    datatype = term.datatype.value
    if datatype == coerce or (coerce is None and datatype == XSD_STRING):
        return value
    if datatype == XSD_STRING:
        return {"@value": value}  # a value object is never coerced by its term
    return {"@value": value, "@type": _jsonld_key(datatype)[0]}


def _node_id(term: Any) -> str:
    return term.value if isinstance(term, ox.NamedNode) else f"_:{term.value}"


_TYPE_IRI, _LABEL_IRI = RDF_TYPE[1:-1], RDFS_LABEL[1:-1]


def jsonld_node(subject: Any, triples: Iterable[Any]) -> dict[str, Any]:
    """One subject's triples as a compact JSON-LD node object: ``@id``, ``@type``,
    the label, then the other properties by IRI."""
    _props, classes, _prefixes, sets = _context_maps()
    objects: dict[str, list[Any]] = {}
    for t in triples:
        objects.setdefault(t.predicate.value, []).append(t.object)
    node: dict[str, Any] = {"@id": _node_id(subject)}
    if _TYPE_IRI in objects:
        types = sorted(classes.get(o.value) or _jsonld_key(o.value)[0] for o in objects.pop(_TYPE_IRI))
        node["@type"] = types[0] if len(types) == 1 else types
    for p in sorted(objects, key=lambda p: (p != _LABEL_IRI, p)):
        key, coerce = _jsonld_key(p)
        values = [_jsonld_value(o, coerce) for o in objects[p]]
        node[key] = values if len(values) > 1 or key in sets else values[0]
    return node


def _jsonld_header() -> str:
    context = json.dumps(jsonld_context(), ensure_ascii=False, indent=2).replace("\n", "\n  ")
    return '{\n  "@context": ' + context + ',\n  "@graph": ['


def _write_jsonld_nodes(triples: Iterable[Any], out: BinaryIO, *, first: bool) -> int:
    """Node objects, one line each, each after a separator (no comma before
    the first node of the file)."""
    encode = json.JSONEncoder(ensure_ascii=False, separators=(", ", ": ")).encode  # the C encoder: no indent
    text, n = io.TextIOWrapper(out, encoding="utf-8", newline="\n", write_through=False), 0
    separator = "\n    " if first else ",\n    "
    for subject, group in groupby(triples, key=operator.attrgetter("subject")):
        members = list(group)
        text.write(separator + encode(jsonld_node(subject, members)))
        separator, n = ",\n    ", n + len(members)
    text.flush()
    text.detach()  # hand the caller's stream back unclosed
    return n


# ------------------------------------------------------------ the formats
#: The formats pyoxigraph writes for us.
RDF_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "ntriples": ox.RdfFormat.N_TRIPLES,
               "trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}


def write_header(out: BinaryIO, fmt: str) -> None:
    """What comes before the data: our fixed prefixes (Turtle, TriG), the
    context (JSON-LD), nothing (N-Triples, N-Quads)."""
    if fmt in ("turtle", "trig"):
        out.write(header().encode())
    elif fmt == "jsonld":
        out.write(_jsonld_header().encode())


def write_body(items: Iterable[Any], out: BinaryIO, fmt: str, *, first: bool = True) -> int:
    """The data (between header and footer).  ``items`` are quads for TriG and
    N-Quads, triples (or quads of the default graph) otherwise.  Returns how
    many were written.

    Bodies of consecutive slices of a stream, cut between subjects (and
    graphs), add up to the body of the whole stream, byte for byte, if all
    but the first slice are written with ``first=False``.
    """
    if fmt == "jsonld":
        return _write_jsonld_nodes(items, out, first=first)
    rdf_format = RDF_FORMATS[fmt]
    items, counter = counting(items)
    if fmt in ("turtle", "trig"):
        ox.serialize(items, _Headless(out, _serializer_header_size(rdf_format)), rdf_format,
                     prefixes=SERIALIZER_PREFIXES, base_iri=DEFAULT_BASE)
    else:
        ox.serialize(items, out, rdf_format)
    return next(counter)


def write_footer(out: BinaryIO, fmt: str) -> None:
    """What comes after the data (JSON-LD only)."""
    if fmt == "jsonld":
        out.write(b"\n  ]\n}\n")


def _writer(fmt: str, doc: str) -> Callable[[Iterable[Any], BinaryIO], int]:
    def write(items: Iterable[Any], out: BinaryIO) -> int:
        write_header(out, fmt)
        written = write_body(items, out, fmt)
        write_footer(out, fmt)
        return written
    write.__name__, write.__doc__ = f"write_{fmt}", doc
    return write


write_turtle = _writer("turtle", "Turtle: fixed prefixes, one block per subject.  Returns the triples written.")
write_trig = _writer("trig", "TriG: one ``<statement> { ... }`` block per named graph.  Returns the quads written.")
write_ntriples = _writer("ntriples", "N-Triples.  Returns the triples written.")
write_nquads = _writer("nquads", "N-Quads.  Returns the quads written.")
write_jsonld = _writer("jsonld", "JSON-LD with the hrdkg context inline (no remote context is ever needed) and "
                                 "one node object per subject in ``@graph``.  Returns the triples written.")

WRITERS: dict[str, Callable[[Iterable[Any], BinaryIO], int]] = {
    "turtle": write_turtle,
    "ntriples": write_ntriples,
    "jsonld": write_jsonld,
    "trig": write_trig,
    "nquads": write_nquads,
}
