"""The SHACL gate: statement graphs are checked against ``ontology/shapes.ttl``.

:func:`validate_graph` checks one graph, :func:`validate_graphs` many (each on
its own), :func:`validate_store` every statement graph of a store.  Results
come back as :class:`~graph.model.ValidationReport` with readable
:class:`~graph.model.ValidationResult` rows (``hrd:date``, not full IRIs).

How the shapes are applied
    pySHACL runs **without** RDFS inference.  The ``rdfs:subClassOf`` triples
    of ``ontology/hrdkg.ttl`` are put beside the data instead, so that
    ``sh:targetClass hrd:Event`` reaches a ``hrd:Conviction`` and
    ``sh:class hrd:Organisation`` accepts a ``hrd:StateAuthority``.  RDFS
    inference would also apply ``rdfs:range`` (every value of ``hrd:court``
    would be inferred a ``hrd:Court``) and make the ``sh:class`` checks pass
    vacuously; it is also several times slower.

Why many graphs are not validated as one union
    One pySHACL run over the union of many statement graphs saves pySHACL's
    fixed cost per run (about 5 ms: it re-reads the shapes and searches the
    targets every time), but the union is only exact if every node that two
    statements share is first renamed apart in each of them: otherwise a
    statement that lacks a person's type or label is covered by another
    statement that has it (a hidden violation), and two spellings of a label
    from two statements break "exactly one rdfs:label" for both (a false
    one).  Building that renamed union copies every triple into a new rdflib
    graph (about 14 µs a triple), which for real statements (about 700
    triples each, most of them evidence) costs more than the run it saves:
    on the 30 statements of the dev corpus, 21 ms per statement for the
    renamed union against 14–16 ms for validating each graph in place.  So
    :func:`validate_graphs` validates each graph in place, which is exact by
    construction.  The speed comes from elsewhere: no inference, no copy of
    the data, targets on the property shapes (pySHACL then checks all focus
    nodes of a shape in one pass), regular expressions instead of ``sh:in``
    lists, only the subclass triples the shapes need, and
    :func:`_speed_up_pyshacl`.
"""
from __future__ import annotations

import importlib.resources
import re
import threading
from collections.abc import Iterable, Mapping
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from .model import ValidationReport, ValidationResult
from .namespaces import PREFIXES, SH

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store

#: Namespace of the shapes in ``ontology/shapes.ttl``.
SHAPES_NS = "https://w3id.org/hrdkg/shapes#"

_PYSHACL_LOCK = threading.Lock()  # pySHACL adds system triples to the shared shapes graph
_SIMPLE_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_\-]*")
_MAX_VALUE = 160  # characters of a literal value shown in a result
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

Triple = tuple[Node, Node, Node]


def _speed_up_pyshacl() -> None:
    """Give pySHACL its table of constraint parameters as a set rather than a list.

    For every (focus node, shape) pair pySHACL tests each predicate of the
    shape for membership in a module-level table that it builds lazily as a
    list of ~40 IRIs; as a set the same test is one hash lookup, and
    validation takes about a fifth less time.  Membership gives the same
    answers either way.  If a pySHACL release changes these internals, this
    does nothing.
    """
    try:
        import pyshacl.shape as shape_module
        from pyshacl.constraints import ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP
    except ImportError:  # pragma: no cover - another pySHACL layout
        return
    current = getattr(shape_module, "CONSTRAINT_PARAMS", None)
    if current not in (None, (None, None), (ALL_CONSTRAINT_PARAMETERS, CONSTRAINT_PARAMETERS_MAP)):
        return  # pragma: no cover - already replaced by someone else

    class _ParameterSet(set):
        """A set that also answers the list methods pySHACL's advanced mode calls."""

        def copy(self) -> "_ParameterSet":
            return _ParameterSet(self)

        def append(self, item: Node) -> None:
            self.add(item)

    shape_module.CONSTRAINT_PARAMS = (_ParameterSet(ALL_CONSTRAINT_PARAMETERS), CONSTRAINT_PARAMETERS_MAP)


_speed_up_pyshacl()


