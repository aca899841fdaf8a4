"""Reference documentation generated from the project itself, so that it cannot drift.

* **Vocabulary** (:func:`vocabulary`, :func:`vocabulary_markdown`): every class
  and property of ``ontology/hrdkg.ttl`` with its label, definition,
  domain/range, alignments, the SHACL rules of ``ontology/shapes.ttl`` that
  apply to it (in plain words), a short Turtle example taken from the demo
  data (``data/*.facts.json``) and, for event classes, the phrases that
  make the extractor choose them (:mod:`graph.extract.triggers`).  The web
  app renders the same :class:`Vocabulary` as HTML at ``/ontology``.
* **Command line** (:func:`cli_markdown`): every command and option of
  ``hrdkg``, read from the click group.
* **Generated blocks** in hand-written docs (:func:`refresh`): between
  ``<!-- BEGIN GENERATED: KEY -->`` and ``<!-- END GENERATED: KEY -->``,
  where KEY is ``query NAME`` (a saved query and its result on the demo
  data), ``result`` (the result of the SPARQL block just above) or
  ``shacl-messages`` (every SHACL message with how to fix it).

Why our own small generator rather than pyLODE: pyLODE documents an OWL file
well, but knows nothing of the SHACL rules, the extractor's trigger phrases
or the demo data, which are what our readers (lawyers, social scientists)
need beside each term; it would also add a dependency tree to keep the
generated file byte-stable.  ``python -m graph.vocabdoc`` rewrites the
generated docs; ``--check`` exits 1 if any is out of date (tests run it).
"""
from __future__ import annotations

import re
import sys
import textwrap
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from ontology import ONTOLOGY_DIR

from .namespaces import HRD, SH
from .query import compact

ROOT = Path(__file__).resolve().parent.parent
DOCS_DIR = ROOT / "docs"
DATA_DIR = ROOT / "data"
NS = str(HRD._NS)
KINDS = {OWL.Class: "class", OWL.ObjectProperty: "object property", OWL.DatatypeProperty: "datatype property",
         OWL.AnnotationProperty: "annotation property", SKOS.ConceptScheme: "concept scheme"}
ALIGN = ((RDFS.subClassOf, "subclass of"), (RDFS.subPropertyOf, "subproperty of"),
         (OWL.equivalentClass, "equivalent to"), (SKOS.exactMatch, "exact match"),
         (SKOS.closeMatch, "close match"), (RDFS.seeAlso, "see also"))
MAX_LITERAL = 90


@dataclass(frozen=True)
class Rule:
    """One SHACL property shape in plain words."""

    shape: str  # local name, e.g. "FineAmount"
    targets: tuple[str, ...]  # compact class names
    path: str
    words: str  # the constraints, e.g. "exactly one; of type xsd:decimal"
    message: str


@dataclass(frozen=True)
class Term:
    """One class or property of the ontology, ready to render."""

    name: str  # local name: the anchor
    iri: str
    kind: str
    label: str
    definition: str
    parents: tuple[str, ...] = ()  # hrd superclasses / superproperties (compact)
    children: tuple[str, ...] = ()
    domain: str = ""
    range: str = ""
    alignments: tuple[tuple[str, str, str], ...] = ()  # (relation, compact name, IRI)
    phrases: tuple[str, ...] = ()  # skos:altLabel
    triggers: tuple[str, ...] = ()  # extractor regex alternatives
    rules: tuple[Rule, ...] = ()
    example: str = ""  # Turtle from the demo data

    @property
    def curie(self) -> str:
        return f"hrd:{self.name}"


@dataclass(frozen=True)
class Vocabulary:
    title: str
    description: str
    comment: str
    version: str
    sections: tuple[tuple[str, tuple[Term, ...]], ...]
    rules: tuple[Rule, ...] = field(default=())

    def terms(self) -> list[Term]:
        return [t for _, terms in self.sections for t in terms]


# ------------------------------------------------------------------ reading
def _label(g: Graph, node: Any) -> str:
    """A class expression in words: ``hrd:Statement or hrd:Person``."""
    if isinstance(node, BNode):
        members = g.value(node, OWL.unionOf)
        if members is not None:
            return " or ".join(_label(g, m) for m in Collection(g, members))
        return "(anonymous)"
    return compact(str(node))


