"""Network analysis with networkx over the public graph.

Projections (undirected :class:`networkx.Graph`, node id = IRI, nodes carry
``label`` and ``kind``, edges carry ``weight`` and the sorted ``statements``
that support them):

* ``defender-provision``: a person and a provision invoked by an event concerning them;
* ``defender-court``: a person and a court where an event concerning them took place;
* ``codefendants``: two people concerned by the same event, or by events at the
  same court on the same day (one *occasion*: the court and the day when both
  are known, else the event itself); weight = shared occasions;
* ``membership``: a person and an organisation they belong to;
* ``evidence``: people, organisations, courts, provisions and events joined by the
  stated links (concerns, court, authority, invokes, memberOf), used for chains.

Nodes and edges are added in sorted order, so every result (ties in
centrality, the chosen shortest chain) is the same from run to run.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import networkx as nx

from .analytics import AnalysisError, Corpus, resolve

PROJECTIONS = ("codefendants", "defender-provision", "defender-court", "membership", "evidence")
CHAIN_LINKS = {"concerns", "court", "authority", "invokes", "memberOf"}
GRAPH_FORMATS = ("graphml", "gexf")


def _node(g: nx.Graph, corpus: Corpus, iri: str) -> None:
    if iri not in g:
        g.add_node(iri, label=corpus.label(iri), kind=corpus.kinds.get(iri, ""))


def _edge(g: nx.Graph, a: str, b: str, occasion: str, statements: set[str]) -> None:
    """Add or reinforce an edge; ``occasions`` counts distinct reasons for it."""
    if g.has_edge(a, b):
        data = g.edges[a, b]
        data["occasions"].add(occasion)
        data["statements"].update(statements)
    else:
        g.add_edge(a, b, occasions={occasion}, statements=set(statements))


def _finish(g: nx.Graph) -> nx.Graph:
    """Freeze edge attributes into sorted lists and weights; rebuild in sorted order."""
    out = nx.Graph()
    for n in sorted(g.nodes):
        out.add_node(n, **g.nodes[n])
    for a, b in sorted(tuple(sorted(e)) for e in g.edges):
        data = g.edges[a, b]
        out.add_edge(a, b, weight=len(data["occasions"]), statements=sorted(data["statements"]),
                     occasions=sorted(data["occasions"]), **{k: v for k, v in data.items()
                                                             if k not in ("occasions", "statements")})
    return out


def projection(corpus: Corpus, kind: str) -> nx.Graph:
    """The named projection of the public graph (see the module docstring).

    :raises AnalysisError: for an unknown projection.
    """
    if kind not in PROJECTIONS:
        raise AnalysisError(f"unknown projection {kind!r}; use one of {', '.join(PROJECTIONS)}")
    g = nx.Graph()
    if kind == "codefendants":
        _codefendants(g, corpus)
    elif kind == "membership":
        for link in corpus.links:
            if link.predicate == "memberOf":
                _node(g, corpus, link.source)
                _node(g, corpus, link.target)
                _edge(g, link.source, link.target, "memberOf", set(link.statements))
    elif kind == "evidence":
        for link in corpus.links:
            if link.predicate in CHAIN_LINKS:
                _node(g, corpus, link.source)
                _node(g, corpus, link.target)
                _edge(g, link.source, link.target, link.predicate, set(link.statements))
                g.edges[link.source, link.target]["predicate"] = link.predicate
                g.edges[link.source, link.target]["subject"] = link.source
    else:
        for ev in corpus.events.values():
            others = ev.provisions if kind == "defender-provision" else ([ev.court] if ev.court else [])
            for person in ev.persons:
                for other in others:
                    _node(g, corpus, person)
                    _node(g, corpus, other)
                    _edge(g, person, other, ev.iri, {ev.statement})
    return _finish(g)


def _codefendants(g: nx.Graph, corpus: Corpus) -> None:
    occasions: dict[str, set[str]] = defaultdict(set)
    statements: dict[str, set[str]] = defaultdict(set)
    for ev in corpus.events.values():
        if not ev.persons:
            continue
        same_day = ev.court is not None and ev.date is not None and len(ev.date) == 10
        key = f"{ev.court} {ev.date}" if same_day else ev.iri
        occasions[key].update(ev.persons)
        statements[key].add(ev.statement)
        for person in ev.persons:
            _node(g, corpus, person)
    for key, people in occasions.items():
        ordered = sorted(people)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1:]:
                _edge(g, a, b, key, statements[key])


# ------------------------------------------------------------ measures
def centrality(corpus: Corpus) -> list[dict[str, Any]]:
    """Degree, weighted degree and betweenness of everyone in the co-defendant network,
    highest betweenness first."""
    g = projection(corpus, "codefendants")
    degree = nx.degree_centrality(g) if len(g) > 1 else {n: 0.0 for n in g}
    between = nx.betweenness_centrality(g) if len(g) > 2 else {n: 0.0 for n in g}
    rows = [{"person": n, "label": g.nodes[n]["label"], "codefendants": g.degree(n),
             "occasions": int(g.degree(n, weight="weight")), "degree": round(degree[n], 4),
             "betweenness": round(between[n], 4)} for n in g]
    rows.sort(key=lambda r: (-r["betweenness"], -r["codefendants"], r["label"], r["person"]))
    return rows


def communities(corpus: Corpus, *, method: str = "greedy", seed: int = 0) -> list[dict[str, Any]]:
    """Communities of the co-defendant network: ``greedy`` modularity (deterministic)
    or ``louvain`` (seeded), largest first."""
    g = projection(corpus, "codefendants")
    if method == "greedy":
        found = nx.community.greedy_modularity_communities(g, weight="weight") if g.number_of_edges() else \
            [{n} for n in g]
    elif method == "louvain":
        found = nx.community.louvain_communities(g, weight="weight", seed=seed)
    else:
        raise AnalysisError(f"unknown community method {method!r}; use greedy or louvain")
    groups = [sorted(c, key=lambda n: (g.nodes[n]["label"], n)) for c in found]
    groups.sort(key=lambda c: (-len(c), g.nodes[c[0]]["label"]))
    return [{"community": i, "size": len(c), "members": [g.nodes[n]["label"] for n in c], "iris": c}
            for i, c in enumerate(groups, start=1)]


@dataclass(frozen=True)
class Step:
    """One link of a chain: the stated triple and the statements stating it."""

    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    statements: tuple[str, ...]


def chain(corpus: Corpus, start: str, end: str) -> list[Step]:
    """The shortest chain of stated links between two entities (IRIs or exact labels).

    Returns ``[]`` when they are not connected.

    :raises AnalysisError: if an entity is unknown or its label ambiguous.
    """
    g = projection(corpus, "evidence")
    a, b = resolve(corpus, start), resolve(corpus, end)
    if a not in g or b not in g:
        return []
    try:
        path = nx.shortest_path(g, a, b)
    except nx.NetworkXNoPath:
        return []
    steps = []
    for x, y in zip(path, path[1:]):
        data = g.edges[x, y]
        s, o = (x, y) if data["subject"] == x else (y, x)
        steps.append(Step(s, corpus.label(s), data["predicate"], o, corpus.label(o), tuple(data["statements"])))
    return steps


# -------------------------------------------------------------- output
def for_gephi(g: nx.Graph) -> nx.Graph:
    """A copy whose attributes are scalars (GraphML and GEXF take no lists)."""
    out = nx.Graph()
    for n, data in g.nodes(data=True):
        out.add_node(n, iri=n, **data)
    for a, b, data in g.edges(data=True):
        out.add_edge(a, b, **{k: " ".join(v) if isinstance(v, list) else v for k, v in data.items()})
    return out


def write_graph(g: nx.Graph, out: BinaryIO | Path, *, fmt: str = "graphml") -> None:
    """Write a projection as GraphML or GEXF for Gephi.

    :raises AnalysisError: for another format.
    """
    if fmt == "graphml":
        nx.write_graphml(for_gephi(g), out)
    elif fmt == "gexf":
        nx.write_gexf(for_gephi(g), out)
    else:
        raise AnalysisError(f"unknown graph format {fmt!r}; use graphml or gexf")
