"""Facts files: schema, references, JSON round trip."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from graph.errors import FactsError
from graph.facts import facts_from_data, load_facts
from graph.model import Facts

from conftest import DATA, FACTS


def test_round_trip_through_json():
    facts = load_facts(FACTS / "minimal.facts.json")
    again = Facts.from_dict(json.loads(facts.to_json()))
    assert again == facts


@pytest.mark.parametrize("path", sorted(DATA.glob("*.facts.json")), ids=lambda p: p.name)
def test_shipped_facts_files_load(path: Path):
    facts = load_facts(path)
    assert facts.statement.id == path.name.removesuffix(".facts.json")


def test_malformed_json_names_file_and_place(tmp_path: Path):
    bad = tmp_path / "bad.facts.json"
    bad.write_text('{"hrdkg_facts": 1, "statement": {', encoding="utf-8")
    with pytest.raises(FactsError, match=r"bad\.facts\.json: is not valid JSON"):
        load_facts(bad)


def test_schema_violation_names_the_field(tmp_path: Path):
    data = json.loads((FACTS / "minimal.facts.json").read_text())
    data["events"][0]["type"] = "Jailing"
    with pytest.raises(FactsError, match=r"events/0/type"):
        facts_from_data(data, path="x.facts.json")


def test_dangling_reference_is_refused():
    data = json.loads((FACTS / "minimal.facts.json").read_text())
    data["events"][0]["concerns"] = ["nobody"]
    with pytest.raises(FactsError, match="refers to 'nobody', which is not defined"):
        facts_from_data(data)


def test_reference_to_wrong_kind_is_refused():
    data = json.loads((FACTS / "minimal.facts.json").read_text())
    data["events"][0]["court"] = "d1"
    with pytest.raises(FactsError, match="not a Court"):
        facts_from_data(data)


def test_evidence_must_match_the_text():
    data = json.loads((FACTS / "minimal.facts.json").read_text())
    data["events"][0]["evidence"][0]["start"] = 12
    with pytest.raises(FactsError, match="does not match the text"):
        facts_from_data(data)