def _order() -> list[str]:
    """Local names in the order of the closed namespace (graph/namespaces.py)."""
    return list(HRD.__annotations__)


def shape_rules(shapes: Graph) -> list[Rule]:
    """Every property shape with an sh:message, in plain words, sorted by shape name."""
    rules = []
    for shape in shapes.subjects(SH.message, None):
        path = shapes.value(shape, SH.path)
        path_text = " / ".join(compact(str(p)) for p in Collection(shapes, path)) if isinstance(path, BNode) \
            else compact(str(path))
        targets = sorted((compact(str(c)) for c in shapes.objects(shape, SH.targetClass)),
                         key=lambda c: (_rank(c), c))
        rules.append(Rule(str(shape).rsplit("#", 1)[-1], tuple(targets), path_text, _words(shapes, shape),
                          str(shapes.value(shape, SH.message))))
    return sorted(rules, key=lambda r: r.shape)


def _rank(curie: str) -> int:
    order = _order()
    local = curie.removeprefix("hrd:")
    return order.index(local) if curie.startswith("hrd:") and local in order else len(order)


def _words(g: Graph, shape: Any) -> str:
    """The constraints of a shape as a short phrase."""
    v = lambda p: g.value(shape, p)  # noqa: E731
    parts = []
    lo, hi = v(SH.minCount), v(SH.maxCount)
    lo, hi = (int(lo) if lo is not None else None), (int(hi) if hi is not None else None)
    count = {(1, 1): "exactly one value", (1, None): "required", (None, 1): "at most one value",
             (2, 2): "exactly two values"}.get((lo, hi))
    if count is None and (lo or hi):
        count = f"between {lo or 0} and {hi} values" if hi else f"at least {lo} values"
    if count:
        parts.append(count)
    if v(SH.nodeKind) == SH.IRI:
        parts.append("an IRI")
    if v(SH.datatype) is not None:
        parts.append(f"of type {compact(str(v(SH.datatype)))}")
    for cls in g.objects(shape, SH["class"]):
        parts.append(f"each a {compact(str(cls))}")
    if v(SH["or"]) is not None:
        parts.append("either " + " or ".join(_words(g, alt) for alt in Collection(g, v(SH["or"]))))
    qualified = v(SH.qualifiedValueShape)
    if qualified is not None:
        what = g.value(qualified, RDFS.label) or "a value of the given shape"
        n = (v(SH.qualifiedMinCount), v(SH.qualifiedMaxCount))
        parts.append(("exactly one value that is " if n == (Literal(1), Literal(1)) else "values that are ")
                     + str(what).lower().removeprefix("one of the ").join(["one of the ", ""]))
    values = sorted(compact(str(x)) for x in g.objects(shape, SH.hasValue))
    if values:
        parts.append("including " + " and ".join(values))
    pattern = v(SH.pattern)
    if pattern is not None:
        if str(pattern) == "\\S":
            parts.append("not blank")
        elif len(str(pattern)) <= 40:
            parts.append(f"matching the pattern `{pattern}`")
        else:
            parts.append("one of a fixed list of codes")
    for pred, text in ((SH.minExclusive, "greater than"), (SH.minInclusive, "at least"),
                       (SH.minLength, "at least this many characters:")):
        if v(pred) is not None:
            parts.append(f"{text} {v(pred)}")
    if v(SH.lessThan) is not None:
        parts.append(f"smaller than {compact(str(v(SH.lessThan)))}")
    return "; ".join(parts)


def trigger_phrases() -> dict[str, list[str]]:
    """Event class → the top-level alternatives of its extractor trigger regex."""
    from .extract.triggers import TRIGGERS

    out: dict[str, list[str]] = {}
    for cls, rx in TRIGGERS:
        out.setdefault(cls, []).extend(_alternatives(rx.pattern))
    return out


def _alternatives(pattern: str) -> list[str]:
    """Split the first group of ``\\b(?:a|b|c)\\b`` into ``[a, b, c]`` (escapes and classes respected)."""
    start = pattern.find("(?:")
    if start < 0:
        return [pattern]
    depth, i, in_class, parts, current = 0, start, False, [], ""
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            current += pattern[i:i + 2]
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
            if depth == 1:
                i += 3
                continue
        elif ch == ")":
            depth -= 1
            if depth == 0:
                break
        elif ch == "|" and depth == 1:
            parts.append(current)
            current = ""
            i += 1
            continue
        current += ch
        i += 1
    return [p for p in parts + [current] if p]


