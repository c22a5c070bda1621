"""The ``munikg`` command: build, validate and describe a release."""

import json
import os
import sys
import time
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from munikg import __version__
from munikg.api import KnowledgeGraph
from munikg.artefacts import checksums, export
from munikg.artefacts.catalog import DEFAULT_PUBLISHER, luhn_ok
from munikg.build.inputs import Layout, graph_for, load_inputs, read_inputs
from munikg.build.pipeline import ValidationFailed, build
from munikg.errors import BadInput, MunikgError
from munikg.namespaces import BASE
from munikg.query import canned
from munikg.query.backends import LocalGraph, RemoteGraph
from munikg.query.info import summarise
from munikg.query.params import ParameterError
from munikg.query.results import Cell, OutputFormat, Result
from munikg.query.results import render as render_result
from munikg.release import (
    CONTEXT_FILE,
    DUMP_FILE,
    METADATA_FILE,
    Release,
    read_context,
)
from munikg.shacl.report import ReportFormat, render
from munikg.shacl.shapes import load_shapes
from munikg.shacl.validate import validate as run_validation
from munikg.store import around, fill
from munikg.terms import iri, short
from munikg.turtle import TurtleFile

app = typer.Typer(
    help="munikg: a knowledge graph of Swedish municipal international cooperation.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
err = Console(stderr=True)
out = Console()


class Lang(StrEnum):
    en = "en"
    sv = "sv"


class InfoFormat(StrEnum):
    text = "text"
    json = "json"


DataDir = Annotated[Path, typer.Option("--data", help="Directory of curated data files.")]
OntologyDir = Annotated[
    Path, typer.Option("--ontology", help="Directory of the ontology, schemes and shapes.")
]
DistDir = Annotated[Path, typer.Option("--dist", help="Release directory.")]
QueriesDir = Annotated[Path, typer.Option("--queries", help="Directory of canned queries.")]
Endpoint = Annotated[
    str | None,
    typer.Option("--endpoint", help="Run on this SPARQL 1.1 endpoint instead of the release."),
]
Timeout = Annotated[float, typer.Option(help="Seconds to wait for a remote endpoint.")]
DefaultGraphs = Annotated[
    list[str] | None,
    typer.Option(
        "--default-graph", help="With --endpoint: a default graph to ask for (repeatable)."
    ),
]
NamedGraphs = Annotated[
    list[str] | None,
    typer.Option("--named-graph", help="With --endpoint: a named graph to ask for (repeatable)."),
]
Format = Annotated[
    OutputFormat | None,
    typer.Option("--format", help="Output format (default: table on a terminal, else csv)."),
]

query_app = typer.Typer(help="Canned queries: list, show and run them.", no_args_is_help=True)
app.add_typer(query_app, name="query")


def _version(value: bool) -> None:
    if value:
        print(__version__)
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")
    ] = False,
) -> None:
    """Build, validate and describe munikg releases."""


