"""The command line end to end on a temporary store."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph

from conftest import DATA, FACTS, ROOT

DEFENDERS = ("PREFIX hrd: <https://w3id.org/hrdkg/ontology#> "
             "SELECT ?l WHERE { ?p a hrd:HumanRightsDefender ; rdfs:label ?l } ORDER BY ?l")


def test_ingest_query_validate_export(hrdkg, tmp_path: Path):
    facts = sorted(DATA.glob("*.facts.json"))
    result = hrdkg("ingest", *facts)
    assert result.exit_code == 0, result.output
    out = hrdkg("query", DEFENDERS, "--format", "csv")
    assert out.exit_code == 0
    names = out.output.splitlines()[1:]
    assert "Dana Aitova" in names and "Aigerim Bekova" in names
    assert hrdkg("validate").exit_code == 0
    ttl = tmp_path / "out.ttl"
    assert hrdkg("export", "--format", "turtle", "-o", ttl).exit_code == 0
    stats = json.loads(hrdkg("stats", "--format", "json").output)
    assert len(Graph().parse(ttl, format="turtle")) == stats["triples"]
    nq = hrdkg("export", "--format", "nquads")
    graphs = {q.graph_name for q in ox.parse(nq.stdout_bytes, format=ox.RdfFormat.N_QUADS)}
    assert len(graphs) == len(facts)  # one named graph per statement, no default graph


def test_rejection_sets_exit_code_and_names_the_file(hrdkg):
    result = hrdkg("ingest", FACTS / "fine-without-currency.facts.json", FACTS / "minimal.facts.json")
    assert result.exit_code == 1
    assert "fine-without-currency.facts.json" in result.output
    assert "1 statement(s) stored, 1 rejected" in result.output


def test_query_errors_exit_2(hrdkg):
    result = hrdkg("query", "SELECT WHERE {")
    assert result.exit_code == 2
    assert "syntax error" in result.output.lower()


def test_reingest_leaves_the_same_triples(hrdkg):
    hrdkg("ingest", FACTS / "minimal.facts.json")
    first = hrdkg("export", "--format", "nquads").output
    hrdkg("ingest", FACTS / "minimal.facts.json")
    assert sorted(hrdkg("export", "--format", "nquads").output.splitlines()) == sorted(first.splitlines())


def test_help_explains_every_command(hrdkg):
    out = hrdkg("--help").output
    for command in ("ingest", "extract", "query", "validate", "export", "stats", "serve", "withdraw", "dump", "restore"):
        assert command in out
        assert "Usage" in hrdkg(command, "--help").output


def test_console_script_on_a_real_store(tmp_path: Path):
    """The installed `hrdkg` entry point, as a user runs it, in a fresh process."""
    env = dict(os.environ, HRDKG_STORE=str(tmp_path / "store"))
    exe = [sys.executable, "-m", "graph"]
    ingest = subprocess.run([*exe, "ingest", str(FACTS / "minimal.facts.json")], env=env,
                            capture_output=True, text=True, cwd=ROOT)
    assert ingest.returncode == 0, ingest.stderr
    query = subprocess.run([*exe, "query", DEFENDERS], env=env, capture_output=True, text=True, cwd=ROOT)
    assert "Aliya Test" in query.stdout


def test_extract_the_sample_statement(hrdkg):
    """Issue 3's check: the facts a researcher reviews for the real sample statement."""
    result = hrdkg("extract", DATA / "kz-toregozhina-2025-08-05.md")
    assert result.exit_code == 0, result.output
    facts = json.loads(result.output)
    text = facts["text"]
    entities = {e["id"]: e for e in facts["entities"]}
    by_name = {e["name"]: e for e in facts["entities"]}
    for item in (*facts["entities"], *facts["events"]):  # every fact has a quote from the text
        assert item["evidence"], item
        for span in item["evidence"]:
            assert text[span["start"]:span["end"]] == span["quote"]
    assert by_name["Bakhytzhan Toregozhina"]["type"] == "HumanRightsDefender"
    for org in ("Ar-Rukh-Hak", "Tirek Alliance"):
        assert by_name[org]["type"] == "Organisation"
    conviction = next(e for e in facts["events"] if e["type"] == "Conviction")
    assert conviction["sanction"] == {"type": "Fine", "amount": "78000", "currency": "KZT"}
    assert entities[conviction["court"]]["name"] == "Specialized Interdistrict Administrative Court"
    assert [entities[p]["article"] for p in conviction["provisions"]] == ["456-2"]
    summonses = sorted(e["date"] for e in facts["events"] if e["type"] == "Summons")
    assert summonses == ["2025-07-28", "2025-07-29"]
    names = " ".join(e["name"] for e in facts["entities"])
    for not_a_fact in ("Kieran Mulvey", "Mary Lawlor", "Avoca", "Blackrock", "Square Marie-Louise"):
        assert not_a_fact not in names
