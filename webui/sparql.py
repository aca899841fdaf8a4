"""The SPARQL 1.1 Protocol endpoint (/sparql) and the query editor (/editor).

* ``GET /sparql?query=``, ``POST`` form-encoded (``query=``) and ``POST``
  ``application/sparql-query``; ``default-graph-uri`` / ``named-graph-uri``.
* SELECT/ASK answered as JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as
  Turtle, N-Triples, JSON-LD or RDF/XML: by ``Accept`` or by ``format=``.
* Read-only: an update (``update=`` or ``application/sparql-update``) is
  refused with 403; an update sent as a query is a syntax error (400).
* Every query runs in a killable worker of a pool of ``QUERY_WORKERS``
  persistent processes (:mod:`graph.guarded`, :mod:`graph.query_pool`), or
  on a store that is a SPARQL server, goes straight to the server
  (:func:`graph.guarded.remote_params`), with the app's ``QUERY_TIMEOUT``
  and ``RESULT_LIMIT``: a query stopped by either gets an error status and
  message (503 / 422), never a partial result.
* Public graphs only: the merged public graph and the named graphs of
  public statements (:func:`graph.guarded.public_dataset`); every graph
  for the authenticated administrator (:func:`graph.guarded.admin_dataset`).
  The graph lists are remembered until the store changes
  (:meth:`graph.store.Store.memoize`) and only listed for a query that
  names graphs or uses ``GRAPH``.
* ``SERVICE`` and absurdly nested queries are refused (400) before any
  evaluation (:func:`graph.guarded.check_query`): the server never sends
  a request anywhere.
* CORS: any origin may call it.  ``GET /sparql`` without a query returns
  the service description (Turtle), or the editor for a browser.
"""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, jsonify, render_template, request, url_for

from graph.guarded import GRAPH_FORMATS, RESULT_FORMATS, Dataset, Limits, admin_dataset, public_dataset, run_guarded
from graph.namespaces import PREFIXES
from graph.query import saved_queries
from graph.store import SharedStore, Store

from . import read_store
from .admin import is_admin
from .errors import ApiError

if TYPE_CHECKING:
    from graph.remote import SparqlClient

bp = Blueprint("sparql", __name__)

#: media type → format name, for results and for graphs
RESULT_MEDIA = {"application/sparql-results+json": "json", "application/json": "json",
                "application/sparql-results+xml": "xml", "application/xml": "xml", "text/xml": "xml",
                "text/csv": "csv", "text/tab-separated-values": "tsv"}
GRAPH_MEDIA = {"text/turtle": "turtle", "application/x-turtle": "turtle", "application/n-triples": "ntriples",
               "text/plain": "ntriples", "application/ld+json": "jsonld", "application/rdf+xml": "rdfxml"}
FORMAT_ALIASES = {"ttl": "turtle", "nt": "ntriples", "json-ld": "jsonld", "rdf": "rdfxml", "srj": "json",
                  "srx": "xml"}
CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
        "Access-Control-Allow-Headers": "Content-Type, Accept", "Access-Control-Max-Age": "86400"}


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint() -> Response | str:
    """Answer one SPARQL query (see the module docstring)."""
    if request.method == "OPTIONS":
        return Response(status=204, headers=CORS)
    query = _query_text()
    if query is None:
        if request.accept_mimetypes.best_match(["text/html", "text/turtle"]) == "text/html" \
                and "format" not in request.args:
            return editor()
        return _cors(Response(_service_description(), mimetype="text/turtle"))
    results_format, graph_format = _formats()
    with read_store() as store:
        dataset = _dataset(store, query)
        source = _source(store)
    limits = Limits(timeout=float(current_app.config["QUERY_TIMEOUT"]),
                    max_rows=int(current_app.config["RESULT_LIMIT"]),
                    workers=int(current_app.config["QUERY_WORKERS"]))
    result = run_guarded(source, query, results_format=results_format, graph_format=graph_format,
                         dataset=dataset, limits=limits)
    _check_format(result.kind)
    return _cors(Response(result.body, mimetype=result.media_type,
                          headers={"Vary": "Accept", "X-Result-Count": str(result.count)}))


def _dataset(store: Store, query: str) -> Dataset:
    """The graphs this request may read: public ones, or all for the administrator.

    The lists are remembered with the store handle (so until the store
    changes) and computed only when the query needs them."""
    protocol = {"default_graph_uris": _params("default-graph-uri"), "named_graph_uris": _params("named-graph-uri")}
    if is_admin():
        return admin_dataset(query, lambda: store.memoize(("sparql", "statement graphs"), store.statement_graphs),
                             store.memoize(("sparql", "restricted graphs"), store.restricted_graphs), **protocol)
    return public_dataset(query, lambda: store.memoize(("sparql", "public graphs"), store.public_graphs), **protocol)


