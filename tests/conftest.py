"""Shared fixtures: paths, an in-memory store, and a CLI runner on a temporary store."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
FACTS = FIXTURES / "facts"
DATA = ROOT / "data"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def store():
    """An empty in-memory store."""
    from graph.store import open_store

    return open_store(None)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "store"


@pytest.fixture
def hrdkg(store_path: Path):
    """Run ``hrdkg --store TMP ...`` in-process; returns the click Result."""
    from graph.cli import cli

    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(cli, ["--store", str(store_path), *map(str, args)], catch_exceptions=False)

    return invoke
