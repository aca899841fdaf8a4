"""Documentation pages: the vocabulary (/ontology), the SPARQL cookbook (/cookbook), the guides (/docs/NAME).

* ``/ontology`` renders :func:`graph.vocabdoc.vocabulary` (generated from
  ``ontology/``): every term has an anchor named after it, so the term IRI
  ``https://w3id.org/hrdkg/ontology#Court`` resolves to ``/ontology#Court``
  once the w3id redirect points ``/hrdkg/ontology`` here.  ``Accept:
  text/turtle`` (or ``/ontology.ttl``) gets the ontology itself, ``.json``
  the same model as JSON; ``/ontology/Court`` redirects to ``/ontology#Court``.
* ``/docs/NAME`` renders ``docs/NAME.md`` (Markdown by markdown-it-py, the
  CommonMark reference parser for Python; raw HTML off).  ``.md`` gives the
  source, ``.json`` the title and source.  ``/cookbook`` is ``docs/sparql.md``
  with a "run it here" link under each query.
"""
from __future__ import annotations

from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, current_app, jsonify, redirect, render_template, request, url_for
from markupsafe import Markup, escape

from graph import vocabdoc
from graph.query import saved_queries
from ontology import ONTOLOGY_DIR

bp = Blueprint("docs", __name__)

#: The guides, in the order of the navigation: file stem → short title.
GUIDES = {"sparql": "SPARQL cookbook", "vocabulary": "Vocabulary reference", "curation": "Correcting the data",
          "python": "Python API", "cli": "Command line"}


def docs_dir() -> Path:
    """Where the Markdown lives: ``DOCS_DIR`` in the app config, else ``docs/`` of the checkout."""
    return Path(current_app.config.get("DOCS_DIR") or vocabdoc.DOCS_DIR)


# ---------------------------------------------------------------- Markdown
@lru_cache(maxsize=1)
def _parser() -> Any:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).enable("table")


def render_markdown(text: str, *, run_links: bool = False) -> Markup:
    """Markdown → HTML: headings get GitHub's anchors, links to ``X.md`` go to ``/docs/X``,
    and (``run_links``) each ``sparql`` block gets links that run it on this server."""
    import re

    text = re.sub(r"<!--.*?-->\n?", "", text, flags=re.S)  # generator markers
    md = _parser()
    tokens = md.parse(text)
    seen: dict[str, int] = {}
    saved = {q.text.strip(): q.name for q in saved_queries()}
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            base = vocabdoc.slug(tokens[i + 1].content.replace("`", ""))
            n = seen.get(base, 0)
            seen[base] = n + 1
            tok.attrSet("id", base if n == 0 else f"{base}-{n}")
        elif tok.type == "inline":
            for child in tok.children or ():
                href = child.attrGet("href") if child.type == "link_open" else None
                if href:
                    child.attrSet("href", _doc_link(str(href)))
    html = md.renderer.render(tokens, md.options, {})
    if run_links:
        html = _add_run_links(tokens, html, saved)
    return Markup(html)


def _doc_link(href: str) -> str:
    import re

    m = re.fullmatch(r"(?:\./)?([a-z][a-z0-9-]*)\.md(#.*)?", href)
    if m and m.group(1) in GUIDES:
        return url_for("docs.page", name=m.group(1)) + (m.group(2) or "")
    return href


def _add_run_links(tokens: list[Any], html: str, saved: dict[str, str]) -> str:
    """After each rendered ``sparql`` block, links to its results here (and the editor for saved ones)."""
    fences = [t for t in tokens if t.type == "fence" and t.info.split()[:1] == ["sparql"]]
    marker = '<pre><code class="language-sparql">'
    parts = html.split(marker)
    out = [parts[0]]
    for fence, part in zip(fences, parts[1:]):
        end = part.index("</pre>") + len("</pre>")
        query = fence.content
        if "federated" in fence.info:
            out.append(marker + part)
            continue
        links = [f'<a href="{escape(url_for("sparql.endpoint") + "?" + urlencode({"query": query, "format": fmt}))}">'
                 f'results as {fmt.upper()}</a>' for fmt in ("csv", "json")]
        name = saved.get(query.strip())
        if name:
            links.insert(0, f'<a href="{escape(url_for("sparql.editor", saved=name))}">open in the editor</a>')
        out.append(marker + part[:end] + '<p class="run">Run it here: ' + " · ".join(links) + "</p>" + part[end:])
    return "".join(out)


