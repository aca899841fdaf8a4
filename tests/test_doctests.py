"""The examples in the library's docstrings run (they are the Python API's first documentation)."""
from __future__ import annotations

import doctest
import importlib

import pytest

from conftest import ROOT

MODULES = ["graph", "graph.build", "graph.store", "graph.query", "graph.validate"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(ROOT)  # examples name files relative to the project root
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    if name == "graph":
        assert result.attempted >= 5