def _fail(error: MunikgError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {error}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(error.exit_code)


def _status() -> AbstractContextManager[Any]:
    return err.status("munikg") if err.is_terminal else nullcontext()


@app.command("build")
def build_command(
    data: DataDir = Path("data"),
    ontology: OntologyDir = Path("ontology"),
    dist: DistDir = Path("dist"),
    release_version: Annotated[
        str | None,
        typer.Option(help="Release version (default: package version + input checksum)."),
    ] = None,
    base_url: Annotated[
        str, typer.Option(help="Where the release is served: download and endpoint links.")
    ] = BASE,
    publisher: Annotated[
        str, typer.Option(help="The publisher named in the DCAT catalogue.")
    ] = DEFAULT_PUBLISHER,
    publisher_orgnr: Annotated[
        str | None,
        typer.Option(help="The publisher's Swedish organisation number (NNNNNN-NNNN)."),
    ] = None,
) -> None:
    """Parse, validate and write an immutable release to the release directory.

    Exit 0 built, 1 SHACL violations, 2 bad input. On failure the previous release is untouched.
    """
    with _status() as status:

        def progress(message: str) -> None:
            if status is not None:
                status.update(message)

        try:
            if not base_url.startswith(("http://", "https://")):
                raise ParameterError(f"--base-url {base_url!r}: an absolute http(s) URL")
            if publisher_orgnr is not None and not luhn_ok(publisher_orgnr):
                raise ParameterError(
                    f"--publisher-orgnr {publisher_orgnr!r}: NNNNNN-NNNN with a valid check digit"
                )
            meta = build(
                Layout(ontology, data),
                dist,
                release_version,
                progress,
                base_url,
                publisher,
                publisher_orgnr,
            )
        except ValidationFailed as failure:
            if status is not None:
                status.stop()
            err.print(
                render(failure.violations, ReportFormat.text),
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
            raise _fail(failure) from None
        except MunikgError as error:
            raise _fail(error) from None
    err.print(
        f"Built release {meta['version']} in {dist}/: {meta['triples']} triples in "
        f"{len(meta['graphs'])} graphs (store/, {', '.join(sorted(meta['files']))}, "
        f"{METADATA_FILE}, SHA256SUMS).",
        highlight=False,
    )


@app.command("validate")
def validate_command(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help="A change set: Turtle files validated with the release as context."),
    ] = None,
    data: DataDir = Path("data"),
    ontology: OntologyDir = Path("ontology"),
    dist: DistDir = Path("dist"),
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = (
        ReportFormat.text
    ),
    lang: Annotated[Lang, typer.Option(help="Language of the messages.")] = Lang.en,
) -> None:
    """Validate the whole graph, or a change set of files against the release.

    Exit 0 conforms, 1 violations, 2 bad input.
    """
    layout = Layout(ontology, data)
    store = ox.Store()
    try:
        shapes = load_shapes(layout.shapes)
        if files:
            changed = read_inputs(list(files))
            everything = _context(layout, dist, changed) + changed
            fill(store, (q for f in everything for q in f.quads))
            violations = run_validation(
                store,
                shapes,
                lambda: everything,
                {iri(q.subject) for f in changed for q in f.quads},
            )
        else:
            paths = layout.input_paths()
            load_inputs(store, paths)
            violations = run_validation(store, shapes, lambda: read_inputs(paths))
    except MunikgError as error:
        raise _fail(error) from None
    out.print(render(violations, fmt, lang.value), markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1 if any(v.severity == "Violation" for v in violations) else 0)


def _context(layout: Layout, dist: Path, changed: list[TurtleFile]) -> list[TurtleFile]:
    """What a change set is validated against: the release around it (see
    :func:`munikg.store.around`), else the source files; less the graphs it replaces."""
    replaced = {f.graph.value for f in changed}
    if (dist / METADATA_FILE).is_file():
        release = Release.open(dist)
        mentioned = [q for f in changed for q in f.quads]
        schema_graphs = {graph_for(p).value for p in layout.ontology_dir.glob("*.ttl")}
        quads = around(release.store, mentioned, replaced, schema_graphs)
        return [TurtleFile(dist / DUMP_FILE, graph_for(dist / DUMP_FILE), quads)]
    paths = [p for p in layout.input_paths() if graph_for(p).value not in replaced]
    return read_inputs(paths)


@app.command("info")
def info_command(
    dist: DistDir = Path("dist"),
    fmt: Annotated[InfoFormat, typer.Option("--format", help="Output format.")] = InfoFormat.text,
) -> None:
    """What the release holds: version, counts per graph and per class, sources."""
    try:
        summary = summarise(Release.open(dist))
    except MunikgError as error:
        raise _fail(error) from None
    if fmt is InfoFormat.json:
        print(json.dumps(summary, indent=2, ensure_ascii=False))
        return
    out.print(f"[bold]{summary['release']}[/]  ({summary['date']}, {summary['triples']} triples)")
    graphs = Table("graph", "triples", title="Named graphs")
    for graph, n in sorted(summary["graphs"].items()):
        graphs.add_row(graph, str(n))
    classes = Table("class", "instances", title="Classes")
    for cls, n in summary["classes"].items():
        classes.add_row(cls, str(n))
    sources = Table("source", "published", "url", title="Sources")
    for s in summary["sources"]:
        sources.add_row(s["label"], s["issued"] or "", s["url"] or s["copy"])
    for table in (graphs, classes, sources):
        out.print(table)


