"""CSV tables on the hand-made dataset (numbers worked out in tests/test_network.py's docstring)."""
from __future__ import annotations

import csv
import io

import pytest

from graph.tables import TableError, csv_text, neutralise, table

from analytics_fixture import ID, SECRET_MARKERS, analytics_store, fill, statement


@pytest.fixture(scope="module")
def store():
    return analytics_store()


def parsed(store, name):
    columns, rows = table(store, name)
    text = csv_text(rows, columns)
    return text, list(csv.DictReader(io.StringIO(text, newline="")))


@pytest.mark.parametrize("value, safe", [
    ("=1+1", "'=1+1"), ("+journalist", "'+journalist"), ("-5", "'-5"), ("@SUM(1+1)", "'@SUM(1+1)"),
    ("\tlawyer", "'\tlawyer"), ("\rx", "'\rx"), ("Article 174", "Article 174"), ("", ""), (None, ""), (3, "3"),
])
def test_neutralise(value, safe):
    assert neutralise(value) == safe


def test_events_table_one_row_per_event_and_person(store):
    # kz-one: ev1 {A,B} ev2 {A,B} ev3 {A} ev4 {C} = 6; kz-two: ev1 {B,G} ev2 {C} = 3;
    # kg-three: ev1 {D,E,H} ev2 {D} = 4  →  13 rows (the secret statement would add 3)
    text, rows = parsed(store, "events")
    assert len(rows) == 13
    assert text.endswith("\r\n") and "\r\n" in text.splitlines(keepends=True)[0]  # RFC 4180 CRLF
    conviction = next(r for r in rows if r["event"] == f"{statement('kz-two')}/event/1"
                      and r["person_name"] == "Bolat Beta")
    assert conviction["type"] == "Conviction" and conviction["date"] == "2025-04-01"
    assert conviction["court"] == f"{ID}court/kz/astana-city-court" and conviction["court_name"] == "Astana City Court"
    assert conviction["provisions"].split() == [f"{ID}provision/kz/code-of-administrative-offenses/488",
                                                f"{ID}provision/kz/criminal-code/174"]
    assert conviction["provision_names"] == ("Article 488 of the Code of Administrative Offenses | "
                                             "Article 174 of the Criminal Code")
    assert (conviction["sanction_type"], conviction["duration"], conviction["country"]) == ("Imprisonment", "P1Y", "KZ")
    assert conviction["statement"] == statement("kz-two")
    # a title that starts with "=" is neutralised
    assert conviction["statement_title"] == "'=HYPERLINK(\"http://evil.example\")"
    fine = next(r for r in rows if r["event"] == f"{statement('kg-three')}/event/1" and r["person_name"] == "Emil Epsilon")
    assert (fine["amount"], fine["currency"], fine["country"]) == ("50000", "KGS", "KG")
    assert fine["statement_title"] == "'-Kyrgyzstan: three defenders fined"
    arrest = next(r for r in rows if r["type"] == "Arrest")
    assert arrest["authority_name"] == "Almaty Police" and arrest["country"] == "KZ"  # statement's country


def test_defenders_table(store):
    _, rows = parsed(store, "defenders")
    by_name = {r["name"]: r for r in rows}
    # six defenders; Galym Eta is a person, not a defender
    assert sorted(by_name) == ["Asel Alpha", "Bolat Beta", "Chingiz Gamma", "Dinara Delta", "Emil Epsilon", "Hamid Theta"]
    assert by_name["Asel Alpha"]["events"] == "3" and by_name["Asel Alpha"]["statements"] == "2"
    assert by_name["Asel Alpha"]["organisation_names"] == "Watch One"
    assert by_name["Bolat Beta"]["first_event"] == "2024-01-10" and by_name["Bolat Beta"]["last_event"] == "2025-04-01"
    assert by_name["Dinara Delta"]["role"] == "'@SUM(1+1)"
    assert by_name["Emil Epsilon"]["role"] == "'+journalist"
    assert by_name["Hamid Theta"]["role"] == "'\tlawyer"


def test_courts_table(store):
    _, rows = parsed(store, "courts")
    got = {r["name"]: (r["events"], r["convictions"], r["acquittals"], r["persons"], r["prison_time"],
                       r["prison_years"]) for r in rows}
    # C1: ev3 (A) + ev4 (C) → 2 convictions, P5Y + P2Y6M;  C2: conviction (B,G) + hearing (C) → 3 persons,
    # P1Y × 2;  C3: one conviction of D,E,H with a fine
    assert got == {"Almaty District Court": ("2", "2", "0", "2", "P7Y6M", "7.5"),
                   "Astana City Court": ("2", "2", "0", "3", "P2Y", "2.0"),
                   "Bishkek District Court": ("1", "3", "0", "3", "P0D", "0.0")}
    assert {r["city"] for r in rows} == {"Almaty", "Astana", "Bishkek"}


def test_provisions_table(store):
    _, rows = parsed(store, "provisions")
    got = [(r["article"], r["country"], r["events"], r["convictions"], r["persons"], r["statements"]) for r in rows]
    # 174: ev2, ev3, kz-two ev1 (A,B,G; 2 convictions; kz-one + kz-two); 274: ev4 + hearing (C);
    # 330: the KG conviction of D,E,H; 488: kz-two ev1 (B,G).  Most invoked first, then by IRI.
    assert got == [("174", "KZ", "3", "2", "3", "2"), ("274", "KZ", "2", "1", "1", "2"),
                   ("330", "KG", "1", "1", "3", "1"), ("488", "KZ", "1", "1", "2", "1")]
    assert all(r["provision"].startswith(ID) and r["legislation"].startswith(ID) for r in rows)


def test_restricted_statement_never_appears_in_tables(store):
    for name in ("events", "defenders", "courts", "provisions"):
        text, _ = parsed(store, name)
        for marker in SECRET_MARKERS:
            assert marker not in text, (name, marker)


def test_tables_agree_with_a_store_without_the_restricted_statement():
    public_only = fill(analytics_store(names=()), ("kz-one", "kz-two", "kg-three"))
    everything = analytics_store()
    for name in ("events", "defenders", "courts", "provisions"):
        assert table(everything, name) == table(public_only, name)


def test_unknown_table():
    with pytest.raises(TableError, match="unknown table"):
        table(analytics_store(names=()), "judges")


def test_cli_tables(hrdkg, store_path, tmp_path):
    from graph.store import open_store

    store = open_store(store_path)
    fill(store)
    store.close()
    out = tmp_path / "events.csv"
    result = hrdkg("tables", "events", "-o", out)
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"event,date,type,") and raw.count(b"\r\n") == 14  # header + 13 rows
    with open(out, newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) == 13
    shown = hrdkg("tables", "courts", "--format", "table")
    assert shown.exit_code == 0 and "Almaty District Court" in shown.output and "(3 rows)" in shown.output
    assert hrdkg("tables", "judges").exit_code == 2
