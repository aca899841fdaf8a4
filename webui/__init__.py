"""The web app: a graph browser and a SPARQL 1.1 endpoint over one hrdkg store.

``create_app(config)`` is the application factory (``hrdkg serve`` runs it
under waitress).  Settings (``config`` keys):

=================  ===========================================================
``STORE_PATH``     store directory; None (with no ``STORE``) = a new in-memory store
``STORE``          an already open :class:`graph.store.Store` or
                   :class:`graph.store.SharedStore` (tests put data in it)
``QUERY_TIMEOUT``  seconds a ``/sparql`` query may run (default 30)
``RESULT_LIMIT``   rows (or triples) a ``/sparql`` answer may hold (default 10000)
``QUERY_WORKERS``  ``/sparql`` queries evaluated at once (default 4)
``BASE``           base of the data IRIs served under ``/id/`` (default https://w3id.org/hrdkg/id/)
``ADMIN_USER``     the administrator's name (default: ``$HRDKG_ADMIN_USER``)
``ADMIN_PASSWORD_HASH``  hash of their password (default: ``$HRDKG_ADMIN_PASSWORD_HASH``;
                   make one with ``python -m graph.auth hash``); see :mod:`webui.admin`
``MAX_CONTENT_LENGTH``  bytes a request body may hold (default 1 MiB); larger: 413
=================  ===========================================================

The web app never writes.  It reads through a read-only handle
(:meth:`graph.store.SharedStore.reader`) that takes no lock and is reopened
when the store changed, so ``hrdkg ingest`` can write meanwhile and each
request sees the data as of its start.  The
views stay thin: parse the request, call one function of :mod:`graph.browse`
or :mod:`graph.guarded`, render HTML or its JSON/RDF twin.
"""
from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from typing import Any

from flask import Flask, current_app
from werkzeug.exceptions import HTTPException

from graph.browse import View
from graph.namespaces import DEFAULT_BASE
from graph.store import SharedStore, Store, store_location

DEFAULTS: dict[str, Any] = {
    "STORE_PATH": None,
    "STORE": None,
    "QUERY_TIMEOUT": 30.0,
    "RESULT_LIMIT": 10_000,
    "QUERY_WORKERS": 4,
    "BASE": DEFAULT_BASE,
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # request bodies (POSTed queries) up to 1 MiB
    "JSON_SORT_KEYS": False,
}


#: One module of webui per area, each with a blueprint ``bp``: add a line per new area.
BLUEPRINTS = [
    "browse",
    "sparql",
    "admin",
    "docs",
    "analytics",
]


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app over the store named in ``config`` (see the module docstring)."""
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    app.config.update(config or {})
    store = app.config["STORE"]
    if store is None:
        path = app.config["STORE_PATH"]
        store = SharedStore(store_location(path) if path is not None else None)
        if path is not None:
            with store.reader():
                pass  # creates a missing store now, so the query workers can open it read-only
    app.extensions["hrdkg_store"] = store

    for name in BLUEPRINTS:
        app.register_blueprint(importlib.import_module(f"{__name__}.{name}").bp)
    from . import admin, browse, errors
    admin.init(app)
    app.register_error_handler(HTTPException, errors.handle)
    app.register_error_handler(Exception, errors.handle)
    app.after_request(errors.security_headers)
    app.jinja_env.filters["href"] = browse.href
    app.jinja_env.globals["compact"] = browse.compact
    app.jinja_env.globals["listing_query"] = browse.listing_query
    app.jinja_env.globals["is_admin"] = admin.is_admin
    return app


@contextmanager
def read_store() -> Iterator[Store]:
    """The app's store, to read for the duration of a ``with`` block (one request)."""
    store = current_app.extensions["hrdkg_store"]
    with (nullcontext(store) if isinstance(store, Store) else store.reader()) as reading:
        yield reading


@contextmanager
def read_view() -> Iterator[View]:
    """What this request may read, for a ``with`` block: the public view of the
    store, or everything for the authenticated administrator."""
    from .admin import is_admin

    with read_store() as store:
        yield View.of(store, everything=is_admin())