def _where(
    dist: Path,
    endpoint: str | None,
    timeout: float,
    default: list[str] | None,
    named: list[str] | None,
) -> LocalGraph | RemoteGraph:
    if endpoint is None:
        if default or named:
            raise ParameterError("--default-graph and --named-graph need --endpoint")
        return LocalGraph.open(dist)
    return RemoteGraph(endpoint, timeout, tuple(default or ()), tuple(named or ()))


def _print_result(result: Result, fmt: OutputFormat | None) -> None:
    fmt = fmt or (OutputFormat.table if out.is_terminal else OutputFormat.csv)
    if fmt is not OutputFormat.table:
        text = render_result(result, fmt)
        print(text, end="" if text.endswith("\n") else "\n")
        return
    table = Table(*result.variables)
    for row in result.rows:
        table.add_row(*(_cell_text(row.get(v)) for v in result.variables))
    out.print(table)
    out.print(f"{len(result.rows)} row{'s' if len(result.rows) != 1 else ''}.", highlight=False)


def _cell_text(cell: object) -> str:
    if not isinstance(cell, Cell):
        return ""
    if cell.kind == "uri":
        return short(ox.NamedNode(cell.value))
    return cell.value + (f"@{cell.lang}" if cell.lang else "")


@query_app.command("list")
def query_list(
    queries: QueriesDir = Path("queries"),
    lang: Annotated[Lang, typer.Option(help="Language of titles.")] = Lang.en,
) -> None:
    """Every canned query: name, title, parameters."""
    try:
        found = canned.load(queries)
    except MunikgError as error:
        raise _fail(error) from None
    table = Table("name", "title", "parameters")
    for name, q in found.items():
        params = ", ".join(
            f"{p.name}:{p.type}" + (f"={p.default}" if p.default else "") for p in q.params
        )
        if not out.is_terminal:  # piped: one tab-separated line per query
            print(f"{name}\t{q.title(lang.value)}\t{params}")
        table.add_row(name, q.title(lang.value), params)
    if out.is_terminal:
        out.print(table)


@query_app.command("show")
def query_show(
    name: str,
    queries: QueriesDir = Path("queries"),
    lang: Annotated[Lang, typer.Option(help="Language of the description.")] = Lang.en,
) -> None:
    """A canned query: its question, parameters (type, default, allowed values) and SPARQL."""
    try:
        q = canned.find(canned.load(queries), name)
    except MunikgError as error:
        raise _fail(error) from None
    out.print(f"[bold]{q.title(lang.value)}[/]", highlight=False)
    out.print(q.description(lang.value), highlight=False)
    for p in q.params:
        default = f" (default {p.default})" if p.default else (" (required)" if p.required else "")
        text = p.description.get(lang.value) or p.description.get("en", "")
        out.print(f"  --param {p.name}=…  {p.allowed()}{default}. {text}", highlight=False)
    print()
    print(q.text)


@query_app.command("run")
def query_run(
    name: str,
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter as NAME=VALUE.")
    ] = None,
    dist: DistDir = Path("dist"),
    queries: QueriesDir = Path("queries"),
    endpoint: Endpoint = None,
    timeout: Timeout = 30.0,
    default_graph: DefaultGraphs = None,
    named_graph: NamedGraphs = None,
    fmt: Format = None,
    lang: Annotated[
        Lang | None, typer.Option(help="Language of labels, for queries that take `lang`.")
    ] = None,
) -> None:
    """Run a canned query on the release, or on a remote endpoint with --endpoint.

    Exit 0 answered, 2 bad query name or parameter, 3 endpoint failure.
    """
    given: dict[str, str] = {}
    for item in param or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise _fail(ParameterError(f"--param {item!r}: expected NAME=VALUE"))
        given[key] = value
    try:
        where = _where(dist, endpoint, timeout, default_graph, named_graph)
        kg = KnowledgeGraph(where, canned.load(queries))
        if lang is not None and any(p.name == "lang" for p in kg.canned(name).params):
            given.setdefault("lang", lang.value)
        result = kg.query(name, **given)
    except MunikgError as error:
        raise _fail(error) from None
    _print_result(result, fmt)


