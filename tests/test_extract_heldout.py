"""Extraction quality on the invented held-out-style statements of tests/fixtures/heldout.

Twelve statements written to differ from the dev corpus the rules were tuned
on (other publishers, layouts, countries, date and currency shapes; see
tests/fixtures/heldout/README.md), each with a hand-made answer key.  The
figures use the matching rules of the shared scorer (../shared/eval/score.py)
on the Facts directly, as tests/test_extract_corpus.py does for dev.  The
fixtures live in the repository, but the scorer does not: without it the test
is skipped.
"""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from tests.corpus_score import load_scorer, score_dir

HELDOUT = Path(__file__).resolve().parent / "fixtures" / "heldout"
#: Measured 0.860 micro F1 when the floor was set (baseline before the rule
#: changes: 0.738); the floor leaves room for harmless rule changes.
MICRO_FLOOR = 0.83

pytestmark = pytest.mark.skipif(
    load_scorer() is None,
    reason="../shared/eval/score.py is not present (it comes with the project's shared folder); "
           "the held-out fixtures are scored with its matching rules")


@pytest.fixture(scope="module")
def report() -> dict:
    return score_dir(HELDOUT, out=io.StringIO())


def test_fixtures_have_keys():
    statements = [f for f in HELDOUT.iterdir() if f.suffix in {".md", ".txt", ".html", ".pdf"}
                  and f.name != "README.md"]
    assert len(statements) >= 12
    assert all(f.with_name(f.stem + ".gold.json").exists() for f in statements)


def test_micro_f1_floor(report):
    assert report["micro"][2] >= MICRO_FLOOR, report


@pytest.mark.parametrize("category,floor", [("statement", 0.9), ("defender", 0.8), ("court", 0.9),
                                            ("provision", 0.9), ("event", 0.7), ("event_sanction", 0.6)])
def test_category_floor(report, category, floor):
    assert report[category][2] >= floor, (category, report[category])
