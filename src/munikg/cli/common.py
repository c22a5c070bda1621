"""What every ``munikg`` command shares: the Typer application, its consoles, option types,
and how an error becomes a message and an exit code."""

from contextlib import AbstractContextManager, nullcontext
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

from munikg import __version__
from munikg.errors import MunikgError
from munikg.query.results import OutputFormat

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
DistDir = Annotated[Path, typer.Option("--dist", envvar="MUNIKG_DIST", help="Release directory.")]
QueriesDir = Annotated[
    Path | None,
    typer.Option(
        "--queries",
        envvar="MUNIKG_QUERIES",
        help="Directory of canned queries (default: the ones munikg ships).",
    ),
]
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


def fail(error: MunikgError) -> typer.Exit:
    err.print(f"[bold red]error:[/] {error}", markup=True, highlight=False, soft_wrap=True)
    return typer.Exit(error.exit_code)


def spinner() -> AbstractContextManager[Any]:
    return err.status("munikg") if err.is_terminal else nullcontext()


link_app = typer.Typer(help="Propose links to other datasets, for review.", no_args_is_help=True)
app.add_typer(link_app, name="link")