@app.command("sparql")
def sparql_command(
    query: Annotated[str | None, typer.Argument(help="A SPARQL SELECT query.")] = None,
    file: Annotated[
        Path | None, typer.Option("--file", "-f", help="Read the query from a file.")
    ] = None,
    dist: DistDir = Path("dist"),
    endpoint: Endpoint = None,
    timeout: Timeout = 30.0,
    default_graph: DefaultGraphs = None,
    named_graph: NamedGraphs = None,
    fmt: Format = None,
) -> None:
    """Run an ad-hoc SPARQL SELECT on the release, or on a remote endpoint.

    Exit 0 answered, 2 bad query, 3 endpoint failure.
    """
    if (query is None) == (file is None):
        raise _fail(ParameterError("give a query or --file, not both or neither"))
    try:
        text = file.read_text(encoding="utf-8") if file else str(query)
        result = _where(dist, endpoint, timeout, default_graph, named_graph).select(text)
    except OSError as error:
        raise _fail(BadInput(file, str(error.strerror))) from None
    except MunikgError as error:
        raise _fail(error) from None
    _print_result(result, fmt)


ExportFormat = StrEnum("ExportFormat", {name: name for name in export.FORMATS})  # type: ignore[misc]


@app.command("export")
def export_command(
    fmt: Annotated[
        ExportFormat, typer.Option("--format", help="trig and nq keep the named graphs.")
    ],
    graph: Annotated[
        str | None, typer.Option(help="Only this named graph (e.g. icld-partnerships).")
    ] = None,
    out: Annotated[str, typer.Option("--out", help="File to write; - for stdout.")] = "-",
    dist: DistDir = Path("dist"),
) -> None:
    """Write the release (or one graph) in a standard RDF format, sorted and reproducible.

    Graph formats (ttl, nt, rdf) hold the merge of all sources, or the one --graph.
    Exit 0 written, 2 bad format, graph or release.
    """
    fmt_ = export.FORMATS[str(fmt.value)]
    try:
        release = Release.open(dist)
        context = read_context(dist / CONTEXT_FILE)
        if graph is not None:
            export.check_graph(release.store, graph)  # before a file is opened
        if out == "-":
            export.dump(release.store, fmt_, context, sys.stdout.buffer, graph)
            sys.stdout.buffer.flush()
            return
    except MunikgError as error:
        raise _fail(error) from None
    target = Path(out)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("wb") as written:
            export.dump(release.store, fmt_, context, written, graph)
        os.replace(partial, target)  # a failed write leaves an existing file as it was
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise _fail(BadInput(target, error.strerror or str(error))) from None
    err.print(f"Wrote {target} ({target.stat().st_size} bytes).", highlight=False)


@app.command("verify")
def verify_command(
    dist: Annotated[Path, typer.Argument(help="The release directory.")] = Path("dist"),
) -> None:
    """Check every file of a release against its SHA256SUMS. Exit 0 intact, 1 not."""
    problems = checksums.verify(dist)
    for problem in problems:
        err.print(f"{dist}/{problem}", highlight=False, markup=False)
    if problems:
        raise typer.Exit(1)
    out.print(f"{dist}: every file matches SHA256SUMS.", highlight=False)


