"""Fast unit tests of the extraction rules on small hand-written snippets."""
from __future__ import annotations

import pytest

from graph.extract.dates import DateResolver, find_dates
from graph.extract.law import find_law
from graph.extract.sanctions import duration, find_sanctions
from graph.extract.text import analyse, split_sentences


# ---------------------------------------------------------------- dates

def _resolve(text: str, issued: str = "2024-08-05") -> list[str | None]:
    r = DateResolver(issued)
    return [r.resolve(d) for d in find_dates(text)]


@pytest.mark.parametrize("text, expected", [
    ("On 31 July 2025, the court ruled", ["2025-07-31"]),
    ("On July 3, 2024, she was arrested", ["2024-07-03"]),
    ("On Monday 3 June 2024, the court", ["2024-06-03"]),
    ("Published 02.08.2024", ["2024-08-02"]),
    ("datetime 2024-07-25 here", ["2024-07-25"]),
    ("In March 2022, officers stopped her", ["2022-03"]),
])
def test_absolute_dates(text, expected):
    assert _resolve(text) == expected


def test_partial_dates_take_the_year_of_the_text_read_so_far():
    assert _resolve("On 14 April 2023, X. On 5 May she was summoned.") == ["2023-04-14", "2023-05-05"]


def test_partial_dates_never_fall_after_the_issue_date():
    assert _resolve("On 20 December, she was arrested.", issued="2024-03-01") == ["2023-12-20"]


def test_relative_dates_resolve_against_the_last_date():
    r = DateResolver("2024-06-10")
    got = [r.resolve(d) for d in find_dates("On 12 May 2024, raid. The following day, charge. "
                                            "Two days later, summons. A week later, hearing.")]
    assert got == ["2024-05-12", "2024-05-13", "2024-05-15", "2024-05-22"]


def test_weekday_alone_is_the_last_such_day_before_issue():
    # issued on Thursday 19 December 2024: "on Tuesday" is the 17th
    assert _resolve("An appeals court on Tuesday upheld", issued="2024-12-19") == ["2024-12-17"]


def test_year_only_gives_no_date():
    assert _resolve("She was sentenced in 2013.") == [None]


# ----------------------------------------------------------- provisions

def _provisions(text: str):
    laws, mentions = find_law(text, [(0, len(text))])
    return [(m.article, m.paragraph, laws[m.legislation].name if m.legislation else None) for m in mentions]


@pytest.mark.parametrize("text, expected", [
    ("under Article 456-2(3) of the Code of Administrative Offenses, for",
     [("456-2", "3", "Code of Administrative Offenses")]),
    ("under Articles 341 and 342 of the Criminal Code.",
     [("341", None, "Criminal Code"), ("342", None, "Criminal Code")]),
    ("under section 124A of the Penal Code.", [("124A", None, "Penal Code")]),
    ("under Article 7/2 of Anti-Terror Law No. 3713.", [("7/2", None, "Anti-Terror Law No. 3713")]),
    ("under Article 12 of Law No. 94 of 2015 on Counter-Terrorism and",
     [("12", None, "Law No. 94 of 2015 on Counter-Terrorism")]),
    ("Articles 174 and 187(2) of the Criminal Code", [("174", None, "Criminal Code"), ("187", "2", "Criminal Code")]),
    ("under Part 1 of Article 342 of the Criminal Code", [("342", "1", "Criminal Code")]),
    ("under article 278, part 3, of the Criminal Code", [("278", "3", "Criminal Code")]),
    ("under Article 244-1, part 3, paragraph (g), of the Criminal Code", [("244-1", "3(g)", "Criminal Code")]),
    ("under Article 87 bis of the Penal Code", [("87 bis", None, "Penal Code")]),
    ("under article 117 of the penal code.", [("117", None, "Penal Code")]),
])
def test_provision_shapes(text, expected):
    assert _provisions(text) == expected


def test_provision_without_law_belongs_to_the_law_cited_last():
    text = '(Article 206.3.2 of the Criminal Code) and "illegal entrepreneurship" (Article 192.3.2).'
    assert _provisions(text)[1] == ("192.3.2", None, "Criminal Code")


def test_acronym_of_a_law_refers_back_to_it():
    text = ("held under the Prevention of Terrorism (Temporary Provisions) Act, No. 48 of 1979 (PTA), "
            "and an order under section 9(1) of the PTA")
    assert _provisions(text) == [("9", "1", "Prevention of Terrorism (Temporary Provisions) Act, No. 48 of 1979")]


