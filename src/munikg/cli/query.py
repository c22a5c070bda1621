"""``munikg query`` and ``munikg sparql``: canned and ad-hoc queries, on the release or an
endpoint."""

from pathlib import Path
from typing import Annotated

import pyoxigraph as ox
import typer
from rich.table import Table

from munikg.api import KnowledgeGraph
from munikg.cli.common import (
    DefaultGraphs,
    DistDir,
    Endpoint,
    Format,
    Lang,
    NamedGraphs,
    QueriesDir,
    Timeout,
    app,
    fail,
    out,
    query_app,
)
from munikg.errors import BadInput, MunikgError
from munikg.query import canned
from munikg.query.backends import LocalGraph, RemoteGraph
from munikg.query.params import ParameterError
from munikg.query.results import Cell, OutputFormat, Result, format_result
from munikg.terms import short


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
        text = format_result(result, fmt)
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
    queries: QueriesDir = None,
    lang: Annotated[Lang, typer.Option(help="Language of titles.")] = Lang.en,
) -> None:
    """Every canned query: name, title, parameters."""
    try:
        found = canned.load(queries)
    except MunikgError as error:
        raise fail(error) from None
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
    queries: QueriesDir = None,
    lang: Annotated[Lang, typer.Option(help="Language of the description.")] = Lang.en,
) -> None:
    """A canned query: its question, parameters (type, default, allowed values) and SPARQL."""
    try:
        q = canned.find(canned.load(queries), name)
    except MunikgError as error:
        raise fail(error) from None
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
    queries: QueriesDir = None,
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
            raise fail(ParameterError(f"--param {item!r}: expected NAME=VALUE"))
        given[key] = value
    try:
        where = _where(dist, endpoint, timeout, default_graph, named_graph)
        if queries is None and isinstance(where, LocalGraph):  # the release's own questions
            queries = where.release.queries if where.release else None
        kg = KnowledgeGraph(where, canned.load(queries))
        if lang is not None and any(p.name == "lang" for p in kg.canned(name).params):
            given.setdefault("lang", lang.value)
        result = kg.query(name, **given)
    except MunikgError as error:
        raise fail(error) from None
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
        raise fail(ParameterError("give a query or --file, not both or neither"))
    try:
        text = file.read_text(encoding="utf-8") if file else str(query)
        result = _where(dist, endpoint, timeout, default_graph, named_graph).select(text)
    except OSError as error:
        raise fail(BadInput(file, str(error.strerror))) from None
    except MunikgError as error:
        raise fail(error) from None
    _print_result(result, fmt)
