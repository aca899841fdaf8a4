"""hrdkg: a knowledge graph of human rights defenders, the courts that try them
and the laws used against them.

The public Python API, shared by the command line and the web app:

>>> import graph
>>> store = graph.open_store(None)                # in-memory; a path opens one on disk
>>> report = graph.ingest_paths(store, ["data/kz-toregozhina-2025-08-05.facts.json"])
>>> [o.status for o in report.outcomes]
['stored']
>>> graph.select(store, "SELECT ?name WHERE { ?p a hrd:HumanRightsDefender ; rdfs:label ?name }")
[{'name': 'Bakhytzhan Toregozhina'}]
>>> import io
>>> out = io.BytesIO()
>>> _ = graph.export_dataset(store, out, fmt="turtle")
>>> b"Bakhytzhan Toregozhina" in out.getvalue()
True
"""
from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Names of the public API and the module that defines each.  They are
# imported on first use, so `hrdkg --help` does not pay for pyshacl/spaCy.
_API = {
    "HrdkgError": "errors", "InputError": "errors", "FactsError": "errors", "QueryError": "errors",
    "StoreError": "errors", "ValidationFailed": "errors",
    "Store": "store", "SharedStore": "store", "open_store": "store",
    "ingest_paths": "ingest", "ingest_facts": "ingest", "load_facts": "facts",
    "run": "query", "select": "query", "export_dataset": "export",
}
__all__ = [*_API, "__version__"]


def __getattr__(name: str) -> Any:
    if name == "export_dataset":
        # not called `export`: that name belongs to the submodule graph.export,
        # which Python binds on the package as soon as anything imports it
        return importlib.import_module(".export", __name__).export
    if name in _API:
        return getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    raise AttributeError(f"module 'graph' has no attribute {name!r}")