# ------------------------------------------------------------- sanctions

def _sanctions(text: str, country: str | None = None):
    return [(s.sanction.type, s.sanction.amount, s.sanction.currency, s.sanction.duration)
            for s in find_sanctions(text, 0, len(text), country=country) if s.kind == "sanction"]


@pytest.mark.parametrize("text, expected", [
    ("ruled to fine her approximately KZT 78,000 (140 EUR)", [("Fine", "78000", "KZT", None)]),
    ("fined her 20 million rials for", [("Fine", "20000000", "IRR", None)]),
    ("ordered to pay a fine of 5,000 somoni.", [("Fine", "5000", "TJS", None)]),
    ("a judicial fine of 5,000 Turkish lira", [("Fine", "5000", "TRY", None)]),
    ("a fine of 50 million Uzbek soums", [("Fine", "50000000", "UZS", None)]),
    ("a fine of BHD 1,000 (approximately EUR 2,450)", [("Fine", "1000", "BHD", None)]),
    ("fined him 300 dinars", [("Fine", "300", "TND", None)]),
    ("sentenced him to seven years in prison", [("Imprisonment", None, None, "P7Y")]),
    ("sentenced to two years and six months in prison", [("Imprisonment", None, None, "P2Y6M")]),
    ("sentenced him to 15 days of administrative detention", [("Imprisonment", None, None, "P15D")]),
    ("handed a six-month suspended prison sentence", [("SuspendedSentence", None, None, "P6M")]),
    ("sentenced her to six months in prison, suspended.", [("SuspendedSentence", None, None, "P6M")]),
    ("three years of probation", [("SuspendedSentence", None, None, "P3Y")]),
    ("sentenced to life imprisonment", [("Imprisonment", None, None, None)]),
])
def test_sanctions(text, expected):
    assert _sanctions(text, country="TN") == expected


def test_bail_and_penalties_faced_are_not_sanctions():
    assert _sanctions("released on bail of 5 billion rials on 6 November") == []
    assert _sanctions("If convicted, he faces up to four years in prison.") == []


@pytest.mark.parametrize("phrase, iso", [("seven years", "P7Y"), ("18 months", "P18M"),
                                          ("one year and six months", "P1Y6M"), ("15-day", "P15D"),
                                          ("two weeks", "P2W")])
def test_durations(phrase, iso):
    assert duration(phrase) == iso


# ------------------------------------------------------------------ text

STATEMENT = """FRONT LINE DEFENDERS
Head Office: First Floor, Avoca Court, Temple Road, Blackrock, Co. Dublin, A94 R7W3, Ireland
info@frontlinedefenders.org

5 August 2025

Kazakhstan: Defender fined

On 31 July 2025, the court fined human rights defender Ana Ruiz. Ms. Ruiz will appeal.

Front Line Defenders urges the authorities in Kazakhstan to:

1. Immediately annul the fine imposed on Ana Ruiz;
2. Guarantee that all human rights defenders can work.

Front Line Defenders Board of Directors

Kieran Mulvey, Roja Fazaeli, Arnold Tsunga (Zimbabwe), Jim Conway

Company No. 593190; Registered Charity No. 20204494
"""


def test_layout_separates_narrative_demands_and_boilerplate():
    title_start = STATEMENT.index("Kazakhstan:")
    layout = analyse(STATEMENT, title=(title_start, STATEMENT.index("\n", title_start)))
    kind = {STATEMENT[b.start:b.end][:26]: b.kind for b in layout.blocks}
    assert kind["On 31 July 2025, the court"] == "narrative"
    assert kind["Front Line Defenders urges"] == "demand"
    assert kind["1. Immediately annul the f"] == "demand"
    assert kind["Front Line Defenders Board"] == "boilerplate"
    assert kind["Kieran Mulvey, Roja Fazael"] == "boilerplate"
    assert kind["Company No. 593190; Regist"] == "boilerplate"
    assert kind["info@frontlinedefenders.or"] == "boilerplate"


def test_sentences_do_not_break_after_abbreviations():
    text = "Ms. Al-Mazrouei was held at Pre-trial Detention Centre No. 7 in Brest. She was released."
    spans = split_sentences(text, 0, len(text))
    assert [text[s:e] for s, e in spans] == [
        "Ms. Al-Mazrouei was held at Pre-trial Detention Centre No. 7 in Brest.", "She was released."]
