"""``munikg build``, ``validate``, ``info``, ``export``, ``verify`` and ``synth``: making a
release and looking at it."""

import json
import os
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.table import Table

from munikg.artefacts import checksums, export, harvest
from munikg.artefacts.catalog import DEFAULT_PUBLISHER, Publisher
from munikg.build.inputs import Layout, graph_for, load_inputs, read_inputs
from munikg.build.pipeline import ValidationFailed, build
from munikg.cli.common import (
    DataDir,
    DistDir,
    InfoFormat,
    Lang,
    OntologyDir,
    app,
    err,
    fail,
    out,
    spinner,
)
from munikg.errors import BadInput, MunikgError
from munikg.namespaces import BASE
from munikg.query.info import summarise
from munikg.query.params import ParameterError
from munikg.release import (
    CONTEXT_FILE,
    DUMP_FILE,
    METADATA_FILE,
    Release,
    read_context,
)
from munikg.shacl.report import ReportFormat, format_report
from munikg.shacl.shapes import load_shapes
from munikg.shacl.standalone import validate_files
from munikg.shacl.validate import Engine
from munikg.shacl.validate import validate as run_validation
from munikg.store import around, fill
from munikg.terms import iri
from munikg.turtle import TurtleFile


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
    contact_email: Annotated[
        str | None,
        typer.Option(help="The catalogue's contact address (DCAT-AP-SE requires one)."),
    ] = None,
    publisher_type: Annotated[
        str | None,
        typer.Option(help="The publisher's ADMS publisher type, e.g. LocalAuthority."),
    ] = None,
) -> None:
    """Parse, validate and write an immutable release to the release directory.

    Exit 0 built, 1 SHACL violations, 2 bad input. On failure the previous release is untouched.
    """
    with spinner() as status:

        def progress(message: str) -> None:
            if status is not None:
                status.update(message)

        try:
            if not base_url.startswith(("http://", "https://")):
                raise ParameterError(f"--base-url {base_url!r}: an absolute http(s) URL")
            try:
                who = Publisher(publisher, publisher_orgnr, contact_email, publisher_type)
            except MunikgError as error:
                raise ParameterError(str(error)) from None
            meta = build(Layout(ontology, data), dist, release_version, progress, base_url, who)
        except ValidationFailed as failure:
            if status is not None:
                status.stop()
            err.print(
                format_report(failure.violations, ReportFormat.text),
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
            raise fail(failure) from None
        except MunikgError as error:
            raise fail(error) from None
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
        typer.Argument(
            help="A change set: Turtle files validated with the release as context; with "
            "--shapes, the data files to validate alone."
        ),
    ] = None,
    shapes_file: Annotated[
        Path | None,
        typer.Option(
            "--shapes",
            help="Validate FILES (any Turtle) against this shapes file, as a SHACL processor "
            "does, instead of munikg's graph against its own shapes.",
        ),
    ] = None,
    engine: Annotated[
        Engine, typer.Option(help="auto: compiled where exact, pySHACL for the rest.")
    ] = Engine.auto,
    data: DataDir = Path("data"),
    ontology: OntologyDir = Path("ontology"),
    dist: DistDir = Path("dist"),
    fmt: Annotated[ReportFormat, typer.Option("--format", help="Report format.")] = (
        ReportFormat.text
    ),
    lang: Annotated[Lang, typer.Option(help="Language of the messages.")] = Lang.en,
) -> None:
    """Validate the whole graph, a change set of files against the release, or (--shapes)
    any data against any shapes.

    Exit 0 conforms, 1 does not (any result, of any severity), 2 bad input or shapes the
    chosen engine refuses.
    """
    layout = Layout(ontology, data)
    store = ox.Store()
    try:
        if shapes_file is not None:
            if not files:
                raise ParameterError("--shapes: give the data files to validate")
            shapes, violations = validate_files(shapes_file, list(files), engine)
        else:
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
                    engine=engine,
                )
            else:
                paths = layout.input_paths()
                load_inputs(store, paths)
                violations = run_validation(
                    store, shapes, lambda: read_inputs(paths), engine=engine
                )
    except MunikgError as error:
        raise fail(error) from None
    report = format_report(violations, fmt, lang.value, shapes.graph)
    out.print(report, markup=False, highlight=False, soft_wrap=True)
    raise typer.Exit(1 if violations else 0)


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
        raise fail(error) from None
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
            export.dump(dist, fmt_, context, sys.stdout.buffer, graph)
            sys.stdout.buffer.flush()
            return
    except MunikgError as error:
        raise fail(error) from None
    target = Path(out)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("wb") as written:
            export.dump(dist, fmt_, context, written, graph)
        os.replace(partial, target)  # a failed write leaves an existing file as it was
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise fail(BadInput(target, error.strerror or str(error))) from None
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


@app.command("check-catalog")
def check_catalog_command(dist: DistDir = Path("dist")) -> None:
    """Which of dataportal.se's harvest rules the release's catalogue keeps. Exit 0 all kept,
    1 some not yet (each says what to give the build), 2 no release."""
    try:
        Release.open(dist)
    except MunikgError as error:
        raise fail(error) from None
    rules = harvest.check(dist)
    for rule in rules:
        mark = "kept    " if rule.kept else "NOT KEPT"
        detail = f" ({rule.detail})" if rule.detail else ""
        out.print(f"{mark}  {rule.rule}{detail}", highlight=False, markup=False, soft_wrap=True)
    if not all(rule.kept for rule in rules):
        raise typer.Exit(1)


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
        raise fail(ParameterError("--triples: at least 1000"))
    if out.resolve() == data.resolve().parent or out.resolve() == Path.cwd().resolve():
        raise fail(ParameterError(f"--out {out}: a directory of its own (its data/ is replaced)"))
    try:
        written = generate(triples, seed, out, Layout(Path("ontology"), data))
    except OSError as error:
        raise fail(BadInput(out, error.strerror or str(error))) from None
    err.print(
        f"Wrote {written.triples} synthetic triples in {len(written.files)} files to "
        f"{out}/data/ (with the curated files). Build: munikg build --data {out}/data "
        f"--dist {out}/dist",
        highlight=False,
        soft_wrap=True,
    )