# --------------------------------------------------------------------- files
def ontology_dir() -> Path:
    """The folder holding ``hrdkg.ttl`` and ``shapes.ttl``.

    In a source checkout it is ``ontology/`` beside ``graph/``; when hrdkg
    is installed, it is the ``ontology`` package shipped as package data.
    """
    here = Path(__file__).resolve().parent.parent / "ontology"
    if (here / "shapes.ttl").is_file():
        return here
    return Path(str(importlib.resources.files("ontology")))


@lru_cache(maxsize=1)
def shapes_graph() -> Graph:
    """The SHACL shapes (``ontology/shapes.ttl``), parsed once.  Do not modify it."""
    return Graph(store="SimpleMemory", bind_namespaces="core").parse(ontology_dir() / "shapes.ttl", format="turtle")


@lru_cache(maxsize=1)
def ontology_graph() -> Graph:
    """The hrdkg ontology (``ontology/hrdkg.ttl``), parsed once.  Do not modify it."""
    return Graph(bind_namespaces="core").parse(ontology_dir() / "hrdkg.ttl", format="turtle")


@lru_cache(maxsize=1)
def _class_hierarchy() -> tuple[Triple, ...]:
    """The ``rdfs:subClassOf`` triples the shapes need: from any class of the
    ontology to each class the shapes name (``sh:targetClass``, ``sh:class``),
    transitively closed.  (Superclasses the shapes never name, such as
    ``schema:Person``, would only slow pySHACL's target search down.)"""
    sg = shapes_graph()
    named = set(sg.objects(None, SH.targetClass)) | set(sg.objects(None, SH["class"]))
    ont = ontology_graph()
    direct: dict[Node, set[Node]] = {}
    for sub, sup in ont.subject_objects(RDFS.subClassOf):
        if isinstance(sub, URIRef) and isinstance(sup, URIRef):
            direct.setdefault(sub, set()).add(sup)
    closed: set[Triple] = set()
    for sub in direct:
        todo, seen = list(direct[sub]), set()
        while todo:
            sup = todo.pop()
            if sup in seen:
                continue
            seen.add(sup)
            if sup in named:
                closed.add((sub, RDFS.subClassOf, sup))
            todo.extend(direct.get(sup, ()))
    return tuple(sorted(closed))


def warm_up() -> None:
    """Parse the shapes and the ontology now rather than on the first check."""
    shapes_graph()
    _class_hierarchy()


# ---------------------------------------------------------------- validation
def validate_graph(data: Graph) -> ValidationReport:
    """Check one graph (typically one statement's named graph) against the shapes.

    The graph is left as it was.  To avoid copying it, the class hierarchy
    is added to it for the duration of the check and removed afterwards, so
    it must not be read by another thread meanwhile.  (A ``Dataset``, whose
    quads are validated as one graph, is copied instead.)

    >>> from rdflib import Graph
    >>> validate_graph(Graph()).conforms
    True

    :raises pyshacl.errors.ReportableRuntimeError: if the shapes themselves are broken.
    """
    if getattr(data, "context_aware", False) or not getattr(data.store, "context_aware", False):
        work = Graph(bind_namespaces="none")
        work.addN((s, p, o, work) for s, p, o in _triples(data))
        work.addN((s, p, o, work) for s, p, o in _class_hierarchy())
        return _run(work)
    lent = [t for t in _class_hierarchy() if t not in data]
    data.addN((s, p, o, data) for s, p, o in lent)
    try:
        return _run(data)
    finally:
        for triple in lent:
            data.remove(triple)


def validate_graphs(graphs: Mapping[str, Graph]) -> dict[str, ValidationReport]:
    """Check many graphs, each on its own: key → report.

    Each report is exactly what :func:`validate_graph` gives for that graph:
    a node that several graphs share is judged, in each graph, by that
    graph's triples only (see the module documentation for why this is not
    one run over the union).

    :raises pyshacl.errors.ReportableRuntimeError: if the shapes themselves are broken.
    """
    return {key: validate_graph(graph) for key, graph in graphs.items()}


def validate_store_statements(store: Store, *, batch: int = 200) -> dict[str, ValidationReport]:
    """Check every statement graph of a store on its own; statement IRI → report.

    Graphs are validated ``batch`` at a time with :func:`validate_graphs`.
    """
    reports: dict[str, ValidationReport] = {}
    iris = store.statement_graphs()
    for start in range(0, len(iris), batch):
        chunk = {iri: _graph_from_store(store, iri) for iri in iris[start:start + batch]}
        reports.update(validate_graphs(chunk))
    return reports


