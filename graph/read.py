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

Refused with :class:`~graph.errors.InputError`, naming the file and the
reason (each case is pinned by ``tests/test_bad_input.py``):

* not a regular file (a directory, a device, a symlink loop), unreadable
  (permission denied), empty, or larger than ``max_bytes``;
* a known binary format under a text suffix (a PNG renamed ``.txt``: "a PNG
  image, not text"), or any NUL byte ("binary or corrupt");
* text that is not UTF-8: we do not guess a legacy code page (latin-1 and
  cp1252 bytes are valid in each other, so a guess silently garbles names).
  UTF-8 and UTF-16 *with* a byte-order mark are decoded; UTF-16 *without*
  one is recognised and refused with "save it as UTF-8", for the same reason:
  detection only works for Latin-script text, and a wrong guess is silent;
* more than 8 stray control characters (binary).  Up to 8 are replaced by
  spaces (form feeds by line ends), which keeps every offset, so that no
  character that XML or N-Triples cannot carry reaches the graph;
* HTML nested more than :data:`MAX_HTML_DEPTH` elements deep;
* PDFs: no ``%PDF`` header, encrypted, unreadable, too many pages or too
  much text, or over the time/memory limits of :mod:`graph.pdfsafe` (pypdf
  runs in a child process that is killed on a breach); no text layer.

HTML keeps only text: scripts, styles, iframes, SVG/MathML, forms, comments,
processing instructions and every attribute (event handlers, ``javascript:``
links) are dropped; text a page *shows* (``&lt;script&gt;`` written as
entities) is kept as the text it is.
"""
from __future__ import annotations

import itertools
import re
import stat
from pathlib import Path

from graph.errors import InputError
from graph.model import Document
from graph.pdfsafe import PdfLimits, read_pdf_text

__all__ = ["read_document", "decode", "SUFFIXES", "MAX_HTML_DEPTH", "PdfLimits"]

#: File suffixes this module reads, with their media type.
SUFFIXES = {
    ".txt": "text/plain",
    ".md": "text/markdown",
    ".markdown": "text/markdown",
    ".html": "text/html",
    ".htm": "text/html",
    ".pdf": "application/pdf",
}


def read_document(path: Path, *, max_bytes: int = 20_000_000,
                  pdf_limits: PdfLimits = PdfLimits()) -> Document:
    """Read one statement file.

    :raises InputError: the file is missing, not a regular file, unreadable,
        empty, binary, undecodable, too large, of an unknown type, or a PDF
        that is encrypted, without a text layer or over ``pdf_limits``.
    """
    path = Path(path)
    media_type = SUFFIXES.get(path.suffix.lower())
    if media_type is None:
        raise InputError(path, f"unsupported file type {path.suffix or '(none)'!r}; "
                               f"expected one of {', '.join(sorted(SUFFIXES))}")
    raw = _read_bytes(path, max_bytes=max_bytes)
    if media_type == "application/pdf":
        return _read_pdf(path, raw, pdf_limits)
    kind = _binary_kind(raw)
    if kind:
        raise InputError(path, f"{kind}, not text")
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


def _read_bytes(path: Path, *, max_bytes: int) -> bytes:
    """The file's bytes, refusing what is not a readable regular file of a
    sensible size.  At most ``max_bytes + 1`` bytes are read, so a file that
    grows while we read it cannot exhaust memory either."""
    try:
        info = path.stat()
    except OSError as exc:  # missing, dangling or looping symlink, no permission on a folder
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if stat.S_ISDIR(info.st_mode):
        raise InputError(path, "is a directory, not a statement file")
    if not stat.S_ISREG(info.st_mode):
        # opening a FIFO would block; a device may never end
        raise InputError(path, "is not a regular file (a device, pipe or socket)")
    if info.st_size > max_bytes:
        raise InputError(path, f"file too large ({info.st_size} bytes; the limit is {max_bytes})")
    if info.st_size == 0:
        raise InputError(path, "file is empty")
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot read file: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise InputError(path, f"file too large (over {max_bytes} bytes)")
    if not raw:
        raise InputError(path, "file is empty")
    return raw


# ------------------------------------------------------------------ decoding

#: Signatures of binary formats people rename by mistake, and what to call them.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file (name it .pdf)"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.odt document)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "a legacy Microsoft Office document"),
    (b"{\\rtf", "an RTF document"),
    (b"\x7fELF", "a program"),
)


def _binary_kind(raw: bytes) -> str | None:
    """What a known binary format is called, if ``raw`` starts like one."""
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    return None


_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))
#: C0 controls but tab, line feed, form feed and carriage return; DEL; and
#: the two non-characters that XML forbids.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f\ufffe\uffff]")
#: More stray control characters than this means a binary file.
MAX_STRAY_CONTROLS = 8


def decode(raw: bytes, *, path: Path | str = "<bytes>") -> str:
    """Decode a text file: UTF-8, or UTF-8/UTF-16 with a byte-order mark.

    Line ends become ``\\n``; a few stray control characters become spaces
    (offsets are kept).  Anything else (a legacy code page, UTF-16 without a
    byte-order mark, a binary file) is refused rather than guessed.

    :raises InputError: binary or undecodable content.
    """
    for bom, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"invalid {codec} text after its byte-order mark") from exc
            if "\x00" in text:
                raise InputError(path, f"binary or corrupt file (NUL character at offset {text.index(chr(0))})")
            break
    else:
        if _utf16_without_bom(raw):
            raise InputError(path, "UTF-16 text without a byte-order mark; save it as UTF-8")
        if b"\x00" in raw:
            raise InputError(path, f"binary or corrupt file (NUL byte at offset {raw.index(0)})")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            raise InputError(path, f"not UTF-8 text (invalid byte 0x{raw[exc.start]:02x} at offset "
                                   f"{exc.start}, line {line}); save it as UTF-8") from exc
    strays = sum(1 for _ in itertools.islice(_CONTROL.finditer(text), MAX_STRAY_CONTROLS + 1))
    if strays > MAX_STRAY_CONTROLS:
        raise InputError(path, "binary file (contains control characters)")
    text = text.lstrip("\ufeff")
    return scrub(text.replace("\r\n", "\n").replace("\r", "\n"))


def _utf16_without_bom(raw: bytes) -> bool:
    """True when every other byte is NUL, as in Latin-script UTF-16."""
    sample = raw[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    zeros_even, zeros_odd = even.count(0), odd.count(0)
    return (zeros_odd > 0.4 * len(odd) and zeros_even < 0.05 * len(even)) or \
           (zeros_even > 0.4 * len(even) and zeros_odd < 0.05 * len(odd))


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def scrub(text: str) -> str:
    """Replace characters RDF/XML cannot carry, one for one (offsets are kept):
    control characters by spaces, form feeds by line ends, lone surrogates
    (from a broken PDF) by U+FFFD."""
    if _CONTROL.search(text) or "\x0c" in text:
        text = _CONTROL.sub(" ", text).replace("\x0c", "\n")
    if _SURROGATE.search(text):
        text = _SURROGATE.sub("\ufffd", text)
    return text


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


# link [text](target), image ![alt](src), emphasis markers, backslash escapes.
# Label and target are bounded and the label holds no "[", so that a line of
# a million "[" costs linear time rather than quadratic.
_MD_TOKEN = re.compile(
    r"!?\[(?P<label>[^\[\]\n]{0,1000})\]\([^)\n]{0,2000}\)"   # [label](target)
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
    # greedy to the line end, trailing "#" stripped in Python: a lazy group
    # followed by "[ \t#]*$" backtracks quadratically on a long line
    m = re.search(r"^#[ \t]+(.*)$", source, re.M)
    if not m:
        return None
    heading = m.group(1).rstrip(" \t#")[:MAX_TITLE]
    title = re.sub(r"\*\*|__|\[([^\]]*)\]\([^)]*\)", lambda g: g.group(1) or "", heading).strip(" *_")
    return title or None


#: Titles longer than this are cut (a title is a label, not the text).
MAX_TITLE = 500


# ---------------------------------------------------------------------- html

#: Elements that never hold the article's text.
_DROP_TAGS = ("script", "style", "noscript", "iframe", "svg", "form", "template", "button",
              "input", "select", "textarea", "nav", "aside", "footer", "figure", "canvas",
              "object", "dialog", "menu", "head", "math", "applet", "frameset", "frame",
              "xmp", "video", "audio", "map")
#: Void elements that libxml2 does not know are void: it nests everything
#: after them inside them, so dropping one would drop the rest of the page.
_VOID_MISNESTED = ("embed", "source", "track", "wbr", "keygen")
#: class/id words of page furniture (cookie banners, share bars, breadcrumbs...)
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:cookies?|consent|share|sharing|social|newsletter|breadcrumbs?|ariane|skip"
    r"|related|sidebar|menu|lang|language|tags|subscribe|donate|banner|popup|modal|print)"
    r"(?:$|[-_\s])", re.I)
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5",
               "h6", "ul", "ol", "li", "table", "tr", "blockquote", "pre", "dl", "dt", "dd",
               "address", "hr", "body", "html", "details", "summary"}
#: HTML nested deeper is malformed or hostile; browsers stop nesting at 512 too.
MAX_HTML_DEPTH = 512


def _read_html(path: Path, source: str) -> Document:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(source, "lxml")
    depth, in_article = _tree_facts(soup)
    if depth > MAX_HTML_DEPTH:
        raise InputError(path, f"HTML nested {depth} elements deep; the limit is {MAX_HTML_DEPTH} "
                               "(malformed or hostile)")
    head_title = soup.title.get_text(" ", strip=True) if soup.title else None
    for tag in soup.find_all(_VOID_MISNESTED):
        tag.unwrap()  # keep what the parser wrongly put inside
    for tag in soup.find_all(_DROP_TAGS):
        if not _decomposed(tag):
            tag.decompose()
    _drop_page_headers(soup, in_article)
    for tag in soup.find_all(True):
        if _decomposed(tag) or tag.name in ("html", "body", "main", "article"):
            continue
        words = " ".join(tag.get("class") or []) + " " + str(tag.get("id") or "")
        if _FURNITURE.search(words):
            tag.decompose()
    root = _article_root(soup)
    h1 = root.find("h1") or soup.find("h1")
    title = head_title or (h1.get_text(" ", strip=True) if h1 else None)
    return _assemble_html(path, source, _text_pieces(root), _short(title))


def _decomposed(tag) -> bool:
    """``tag.decomposed`` in O(1).  bs4's own property looks the flag up with
    ``getattr``, which on a live Tag searches its whole subtree for a child
    element named "_decomposed": quadratic on deeply nested pages."""
    return bool(vars(tag).get("_decomposed"))


def _tree_facts(soup) -> tuple[int, set[int]]:
    """The deepest nesting of elements, and the ids of elements inside an
    article or main element; one pass, no recursion."""
    from bs4 import Tag

    depth: dict[int, int] = {id(soup): 0}
    inside: set[int] = set()
    deepest = 0
    for tag in soup.descendants:  # document order: parents come before children
        if not isinstance(tag, Tag):
            continue
        parent = tag.parent
        depth[id(tag)] = d = depth.get(id(parent), 0) + 1
        deepest = max(deepest, d)
        if id(parent) in inside or parent.name in ("article", "main"):
            inside.add(id(tag))
    return deepest, inside


def _drop_page_headers(soup, in_article: set[int]) -> None:
    """A page header goes; an article's own header (with its h1 and date) stays."""
    headers = soup.find_all("header")
    if not headers:
        return
    holds_h1: set[int] = set()
    for h1 in soup.find_all("h1"):
        for parent in h1.parents:  # stops where another h1 already marked the way up: O(n) overall
            if id(parent) in holds_h1:
                break
            holds_h1.add(id(parent))
    for tag in headers:
        if not _decomposed(tag) and id(tag) not in in_article and id(tag) not in holds_h1:
            tag.decompose()


def _text_pieces(root) -> list[tuple[str, int | None]]:
    """Text pieces of ``root`` in document order, with "\\n"/"\\n\\n" breaks
    around blocks.  Iterative (an explicit stack), so depth cannot overflow
    Python's recursion limit."""
    from bs4 import NavigableString, Tag
    from bs4.element import PreformattedString, Script, Stylesheet, TemplateString

    pieces: list[tuple[str, int | None]] = []  # (text, source hint); "\n" breaks
    # each frame: the children still to visit, the break to add after them,
    # and how many <li> children were seen so far (to number <ol> items)
    stack: list[list] = [[iter(root.contents), None, 0, root]]
    while stack:
        frame = stack[-1]
        child = next(frame[0], None)
        if child is None:
            stack.pop()
            if frame[1]:
                pieces.append((frame[1], None))
            continue
        if isinstance(child, (PreformattedString, Script, Stylesheet, TemplateString)):
            continue  # comments, CDATA, processing instructions, doctypes, script text
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
        brk = None
        if child.name in _BLOCK_TAGS:
            brk = "\n\n" if child.name not in ("li", "dt", "dd") else "\n"
            pieces.append((brk, None))
        if child.name == "li":
            frame[2] += 1
            if frame[3].name == "ol":
                pieces.append((f"{frame[2]}. ", None))
        stack.append([iter(child.contents), brk, 0, child])
    return pieces


def _short(title: str | None) -> str | None:
    """A title as a label: control characters out, at most MAX_TITLE characters."""
    if title is None:
        return None
    title = scrub(title).strip()[:MAX_TITLE]
    return title or None


def _article_root(soup):
    articles = soup.find_all("article")
    if len(articles) == 1:
        return articles[0]
    return soup.find("main") or soup.body or soup


#: How far ahead (characters) to look in the source for a piece of text.
#: Text absent from the source (entities, list numbers) must cost a window,
#: not the rest of the file, or a page of many such pieces is quadratic.
_FIND_WINDOW = 200_000
#: Unbounded searches allowed per page (text after a huge inline script).
_FULL_SEARCHES = 20


def _assemble_html(path: Path, source: str, pieces, title) -> Document:
    """Join text pieces into paragraphs, anchoring each run of text in the source."""
    out = _TextBuilder()
    cursor = 0
    pending_break = ""
    at_line_start = True
    full_searches = _FULL_SEARCHES
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
        found = -1
        if hint is not None:
            needle = text.strip()[:40]
            found = source.find(needle, cursor, cursor + _FIND_WINDOW)
            if found < 0 and full_searches > 0:
                full_searches -= 1
                found = source.find(needle, cursor)
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
    text = scrub(text)  # entities like &#1; decode to control characters
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


def _read_pdf(path: Path, raw: bytes, limits: PdfLimits) -> Document:
    start = raw.find(b"%PDF-", 0, 1024)  # readers accept junk before the header, up to 1 KB
    if start < 0:
        raise InputError(path, _not_a_pdf(raw))
    extracted = read_pdf_text(raw[start:] if start else raw, path=path, limits=limits)
    pages = [scrub(page) for page in extracted.pages]
    meta_title = extracted.title
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
    return Document(path=str(path), text=text, media_type="application/pdf", title=_short(meta_title),
                    pages=tuple(starts))


def _not_a_pdf(raw: bytes) -> str:
    """Why ``raw`` is not a PDF, saying what it seems to be instead."""
    kind = _binary_kind(raw)
    if kind:
        return f"not a PDF file: it is {kind}"
    head = raw[:512].lstrip().lower()
    if head.startswith((b"<!doctype html", b"<html", b"<head", b"<body", b"<p", b"<div", b"<meta")):
        return "not a PDF file: it is HTML (name it .html)"
    return "not a PDF file (no %PDF header)"


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
