"""Read a statement file (.txt, .md, .html/.htm, .pdf) into a :class:`~graph.model.Document`.

``Document.text`` is the text as the researcher sees it, and the offsets that
evidence spans point into.  Markdown keeps its words but loses emphasis and
link syntax; HTML keeps the article's text with paragraph breaks and drops
navigation, page headers and footers, scripts and forms; PDF keeps the text
layer of each page without the running headers and footers, with wrapped
lines joined back into paragraphs.

``source_map`` anchors are ``(text_offset, source_offset)`` pairs where
*source offsets count characters of the decoded file* (not bytes), so that
``source[s + (t - a)]`` is the character shown at ``text[t]`` for the last
anchor ``(a, s)`` with ``a <= t``.  PDF documents have no source map; their
``pages`` give the text offset at which each page starts.

Refused with :class:`~graph.errors.InputError` (naming the file and the
reason): empty files, binary files (NUL or many control bytes), text that is
neither UTF-8 nor UTF-16/UTF-8 with a BOM, files larger than ``max_bytes``,
encrypted PDFs and PDFs without a text layer.
"""
from __future__ import annotations

import io
import re
from pathlib import Path

from graph.errors import InputError
from graph.model import Document

__all__ = ["read_document", "SUFFIXES"]

#: File suffixes this module reads, with their media type.
SUFFIXES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}


def read_document(path: Path, *, max_bytes: int = 20_000_000) -> Document:
    """Read one statement file.

    :raises InputError: the file is missing, empty, binary, undecodable, too
        large, of an unknown type, encrypted or without a text layer.
    """
    path = Path(path)
    media_type = SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                               f"expected one of {', '.join(sorted(SUFFIXES))}")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise InputError(path, f"file too large ({size} bytes; the limit is {max_bytes})")
    if size == 0:
        raise InputError(path, "file is empty")
    raw = path.read_bytes()
    if media_type == "application/pdf":
        return _read_pdf(path, raw)
    source = decode(raw, path=path)
    if media_type == "text/html":
        doc = _read_html(path, source)
    elif media_type == "text/markdown":
        doc = _read_markdown(path, source)
    else:
        doc = Document(path=str(path), text=source, media_type=media_type,
                       source_map=((0, 0),))
    if not doc.text.strip():
        raise InputError(path, "no readable text in the file")
    return doc


# ------------------------------------------------------------------ decoding

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode(raw: bytes, *, path: Path | str = "<bytes>") -> str:
    """Decode a text file: UTF-8, or UTF-8/UTF-16 with a byte-order mark.

    Line ends become ``\\n``.  Anything else (a legacy code page, a binary
    file) is refused rather than guessed.

    :raises InputError: binary or undecodable content.
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"invalid {codec} text after its byte-order mark") from exc
            break
    else:
        if b"\x00" in raw:
            raise InputError(path, "binary file (contains NUL bytes)")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, f"not UTF-8 text (invalid byte at offset {exc.start}); "
                                   "save it as UTF-8") from exc
    if len(_CONTROL.findall(text[:100_000])) > 8:
        raise InputError(path, "binary file (contains control characters)")
    text = text.lstrip("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")


# ------------------------------------------------------------------ markdown

class _TextBuilder:
    """Accumulates output text while recording where each piece came from."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.anchors: list[tuple[int, int]] = []

    def copy(self, text: str, source_offset: int) -> None:
        """Append ``text`` that is found verbatim at ``source_offset``."""
        if not text:
            return
        if not self.anchors or self._mapped(self.length) != source_offset:
            self.anchors.append((self.length, source_offset))
        self.parts.append(text)
        self.length += len(text)

    def _mapped(self, offset: int) -> int:
        a, s = self.anchors[-1]
        return s + (offset - a)

    def result(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        return "".join(self.parts), tuple(self.anchors)


# link [text](target), image ![alt](src), emphasis markers, backslash escapes
_MD_TOKEN = re.compile(
    r"!?\[(?P<label>[^\]\n]*)\]\([^)\n]*\)"   # [label](target)
    r"|(?P<emph>\*\*|__|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*]))"  # ** __ *x*
    r"|\\(?P<escaped>[\\`*_{}\[\]()#+\-.!>])"   # \* and friends
    r"|^(?P<heading>#{1,6}[ \t]+)",            # heading markers
    re.M,
)


def _read_markdown(path: Path, source: str) -> Document:
    out = _TextBuilder()
    pos = 0
    for m in _MD_TOKEN.finditer(source):
        out.copy(source[pos:m.start()], pos)
        if m.group("label") is not None:
            out.copy(m.group("label"), m.start("label"))
        elif m.group("escaped") is not None:
            out.copy(m.group("escaped"), m.start("escaped"))
        pos = m.end()
    out.copy(source[pos:], pos)
    text, anchors = out.result()
    return Document(path=str(path), text=text, media_type="text/markdown",
                    title=_markdown_title(source), source_map=anchors)


def _markdown_title(source: str) -> str | None:
    """The first level-one heading ("# Title"), without its emphasis markers."""
    m = re.search(r"^#[ \t]+(.+?)[ \t#]*$", source, re.M)
    if not m:
        return None
    title = re.sub(r"\*\*|__|\[([^\]]*)\]\([^)]*\)", lambda g: g.group(1) or "", m.group(1)).strip(" *_")
    return title or None


# ---------------------------------------------------------------------- html

#: Elements that never hold the article's text.
_DROP_TAGS = ("script", "style", "noscript", "iframe", "svg", "form", "template", "button",
              "input", "select", "textarea", "nav", "aside", "footer", "figure", "canvas",
              "object", "embed", "dialog", "menu")
#: class/id words of page furniture (cookie banners, share bars, breadcrumbs...)
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:cookies?|consent|share|sharing|social|newsletter|breadcrumbs?|ariane|skip"
    r"|related|sidebar|menu|lang|language|tags|subscribe|donate|banner|popup|modal|print)"
    r"(?:$|[-_\s])", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5",
               "h6", "ul", "ol", "li", "table", "tr", "blockquote", "pre", "dl", "dt", "dd",
               "address", "hr", "body", "html"}