@app.command("serve")
def serve_command(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    base_url: Annotated[
        str | None,
        typer.Option(help="The site's public URL, if not http://HOST:PORT/ (behind a proxy)."),
    ] = None,
    release: Annotated[
        Path, typer.Option("--release", "--dist", help="Release directory (built if missing).")
    ] = Path("dist"),
    queries: QueriesDir = Path("queries"),
    data: DataDir = Path("data"),
    ontology: OntologyDir = Path("ontology"),
    time_limit: Annotated[
        float, typer.Option(help="Seconds a query may run before it is stopped.")
    ] = 10.0,
    row_limit: Annotated[int, typer.Option(help="Rows (or triples) in one answer.")] = 10_000,
    max_request_bytes: Annotated[
        int, typer.Option(help="Largest query or request body, in bytes.")
    ] = 64 * 1024,
    rate_limit: Annotated[
        int, typer.Option(help="Queries per client per minute (0: no limit).")
    ] = 120,
    workers: Annotated[
        int | None, typer.Option(help="Query worker processes (default: 2 per core).")
    ] = None,
    cache_entries: Annotated[
        int, typer.Option(help="Answers kept in memory for repeated queries (0: none).")
    ] = 256,
    memory_limit: Annotated[
        int | None,
        typer.Option(
            help="Resident memory (MB) a query worker may reach before its query is stopped "
            "(default: a quarter of the machine shared by the workers, at most 2048)."
        ),
    ] = None,
    client_share: Annotated[
        int | None,
        typer.Option(help="Query workers one client may hold at once (default: half of them)."),
    ] = None,
    client_budget: Annotated[
        float,
        typer.Option(help="Seconds of query time per client per minute (0: no budget)."),
    ] = 60.0,
    client_queue: Annotated[
        int,
        typer.Option(help="A client's queries that may wait for a worker beyond its share."),
    ] = 16,
    trust_proxy: Annotated[
        list[str] | None,
        typer.Option(
            help="A proxy's address (or CIDR) whose X-Forwarded-For names the client "
            "(repeatable; by default clients are told apart by their own address)."
        ),
    ] = None,
) -> None:
    """Serve the release: SPARQL endpoint, linked-data pages, query forms and editor.

    Builds the release first if there is none. Ctrl-C stops. Exit 2 on a bad option or input.
    """
    from munikg.serve.app import run
    from munikg.serve.site import Settings

    checks = {
        "--port": 0 < port < 65536,
        "--time-limit": time_limit > 0,
        "--row-limit": row_limit > 0,
        "--max-request-bytes": max_request_bytes >= 1024,
        "--rate-limit": rate_limit >= 0,
        "--workers": workers is None or workers > 0,
        "--cache-entries": cache_entries >= 0,
        "--memory-limit": memory_limit is None or memory_limit >= 64,
        "--client-share": client_share is None or client_share > 0,
        "--client-budget": client_budget >= 0,
        "--client-queue": client_queue >= 0,
        "--base-url": base_url is None or base_url.startswith(("http://", "https://")),
    }
    for option, ok in checks.items():
        if not ok:
            raise _fail(ParameterError(f"{option}: out of range (see munikg serve --help)"))
    settings = Settings(
        release=release,
        queries=queries,
        host=host,
        port=port,
        base_url=base_url,
        time_limit=time_limit,
        row_limit=row_limit,
        max_request_bytes=max_request_bytes,
        rate_limit=rate_limit,
        cache_entries=cache_entries,
        client_budget=client_budget,
        client_queue=client_queue,
        trusted_proxies=tuple(trust_proxy or ()),
        **({"workers": workers} if workers is not None else {}),
        **({"memory_limit_mb": memory_limit} if memory_limit is not None else {}),
        **({"client_share": client_share} if client_share is not None else {}),
    )
    if not (release / METADATA_FILE).is_file():
        err.print(f"No release in {release}/; building it first.", highlight=False)
        build_command(data, ontology, release, None, settings.public_url)
    try:
        run(settings, announce=lambda text: print(text, file=sys.stderr, flush=True))
    except MunikgError as error:
        raise _fail(error) from None
    except OSError as error:  # the port is taken, the address is not ours
        raise _fail(BadInput(None, f"cannot serve on {host}:{port}: {error}")) from None