def _read(name: str) -> str:
    path = docs_dir() / f"{name}.md"
    if name not in GUIDES or not path.is_file():
        abort(404, f"no document named {name!r}")
    return path.read_text(encoding="utf-8")


def _title(text: str, default: str) -> str:
    first = next((line for line in text.splitlines() if line.startswith("# ")), None)
    return first[2:].replace("`", "").strip() if first else default


# ---------------------------------------------------------------- routes
@bp.get("/docs")
@bp.get("/docs.json", endpoint="index_json")
def index() -> Response | str:
    """The list of guides."""
    guides = [{"name": n, "title": t, "url": url_for("docs.page", name=n),
               "available": (docs_dir() / f"{n}.md").is_file()} for n, t in GUIDES.items()]
    guides.insert(0, {"name": "ontology", "title": "Vocabulary (browsable)", "url": url_for("docs.ontology"),
                      "available": True})
    if request.path.endswith(".json"):
        return jsonify({"docs": guides})
    return render_template("docs_index.html", guides=guides)


@bp.get("/docs/<name>")
def page(name: str) -> Response | str:
    """One guide as HTML; ``NAME.md`` is the Markdown source, ``NAME.json`` title and source."""
    for suffix in (".md", ".json"):
        if name.endswith(suffix):
            stem = name[: -len(suffix)]
            text = _read(stem)
            if suffix == ".md":
                return Response(text, mimetype="text/markdown")
            return jsonify({"name": stem, "title": _title(text, GUIDES[stem]), "markdown": text})
    if name == "sparql":
        return redirect(url_for("docs.cookbook"))
    text = _read(name)
    return render_template("docs_page.html", name=name, title=_title(text, GUIDES[name]), guides=GUIDES,
                           body=render_markdown(text))


@bp.get("/cookbook")
@bp.get("/cookbook.json", endpoint="cookbook_json")
def cookbook() -> Response | str:
    """The SPARQL cookbook (docs/sparql.md) with links that run each query here."""
    text = _read("sparql")
    if request.path.endswith(".json"):
        recipes = [{"query": m.group(2), "federated": bool(m.group(1))}
                   for m in vocabdoc.SPARQL_FENCE.finditer(text)]
        return jsonify({"title": _title(text, "SPARQL cookbook"), "recipes": recipes, "markdown": text})
    return render_template("docs_page.html", name="sparql", title=_title(text, "SPARQL cookbook"), guides=GUIDES,
                           body=render_markdown(text, run_links=True))


TURTLE = "text/turtle"


@bp.get("/ontology")
@bp.get("/ontology.json", endpoint="ontology_json")
@bp.get("/ontology.ttl", endpoint="ontology_ttl")
def ontology() -> Response | str:
    """The vocabulary reference; Turtle for RDF clients, JSON twin."""
    best = request.accept_mimetypes.best_match(["text/html", "application/json", TURTLE, "application/x-turtle"],
                                               default="text/html")
    if request.path.endswith(".ttl") or (not request.path.endswith(".json") and best in (TURTLE, "application/x-turtle")):
        return Response((ONTOLOGY_DIR / "hrdkg.ttl").read_bytes(), mimetype=TURTLE, headers={"Vary": "Accept"})
    vocab = vocabdoc.vocabulary()
    if request.path.endswith(".json") or best == "application/json":
        data = asdict(vocab)
        data["terms"] = {t.name: url_for("docs.ontology", _anchor=t.name) for t in vocab.terms()}
        response = jsonify(data)
        response.headers["Vary"] = "Accept"
        return response
    return render_template("docs_ontology.html", vocab=vocab, terms={t.name for t in vocab.terms()})


@bp.get("/ontology/<name>")
def term(name: str) -> Response:
    """``/ontology/Court`` (a slash form of the term IRI) → ``/ontology#Court``."""
    if name not in {t.name for t in vocabdoc.vocabulary().terms()}:
        abort(404, f"no term hrd:{name} in the ontology")
    return redirect(url_for("docs.ontology", _anchor=name), code=303)
