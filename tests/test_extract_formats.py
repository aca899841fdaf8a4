"""The same statement as .txt, .md, .html and .pdf gives the same facts.

The HTML and PDF versions are made here (the PDF with fpdf2, in a core font,
so the statement is kept to ASCII); facts are compared on what the scorer
reads: entity types and names, provisions, and events with their dates,
people, courts, authorities, provisions and sanctions.
"""
from __future__ import annotations

import html
from pathlib import Path

import pytest

from graph.extract import extract_path

TITLE = "Belarus: Human rights defender Aliaksandr Karpau re-arrested on criminal charges"
PARAGRAPHS = [
    "On 29 May 2024, the day he was due to be released after serving 15 days of administrative detention, "
    "human rights defender Aliaksandr Karpau was detained again in Brest and informed that a criminal case had "
    "been opened against him under Part 1 of Article 342 of the Criminal Code. His colleague, woman human "
    "rights defender Hanna Semian, has been questioned and has been barred from leaving the country.",
    "On the morning of 14 May 2024, officers of the Main Directorate for Combating Organised Crime and "
    "Corruption of the Ministry of Internal Affairs (GUBOPiK) searched the apartment of Aliaksandr Karpau "
    "in Brest and detained the human rights defender. His wife, Volha Karpau, was also taken to the police "
    "station and released that evening without charge.",
    "The next day, 15 May 2024, the Leninski District Court of Brest found the human rights defender guilty "
    "under Article 19.11 of the Code of Administrative Offences and sentenced him to 15 days of "
    "administrative detention.",
    "On 20 May 2024, Hanna Semian was summoned to the Brest Regional Department of the Investigative "
    "Committee, where she was interrogated for five hours. Two days later, investigators searched her home. "
    "On 25 May 2024, border guards of the State Border Committee informed her that she was barred from "
    "leaving Belarus.",
    "Front Line Defenders condemns the arbitrary detention and criminal prosecution of Aliaksandr Karpau.",
]
DEMANDS = ["Immediately and unconditionally release Aliaksandr Karpau and drop all charges against him;",
           "Lift the travel ban imposed on Hanna Semian."]
LETTERHEAD = ["FRONT LINE DEFENDERS",
              "Head Office: First Floor, Avoca Court, Temple Road, Blackrock, Co. Dublin, A94 R7W3, Ireland"]


def _write_txt(path: Path) -> None:
    lines = LETTERHEAD + ["", "3 June 2024", "", TITLE, ""]
    for p in PARAGRAPHS:
        lines += [p, ""]
    lines += ["Front Line Defenders urges the authorities in Belarus to:", ""]
    lines += [f"{i}. {d}" for i, d in enumerate(DEMANDS, 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _write_md(path: Path) -> None:
    body = "\n\n".join(p.replace("Aliaksandr Karpau was", "**Aliaksandr Karpau** was") for p in PARAGRAPHS)
    demands = "\n".join(f"{i}. {d}" for i, d in enumerate(DEMANDS, 1))
    path.write_text(f"# {TITLE}\n\n*3 June 2024*\n\n{body}\n\nFront Line Defenders urges the authorities "
                    f"in Belarus to:\n\n{demands}\n", encoding="utf-8")


def _write_html(path: Path) -> None:
    paras = "\n".join(f"<p>{html.escape(p)}</p>" for p in PARAGRAPHS)
    items = "".join(f"<li>{html.escape(d)}</li>" for d in DEMANDS)
    path.write_text(f"""<!doctype html><html><head><meta charset="utf-8">
<title>{html.escape(TITLE)} | Front Line Defenders</title><script>track("arrested")</script></head>
<body><header><a class="logo" href="/">Front Line Defenders</a><nav><a href="/about">About</a></nav></header>
<main><article><header><h1>{html.escape(TITLE)}</h1><p class="date"><time datetime="2024-06-03">3 June 2024</time></p></header>
{paras}
<p>Front Line Defenders urges the authorities in Belarus to:</p><ol>{items}</ol>
</article><aside><h3>Related</h3><p>Kazakhstan: defender fined</p></aside></main>
<footer><p>Front Line Defenders, First Floor, Avoca Court, Blackrock, Co. Dublin</p></footer></body></html>""",
                    encoding="utf-8")


def _write_pdf(path: Path) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_title(TITLE)
    pdf.set_author("Front Line Defenders")
    pdf.add_page()
    pdf.set_font("Helvetica", size=10)
    for line in LETTERHEAD + ["3 June 2024"]:
        pdf.multi_cell(0, 5, line, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", style="B", size=14)
    pdf.multi_cell(0, 7, TITLE, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    for p in PARAGRAPHS + ["Front Line Defenders urges the authorities in Belarus to:"]:
        pdf.multi_cell(0, 5, p, new_x="LMARGIN", new_y="NEXT")
    for i, d in enumerate(DEMANDS, 1):
        pdf.multi_cell(0, 5, f"{i}. {d}", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def _summary(facts) -> dict:
    ents = {e.id: e for e in facts.entities}
    return {
        "statement": (facts.statement.title, facts.statement.issued, facts.statement.country,
                      ents[facts.statement.publisher].name),
        "entities": sorted((e.type, e.name, e.city or "", e.article or "", e.paragraph or "")
                           for e in facts.entities),
        "events": sorted((ev.type, ev.date, tuple(ents[c].name for c in ev.concerns),
                          ents[ev.court].name if ev.court else "", ents[ev.authority].name if ev.authority else "",
                          tuple(sorted(ents[p].article for p in ev.provisions)),
                          repr(ev.sanction)) for ev in facts.events),
    }


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    folder = tmp_path_factory.mktemp("formats")
    txt = folder / "by-karpau.txt"
    _write_txt(txt)
    return folder, _summary(extract_path(txt))


def test_the_text_version_finds_the_case(reference):
    _, ref = reference
    assert ref["statement"] == (TITLE, "2024-06-03", "BY", "Front Line Defenders")
    events = {(t, d, who) for t, d, who, *_ in ref["events"]}
    assert ("Conviction", "2024-05-15", ("Aliaksandr Karpau",)) in events
    assert ("Raid", "2024-05-22", ("Hanna Semian",)) in events
    assert ("TravelBan", "2024-05-25", ("Hanna Semian",)) in events
    assert not any(name.startswith("Avoca") for _, name, *_ in ref["entities"])


@pytest.mark.parametrize("suffix, writer", [(".md", _write_md), (".html", _write_html), (".pdf", _write_pdf)])
def test_other_formats_give_the_same_facts(reference, suffix, writer):
    folder, ref = reference
    path = folder / f"by-karpau{suffix}"
    writer(path)
    got = _summary(extract_path(path))
    assert got["statement"] == ref["statement"]
    assert got["entities"] == ref["entities"]
    assert got["events"] == ref["events"]