@app.command("publish")
def publish_command(
    to: Annotated[str, typer.Option("--to", help="The store's SPARQL query endpoint URL.")],
    graph: Annotated[
        str | None, typer.Option(help="Publish only this graph (e.g. reference).")
    ] = None,
    all_graphs: Annotated[
        bool, typer.Option("--all-graphs", help="Publish every graph and the merge (default).")
    ] = False,
    update: Annotated[
        str | None, typer.Option(help="The SPARQL Update endpoint, if not derived from --to.")
    ] = None,
    gsp: Annotated[
        str | None,
        typer.Option(help="The Graph Store HTTP Protocol endpoint, if not derived from --to."),
    ] = None,
    no_gsp: Annotated[
        bool, typer.Option("--no-gsp", help="Load by SPARQL Update even where GSP is offered.")
    ] = False,
    user: Annotated[
        str | None, typer.Option(envvar="MUNIKG_PUBLISH_USER", help="User name for the store.")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="MUNIKG_PUBLISH_PASSWORD", help="Password (better: the environment variable)."
        ),
    ] = None,
    digest: Annotated[
        bool, typer.Option("--digest", help="HTTP Digest authentication (Virtuoso).")
    ] = False,
    batch: Annotated[int, typer.Option(help="Triples per request while loading.")] = 1000,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Say what would change; write nothing.")
    ] = False,
    dist: DistDir = Path("dist"),
) -> None:
    """Publish the release to a SPARQL 1.1 store, replacing its graphs atomically.

    Exit 0 published (or nothing to do), 2 bad option or release, 3 the store failed
    (what was published before is untouched).
    """
    from munikg.remote.publish import DEFAULT, MERGE, Target, publish

    if graph is not None and all_graphs:
        raise _fail(ParameterError("--graph and --all-graphs exclude each other"))
    if batch < 1:
        raise _fail(ParameterError("--batch: at least 1"))
    if not to.startswith(("http://", "https://")):
        raise _fail(ParameterError(f"--to {to!r}: an http(s) URL"))
    target = Target.from_url(to, update, gsp, user, password, digest)
    if no_gsp:
        target.gsp_url = None
    started = time.monotonic()
    with _progress() as advance:
        try:
            report = publish(Release.open(dist), target, graph, dry_run, batch, advance)
        except MunikgError as error:
            raise _fail(error) from None
    for plan in report.graphs:
        name = "default graph (merge)" if plan.name == DEFAULT else plan.name
        state = "changed" if plan.changed else "unchanged"
        err.print(f"  {name}: {len(plan.lines)} triples, {state}", highlight=False)
    if dry_run:
        err.print(
            f"Dry run: {len(report.changed)} of {len(report.graphs)} graphs would be replaced "
            f"at {target.update_url}.",
            highlight=False,
        )
        return
    if not report.changed:
        err.print(f"Release {report.release} is already published at {to}; nothing to do.")
        return
    err.print(
        f"Published release {report.release} to {to}: {report.loaded} triples in "
        f"{len(report.changed)} graphs by {report.method}, {report.throughput:,.0f} triples/s "
        f"({time.monotonic() - started:.1f} s in all).",
        highlight=False,
    )
    if report.dropped:
        err.print(f"Dropped graphs the release no longer has: {', '.join(report.dropped)}")
    if report.union_default:
        named = " ".join(f"--named-graph {p.name}" for p in report.graphs if p.name != DEFAULT)
        err.print(
            "This store's default graph is the union of all its graphs; the merge is in "
            f"<{MERGE}>. Query it as the release: --default-graph {MERGE} {named}",
            highlight=False,
            soft_wrap=True,
        )


@contextmanager
def _progress() -> Iterator[Any]:
    """Progress with triples/s: a bar on a terminal, a line per graph and tenth otherwise."""
    if err.is_terminal:
        from rich.progress import Progress as Bar

        with Bar(console=err, transient=True) as bar:
            tasks: dict[str, Any] = {}
            started = time.monotonic()

            def advance(what: str, done: int, total: int) -> None:
                if what not in tasks:
                    tasks[what] = bar.add_task(f"staging {what}", total=total)
                rate = done / max(time.monotonic() - started, 1e-6)
                bar.update(
                    tasks[what],
                    completed=done,
                    description=f"staging {what} ({rate:,.0f} triples/s)",
                )

            yield advance
        return
    shown: dict[str, int] = {}

    def report(what: str, done: int, total: int) -> None:
        tenth = (10 * done) // max(total, 1)
        if shown.get(what) != tenth:
            shown[what] = tenth
            print(f"staging {what}: {done}/{total} triples", file=sys.stderr, flush=True)

    yield report