def _read_html(path: Path, source: str) -> Document:
    from bs4 import BeautifulSoup, Comment, NavigableString, Tag

    soup = BeautifulSoup(source, "lxml")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all("header"):
        # a page header goes; an article's own header (with its h1 and date) stays
        if tag.find_parent(("article", "main")) is None and tag.find("h1") is None:
            tag.decompose()
    for tag in soup.find_all(True):
        if tag.decomposed or tag.name in ("html", "body", "main", "article"):
            continue
        words = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        if _FURNITURE.search(words):
            tag.decompose()
    root = _article_root(soup)
    h1 = root.find("h1") or soup.find("h1")
    title = head_title or (h1.get_text(" ", strip=True) if h1 else None)

    pieces: list[tuple[str, int | None]] = []  # (text, source hint) ; "\n" breaks

    def walk(node: Tag) -> None:
        for child in node.children:
            if isinstance(child, Comment):
                continue
            if isinstance(child, NavigableString):
                text = re.sub(r"\s+", " ", str(child))
                if text.strip() or (text == " " and pieces and pieces[-1][0] not in ("\n", "\n\n")):
                    pieces.append((text, None if not text.strip() else 0))
                continue
            if not isinstance(child, Tag):
                continue
            if child.name == "br":
                pieces.append(("\n", None))
                continue
            block = child.name in _BLOCK_TAGS
            if block:
                pieces.append(("\n\n" if child.name not in ("li", "dt", "dd") else "\n", None))
            if child.name == "li" and child.parent is not None and child.parent.name == "ol":
                number = len(child.find_previous_siblings("li")) + 1
                pieces.append((f"{number}. ", None))
            walk(child)
            if block:
                pieces.append(("\n\n" if child.name not in ("li", "dt", "dd") else "\n", None))

    walk(root)
    return _assemble_html(path, source, pieces, title)


def _article_root(soup):
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    return soup.find("main") or soup.body or soup


def _assemble_html(path: Path, source: str, pieces, title) -> Document:
    """Join text pieces into paragraphs, anchoring each run of text in the source."""
    out = _TextBuilder()
    cursor = 0
    pending_break = ""
    at_line_start = True
    for text, hint in pieces:
        if text in ("\n", "\n\n"):
            if out.length and (len(text) > len(pending_break)):
                pending_break = text
            continue
        if pending_break:
            out.parts.append(pending_break)
            out.length += len(pending_break)
            pending_break = ""
            at_line_start = True
        if at_line_start:
            text = text.lstrip()
            if not text:
                continue
        at_line_start = False
        found = source.find(text.strip()[:40], cursor) if hint is not None else -1
        if found >= 0:
            lead = len(text) - len(text.lstrip())
            out.copy(text, max(found - lead, 0))
            cursor = found
        else:  # markup-generated text (list numbers, entities): anchor at the cursor
            out.copy(text, cursor)
    text, anchors = out.result()
    # strip trailing blanks of each line without changing earlier offsets
    lines = text.split("\n")
    if any(line != line.rstrip() for line in lines):
        text, anchors = _rstrip_lines(text, anchors)
    return Document(path=str(path), text=text.strip("\n") if not text.startswith("\n") else text,
                    media_type="text/html", title=title, source_map=anchors)


