"""Serve the app with waitress, with request limits that agree with the app's.

waitress buffers a whole request body before the app sees it, and for a
``Transfer-Encoding: chunked`` body it does so up to its own limit (1 GB by
default), whatever the app's ``MAX_CONTENT_LENGTH``.  :func:`serve` lowers
that limit to a small multiple of the app's: a body up to it reaches the
app, which answers 413 in its JSON error shape; anything larger is cut off
by waitress itself (also 413) before it fills a disk.
"""
from __future__ import annotations

from flask import Flask

#: waitress may buffer this many times the app's body cap, so that a body a
#: little too large still gets the app's explanatory 413.
BUFFER_FACTOR = 4


def waitress_options(app: Flask, *, threads: int = 4) -> dict[str, object]:
    """The waitress settings for ``app`` (see the module docstring)."""
    cap = int(app.config["MAX_CONTENT_LENGTH"])
    return {"threads": threads, "ident": "hrdkg", "max_request_body_size": cap * BUFFER_FACTOR,
            "max_request_header_size": 256 * 1024, "channel_timeout": 120}


def serve(app: Flask, *, host: str = "127.0.0.1", port: int = 8080, threads: int = 4) -> None:
    """Serve ``app`` on ``host:port`` until interrupted."""
    import waitress

    waitress.serve(app, host=host, port=port, **waitress_options(app, threads=threads))