# ------------------------------------------------------------------ demo data
@lru_cache(maxsize=4)
def demo_graph(data_dir: Path = DATA_DIR) -> Graph:
    """The union of the statement graphs built from ``data_dir/*.facts.json`` (empty if none)."""
    from .build import build_graph
    from .facts import load_facts

    union = Graph()
    for path in sorted(Path(data_dir).glob("*.facts.json")):
        for triple in build_graph(load_facts(path)):
            union.add(triple)
    return union


def _turtle_term(node: Any) -> str:
    if isinstance(node, URIRef):
        return compact(str(node))
    if isinstance(node, Literal):
        text = str(node)
        if len(text) > MAX_LITERAL:
            text = text[:MAX_LITERAL].rstrip() + "…"
        text = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        dt = node.datatype
        if node.language:
            return f'"{text}"@{node.language}'
        if dt is None or str(dt).endswith("#string"):
            return f'"{text}"'
        return f'"{text}"^^{compact(str(dt))}'
    return "[]"


def _subject_turtle(g: Graph, subject: Any, only: Any = None) -> str:
    """The triples of one subject as Turtle (``only``: rdf:type, rdfs:label and that predicate)."""
    keep = {RDF.type, RDFS.label, only} if only is not None else None
    preds = sorted({p for p in g.predicates(subject, None) if keep is None or p in keep},
                   key=lambda p: (p != RDF.type, p != RDFS.label, compact(str(p))))
    lines = []
    for p in preds:
        objs = sorted(_turtle_term(o) for o in g.objects(subject, p))
        name = "a" if p == RDF.type else compact(str(p))
        lines.append(f"    {name} {', '.join(objs)}")
    return f"{_turtle_term(subject)}\n" + " ;\n".join(lines) + " .\n"


def _example(g: Graph, term: URIRef, kind: str) -> str:
    if kind == "class":
        subjects = sorted(g.subjects(RDF.type, term), key=str)
        return _subject_turtle(g, subjects[0]) if subjects else ""
    subjects = sorted(set(g.subjects(term, None)), key=str)
    return _subject_turtle(g, subjects[0], only=term) if subjects else ""


# ------------------------------------------------------------------ the model
@lru_cache(maxsize=4)
def vocabulary(ontology_dir: Path = ONTOLOGY_DIR, data_dir: Path = DATA_DIR) -> Vocabulary:
    """Read the ontology, the shapes, the extractor's triggers and the demo data into a :class:`Vocabulary`."""
    onto = Graph().parse(Path(ontology_dir) / "hrdkg.ttl")
    shapes = Graph().parse(Path(ontology_dir) / "shapes.ttl")
    rules = shape_rules(shapes)
    demo = demo_graph(Path(data_dir))
    triggers = trigger_phrases()
    head = URIRef(NS.rstrip("#"))
    terms: dict[str, Term] = {}
    for name in _order():
        iri = URIRef(NS + name)
        kind = next((k for t, k in KINDS.items() if (iri, RDF.type, t) in onto), "term")
        up = RDFS.subClassOf if kind == "class" else RDFS.subPropertyOf
        parents = sorted(compact(str(o)) for o in onto.objects(iri, up) if str(o).startswith(NS))
        children = sorted((compact(str(s)) for s in onto.subjects(up, iri)), key=lambda c: (_rank(c), c))
        aligns = sorted({(text, compact(str(o)), str(o)) for p, text in ALIGN for o in onto.objects(iri, p)
                         if isinstance(o, URIRef) and not str(o).startswith(NS)})
        curie = f"hrd:{name}"
        lineage = {curie} | {compact(str(a)) for a in onto.transitive_objects(iri, RDFS.subClassOf)}
        applies = tuple(r for r in rules if lineage & set(r.targets) or r.path == curie)
        domain, rng = onto.value(iri, RDFS.domain), onto.value(iri, RDFS.range)
        terms[name] = Term(
            name=name, iri=str(iri), kind=kind, label=str(onto.value(iri, RDFS.label) or name),
            definition=str(onto.value(iri, RDFS.comment) or ""), parents=tuple(parents),
            children=tuple(children), domain=_label(onto, domain) if domain is not None else "",
            range=_label(onto, rng) if rng is not None else "", alignments=tuple(aligns),
            phrases=tuple(sorted(str(o) for o in onto.objects(iri, SKOS.altLabel))),
            triggers=tuple(triggers.get(name, ())), rules=applies,
            example=_example(demo, iri, kind) if kind in ("class",) or "property" in kind else "")
    events = {n for n, t in terms.items() if "hrd:Event" in t.parents}
    sanctions = {"Sanction"} | {n for n, t in terms.items() if "hrd:Sanction" in t.parents}
    props = {n for n, t in terms.items() if "property" in t.kind}
    groups = (("Classes", [n for n in terms if n not in events | sanctions | props]),
              ("Event classes", sorted(events, key=_order().index)),
              ("Sanction classes", sorted(sanctions, key=_order().index)),
              ("Properties", [n for n in terms if n in props]))
    return Vocabulary(
        title=str(onto.value(head, RDFS.label) or "hrdkg ontology"),
        description=" ".join(str(onto.value(head, URIRef("http://purl.org/dc/terms/description")) or "").split()),
        comment=str(onto.value(head, RDFS.comment) or ""), version=str(onto.value(head, OWL.versionInfo) or ""),
        sections=tuple((title, tuple(terms[n] for n in names)) for title, names in groups), rules=tuple(rules))


