"""Reading and checking facts files (``NAME.facts.json``).

A facts file is the reviewed record of one statement (see
:class:`graph.model.Facts` and ``ontology/facts.schema.json``).  Loading
checks it in three steps, each failing with a :class:`FactsError` that
names the file and the problem: JSON syntax, the JSON Schema, and the
references between entries (ids unique, every id used is defined,
evidence quotes match the text).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import jsonschema

from ontology import ONTOLOGY_DIR

from .errors import FactsError
from .model import Facts, Span

FACTS_SUFFIX = ".facts.json"
SCHEMA_PATH = ONTOLOGY_DIR / "facts.schema.json"


@lru_cache(maxsize=1)
def facts_schema() -> dict[str, Any]:
    """The JSON Schema of facts files."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def is_facts_file(path: Path) -> bool:
    """True for ``*.facts.json`` files."""
    return path.name.endswith(FACTS_SUFFIX)


def statement_id_for(path: Path) -> str:
    """The default statement id of a file: its name without extension(s)."""
    name = path.name
    if name.endswith(FACTS_SUFFIX):
        return name[: -len(FACTS_SUFFIX)]
    return path.stem


def load_facts(path: Path) -> Facts:
    """Read and check a facts file.

    :raises FactsError: if the file is not JSON, breaks the schema or refers
        to an id it does not define.
    """
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FactsError(path, f"cannot be read ({exc.strerror})") from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FactsError(path, "is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise FactsError(path, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    return facts_from_data(data, path=path)


def facts_from_data(data: Any, *, path: Path | str = "<facts>") -> Facts:
    """Check a parsed facts document and turn it into :class:`Facts`."""
    validator = jsonschema.Draft202012Validator(facts_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        raise FactsError(path, f"does not follow the facts schema at {where}: {first.message}{more}")
    facts = Facts.from_dict(data)
    if not data["statement"].get("source"):
        facts = facts.with_statement(source=Path(str(path)).name)
    check_references(facts, path=path)
    return facts


def check_references(facts: Facts, *, path: Path | str = "<facts>") -> None:
    """Ids are unique, references resolve to entities of the right type,
    and evidence offsets agree with the text when the text is included.

    :raises FactsError: naming the first broken reference.
    """
    ids: dict[str, str] = {}
    for item in (*facts.entities, *facts.events):
        if item.id in ids:
            raise FactsError(path, f"id {item.id!r} is used twice")
        ids[item.id] = getattr(item, "type")

    def need(ref: str | None, allowed: set[str], what: str) -> None:
        if ref is None:
            return
        if ref not in ids:
            raise FactsError(path, f"{what} refers to {ref!r}, which is not defined")
        if ids[ref] not in allowed:
            raise FactsError(path, f"{what} refers to {ref!r}, a {ids[ref]}, not a {' or '.join(sorted(allowed))}")

    persons = {"Person", "HumanRightsDefender"}
    orgs = {"Organisation", "StateAuthority", "Court"}
    need(facts.statement.publisher, orgs, "statement.publisher")
    for ent in facts.entities:
        for org in ent.member_of:
            need(org, orgs, f"entity {ent.id}.member_of")
        need(ent.legislation, {"Legislation"}, f"entity {ent.id}.legislation")
        if ent.type == "LegalProvision" and (ent.legislation is None or ent.article is None):
            # SHACL would also catch it, but here we can say which entry of the file is wrong
            raise FactsError(path, f"provision {ent.id} needs both 'article' and 'legislation'")
    for ev in facts.events:
        for who in ev.concerns:
            need(who, persons, f"event {ev.id}.concerns")
        need(ev.court, {"Court"}, f"event {ev.id}.court")
        need(ev.authority, orgs, f"event {ev.id}.authority")
        for prov in ev.provisions:
            need(prov, {"LegalProvision"}, f"event {ev.id}.provisions")
    if facts.text is not None:
        for owner, span in _all_spans(facts):
            if not (0 <= span.start <= span.end <= len(facts.text)) or facts.text[span.start:span.end] != span.quote:
                raise FactsError(path, f"evidence of {owner} at {span.start}:{span.end} does not match the text "
                                       f"(expected {span.quote!r})")


def _all_spans(facts: Facts) -> list[tuple[str, Span]]:
    out = [("statement.demands", s) for s in facts.statement.demands]
    for item in (*facts.entities, *facts.events):
        out += [(item.id, s) for s in item.evidence]
    return out


def dump_facts(facts: Facts, path: Path) -> None:
    """Write facts as a reviewed-facts file."""
    path.write_text(facts.to_json(), encoding="utf-8")