link_app = typer.Typer(help="Propose links to other datasets, for review.", no_args_is_help=True)
app.add_typer(link_app, name="link")


@link_app.command("wikidata")
def link_wikidata_command(
    endpoint: Annotated[
        str, typer.Option(help="SPARQL endpoint holding Wikidata.")
    ] = "https://query.wikidata.org/sparql",
    out: Annotated[
        Path, typer.Option("--out", help="The review file to write (never in --data).")
    ] = Path("review/wikidata-links.ttl"),
    timeout: Annotated[float, typer.Option(help="Seconds per request.")] = 60.0,
    retries: Annotated[int, typer.Option(help="Retries on 429 and 5xx, with backoff.")] = 5,
    dist: DistDir = Path("dist"),
    data: DataDir = Path("data"),
) -> None:
    """Propose Wikidata QIDs for municipalities and organisations that lack one.

    By official identifier (P525 municipality code, P6460 organisation number), else by
    label as a low-confidence candidate; conflicts with recorded QIDs are reported.
    Exit 0 written, 2 bad option or release, 3 endpoint failure.
    """
    from munikg.remote.wikidata import Client, propose, review_file

    if out.resolve().is_relative_to(data.resolve()):
        raise _fail(
            ParameterError(f"--out {out}: proposals go to a review file, never into {data}/")
        )
    if retries < 0 or timeout <= 0:
        raise _fail(ParameterError("--retries must be ≥ 0 and --timeout > 0"))
    client = Client(endpoint, timeout, retries)
    try:
        links = propose(Release.open(dist), client)
    except MunikgError as error:
        raise _fail(error) from None
    text = review_file(links, endpoint, time.strftime("%Y-%m-%d"))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, out)
    except OSError as error:
        raise _fail(BadInput(out, error.strerror or str(error))) from None
    by_id = sum(p.grade == "a" for p in links.proposals)
    for conflict in links.conflicts:
        err.print(
            f"conflict: {conflict.entity}: {conflict.why} ({conflict.found})",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    err.print(
        f"Checked {links.checked} organisations: {by_id} links by official identifier, "
        f"{len(links.proposals) - by_id} label-only candidates, {len(links.conflicts)} "
        f"conflicts; written to {out} for review.",
        highlight=False,
        soft_wrap=True,
    )


@app.command("synth")
def synth_command(
    triples: Annotated[int, typer.Option(help="About how many synthetic triples to write.")],
    out: Annotated[Path, typer.Option("--out", help="Directory; its data/ is replaced.")],
    seed: Annotated[int, typer.Option(help="Same seed, same files.")] = 1,
    data: DataDir = Path("data"),
) -> None:
    """Write a synthetic graph of the real one's shape, for tests and benchmarks at scale.

    OUT/data/ gets the curated files and synthetic ones; build it with
    `munikg build --data OUT/data --dist OUT/dist`. Exit 0 written, 2 bad option.
    """
    from munikg.synth import generate

    if triples < 1000:
        raise _fail(ParameterError("--triples: at least 1000"))
    if out.resolve() == data.resolve().parent or out.resolve() == Path.cwd().resolve():
        raise _fail(ParameterError(f"--out {out}: a directory of its own (its data/ is replaced)"))
    try:
        written = generate(triples, seed, out, Layout(Path("ontology"), data))
    except OSError as error:
        raise _fail(BadInput(out, error.strerror or str(error))) from None
    err.print(
        f"Wrote {written.triples} synthetic triples in {len(written.files)} files to "
        f"{out}/data/ (with the curated files). Build: munikg build --data {out}/data "
        f"--dist {out}/dist",
        highlight=False,
        soft_wrap=True,
    )
