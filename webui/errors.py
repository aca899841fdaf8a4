"""One error handler, one error shape, and the headers every response carries.

Every error, whatever raised it, is answered with the same fields::

    {"error": {"status": 404, "title": "Not Found", "message": "..."}}

as JSON for machines (``/sparql``, ``.json`` URLs, ``Accept: application/json``)
and as an HTML page with the same fields for browsers.
"""
from __future__ import annotations

from flask import Response, current_app, jsonify, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError

from graph.errors import HrdkgError, QueryError, StoreError
from graph.guarded import QueryBusy, QueryTimeout, ResultTooLarge

#: Library errors → HTTP status.  Order matters: subclasses first.
STATUS = ((QueryTimeout, 503), (QueryBusy, 503), (ResultTooLarge, 422), (QueryError, 400),
          (StoreError, 503))


class ApiError(HrdkgError):
    """An error a view raises on purpose, with its HTTP status."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def error_body(status: int, title: str, message: str) -> dict:
    """The one error shape."""
    return {"error": {"status": status, "title": title, "message": message}}


def handle(exc: Exception) -> Response:
    """Turn any exception into the error shape (JSON or HTML)."""
    if isinstance(exc, HTTPException):
        status, message = exc.code or 500, exc.description or exc.name
    elif isinstance(exc, ApiError):
        status, message = exc.status, str(exc)
    elif isinstance(exc, HrdkgError):
        status = next((code for cls, code in STATUS if isinstance(exc, cls)), 400)
        message = str(exc)
    else:
        current_app.logger.exception("unexpected error")  # details go to the log, not to the client
        status, message = 500, InternalServerError.description
    title = _title(status)
    body = error_body(status, title, message)
    if wants_json():
        response = jsonify(body)
    else:
        response = Response(render_template("error.html", **body["error"]), mimetype="text/html")
    response.status_code = status
    return response


def _title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def wants_json() -> bool:
    """True when the client is a program: the SPARQL endpoint, a JSON URL, or an Accept preferring JSON."""
    if request.path.startswith(("/sparql", "/neighbours")) or request.path.endswith(".json"):
        return True
    return request.accept_mimetypes.best_match(["text/html", "application/json"]) == "application/json"


def security_headers(response: Response) -> Response:
    """No inline scripts, no framing, no MIME sniffing: set on every response."""
    response.headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    return response