def _rstrip_lines(text: str, anchors):
    """Remove trailing spaces before line ends, shifting anchors accordingly."""
    out = []
    new_anchors = []
    removed = 0
    anchor_iter = list(anchors)
    idx = 0
    pos = 0
    for m in re.finditer(r"[ \t]+(?=\n|$)", text):
        out.append(text[pos:m.start()])
        while idx < len(anchor_iter) and anchor_iter[idx][0] <= m.start():
            a, s = anchor_iter[idx]
            new_anchors.append((a - removed, s))
            idx += 1
        # anchors inside the removed run move to its start
        while idx < len(anchor_iter) and anchor_iter[idx][0] < m.end():
            idx += 1
        removed += m.end() - m.start()
        pos = m.end()
    out.append(text[pos:])
    for a, s in anchor_iter[idx:]:
        new_anchors.append((a - removed, s))
    return "".join(out), tuple(new_anchors)


# ----------------------------------------------------------------------- pdf

_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?\d+(?:\s*(?:/|of)\s*\d+)?\s*$", re.I)


def _read_pdf(path: Path, raw: bytes) -> Document:
    import pypdf
    from pypdf.errors import PdfReadError

    if not raw.startswith(b"%PDF"):
        raise InputError(path, "not a PDF file (no %PDF header)")
    try:
        reader = pypdf.PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise InputError(path, "encrypted PDF; save an unencrypted copy first")
        pages = [page.extract_text() or "" for page in reader.pages]
        meta_title = (reader.metadata or {}).get("/Title") if reader.metadata else None
    except InputError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError) as exc:
        raise InputError(path, f"unreadable PDF: {exc}") from exc
    if sum(len(re.sub(r"\s", "", p)) for p in pages) < 20:
        raise InputError(path, "PDF has no text layer (scanned or image-only); run OCR first")
    page_lines = [[ln.rstrip() for ln in p.replace("\r", "\n").split("\n")] for p in pages]
    furniture = _running_lines(page_lines)
    text_parts: list[str] = []
    starts: list[int] = []
    length = 0
    for lines in page_lines:
        kept = [ln for ln in lines if ln.strip() and ln.strip() not in furniture
                and not _PAGE_NUMBER.match(ln)]
        starts.append(length)
        body = _reflow(kept)
        if text_parts and body:
            # a paragraph running over the page break continues on the same line
            sep = " " if text_parts[-1] and not re.search(r"[.:;!?]\s*$", text_parts[-1]) else "\n"
            text_parts.append(sep)
            length += 1
            starts[-1] = length
        text_parts.append(body)
        length += len(body)
    text = "".join(text_parts)
    title = str(meta_title).strip() if meta_title and str(meta_title).strip() else None
    return Document(path=str(path), text=text, media_type="application/pdf", title=title,
                    pages=tuple(starts))


def _running_lines(page_lines: list[list[str]]) -> set[str]:
    """Lines repeated at the top or bottom of several pages (running headers/footers)."""
    if len(page_lines) < 2:
        return set()
    counts: dict[str, int] = {}
    for lines in page_lines:
        edge = [ln.strip() for ln in lines if ln.strip()]
        for ln in set(edge[:2] + edge[-2:]):
            counts[ln] = counts.get(ln, 0) + 1
    return {ln for ln, n in counts.items() if n >= 2 and len(ln) < 200}


_SENTENCE_END = re.compile(r"[.!?:;\"”’)]\s*$")
_ITEM_START = re.compile(r"^\s*(?:\d+[.)]|[ivx]+\.|[•·\-–*])\s")


def _reflow(lines: list[str]) -> str:
    """Join lines wrapped by the PDF layout back into paragraphs.

    A line ends its paragraph when it is clearly shorter than the page's
    text width and ends like a sentence, or when the next line starts a
    list item; a short line without final punctuation is a heading.
    """
    if not lines:
        return ""
    width = sorted(len(ln) for ln in lines)[int(len(lines) * 0.9) - 1 if len(lines) > 1 else 0]
    out = [lines[0]]
    for prev, line in zip(lines, lines[1:]):
        wrapped = len(prev) >= 0.8 * width or (len(prev) >= 0.6 * width and not _SENTENCE_END.search(prev))
        heading = (len(line) < 0.6 * width and not _SENTENCE_END.search(line)
                   and line[:1].isupper() and _SENTENCE_END.search(prev) is not None)
        if wrapped and not heading and not _ITEM_START.match(line):
            out.append("" if prev.endswith("-") and line[:1].islower() else " ")
        else:
            out.append("\n")
        out.append(line.strip() if out[-1] != "\n" else line)
    return "".join(out)
