"""``munikg publish`` and ``munikg link wikidata``: other stores."""

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer

from munikg.cli.common import DataDir, DistDir, app, err, fail, link_app
from munikg.errors import BadInput, MunikgError
from munikg.query.params import ParameterError
from munikg.release import (
    Release,
)


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
        raise fail(ParameterError("--graph and --all-graphs exclude each other"))
    if batch < 1:
        raise fail(ParameterError("--batch: at least 1"))
    if not to.startswith(("http://", "https://")):
        raise fail(ParameterError(f"--to {to!r}: an http(s) URL"))
    target = Target.from_url(to, update, gsp, user, password, digest)
    if no_gsp:
        target.gsp_url = None
    started = time.monotonic()
    with _progress() as advance:
        try:
            report = publish(Release.open(dist), target, graph, dry_run, batch, advance)
        except MunikgError as error:
            raise fail(error) from None
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
        raise fail(
            ParameterError(f"--out {out}: proposals go to a review file, never into {data}/")
        )
    if retries < 0 or timeout <= 0:
        raise fail(ParameterError("--retries must be ≥ 0 and --timeout > 0"))
    client = Client(endpoint, timeout, retries)
    try:
        links = propose(Release.open(dist), client)
    except MunikgError as error:
        raise fail(error) from None
    text = review_file(links, endpoint, time.strftime("%Y-%m-%d"))
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial = out.with_name(f".{out.name}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, out)
    except OSError as error:
        raise fail(BadInput(out, error.strerror or str(error))) from None
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