# ------------------------------------------------------------------ Markdown
def _md_escape(text: str) -> str:
    return text.replace("|", "\\|")


def _paragraphs(text: str) -> str:
    """An rdfs:comment as Markdown: lines joined, indented blocks kept as code."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        if all(line.startswith("    ") for line in block.splitlines()):
            out.append("```turtle\n" + "\n".join(line[4:] for line in block.splitlines()) + "\n```")
        else:
            out.append(" ".join(block.split()))
    return "\n\n".join(out)


def vocabulary_markdown(vocab: Vocabulary | None = None) -> str:
    """``docs/vocabulary.md``."""
    v = vocab or vocabulary()
    out = [f"# {v.title} — vocabulary reference", "",
           "<!-- Generated by `python -m graph.vocabdoc` from ontology/hrdkg.ttl, ontology/shapes.ttl, "
           "graph/extract/triggers.py and data/*.facts.json. Do not edit by hand. -->", "",
           f"Namespace `{NS}` (prefix `hrd:`), version {v.version}. The same reference is served by "
           "`hrdkg serve` at `/ontology`, where every term IRI resolves to its entry.", "",
           v.description, "", "## How the data is organised", "",
           _paragraphs(v.comment.strip().removeprefix("How the data is organised.")), "", "## Contents", ""]
    anchors = _anchors(v)
    for title, terms in v.sections:
        out.append(f"* **{title}**: " + ", ".join(f"[{t.name}](#{anchors[t.name]})" for t in terms))
    for title, terms in v.sections:
        out += ["", f"## {title}"]
        for t in terms:
            out += ["", f"### {t.curie}", "", f"*{t.label}* — {t.kind} · `{t.iri}`", "", " ".join(t.definition.split())]
            facts = []
            if t.parents:
                facts.append(("Subclass of" if t.kind == "class" else "Subproperty of", ", ".join(t.parents)))
            if t.children:
                facts.append(("Subclasses" if t.kind == "class" else "Subproperties", ", ".join(t.children)))
            if t.domain:
                facts.append(("Domain", t.domain))
            if t.range:
                facts.append(("Range", t.range))
            for relation in dict.fromkeys(a[0] for a in t.alignments):
                facts.append((relation.capitalize(), ", ".join(f"[{c}]({i})" for r, c, i in t.alignments
                                                                if r == relation)))
            if facts:
                out += [""] + [f"* **{k}**: {val}" for k, val in facts]
            if t.phrases:
                out += ["", "Phrases that signal it (skos:altLabel): " + ", ".join(f"“{p}”" for p in t.phrases) + "."]
            if t.triggers:
                out += ["", "The extractor chooses this class when a sentence matches one of these patterns "
                            "(regular expressions, case-insensitive; not when preceded by a negation, a "
                            "demand or a hypothesis such as “could be”, “calls for”):", ""]
                out += [f"* `{p}`" for p in t.triggers]
            if t.rules:
                out += ["", "Rules (SHACL) — a statement is rejected unless:", ""]
                out += [f"* {_rule_line(t, r)}. *{r.message}*" for r in t.rules]
            if t.example:
                out += ["", "Example from the demo data:", "", "```turtle", t.example.rstrip(), "```"]
    out += ["", "## SHACL rules in plain words", "", "| shape | applies to | property | rule |", "|---|---|---|---|"]
    out += [f"| {r.shape} | {', '.join(r.targets)} | `{r.path}` | {_md_escape(r.words)} |" for r in v.rules]
    return "\n".join(out) + "\n"


def _rule_line(term: Term, rule: Rule) -> str:
    """A rule as seen from a term: the property for a class, the classes for a property."""
    if "property" in term.kind:
        return f"on {', '.join(rule.targets)}: {rule.words}"
    inherited = "" if term.curie in rule.targets else f" (rule of {', '.join(rule.targets)})"
    return f"`{rule.path}`: {rule.words}{inherited}"


def slug(text: str) -> str:
    """The anchor GitHub and :mod:`webui.docs` give a heading (before de-duplication)."""
    return re.sub(r"[^\w\- ]", "", text.strip().lower()).replace(" ", "-")


def _anchors(v: Vocabulary) -> dict[str, str]:
    """Term name → the anchor of its heading in vocabulary.md, de-duplicated as GitHub does
    (``hrd:Country`` → ``hrdcountry``, ``hrd:country`` → ``hrdcountry-1``)."""
    seen: dict[str, int] = {}
    out = {}
    for t in v.terms():
        base = slug(t.curie)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out[t.name] = base if n == 0 else f"{base}-{n}"
    return out


# ------------------------------------------------------------------ CLI reference
def cli_markdown() -> str:
    """``docs/cli.md``: every command and option of ``hrdkg``, from the click group."""
    import click

    from .cli import cli

    out = ["# The `hrdkg` command line", "",
           "<!-- Generated by `python -m graph.vocabdoc` from the click commands. Do not edit by hand. -->", "",
           "Every command also explains itself with `--help`. Exit codes: 0 success, 1 the command ran but "
           "found a problem, 2 usage error or failure.", ""]

    def walk(cmd: click.Command, path: list[str]) -> None:
        # the group's context settings (-h/--help) apply to every command; click only
        # applies them once a command has run, so give them explicitly for a stable page
        ctx = click.Context(cmd, info_name=" ".join(path), **cli.context_settings)
        out.extend([f"{'#' * min(len(path) + 1, 4)} `{' '.join(path)}`", "", "```text",
                    cmd.get_usage(ctx).strip(), "```", "", _help(cmd.help or ""), ""])
        params = [p for p in cmd.get_params(ctx)]
        if params:
            out.extend(["| option / argument | type | default | description |", "|---|---|---|---|"])
            for p in params:
                names = ", ".join(f"`{o}`" for o in [*p.opts, *p.secondary_opts]) if isinstance(p, click.Option) \
                    else f"`{p.human_readable_name}`"
                kind = "flag" if getattr(p, "is_flag", False) else _md_escape(
                    "|".join(p.type.choices) if isinstance(p.type, click.Choice) else p.type.name)
                value = p.get_default(ctx, call=False)
                default = "" if value in (None, False, ()) or callable(value) or "UNSET" in repr(value) \
                    else f"`{value}`"
                helptext = " ".join((getattr(p, "help", None) or "").split())
                envvar = getattr(p, "envvar", None)
                if envvar and str(envvar) not in helptext:
                    helptext += f" (env `{envvar}`)"
                helptext = _md_escape(helptext)
                out.append(f"| {names} | {kind} | {default} | {helptext} |")
            out.append("")
        if isinstance(cmd, click.Group):
            for name in sorted(cmd.commands):
                walk(cmd.commands[name], [*path, name])

    walk(cli, ["hrdkg"])
    return "\n".join(out).rstrip() + "\n"


def _help(text: str) -> str:
    """Click help text as Markdown: ``\\b`` blocks become code blocks."""
    out = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = block.splitlines()
        if lines and lines[0].strip() == "\b":
            out.append("```text\n" + textwrap.dedent("\n".join(lines[1:])) + "\n```")
        else:
            out.append(" ".join(block.split()))
    return "\n\n".join(out)


# ------------------------------------------------------------------ generated blocks
BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (?P<key>[^>]+?) -->\n)(?P<body>.*?)(<!-- END GENERATED: (?P=key) -->)",
                   re.S)
SPARQL_FENCE = re.compile(r"```sparql( federated)?\n(.*?)```", re.S)
#: How to fix each SHACL message, in the terms of a facts file (a test checks that every shape has one).
FIXES = {
    "Label": "Give the entity or event one non-empty `name`; put other spellings in `aliases`.",
    "AltLabelIsText": "Remove empty strings from `aliases`.",
    "DescribedIn": "Built automatically; if you see it, the facts file was built by hand as RDF — add `hrd:describedIn` <statement IRI>.",
    "StatementTitle": "Give `statement.title` once, as text.",
    "StatementIssued": "Write `statement.issued` as YYYY-MM-DD (a real calendar day).",
    "StatementPublisher": "`statement.publisher` must be the `id` of an entity of type Organisation in the same file.",
    "StatementSource": "Put the original URL or the file name in `statement.source`.",
    "StatementText": "The text comes from the statement file beside the facts file; keep one `text`.",
    "StatementDemand": "Each item of `statement.demands` is a span with a `quote`.",
    "StatementRestricted": "Use `\"restricted\": true` (a JSON boolean, not a string) or leave it out.",
    "CountryValue": "Use a two-letter ISO 3166 code in `country` (\"KZ\"), not a country name.",
    "PersonMemberOf": "Each id in `member_of` must be an entity of type Organisation (or Court, StateAuthority).",
    "PersonGender": "Give `gender` once: \"female\" or \"male\", or leave it out.",
    "PersonRole": "Write `role` as text (\"lawyer\").",
    "OrganisationLocatedIn": "Write the seat as `city` (a city name); it becomes a hrd:City.",
    "JurisdictionValue": "Give one `country` code for a court, authority or law.",
    "CityCountry": "Give one `country` for the entity whose `city` it is.",
    "CountryIsoCode": "Use a current two-letter ISO 3166-1 code in capitals.",
    "CountrySameAs": "Reference data: comes from ontology/countries.ttl; nothing to fix in a facts file.",
    "ProvisionPartOf": "A LegalProvision entity needs `legislation`: the id of a Legislation entity in the same file.",
    "ProvisionArticle": "A LegalProvision entity needs `article`, the number as cited (\"456-2\").",
    "ProvisionParagraph": "Give at most one `paragraph`; cite another paragraph as another provision.",
    "EventClass": "Set the event's `type` to one of the 16 event classes; split “arrested and remanded” into two events.",
    "EventDate": "Write `date` as YYYY-MM-DD (a real day) or YYYY-MM; leave it out when unknown.",
    "EventConcernsPerson": "Each id in `concerns` must be a Person or HumanRightsDefender entity.",
    "EventCourt": "`court` must be the id of an entity of type Court.",
    "EventAuthority": "`authority` must be the id of an organisation (usually a StateAuthority).",
    "EventInvokes": "Each id in `provisions` must be a LegalProvision entity.",
    "EventSanction": "Give `sanction` with a `type` of Fine, Imprisonment, SuspendedSentence or OtherSanction.",
    "EventDuration": "Write the travel ban's `duration` as ISO 8601: P6M, P2Y, P15D.",
    "EventConcernsRequired": "Add the person to `concerns` (create the Person entity if needed).",
    "SanctionClass": "Give the sanction one `type`; a fine and a prison term are two events or two sanctions.",
    "FineAmount": "Write `amount` as a positive number without separators or currency: \"78000\".",
    "FineCurrency": "Write `currency` as the ISO 4217 code (\"KZT\"), not the word “tenge”.",
    "SentenceDuration": "Write `duration` as ISO 8601: P7Y, P2Y6M, P15D.",
    "AnnotationBody": "Built from each `evidence` span; check the span belongs to one entity or event.",
    "AnnotationTarget": "Built from each `evidence` span; give `start`, `end` and `quote`.",
    "TargetSource": "Built automatically from the statement; re-run `hrdkg extract` if it is missing.",
    "TargetSelectors": "Each `evidence` span needs both offsets (`start`, `end`) and the `quote`.",
    "TargetSelectorKinds": "Each `evidence` span needs both offsets (`start`, `end`) and the `quote`.",
    "SelectorStart": "`start` must be smaller than `end`: re-select the quote in the text.",
    "SelectorEnd": "`end` is a character offset (a whole number, exclusive).",
    "SelectorExact": "`quote` must be the non-empty words between `start` and `end`.",
}


def shacl_table(rules: tuple[Rule, ...] | None = None) -> str:
    """The table of every SHACL message and how to fix it (for docs/curation.md)."""
    rows = ["| shape | applies to → property | message | how to fix it in the facts file |", "|---|---|---|---|"]
    for r in rules if rules is not None else vocabulary().rules:
        rows.append(f"| {r.shape} | {', '.join(r.targets)} → `{r.path}` | {_md_escape(r.message)} | "
                    f"{_md_escape(FIXES.get(r.shape, ''))} |")
    return "\n".join(rows) + "\n"


@lru_cache(maxsize=2)
def demo_store(data_dir: Path = DATA_DIR) -> Any:
    """An in-memory store holding the demo data, as ``hrdkg ingest data/`` stores it."""
    from .ingest import ingest_paths
    from .store import open_store

    store = open_store(None)
    ingest_paths(store, [Path(data_dir)], workers=1)
    return store


def result_table(query: str, *, store: Any = None, limit: int = 5) -> str:
    """The first rows of ``query`` on the demo data as a Markdown table (columns as selected)."""
    import pyoxigraph as ox

    from .query import run

    result = run(store if store is not None else demo_store(), query)
    if not isinstance(result, ox.QuerySolutions):
        raise ValueError("result tables are for SELECT queries")
    names = [v.value for v in result.variables]
    rows = [[solution[n] for n in names] for solution in result]
    if not rows:
        return "*(no rows)*\n"

    def cell(term: Any) -> str:
        text = "" if term is None else (compact(term.value) if isinstance(term, ox.NamedNode) else term.value)
        return _md_escape(text if len(text) <= 60 else text[:59] + "…")

    lines = ["| " + " | ".join(names) + " |", "|" + "---|" * len(names)]
    lines += ["| " + " | ".join(cell(t) for t in row) + " |" for row in rows[:limit]]
    more = f"\n\n{len(rows)} rows in all; the first {limit} are shown." if len(rows) > limit else \
        f"\n\n{len(rows)} row{'s' if len(rows) != 1 else ''}."
    return "\n".join(lines) + more + "\n"


def refresh(text: str) -> str:
    """Re-generate every ``<!-- BEGIN GENERATED: KEY -->`` block of a document."""
    from .query import load_saved_query

    def fill(match: re.Match) -> str:
        key = match["key"].strip()
        if key == "shacl-messages":
            body = shacl_table()
        elif key.startswith("query "):
            q = load_saved_query(key.split(" ", 1)[1])
            body = (f"```sparql\n{q.text.rstrip()}\n```\n\nOn the demo data "
                    f"(`hrdkg query @{q.name}`):\n\n" + result_table(q.text))
        elif key == "result":
            fences = [f for f in SPARQL_FENCE.finditer(text, 0, match.start()) if not f.group(1)]
            if not fences:
                raise ValueError("a 'result' block needs a ```sparql block above it")
            body = "On the demo data:\n\n" + result_table(fences[-1].group(2))
        else:
            raise ValueError(f"unknown generated block {key!r}")
        return f"{match.group(1)}{body}{match.group(4)}"

    return BLOCK.sub(fill, text)


def outputs(docs: Path = DOCS_DIR) -> dict[Path, str]:
    """Every generated document and what it should contain now."""
    out = {docs / "vocabulary.md": vocabulary_markdown(), docs / "cli.md": cli_markdown()}
    for name in ("sparql.md", "curation.md"):
        path = docs / name
        if path.exists():
            out[path] = refresh(path.read_text(encoding="utf-8"))
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m graph.vocabdoc [--check]``: write the generated docs, or (--check) list stale ones."""
    argv = sys.argv[1:] if argv is None else argv
    stale = []
    for path, text in outputs().items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
            if "--check" not in argv:
                path.write_text(text, encoding="utf-8")
    for path in stale:
        print(f"{'stale' if '--check' in argv else 'wrote'}: {path.relative_to(ROOT)}")
    return 1 if stale and "--check" in argv else 0


if __name__ == "__main__":
    sys.exit(main())
