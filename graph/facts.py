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
import math
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


#: Facts files larger than this are refused (a reviewed record is a few KB).
MAX_FACTS_BYTES = 20_000_000
#: JSON nested deeper than this is refused; a facts file is 5 levels deep.
MAX_FACTS_DEPTH = 32
#: Integers with more digits than this are refused: nothing in a facts
#: file counts that high, and Python refuses to parse over 4,300 digits anyway.
MAX_NUMBER_DIGITS = 18


def load_facts(path: Path, *, max_bytes: int = MAX_FACTS_BYTES) -> Facts:
    """Read and check a facts file.

    :raises FactsError: if the file cannot be read, is too large, is not
        UTF-8 JSON (NaN, Infinity, huge numbers and deep nesting included),
        breaks the schema or refers to an id it does not define.
    """
    try:
        with path.open("rb") as stream:
            raw = stream.read(max_bytes + 1)
    except OSError as exc:
        raise FactsError(path, f"cannot be read ({exc.strerror or exc})") from exc
    if len(raw) > max_bytes:
        raise FactsError(path, f"is too large (over {max_bytes} bytes)")
    try:
        data = json.loads(raw.decode("utf-8-sig"), parse_constant=_no_constant,
                          parse_int=_bounded_int, parse_float=_finite_float)
    except UnicodeDecodeError as exc:
        raise FactsError(path, "is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise FactsError(path, f"is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from exc
    except _BadNumber as exc:
        raise FactsError(path, f"is not valid facts JSON: {exc}") from exc
    except RecursionError as exc:  # the C parser recurses once per nesting level
        raise FactsError(path, f"is nested deeper than {MAX_FACTS_DEPTH} levels") from exc
    return facts_from_data(data, path=path)


class _BadNumber(ValueError):
    """A number JSON allows (or Python accepts) but a facts file must not hold."""


def _no_constant(name: str) -> float:
    raise _BadNumber(f"{name} is not a number")


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise _BadNumber(f"number {text[:20]}... has more than {MAX_NUMBER_DIGITS} digits")
    return int(text)


def _finite_float(text: str) -> float:
    """A float that prints back as a plain decimal: amounts become
    ``xsd:decimal`` literals through ``str()``, and "1e+300" is not one."""
    value = float(text)
    if not math.isfinite(value) or "e" in text.lower() or "e" in repr(value) or len(text) > 40:
        raise _BadNumber(f"number {text[:20]} is out of range (write amounts as plain decimals "
                         f"of at most {MAX_NUMBER_DIGITS} digits)")
    return value


def _check_values(data: Any, *, path: Path | str) -> None:
    """Nesting and numbers that the schema cannot rule out, for data parsed
    by anyone (the web app and tests call :func:`facts_from_data` directly).
    Iterative: deep nesting must not overflow the stack here either."""
    todo = [(data, 1)]
    while todo:
        item, level = todo.pop()
        if isinstance(item, dict):
            item = list(item.values())
        if isinstance(item, list):
            if level > MAX_FACTS_DEPTH:
                raise FactsError(path, f"is nested deeper than {MAX_FACTS_DEPTH} levels")
            todo.extend((child, level + 1) for child in item)
        elif isinstance(item, float):
            try:
                _finite_float(repr(item))
            except _BadNumber as exc:
                raise FactsError(path, f"is not valid facts JSON: {exc}") from None
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) >= 10 ** MAX_NUMBER_DIGITS:
            raise FactsError(path, f"is not valid facts JSON: a number has more than {MAX_NUMBER_DIGITS} digits")


def facts_from_data(data: Any, *, path: Path | str = "<facts>") -> Facts:
    """Check a parsed facts document and turn it into :class:`Facts`.

    :raises FactsError: naming ``path`` and the first problem.
    """
    _check_values(data, path=path)
    validator = jsonschema.Draft202012Validator(facts_schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(top level)"
        more = f" (and {len(errors) - 1} more problem(s))" if len(errors) > 1 else ""
        message = first.message if len(first.message) <= 300 else first.message[:300] + "..."  # it quotes the value
        raise FactsError(path, f"does not follow the facts schema at {where}: {message}{more}")
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
