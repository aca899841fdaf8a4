"""The ``hrdkg`` command line: one click group, thin commands over the library.

Exit codes: 0 success; 1 the command ran but found a problem (a statement
was rejected, the store does not conform); 2 usage error or failure
(bad arguments, unreadable store, malformed query).
"""
from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import click

from . import __version__
from .cli_data import filter_options, where_from
from .errors import HrdkgError
from .store import DEFAULT_STORE_ENV, SharedStore, default_store_path, is_url, store_location


class Context:
    """What every command gets: the store location (a directory or a server URL) and verbosity."""

    def __init__(self, store_path: str | None, quiet: bool) -> None:
        self.store_path = store_location(store_path) if store_path else default_store_path()
        # for messages: a server URL without its user:password@
        self.store_label = re.sub(r"//[^/@]*@", "//", str(self.store_path))
        self.quiet = quiet
        self._shared: SharedStore | None = None

    @property
    def shared(self) -> SharedStore:
        if self._shared is None:
            self._shared = SharedStore(self.store_path)
        return self._shared


pass_ctx = click.make_pass_decorator(Context)


def fail(message: str, code: int = 2) -> None:
    """Print an error to stderr and exit with ``code``."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.option("--store", "store_path", envvar=DEFAULT_STORE_ENV, metavar="DIR|URL",
              help=f"Store directory, or the http(s):// URL of a SPARQL 1.1 server "
                   f"(env {DEFAULT_STORE_ENV}; default ~/.local/share/hrdkg/store).")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors and results.")
@click.version_option(__version__, prog_name="hrdkg")
@click.pass_context
def cli(ctx: click.Context, store_path: str | None, quiet: bool) -> None:
    """hrdkg: a knowledge graph of human rights defenders, courts and laws.

    Turn NGO statements into RDF, check them with SHACL, store them, query
    them with SPARQL, browse and export them.

    \b
    Quick tour:
      hrdkg ingest data/                 # statements and reviewed facts files
      hrdkg query @provisions-by-country # a saved research question
      hrdkg validate                     # SHACL report of the whole store
      hrdkg export --format turtle -o hrdkg.ttl
      hrdkg serve                        # browser and SPARQL endpoint
    """
    ctx.obj = Context(store_path, quiet)


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--restricted", is_flag=True, help="Mark these statements confidential: never shown publicly.")
@click.option("--report", "report_path", type=click.Path(path_type=Path),
              help="Write a JSON report of stored and rejected files here.")
@click.option("-v", "--verbose", is_flag=True, help="Print a line per file as it is stored.")
@click.option("--max-size", default=20.0, show_default=True, type=float,
              help="Refuse statement files larger than this many megabytes.")
@pass_ctx
def ingest(ctx: Context, paths: tuple[Path, ...], restricted: bool, report_path: Path | None,
           verbose: bool, max_size: float) -> None:
    """Ingest statements (.txt .md .html .pdf) and reviewed *.facts.json files.

    Folders are searched recursively.  A NAME.facts.json beside NAME.md is the
    reviewed version of that statement and is used instead of extraction.
    Each statement is checked against the SHACL shapes before it is stored;
    one that fails is reported and kept out, and the rest go on.  Ingesting
    a statement again replaces it.  Exit code 1 if any file was rejected.

    \b
    Example:
      hrdkg ingest data/ statements/urgent-appeal.html
    """
    from .ingest import Outcome, collect_inputs, ingest_paths

    try:
        files = collect_inputs(paths)
    except HrdkgError as exc:
        fail(str(exc))
    show_bar = not ctx.quiet and not verbose and sys.stderr.isatty() and len(files) > 1
    with click.progressbar(length=len(files), label="Ingesting", file=sys.stderr,
                           hidden=not show_bar) as bar:

        def progress(outcome: Outcome) -> None:
            bar.update(1)
            if verbose and outcome.status == "stored":
                click.echo(f"stored {outcome.path} as <{outcome.statement}>", err=True)

        try:
            report = ingest_paths(ctx.shared, files, restricted=restricted, on_progress=progress,
                                  max_bytes=int(max_size * 1_000_000))
        except HrdkgError as exc:
            fail(str(exc))
    for outcome in report.rejected:
        click.echo(f"REJECTED {outcome.path}: {outcome.reason}", err=True)
        if outcome.report is not None:
            click.echo(str(outcome.report), err=True)
    if report_path:
        report_path.write_text(json.dumps(report.to_dict(), indent=2), encoding="utf-8")
    if not ctx.quiet:
        click.echo(f"{len(report.stored)} statement(s) stored, {len(report.rejected)} rejected "
                   f"(store: {ctx.store_label})", err=True)
    sys.exit(1 if report.rejected else 0)


@cli.command()
@click.argument("path", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option("-o", "--output", type=click.Path(path_type=Path), help="Write the facts here instead of stdout.")
def extract(path: Path, output: Path | None) -> None:
    """Print the facts extracted from one statement, as JSON to review.

    Correct the JSON, save it as NAME.facts.json beside the statement and
    ingest it: the reviewed facts then replace automatic extraction.

    \b
    Example:
      hrdkg extract data/kz-toregozhina-2025-08-05.md > reviewed.facts.json
    """
    from .extract import extract_path

    try:
        facts = extract_path(path)
    except HrdkgError as exc:
        fail(str(exc))
    text = facts.to_json()
    if output:
        output.write_text(text, encoding="utf-8")
    else:
        click.echo(text, nl=False)


@cli.command()
@click.argument("query")
@click.option("-f", "--format", "fmt", default="table", show_default=True,
              type=click.Choice(["table", "csv", "tsv", "json", "xml", "turtle", "ntriples", "jsonld", "rdfxml"]),
              help="Result format (turtle... for CONSTRUCT/DESCRIBE).")
@pass_ctx
def query(ctx: Context, query: str, fmt: str) -> None:
    """Run a SPARQL query: its text, a .rq file, or @NAME of a saved query.

    The usual prefixes (hrd:, rdfs:, dcterms:, xsd:, oa: ...) are predeclared.
    Queries read the merged graph, where each fact appears once; use
    GRAPH ?statement { ... } to ask which statement says what.

    \b
    Examples:
      hrdkg query 'SELECT ?name WHERE { ?p a hrd:HumanRightsDefender ; rdfs:label ?name }'
      hrdkg query my-question.rq --format csv
      hrdkg query @provisions-by-country
    """
    from .query import format_result, resolve_query_text, run

    try:
        text = resolve_query_text(query)
        with ctx.shared.reader() as store:
            out = format_result(run(store, text), fmt)
    except HrdkgError as exc:
        fail(str(exc))
    sys.stdout.buffer.write(out)
    sys.stdout.flush()


@cli.command()
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
@pass_ctx
def validate(ctx: Context, fmt: str) -> None:
    """Check the whole store against the SHACL shapes.

    Exit code 0 if it conforms, 1 if not, 2 on error.
    """
    from .validate import validate_store

    try:
        with ctx.shared.reader() as store:
            report = validate_store(store)
    except HrdkgError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), indent=2))
    else:
        click.echo(str(report))
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.option("-f", "--format", "fmt", default="turtle", show_default=True,
              type=click.Choice(["turtle", "trig", "nquads", "ntriples", "jsonld"]),
              help="trig and nquads keep one named graph per statement.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: stdout).")
@click.option("--graph", "graph_iri", help="Export only this statement's graph (its IRI); same as --statement.")
@filter_options
@click.option("--describe", "describe_path", type=click.Path(path_type=Path),
              help="Also write a VoID + DCAT description of the export (with its SHA-256) here; needs -o.")
@click.option("--include-restricted", is_flag=True, help="Also export confidential statements (private backups only).")
@pass_ctx
def export(ctx: Context, fmt: str, output: Path | None, graph_iri: str | None, statement: str | None,
           country: str | None, since: object, until: object, cls: str | None, describe_path: Path | None,
           include_restricted: bool) -> None:
    """Write the dataset as RDF (public statements only, unless told otherwise).

    Output is deterministic: the same data gives the same bytes in a fixed
    order, so two exports diff well.
    Filters pick statements by id, country or period, or instances of a class.

    \b
    Examples:
      hrdkg export --format turtle -o hrdkg.ttl --describe hrdkg.void.ttl
      hrdkg export --format nquads --country KZ --since 2025-01-01
      hrdkg export --format trig --graph https://w3id.org/hrdkg/id/statement/kz-toregozhina-2025-08-05
    """
    from .describe import write_description
    from .export import export as write_export

    if describe_path and not output:
        fail("--describe needs -o FILE: the description records the file's name and SHA-256")
    where = where_from(statement or graph_iri, country, since, until, cls)
    try:
        # the lock, not a read-only handle: an export may read the files from two
        # processes, and no ingest may write in between
        with ctx.shared.lease() as store:
            if output:
                tmp = output.with_name(output.name + ".part")
                with open(tmp, "wb") as fh:
                    write_export(store, fh, fmt=fmt, where=where, include_restricted=include_restricted)
                tmp.replace(output)  # never leave a half-written export under the real name
                if describe_path:
                    write_description(store, describe_path, files=[output], where=where)
            else:
                write_export(store, sys.stdout.buffer, fmt=fmt, where=where, include_restricted=include_restricted)
                sys.stdout.flush()
    except HrdkgError as exc:
        fail(str(exc))


@cli.command()
@click.argument("statement")
@pass_ctx
def withdraw(ctx: Context, statement: str) -> None:
    """Remove a statement (its IRI or id) and every fact only it supported."""
    from .namespaces import DEFAULT_BASE

    iri = statement if "://" in statement else f"{DEFAULT_BASE}statement/{statement}"
    try:
        with ctx.shared.lease() as store:
            found = store.withdraw_statement(iri)
    except HrdkgError as exc:
        fail(str(exc))
    if not found:
        fail(f"no statement <{iri}> in the store", 1)
    if not ctx.quiet:
        click.echo(f"withdrawn <{iri}>", err=True)


@cli.command()
@click.option("-f", "--format", "fmt", default="text", show_default=True, type=click.Choice(["text", "json"]))
@pass_ctx
def stats(ctx: Context, fmt: str) -> None:
    """Count statements, triples and entities by class."""
    from .stats import store_stats

    try:
        with ctx.shared.reader() as store:
            result = store_stats(store)
    except HrdkgError as exc:
        fail(str(exc))
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), indent=2))
        return
    click.echo(f"statements  {result.statements} ({result.restricted} restricted)")
    click.echo(f"triples     {result.triples} (merged public graph)")
    click.echo(f"quads       {result.quads} (statement graphs, with provenance)")
    for cls, n in result.classes.items():
        click.echo(f"  {cls:28} {n}")


@cli.command()
@click.argument("output", type=click.Path(path_type=Path))
@pass_ctx
def dump(ctx: Context, output: Path) -> None:
    """Back up every statement graph (restricted ones too) as N-Quads.

    A dump is private: publish with `hrdkg export`, which leaves restricted
    statements out.  Bring a dump back with `hrdkg restore`.

    \b
    Example:
      hrdkg dump backup.nq
    """
    from .backup import dump as write_dump

    tmp = output.with_name(output.name + ".part")
    try:
        with ctx.shared.reader() as store, open(tmp, "wb") as fh:
            count = write_dump(store, fh)
        tmp.replace(output)
    except HrdkgError as exc:
        tmp.unlink(missing_ok=True)
        fail(str(exc))
    if not ctx.quiet:
        click.echo(f"{count} quads written to {output}", err=True)


@cli.command()
@click.argument("dump_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@pass_ctx
def restore(ctx: Context, dump_file: Path) -> None:
    """Create the store (--store, which must be new or empty) from a dump.

    \b
    Example:
      hrdkg --store restored-store restore backup.nq
    """
    from .backup import restore as load_dump

    if is_url(ctx.store_path):
        fail("restore builds a new store directory; to fill a SPARQL server, load the dump with "
             "the server's own loader (it is N-Quads), or restore to a directory and serve that")
    try:
        count = load_dump(dump_file, ctx.store_path)
    except HrdkgError as exc:
        fail(str(exc))
    if not ctx.quiet:
        click.echo(f"{count} quads restored into {ctx.store_path}", err=True)


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Interface to listen on.")
@click.option("--port", default=8080, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=4, show_default=True, type=int, help="Worker threads.")
@click.option("--query-timeout", default=30.0, show_default=True, type=float,
              help="Seconds a /sparql query may run before it is stopped.")
@click.option("--result-limit", default=10_000, show_default=True, type=int,
              help="Rows a /sparql answer may hold; a larger answer is refused, never cut.")
@pass_ctx
def serve(ctx: Context, host: str, port: int, threads: int, query_timeout: float, result_limit: int) -> None:
    """Serve the graph browser and the SPARQL endpoint (waitress WSGI server).

    The server reads through a read-only handle that takes no lock, so
    `hrdkg ingest` can run meanwhile; pages show the last finished batch.

    \b
    Example:
      hrdkg serve --port 8080   # then open http://127.0.0.1:8080/
    """
    from webui import create_app
    from webui.server import serve as serve_app

    where = {"STORE": ctx.shared} if is_url(ctx.store_path) else {"STORE_PATH": str(ctx.store_path)}
    app = create_app({**where, "QUERY_TIMEOUT": query_timeout, "RESULT_LIMIT": result_limit})
    if not ctx.quiet:
        click.echo(f"hrdkg serving {ctx.store_label} on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    serve_app(app, host=host, port=port, threads=threads)


@cli.command("hash-password")
def hash_password() -> None:
    """Print the hash of an administrator password, for HRDKG_ADMIN_PASSWORD_HASH.

    The password is read twice at a terminal, or once from standard input.
    Set HRDKG_ADMIN_USER and HRDKG_ADMIN_PASSWORD_HASH before `hrdkg serve`:
    the administrator then sees restricted statements too (HTTP Basic auth;
    use HTTPS when the server is reachable from other machines).

    \b
    Example:
      export HRDKG_ADMIN_USER=alice HRDKG_ADMIN_PASSWORD_HASH="$(hrdkg hash-password)"
    """
    from .auth import main as auth_main

    sys.exit(auth_main(["hash"]))


from .cli_data import register; register(cli)  # noqa: E402,E702 - datasets and analytics commands


def main() -> None:
    """Console-script entry point."""
    cli(prog_name="hrdkg")


if __name__ == "__main__":
    main()