def validate_store(store: Store) -> ValidationReport:
    """One report for the whole store: each statement graph checked on its own.

    A finding about a node that several statements share is listed once.
    """
    return _report(result for report in validate_store_statements(store).values()
                   for result in report.results)


def _graph_from_store(store: Store, iri: str) -> Graph:
    graph = Graph(identifier=URIRef(iri), bind_namespaces="none")
    graph.addN((_from_ox(q.subject), _from_ox(q.predicate), _from_ox(q.object), graph)
               for q in store.graph_triples(iri))
    return graph


def _from_ox(term: object) -> Node:
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"unexpected term {term!r}")


def _triples(data: Graph) -> Iterable[Triple]:
    if getattr(data, "context_aware", False):  # Dataset: every graph's triples
        return ((s, p, o) for s, p, o, _ in data.quads((None, None, None, None)))
    return data.triples((None, None, None))


def _report(found: Iterable[ValidationResult]) -> ValidationReport:
    # Two constraints of one shape failing on the same value read the same: list it once.
    results = list(dict.fromkeys(found))
    results.sort(key=lambda r: (r.focus, r.path or "", r.shape or "", r.message, r.value or ""))
    return ValidationReport(conforms=not results, results=tuple(results))


def _run(work: Graph) -> ValidationReport:
    """Run pySHACL on ``work`` (which holds the class hierarchy) and read its results."""
    with _PYSHACL_LOCK:
        conforms, report, _text = pyshacl.validate(
            work, shacl_graph=shapes_graph(), inference="none", inplace=True, abort_on_first=False,
            allow_warnings=False, advanced=False,
        )
    if conforms:
        return ValidationReport(conforms=True)
    return _report(
        ValidationResult(
            focus=_show(report.value(node, SH.focusNode)),
            path=_show_path(report, path) if (path := report.value(node, SH.resultPath)) is not None else None,
            message=_message(report, node),
            shape=_show(shape) if (shape := report.value(node, SH.sourceShape)) is not None else None,
            severity=_local_name(sev) if (sev := report.value(node, SH.resultSeverity)) is not None
            else "Violation",
            value=_show(value) if (value := report.value(node, SH.value)) is not None else None,
        )
        for node in report.subjects(RDF.type, SH.ValidationResult)
    )


# ---------------------------------------------------------------- formatting
@lru_cache(maxsize=1)
def _namespaces() -> tuple[tuple[str, str], ...]:
    pairs = dict(PREFIXES)
    pairs.update({"hrdsh": SHAPES_NS, "sh": str(SH)})
    return tuple(sorted(((p, ns) for p, ns in pairs.items()), key=lambda pn: -len(pn[1])))


def _show(node: Node) -> str:
    """A node as a researcher reads it: ``hrd:date``, ``country:KZ``, a full data IRI, a literal."""
    if isinstance(node, URIRef):
        iri = str(node)
        for prefix, ns in _namespaces():
            if iri.startswith(ns) and _SIMPLE_LOCAL.fullmatch(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        return iri
    if isinstance(node, Literal):
        text = str(node)
        if len(text) > _MAX_VALUE:
            text = text[:_MAX_VALUE] + "…"
        if node.language:
            return f'"{text}"@{node.language}'
        if node.datatype is not None and str(node.datatype) != _XSD_STRING:
            return f'"{text}"^^{_show(node.datatype)}'
        return f'"{text}"'
    return f"_:{node}"


def _show_path(report: Graph, path: Node) -> str:
    if isinstance(path, BNode):
        steps = list(report.items(path))
        if steps:
            return " / ".join(_show(step) for step in steps)
    return _show(path)


def _message(report: Graph, result: Node) -> str:
    messages = list(report.objects(result, SH.resultMessage))
    if not messages:
        return "Does not conform to the shape."
    english = [m for m in messages if isinstance(m, Literal) and m.language in (None, "en")]
    return str(sorted(english or messages, key=str)[0])


def _local_name(node: Node) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
