"""Administrator access over the same pages: HTTP Basic authentication.

A request that carries the configured administrator's credentials
(:mod:`graph.auth`) sees restricted statements too; any other request sees
the public view only.  Wrong credentials are answered 401, never silently
downgraded to the public view, so that an administrator does not mistake
the public view for everything.  ``/admin`` asks the browser for the
credentials (the browser then sends them with every later request).

Admin answers are marked ``Cache-Control: private, no-store`` and every
answer ``Vary: Authorization``, so no shared cache can hand an
administrator's page to the public.
"""
from __future__ import annotations

from flask import Blueprint, Flask, Response, current_app, g, jsonify, render_template, request, url_for
from werkzeug.exceptions import Unauthorized

from graph.auth import Credentials, credentials

bp = Blueprint("admin", __name__)
REALM = 'Basic realm="hrdkg administrator", charset="UTF-8"'


def init(app: Flask) -> None:
    """Read the credentials once (a misconfiguration fails at start-up) and hook the checks."""
    app.extensions["hrdkg_admin"] = credentials(app.config)
    app.before_request(authenticate)
    app.after_request(private_if_admin)


def authenticate() -> None:
    """Decide, before any view runs, whether this request is the administrator's."""
    g.hrdkg_admin = False
    auth = request.authorization
    admin: Credentials | None = current_app.extensions["hrdkg_admin"]
    if auth is None or admin is None:
        return  # no credentials sent, or none configured: the public view
    if auth.type != "basic" or not admin.check(auth.username or "", auth.password or ""):
        raise Unauthorized("wrong administrator name or password", www_authenticate=REALM)
    g.hrdkg_admin = True


def is_admin() -> bool:
    """True while answering an authenticated administrator."""
    return bool(g.get("hrdkg_admin"))


def private_if_admin(response: Response) -> Response:
    response.vary.add("Authorization")
    if is_admin() or response.status_code == 401:
        response.headers["Cache-Control"] = "private, no-store"
    if response.status_code == 401 and "WWW-Authenticate" not in response.headers:
        response.headers["WWW-Authenticate"] = REALM
    return response


@bp.get("/admin")
@bp.get("/admin.json", endpoint="admin_json")
def login() -> Response | str:
    """Ask for the administrator's credentials; once given, say what they unlock."""
    if current_app.extensions["hrdkg_admin"] is None:
        raise Unauthorized("no administrator is configured on this server (see `python -m graph.auth`)")
    if not is_admin():
        raise Unauthorized("sign in as the administrator to see restricted statements")
    data = {"admin": True, "user": request.authorization.username}  # type: ignore[union-attr]
    if request.path.endswith(".json") or request.accept_mimetypes.best == "application/json":
        return jsonify(data)
    return render_template("admin.html", **data, home=url_for("browse.home"))
