"""Extraction end to end on small hand-written statements: people, coreference,
events, demands and boilerplate exclusion, evidence spans."""
from __future__ import annotations

from graph.extract import extract
from graph.model import Document

STATEMENT = """FRONT LINE DEFENDERS
Head Office: First Floor, Avoca Court, Temple Road, Blackrock, Co. Dublin, A94 R7W3, Ireland
www.frontlinedefenders.org | phone +353 1 212 3750

5 August 2025

Kazakhstan: Woman human rights defender Aigerim Sultanova fined for social media post

On 31 July 2025, the Specialized Interdistrict Administrative Court in Almaty ruled to fine woman human rights defender Aigerim Sultanova KZT 78,000, finding her guilty under Article 456-2(3) of the Code of Administrative Offenses. She will appeal.

Aigerim Sultanova is a lawyer and the leader of the organisation Adilet Kuqyq. Her husband, Nurlan Bekov, is a schoolteacher.

On 28 July 2025, Sultanova was summoned by the Almaty District Police Department. She received a new summons for the following day. Two days later, officers of the Almaty District Police Department searched her home and threatened her husband, Nurlan Bekov.

Front Line Defenders urges the authorities in Kazakhstan to:

1. Immediately annul the fine imposed on Aigerim Sultanova and release Nurlan Bekov;
2. Guarantee in all circumstances that all human rights defenders in Kazakhstan can carry out their work.

Front Line Defenders Board of Directors

Kieran Mulvey, Roja Fazaeli, Arnold Tsunga (Zimbabwe), Mary Jane N. Real (Philippines)

Company No. 593190; Registered Charity No. 20204494
"""


def _facts(text: str = STATEMENT):
    return extract(Document(path="kz-test.txt", text=text, media_type="text/plain"))


def _by_name(facts):
    return {e.name: e for e in facts.entities}


def test_statement_metadata_and_publisher_entity():
    facts = _facts()
    st = facts.statement
    assert st.id == "kz-test"
    assert st.title.startswith("Kazakhstan: Woman human rights defender")
    assert st.issued == "2025-08-05"
    assert st.country == "KZ"
    assert facts.entity(st.publisher).name == "Front Line Defenders"


def test_defenders_persons_and_no_board_members():
    names = _by_name(_facts())
    assert names["Aigerim Sultanova"].type == "HumanRightsDefender"
    assert names["Aigerim Sultanova"].country == "KZ"
    assert names["Nurlan Bekov"].type == "Person"
    for board in ("Kieran Mulvey", "Roja Fazaeli", "Arnold Tsunga", "Mary Jane N. Real"):
        assert board not in names


def test_organisations_courts_and_provisions():
    names = _by_name(_facts())
    court = names["Specialized Interdistrict Administrative Court"]
    assert (court.type, court.city, court.country) == ("Court", "Almaty", "KZ")
    assert names["Almaty District Police Department"].type == "StateAuthority"
    assert names["Adilet Kuqyq"].type == "Organisation"
    prov = next(e for e in _facts().entities if e.type == "LegalProvision")
    assert (prov.article, prov.paragraph) == ("456-2", "3")
    facts = _facts()
    assert facts.entity(prov.legislation).name == "Code of Administrative Offenses"


def test_events_with_dates_people_court_authority_and_sanction():
    facts = _facts()
    ents = {e.id: e for e in facts.entities}
    got = {(ev.type, ev.date, ents[ev.concerns[0]].name) for ev in facts.events}
    assert ("Conviction", "2025-07-31", "Aigerim Sultanova") in got
    assert ("Summons", "2025-07-28", "Aigerim Sultanova") in got   # surname resolved
    assert ("Summons", "2025-07-29", "Aigerim Sultanova") in got   # "the following day"
    assert ("Raid", "2025-07-31", "Aigerim Sultanova") in got      # "two days later", "her home"
    assert ("Threat", "2025-07-31", "Nurlan Bekov") in got
    conviction = next(ev for ev in facts.events if ev.type == "Conviction")
    assert ents[conviction.court].name == "Specialized Interdistrict Administrative Court"
    assert conviction.sanction.type == "Fine"
    assert (conviction.sanction.amount, conviction.sanction.currency) == ("78000", "KZT")
    assert [ents[p].article for p in conviction.provisions] == ["456-2"]
    summons = next(ev for ev in facts.events if ev.type == "Summons")
    assert ents[summons.authority].name == "Almaty District Police Department"
    # the appeal is announced, not lodged: no event
    assert not any(ev.type == "Appeal" for ev in facts.events)


def test_demands_are_kept_as_demands_not_events():
    facts = _facts()
    assert any("annul the fine" in d.quote for d in facts.statement.demands)
    ents = {e.id: e for e in facts.entities}
    assert not any(ev.type == "Release" for ev in facts.events)
    assert all(ents[c].name != "Nurlan Bekov" or ev.type == "Threat" for ev in facts.events for c in ev.concerns)


def test_every_entity_and_event_has_exact_evidence():
    facts = _facts()
    for item in list(facts.entities) + list(facts.events):
        assert item.evidence, item
        for span in item.evidence:
            assert facts.text[span.start:span.end] == span.quote


def test_coordinated_defenders_and_per_person_sentences():
    text = ("Cambodia: Three defenders convicted\n\n"
            "On 27 June 2024, the Phnom Penh Municipal Court convicted environmental human rights defenders "
            "Chea Dara, Phoeurn Sokha and Ly Mony of incitement under Articles 494 and 495 of the Criminal Code. "
            "The court sentenced Chea Dara to 18 months in prison and Ly Mony to a fine of 4,000,000 riels.\n")
    facts = _facts(text)
    ents = {e.id: e for e in facts.entities}
    defenders = {e.name for e in facts.entities if e.type == "HumanRightsDefender"}
    assert defenders == {"Chea Dara", "Phoeurn Sokha", "Ly Mony"}
    sanctions = {(ents[ev.concerns[0]].name, ev.sanction.type, ev.sanction.duration or ev.sanction.currency)
                 for ev in facts.events if ev.sanction}
    assert sanctions == {("Chea Dara", "Imprisonment", "P18M"), ("Ly Mony", "Fine", "KHR")}
    convicted = {ents[ev.concerns[0]].name for ev in facts.events if ev.type == "Conviction"}
    assert convicted == defenders
    assert all(len(ev.provisions) == 2 for ev in facts.events if ev.type == "Conviction")
