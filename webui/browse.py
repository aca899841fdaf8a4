"""Browse pages: home, entities (/id/...), class listings, search, saved queries.

Each page is HTML for browsers and JSON with a ``.json`` suffix or
``Accept: application/json``; entities also answer Turtle, JSON-LD,
N-Triples and RDF/XML (suffixes ``.ttl`` ``.jsonld`` ``.nt`` ``.rdf``).
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, render_template, request, url_for

from graph import browse as lib
from graph import catalog
from graph.errors import QueryError
from graph.query import compact, load_saved_query, saved_queries

from . import read_view

bp = Blueprint("browse", __name__)

RDF_SUFFIXES = {".ttl": "turtle", ".jsonld": "jsonld", ".nt": "ntriples", ".rdf": "rdfxml"}
RDF_MEDIA = {"turtle": "text/turtle", "jsonld": "application/ld+json", "ntriples": "application/n-triples",
             "rdfxml": "application/rdf+xml"}
PAGE = 50


def href(value: str) -> str | None:
    """Where a link to ``value`` goes: our own page for data IRIs, the IRI itself
    for other safe IRIs, nothing for anything else (``javascript:``...)."""
    base = current_app.config["BASE"]
    if value.startswith(base):
        return url_for("browse.entity", rest=value[len(base):])
    return value if lib.is_safe_link(value) else None


#: Parameters of a class listing and the value each has when left out.
LISTING_DEFAULTS = {"country": "", "year": "", "type": "", "publisher": "", "sort": "label", "order": "asc",
                    "offset": "0"}


def listing_query(args: Mapping[str, str], changes: Mapping[str, object]) -> str:
    """The query string of a listing page: ``args`` with ``changes``, in one
    canonical form (known keys only, sorted, defaults left out), so that the
    same page always has the same URL.

    >>> listing_query({"year": "2024", "sort": "label"}, {"country": "Kazakhstan", "offset": 0})
    '?country=Kazakhstan&year=2024'
    """
    merged = {k: str(v) for k, v in {**args, **changes}.items() if k in LISTING_DEFAULTS}
    kept = sorted((k, v) for k, v in merged.items() if v != LISTING_DEFAULTS[k])
    return "?" + urlencode(kept) if kept else ""


def _format(suffixes: dict[str, str] | None = None) -> str:
    """html, json or an RDF format, from the Accept header."""
    offered = ["text/html", "application/json", *(RDF_MEDIA.values() if suffixes else ())]
    best = request.accept_mimetypes.best_match(offered, default="text/html")
    if best == "application/json":
        return "json"
    return next((fmt for fmt, media in RDF_MEDIA.items() if media == best), "html")


def _page(template: str, data: dict[str, Any], fmt: str, **extra: Any) -> Response | str:
    if fmt == "json":
        return jsonify(data)
    return render_template(template, **data, **extra)


def _int_arg(name: str, default: int) -> int:
    try:
        return max(0, int(request.args.get(name, default)))
    except ValueError:
        abort(400, f"parameter {name!r} must be a whole number")


@bp.get("/")
@bp.get("/index.json", endpoint="home_json")
def home() -> Response | str:
    """What the dataset holds, entry points and a search box."""
    fmt = "json" if request.path.endswith(".json") else _format()
    with read_view() as store:
        data = catalog.overview(store).to_dict()
    data["classes_listed"] = [(name, data["classes"].get(name, 0)) for name in LISTED]
    return _page("home.html", data, fmt)


#: Classes offered on the home page and in the navigation, in this order.
LISTED = ("HumanRightsDefender", "Person", "Event", "Court", "StateAuthority", "Organisation",
          "Legislation", "LegalProvision", "Sanction", "Statement", "Country", "City")


#: Values of one property listed on an entity page; the rest are counted
#: (all of them are in the page's JSON and RDF twins).
VALUES_SHOWN = 50


@bp.get("/id/<path:rest>")
def entity(rest: str) -> Response | str:
    """The page of a minted IRI: HTML, JSON, or RDF by suffix or Accept."""
    fmt = None
    for suffix, name in [*RDF_SUFFIXES.items(), (".json", "json"), (".html", "html")]:
        if rest.endswith(suffix):
            rest, fmt = rest[: -len(suffix)], name
            break
    fmt = fmt or _format(RDF_SUFFIXES)
    iri = current_app.config["BASE"] + rest
    offset = _int_arg("offset", 0)
    with read_view() as store:
        if not lib.exists(store, iri):
            abort(404, f"nothing is known about <{iri}>")
        if fmt in RDF_MEDIA:
            body = lib.entity_rdf(store, iri, fmt)
            return Response(body, mimetype=RDF_MEDIA[fmt], headers={"Vary": "Accept"})
        page = lib.describe(store, iri, incoming_offset=offset, incoming_limit=PAGE,
                            timeline_offset=_int_arg("events", 0), evidence_offset=_int_arg("quotes", 0),
                            section_limit=PAGE, values_limit=None if fmt == "json" else VALUES_SHOWN)
        text = lib.statement_text(store, iri)
    assert page is not None
    if fmt == "json":
        data = page.to_dict()  # only here: on a large page it costs as much as the queries
        if text is not None:
            data["statement"] = text.to_dict()
        return jsonify(data)
    downloads = {name: url_for("browse.entity", rest=rest + suffix) for suffix, name in RDF_SUFFIXES.items()}
    downloads["json"] = url_for("browse.entity", rest=rest + ".json")
    return render_template("entity.html", page=page, statement=text, downloads=downloads, page_size=PAGE,
                           graph_url=url_for("browse.neighbours", rest=rest))


@bp.get("/neighbours/<path:rest>")
def neighbours(rest: str) -> Response:
    """Nodes and links around an entity (JSON for the drawing on its page)."""
    hops = min(_int_arg("hops", 1), 2) or 1
    iri = current_app.config["BASE"] + rest.removesuffix(".json")
    with read_view() as store:
        if not lib.exists(store, iri):
            abort(404, f"nothing is known about <{iri}>")
        data = lib.neighbourhood(store, iri, hops=hops)
    for node in data["nodes"]:
        node["href"] = href(node["id"])
    return jsonify(data)


@bp.get("/class/<name>")
def listing(name: str) -> Response | str:
    """Members of a class with facets, sortable and paginated."""
    fmt = "json" if name.endswith(".json") else _format()
    name = name.removesuffix(".json")
    filters = {k: request.args.get(k, "") for k in ("country", "year", "type", "publisher")}
    sort = request.args.get("sort", "label")
    descending = request.args.get("order", "asc") == "desc"
    offset = _int_arg("offset", 0)
    with read_view() as store:
        result = catalog.list_class(store, name, filters=filters, sort=sort, descending=descending,
                                offset=offset, limit=PAGE)
    data = result.to_dict()
    return _page("class.html", data, fmt, name=name, listing=result, descending=descending, args=request.args)


@bp.get("/search")
@bp.get("/search.json", endpoint="search_json")
def search() -> Response | str:
    """Labels containing the text, ignoring case and accents."""
    fmt = "json" if request.path.endswith(".json") else _format()
    text = request.args.get("q", "").strip()
    with read_view() as store:
        hits = catalog.search(store, text) if text else []
    data = {"query": text, "hits": [h.__dict__ for h in hits]}
    return _page("search.html", data, fmt)


@bp.get("/queries")
@bp.get("/queries.json", endpoint="queries_json")
def queries() -> Response | str:
    """The gallery of saved research questions."""
    fmt = "json" if request.path.endswith(".json") else _format()
    data = {"queries": [{"name": q.name, "title": q.title, "description": q.description, "query": q.text,
                         "editor": url_for("sparql.editor", saved=q.name),
                         "results": url_for("sparql.endpoint", query=q.text)}
                        for q in saved_queries()]}
    return _page("queries.html", data, fmt)


@bp.get("/queries/<name>.rq")
def saved_query_text(name: str) -> Response:
    """The text of one saved query."""
    try:
        text = load_saved_query(name).text
    except QueryError:
        abort(404, f"no saved query named {name!r}")
    return Response(text, mimetype="application/sparql-query")


__all__ = ["bp", "compact", "href", "listing_query"]  # compact, listing_query: template globals