def _query_text() -> str | None:
    """The query of a GET, a form POST or a direct POST; refuse updates."""
    if "update" in request.values or request.mimetype == "application/sparql-update":
        raise ApiError(403, "this endpoint is read-only: SPARQL updates are refused")
    if request.method == "POST" and request.mimetype == "application/sparql-query":
        return request.get_data(as_text=True)
    if request.method == "POST" and request.mimetype not in ("application/x-www-form-urlencoded", "multipart/form-data"):
        raise ApiError(415, "POST a query as application/sparql-query or as a form (query=...)")
    values = request.form.getlist("query") if request.method == "POST" else request.args.getlist("query")
    if len(values) > 1:
        raise ApiError(400, "give one query parameter, not several")
    return values[0] if values else None


def _params(name: str) -> list[str]:
    return request.args.getlist(name) + (request.form.getlist(name) if request.method == "POST" else [])


def _formats() -> tuple[str, str]:
    """(results format, graph format): ``format=`` wins over Accept; JSON and Turtle by default."""
    wanted = request.values.get("format") or request.values.get("output")
    if wanted:
        wanted = FORMAT_ALIASES.get(wanted.lower(), wanted.lower())
        wanted = RESULT_MEDIA.get(wanted) or GRAPH_MEDIA.get(wanted) or wanted
        if wanted in RESULT_FORMATS:
            return wanted, "turtle"
        if wanted in GRAPH_FORMATS:
            return "json", wanted
        raise ApiError(400, f"unknown format {wanted!r}; use one of {', '.join([*RESULT_FORMATS, *GRAPH_FORMATS])}")
    accept = request.accept_mimetypes
    results = RESULT_MEDIA.get(accept.best_match(list(RESULT_MEDIA)) or "", "json")
    graph = GRAPH_MEDIA.get(accept.best_match(list(GRAPH_MEDIA)) or "", "turtle")
    return results, graph


def _check_format(kind: str) -> None:
    """A ``format=`` that does not fit the query form is an error, not a silent substitute."""
    wanted = request.values.get("format")
    if not wanted:
        return
    wanted = FORMAT_ALIASES.get(wanted.lower(), wanted.lower())
    wanted = RESULT_MEDIA.get(wanted) or GRAPH_MEDIA.get(wanted) or wanted
    fits = GRAPH_FORMATS if kind == "graph" else RESULT_FORMATS
    if wanted not in fits:
        form = "CONSTRUCT/DESCRIBE" if kind == "graph" else "SELECT/ASK"
        raise ApiError(400, f"a {form} result cannot be written as {wanted}; use one of {', '.join(fits)}")


def _source(store: Store) -> Path | ox.Store | SparqlClient:
    """What the query runs on: the store directory (read by the query workers),
    the in-memory store itself (copied to a worker), or the SPARQL server."""
    if store.remote:
        return store.inner  # its SparqlClient
    shared = current_app.extensions["hrdkg_store"]
    path = shared.path if isinstance(shared, (SharedStore, Store)) else None
    return Path(path) if path is not None else store.inner


def _cors(response: Response) -> Response:
    response.headers.update(CORS)
    return response


def _service_description() -> str:
    """SPARQL 1.1 Service Description of this endpoint (Turtle)."""
    endpoint = url_for("sparql.endpoint", _external=True)
    formats = " ".join(f"<http://www.w3.org/ns/formats/{f}>" for f in
                       ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                        "Turtle", "N-Triples", "JSON-LD", "RDF_XML"))
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

<{endpoint}> a sd:Service ;
    rdfs:label "hrdkg SPARQL endpoint (read-only)" ;
    rdfs:comment "Queries read the merged graph of public statements; each public statement is also a named graph. Time limit {current_app.config['QUERY_TIMEOUT']:g} s, at most {current_app.config['RESULT_LIMIT']} rows per answer." ;
    sd:endpoint <{endpoint}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {formats.replace(' ', ' , ')} ;
    sd:defaultDataset [ a sd:Dataset ; sd:defaultGraph [ a sd:Graph ] ] .
"""


@bp.get("/editor")
@bp.get("/editor.json", endpoint="editor_json")
def editor() -> Response | str:
    """The YASGUI query editor with the gallery of saved queries."""
    gallery = [{"name": q.name, "title": q.title, "description": q.description, "query": q.text}
               for q in saved_queries()]
    start = next((q for q in gallery if q["name"] == request.args.get("saved")), None)
    config = {"endpoint": url_for("sparql.endpoint"), "base": current_app.config["BASE"],
              "entity": url_for("browse.entity", rest=""),
              "timeout": current_app.config["QUERY_TIMEOUT"], "limit": current_app.config["RESULT_LIMIT"],
              "prefixes": PREFIXES, "start": start["name"] if start else None, "queries": gallery}
    if request.path.endswith(".json") or request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json":
        return jsonify(config)
    return render_template("editor.html", gallery=gallery, config=config)

