"""CLI commands for datasets and analytics: ``analyze``, ``tables``, ``describe``, ``publish``.

Registered on the ``hrdkg`` group by :func:`register` (one line at the end
of :mod:`graph.cli`).  Each command reads the store (read-only), calls one library
function and formats the answer; library errors become ``Error: ...`` on
stderr with exit code 2.  Output formats: ``table`` (aligned, for people),
``csv`` (RFC 4180, formula-safe) and ``json``.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any, Callable, NoReturn

import click

from .errors import HrdkgError

FORMATS = click.Choice(["table", "csv", "json"])


def _fail(message: str, code: int = 2) -> NoReturn:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def _render(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> str:
    """Rows as an aligned table, CSV or JSON."""
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        from .tables import csv_text

        return csv_text(rows, columns)
    cells = [[_cell(r.get(c)) for c in columns] for r in rows]
    widths = [min(60, max([len(c)] + [len(row[i]) for row in cells])) for i, c in enumerate(columns)]

    def line(values: list[str]) -> str:
        return "  ".join(v[:60].ljust(w) for v, w in zip(values, widths)).rstrip()

    out = [line(columns), line(["-" * w for w in widths]), *(line(r) for r in cells)]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out) + "\n"


def _cell(value: Any) -> str:
    from .query import compact

    if isinstance(value, (list, tuple)):
        return "; ".join(map(str, value))
    text = "" if value is None else str(value)
    return compact(text) if text.startswith(("http://", "https://")) else text


def _iris_last(rows: list[dict[str, Any]]) -> list[str]:
    """Columns with the rank first and IRI columns last, so names lead in a table."""
    if not rows:
        return ["rank"]
    keys = [k for k in rows[0] if k != "rank"]
    iris = [k for k in keys if str(rows[0][k]).startswith(("http://", "https://"))]
    return ["rank"] + [k for k in keys if k not in iris] + iris


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8", newline="")


def _run(obj: Any, work: Callable[[Any], Any], *, hold: bool = False) -> Any:
    """Run ``work(store)``, turning library errors into a clean exit 2.

    These commands never write, so they read through a read-only handle and
    never wait for an ingest; with ``hold`` they take the store's lock
    instead, so that nothing writes while an export's helper process reads
    the same files (see :func:`graph.export.export`)."""
    try:
        with (obj.shared.lease() if hold else obj.shared.reader()) as store:
            return work(store)
    except HrdkgError as exc:
        _fail(str(exc))


# ----------------------------------------------------------------- analyze
@click.group()
def analyze() -> None:
    """Network analysis and rankings over the public graph.

    \b
    Examples:
      hrdkg analyze rankings provisions --by country-year
      hrdkg analyze rankings courts --by prison --format csv
      hrdkg analyze centrality
      hrdkg analyze chain "Dana Aitova" "Almaty City Court"
      hrdkg analyze graph codefendants --format gexf -o codefendants.gexf
    """


@analyze.command()
@click.argument("kind", type=click.Choice(["provisions", "courts", "defenders"]))
@click.option("--by", default=None,
              help="provisions: none|country|year|country-year (default country-year); "
                   "courts: convictions|prison (default convictions).")
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_obj
def rankings(obj: Any, kind: str, by: str | None, fmt: str) -> None:
    """Rank provisions (most invoked), courts (convictions, prison time) or defenders (events).

    \b
    Example:
      hrdkg analyze rankings courts --by prison
    """
    from .analytics import court_ranking, defender_ranking, load_corpus, provision_ranking

    def work(store: Any) -> list[dict[str, Any]]:
        corpus = load_corpus(store)
        if kind == "provisions":
            return provision_ranking(corpus, by=by or "country-year")
        if kind == "courts":
            return court_ranking(corpus, by=by or "convictions")
        return defender_ranking(corpus)

    rows = _run(obj, work)
    _emit(_render(rows, _iris_last(rows), fmt), None)


@analyze.command()
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_obj
def centrality(obj: Any, fmt: str) -> None:
    """Degree and betweenness of people in the co-defendant network.

    \b
    Example:
      hrdkg analyze centrality --format csv > centrality.csv
    """
    from .analytics import load_corpus
    from .network import centrality as measure

    rows = _run(obj, lambda store: measure(load_corpus(store)))
    _emit(_render(rows, ["label", "codefendants", "occasions", "degree", "betweenness", "person"], fmt), None)


@analyze.command()
@click.option("--method", type=click.Choice(["greedy", "louvain"]), default="greedy", show_default=True,
              help="greedy modularity (deterministic) or louvain (seeded).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed for louvain.")
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_obj
def communities(obj: Any, method: str, seed: int, fmt: str) -> None:
    """Communities of the co-defendant network.

    \b
    Example:
      hrdkg analyze communities --method louvain --seed 1
    """
    from .analytics import load_corpus
    from .network import communities as find

    rows = _run(obj, lambda store: find(load_corpus(store), method=method, seed=seed))
    _emit(_render(rows, ["community", "size", "members", "iris"], fmt), None)


@analyze.command()
@click.argument("start")
@click.argument("end")
@click.option("-f", "--format", "fmt", type=FORMATS, default="table", show_default=True)
@click.pass_obj
def chain(obj: Any, start: str, end: str, fmt: str) -> None:
    """The shortest chain of stated links between two entities (IRIs or exact names),
    with the statements behind each link.  Exit code 1 if they are not connected.

    \b
    Example:
      hrdkg analyze chain "Dana Aitova" "Bakhytzhan Toregozhina"
    """
    from dataclasses import asdict

    from .analytics import load_corpus
    from .network import chain as find

    steps = _run(obj, lambda store: find(load_corpus(store), start, end))
    if not steps:
        _fail(f"no chain of public links between {start!r} and {end!r}", 1)
    rows = [dict(asdict(s), step=i) for i, s in enumerate(steps, start=1)]
    _emit(_render(rows, ["step", "subject_label", "predicate", "object_label", "statements", "subject", "object"],
                  fmt), None)


@analyze.command("graph")
@click.argument("projection", type=click.Choice(["codefendants", "defender-provision", "defender-court",
                                                 "membership", "evidence"]))
@click.option("-f", "--format", "fmt", type=click.Choice(["graphml", "gexf"]), default="graphml", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.pass_obj
def graph_cmd(obj: Any, projection: str, fmt: str, output: Path | None) -> None:
    """Write a projection of the public graph as GraphML or GEXF for Gephi.

    \b
    Example:
      hrdkg analyze graph defender-provision --format gexf -o defenders-laws.gexf
    """
    from .analytics import load_corpus
    from .network import projection as project
    from .network import write_graph

    g = _run(obj, lambda store: project(load_corpus(store), projection))
    try:
        write_graph(g, output if output else sys.stdout.buffer, fmt=fmt)
    except HrdkgError as exc:
        _fail(str(exc))
    sys.stdout.flush()


# ------------------------------------------------------------------ tables
@click.command("tables")
@click.argument("name", type=click.Choice(["events", "defenders", "courts", "provisions"]))
@click.option("-f", "--format", "fmt", type=FORMATS, default="csv", show_default=True)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.pass_obj
def tables_cmd(obj: Any, name: str, fmt: str, output: Path | None) -> None:
    """Write a table of the public graph: events (one row per event and person),
    defenders, courts or provisions, every row with its IRIs.

    CSV is UTF-8, RFC 4180, with formula-like cells neutralised (leading ').

    \b
    Example:
      hrdkg tables events -o events.csv   # then pandas.read_csv("events.csv")
    """
    from .tables import table

    columns, rows = _run(obj, lambda store: table(store, name))
    _emit(_render(rows, columns, fmt), output)


# ----------------------------------------------------- describe / publish
def filter_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The export filters as click options (``--statement --country --since --until --class``),
    shared by describe and publish; ``hrdkg export`` can take them too (see :func:`where_from`)."""
    options = [
        click.option("--statement", help="Only this statement (its IRI)."),
        click.option("--country", help="Only statements whose main country is this ISO code (KZ)."),
        click.option("--since", type=click.DateTime(["%Y-%m-%d"]), help="Period start (YYYY-MM-DD)."),
        click.option("--until", type=click.DateTime(["%Y-%m-%d"]), help="Period end, inclusive."),
        click.option("--class", "cls", help="Only instances of this class (hrd:Conviction or an IRI)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def where_from(statement: str | None, country: str | None, since: Any, until: Any, cls: str | None) -> Any:
    """An :class:`graph.export.ExportFilter` from the values of :func:`filter_options`
    (``hrd:Conviction``, ``Conviction`` or a full IRI for the class)."""
    from .export import ExportFilter
    from .namespaces import PREFIXES

    if cls and not cls.startswith(("http://", "https://")):
        prefix, _, local = cls.partition(":")
        cls = PREFIXES.get(prefix, prefix + ":") + local if local else str(PREFIXES["hrd"]) + cls
    return ExportFilter(statement=statement, country=country, cls=cls,
                        since=since.date() if since else None, until=until.date() if until else None)


def _describe_options(func: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--title", help="Dataset title."),
        click.option("--licence", help="Licence IRI (default CC BY 4.0)."),
        click.option("--publisher", help="Publisher name or IRI."),
        click.option("--endpoint", envvar="HRDKG_SPARQL_ENDPOINT", help="Public SPARQL endpoint URL."),
        click.option("--download-base", envvar="HRDKG_DOWNLOAD_BASE",
                     help="URL the files will be published under (default: relative URLs)."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def _info(title: str | None, licence: str | None, publisher: str | None, endpoint: str | None,
          download_base: str | None) -> Any:
    from .describe import DatasetInfo

    given = {"title": title, "licence": licence, "publisher": publisher, "sparql_endpoint": endpoint,
             "download_base": download_base}
    return DatasetInfo(**{k: v for k, v in given.items() if v is not None}, created=date.today())


@click.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path), required=True, help="Turtle file to write.")
@filter_options
@_describe_options
@click.pass_obj
def describe(obj: Any, files: tuple[Path, ...], output: Path, **options: Any) -> None:
    """Write a VoID + DCAT description (Turtle) of the public dataset and of the
    export FILES written from it (their size and SHA-256).  Give the same
    filters as the export.

    \b
    Example:
      hrdkg export -f turtle -o hrdkg.ttl
      hrdkg describe hrdkg.ttl -o hrdkg.void.ttl --endpoint https://hrdkg.example/sparql
    """
    from .describe import write_description

    where = where_from(*(options.pop(k) for k in ("statement", "country", "since", "until", "cls")))
    info = _info(**options)
    _run(obj, lambda store: write_description(store, output, files=files, info=info, where=where))


@click.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option("--formats", default="turtle,trig,nquads,ntriples,jsonld", show_default=True,
              help="Comma-separated export formats.")
@click.option("--name", default="hrdkg", show_default=True, help="File name stem.")
@filter_options
@_describe_options
@click.pass_obj
def publish(obj: Any, directory: Path, formats: str, name: str, **options: Any) -> None:
    """Write the public dataset in several formats into DIRECTORY, with NAME.void.ttl
    describing them (VoID + DCAT, SHA-256 of each file).

    \b
    Example:
      hrdkg publish site/data --formats turtle,nquads,jsonld --country KZ
    """
    from .describe import publish as write_all

    where = where_from(*(options.pop(k) for k in ("statement", "country", "since", "until", "cls")))
    info = _info(**options)
    paths = _run(obj, lambda store: write_all(store, directory, formats=[f.strip() for f in formats.split(",")],
                                               name=name, info=info, where=where), hold=True)
    for path in paths:
        click.echo(str(path))


def register(group: click.Group) -> None:
    """Add this module's commands to the ``hrdkg`` group."""
    group.add_command(analyze)
    group.add_command(tables_cmd)
    group.add_command(describe)
    group.add_command(publish)
