"""The library's own SPARQL, kept as ``graph/sparql/NAME.rq`` and loaded by name.

(The researchers' saved questions live in ``ontology/queries/``; these are
the queries behind exports, tables and network analysis.)  Values are
always bound through :func:`graph.query.run`'s ``bindings``, never
formatted into the text.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import QueryError
from .query import select
from .store import Store

SPARQL_DIR = Path(__file__).resolve().parent / "sparql"


@lru_cache(maxsize=None)
def load(name: str) -> str:
    """The text of ``graph/sparql/NAME.rq``.

    :raises QueryError: if there is no such file.
    """
    path = SPARQL_DIR / f"{name}.rq"
    if not re.fullmatch(r"[a-z0-9-]+", name) or not path.is_file():
        raise QueryError(f"no library query named {name!r} in {SPARQL_DIR}")
    return path.read_text(encoding="utf-8")


def rows(store: Store, name: str, **bindings: Any) -> list[dict[str, Any]]:
    """Run the named SELECT query on the merged public graph; rows as dicts of strings."""
    return select(store, load(name), bindings=bindings or None)
