"""The ``munikg`` command: build, validate and describe a release."""

import json
from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import pyoxigraph as ox
import typer
from rich.console import Console
from rich.table import Table

from munikg import __version__
from munikg.errors import MunikgError
from munikg.info import summarise
from munikg.inputs import Layout, graph_for, read_inputs
from munikg.release import DUMP_FILE, METADATA_FILE, Release, ValidationFailed, build
from munikg.report import ReportFormat, render
from munikg.shapes import load_shapes
from munikg.store import fill
from munikg.terms import iri
from munikg.turtle import TurtleFile
from munikg.validate import validate as run_validation

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
) -> None:
    """Parse, validate and write an immutable release to the release directory.

    Exit 0 built, 1 SHACL violations, 2 bad input. On failure the previous release is untouched.
    """
    with _status() as status:

        def progress(message: str) -> None:
            if status is not None:
                status.update(message)

        try:
            meta = build(Layout(ontology, data), dist, release_version, progress)
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
        f"{len(meta['graphs'])} graphs ({DUMP_FILE}, store/, {METADATA_FILE}).",
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
    try:
        shapes = load_shapes(layout.shapes)
        if files:
            changed = read_inputs(list(files))
            context = _context(layout, dist, changed)
            focus = {iri(q.subject) for f in changed for q in f.quads}
        else:
            changed, context, focus = read_inputs(layout.input_paths()), [], None
    except MunikgError as error:
        raise _fail(error) from None
    everything = context + changed
    store = ox.Store()
    fill(store, (q for f in everything for q in f.quads))
    violations = run_validation(everything, shapes, store, focus)
    out.print(render(violations, fmt, lang.value), markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1 if any(v.severity == "Violation" for v in violations) else 0)


def _context(layout: Layout, dist: Path, changed: list[TurtleFile]) -> list[TurtleFile]:
    """What a change set is validated against: the release, else the source files, less
    the graphs the change set replaces."""
    replaced = {f.graph.value for f in changed}
    if (dist / METADATA_FILE).is_file():
        release = Release.open(dist)
        quads = [q for q in release.quads() if iri(q.graph_name) not in replaced]
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
