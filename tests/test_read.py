"""Reading statement files: text as the researcher sees it, offsets, refusals."""
from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import InputError
from graph.read import decode, read_document


def _source_offset(doc, t: int) -> int:
    anchor = max(a for a in doc.source_map if a[0] <= t)
    return anchor[1] + (t - anchor[0])


def test_plain_text_is_kept_verbatim(tmp_path: Path):
    f = tmp_path / "s.txt"
    f.write_text("Title line\r\n\r\nOn 3 June 2024, X was arrested.\r\n", encoding="utf-8")
    doc = read_document(f)
    assert doc.text == "Title line\n\nOn 3 June 2024, X was arrested.\n"
    assert doc.media_type == "text/plain"


def test_markdown_loses_emphasis_and_links_but_maps_back(tmp_path: Path):
    source = "# Kazakhstan: a title\n\nThe court fined **Bakhytzhan Toregozhina** under [Article 5](#) today.\n"
    f = tmp_path / "s.md"
    f.write_text(source, encoding="utf-8")
    doc = read_document(f)
    assert "fined Bakhytzhan Toregozhina under Article 5 today." in doc.text
    assert doc.title == "Kazakhstan: a title"
    t = doc.text.index("Toregozhina")
    assert source[_source_offset(doc, t):].startswith("Toregozhina")
    t = doc.text.index("Article 5")
    assert source[_source_offset(doc, t):].startswith("Article 5")


HTML = """<!doctype html><html><head><title>Georgia: lawyer fined | FIDH</title>
<style>p{color:red}</style><script>var x = "arrested";</script></head>
<body><header class="site"><nav><a href="/">Home</a> <a href="/about">About us</a></nav></header>
<div class="cookie-banner">We use cookies</div>
<main><article><header><h1>Georgia: lawyer fined</h1><p><time>January 16, 2025</time></p></header>
<p>On January 9, 2025, the <strong>Tbilisi City Court</strong> fined Ms. Nino Beridze GEL 5,000.</p>
<ol><li>Release her;</li><li>Annul the fine.</li></ol></article>
<aside><h3>Related</h3><p>Other news</p></aside></main>
<footer><p>FIDH, 17 passage de la Main d'Or, Paris</p></footer></body></html>"""


def test_html_keeps_the_article_and_drops_page_furniture(tmp_path: Path):
    f = tmp_path / "s.html"
    f.write_text(HTML, encoding="utf-8")
    doc = read_document(f)
    assert "Georgia: lawyer fined" in doc.text
    assert "the Tbilisi City Court fined Ms. Nino Beridze GEL 5,000." in doc.text
    assert "1. Release her;" in doc.text
    for gone in ("About us", "cookies", "Related", "passage de la Main", "var x", "color:red"):
        assert gone not in doc.text
    assert doc.title == "Georgia: lawyer fined | FIDH"
    assert "\n\n" in doc.text  # paragraph breaks survive
    t = doc.text.index("the Tbilisi")
    assert HTML[_source_offset(doc, t):].startswith("the ")


def _pdf(path: Path, paragraphs: list[str]) -> None:
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    for para in paragraphs:
        pdf.multi_cell(0, 6, para, new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))


def test_pdf_text_layer_with_wrapped_lines_joined(tmp_path: Path):
    f = tmp_path / "s.pdf"
    long = ("On 12 February 2024, the woman human rights defender Selvarani Kandasamy was summoned "
            "to the office of the Terrorism Investigation Division and questioned for six hours about "
            "a protest organised by the Collective.")
    _pdf(f, ["Sri Lanka: a statement", long])
    doc = read_document(f)
    assert doc.media_type == "application/pdf"
    assert long in doc.text
    assert doc.pages == (0,)


def test_image_only_pdf_is_refused(tmp_path: Path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.rect(10, 10, 50, 50, style="F")
    f = tmp_path / "scan.pdf"
    pdf.output(str(f))
    with pytest.raises(InputError, match="no text layer"):
        read_document(f)


def test_encrypted_pdf_is_refused(tmp_path: Path):
    from fpdf import FPDF

    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="user")
    pdf.add_page()
    pdf.set_font("Helvetica", size=11)
    pdf.cell(0, 10, "Secret statement about a defender.")
    f = tmp_path / "locked.pdf"
    pdf.output(str(f))
    with pytest.raises(InputError, match="encrypted"):
        read_document(f)


@pytest.mark.parametrize("content, reason", [
    (b"", "empty"),
    (b"\x00\x01binary\x00data", "binary"),
    ("Caf\u00e9 d\u00e9tenu".encode("cp1252"), "not UTF-8"),
    (b"   \n\n  ", "no readable text"),
])
def test_unreadable_text_is_refused_with_the_file_name(tmp_path: Path, content: bytes, reason: str):
    f = tmp_path / "bad.txt"
    f.write_bytes(content)
    with pytest.raises(InputError, match=reason) as err:
        read_document(f)
    assert "bad.txt" in str(err.value)


def test_utf16_with_bom_is_read(tmp_path: Path):
    f = tmp_path / "s.txt"
    f.write_bytes("\ufeffJournalist Tural Qas\u0131ml\u0131 was arrested.".encode("utf-16"))
    assert read_document(f).text == "Journalist Tural Qas\u0131ml\u0131 was arrested."


def test_too_large_and_unknown_types_are_refused(tmp_path: Path):
    f = tmp_path / "big.txt"
    f.write_text("x" * 2000, encoding="utf-8")
    with pytest.raises(InputError, match="too large"):
        read_document(f, max_bytes=1000)
    g = tmp_path / "s.docx"
    g.write_bytes(b"PK\x03\x04")
    with pytest.raises(InputError, match="unsupported file type"):
        read_document(g)


def test_decode_refuses_control_bytes_rather_than_guessing():
    with pytest.raises(InputError, match="binary"):
        decode(b"text" + b"\x01\x02\x03\x04\x05\x06\x07\x08\x0e\x0f" * 2)
