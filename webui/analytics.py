"""The analytics page (/analytics): rankings and the drawn co-defendant network.

Everything comes from :mod:`graph.analytics` and :mod:`graph.network` over
the *public* graph (:func:`graph.analytics.load_corpus` never sees a
restricted statement); the view only picks the analyses and renders them.

* ``/analytics`` HTML: provisions most invoked (grouped by ``?by=none|country|
  year|country-year``, default ``country``), courts by convictions and by
  prison time, defenders by events, centrality and communities of the
  co-defendant network, and the network itself drawn with Cytoscape.js.
* ``/analytics.json``: the same data (and the network's nodes and edges).
* ``/analytics/graph/PROJECTION.graphml`` or ``.gexf``: a projection for Gephi.

The network is drawn with Cytoscape.js rather than Vega-Lite or matplotlib:
it is already vendored for the entity pages (no new asset, no CDN), it lays
out and lets one click through a network, which is what reads better as a
picture here; the rankings read best as tables with proportional bars.
"""
from __future__ import annotations

import io
from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request, url_for

from graph.analytics import Corpus, court_ranking, defender_ranking, load_corpus, provision_ranking
from graph.network import GRAPH_FORMATS, PROJECTIONS, centrality, communities, projection, write_graph

from . import read_store
from .browse import href
from .errors import ApiError

bp = Blueprint("analytics", __name__)
MEDIA = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}


def network(corpus: Corpus, groups: list[dict[str, Any]]) -> dict[str, Any]:
    """The co-defendant network as Cytoscape-ready nodes and edges."""
    g = projection(corpus, "codefendants")
    community = {iri: row["community"] for row in groups for iri in row["iris"]}
    nodes = [{"id": n, "label": d["label"], "kind": d["kind"], "degree": g.degree(n),
              "community": community.get(n, 0), "href": href(n)} for n, d in g.nodes(data=True)]
    edges = [{"source": a, "target": b, "weight": d["weight"], "statements": d["statements"]}
             for a, b, d in g.edges(data=True)]
    return {"nodes": nodes, "edges": edges}


@bp.get("/analytics")
@bp.get("/analytics.json", endpoint="page_json")
def page() -> Response | str:
    """Rankings and the co-defendant network of the public graph."""
    by = request.args.get("by", "country")
    with read_store() as store:
        corpus = load_corpus(store)
    groups = communities(corpus)
    data = {
        "by": by,
        "provisions": provision_ranking(corpus, by=by),
        "courts_by_convictions": court_ranking(corpus, by="convictions"),
        "courts_by_prison": court_ranking(corpus, by="prison"),
        "defenders": defender_ranking(corpus),
        "centrality": centrality(corpus),
        "communities": groups,
        "network": network(corpus, groups),
    }
    wants_json = request.path.endswith(".json") or \
        request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"
    if wants_json:
        return jsonify(data)
    return render_template("analytics.html", **data, projections=PROJECTIONS, formats=GRAPH_FORMATS,
                           groupings=("none", "country", "year", "country-year"),
                           source=url_for("analytics.page_json", by=by))


@bp.get("/analytics/graph/<name>.<fmt>")
def graph_file(name: str, fmt: str) -> Response:
    """A projection of the public graph as GraphML or GEXF, for Gephi."""
    if name not in PROJECTIONS or fmt not in GRAPH_FORMATS:
        raise ApiError(404, f"no projection {name!r} as {fmt!r}: use one of {', '.join(PROJECTIONS)} "
                            f"as {' or '.join(GRAPH_FORMATS)}")
    with read_store() as store:
        corpus = load_corpus(store)
    buf = io.BytesIO()
    write_graph(projection(corpus, name), buf, fmt=fmt)
    return Response(buf.getvalue(), mimetype=MEDIA[fmt],
                    headers={"Content-Disposition": f'attachment; filename="hrdkg-{name}.{fmt}"'})
