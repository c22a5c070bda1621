"""The query UI: every canned query as a form, its answer as a table with labelled links and
downloads (CSV, SPARQL JSON, Turtle), a shareable link that names the release; and a SPARQL
editor with the canned queries as examples. Queries run through the same guarded, time-limited
workers as ``/sparql``.
"""

import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from munikg.namespaces import PREFIXES
from munikg.query.canned import CannedQuery, Column, find
from munikg.query.params import Param, ParameterError, to_term
from munikg.query.results import Cell
from munikg.query.stored import Listed, Listing
from munikg.serve.answers import PeopleTable, people_table
from munikg.serve.i18n import translator
from munikg.serve.messages import Boolean, Solutions, Triples, solution_chunks
from munikg.serve.negotiation import HTML, SPARQL_JSON, TURTLE, choose
from munikg.serve.site import RELEASE_HEADER, Site, rate_limited, site_of
from munikg.serve.snippets import SNIPPET_NAMES, snippets
from munikg.serve.views.sparql import ProtocolError, limits_note, read_body, run
from munikg.terms import short

RS = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
DOWNLOADS = {"csv": "text/csv", "json": SPARQL_JSON, "ttl": TURTLE}
STARTER = """
SELECT ?class (COUNT(?s) AS ?n)
WHERE { ?s a ?class }
GROUP BY ?class
ORDER BY DESC(?n)
"""
EDITOR_PREFIXES = ("mk", "org", "schema", "prov", "skos", "rdfs", "dcterms", "xsd")
# What the editor's answer downloads as (the endpoint's ``format=`` names).
EDITOR_DOWNLOADS = {"rows": ("csv", "tsv", "json"), "graph": ("ttl", "jsonld")}


@dataclass
class Field:
    """A parameter as a form field: its value, and its choices when the set is closed."""

    param: Param
    value: str
    choices: list[tuple[str, str]]  # (value, label)
    label: str  # the parameter's description in the reader's language
    hint: str  # what to type, in plain words (nothing for a choice from a list)


async def query_list(request: Request) -> Response:
    site = site_of(request)
    return site.page(
        request, "queries.html", {"queries": sorted(site.queries.values(), key=lambda q: q.name)}
    )


def _choices(site: Site, param: Param, lang: str) -> list[tuple[str, str]]:
    """The closed set a parameter draws from, as (value, label) pairs."""
    found = site.choices(param) or []
    pairs = [
        (c.value, (site.labels.get(c.node.value, lang) or short(c.node)) if c.node else c.value)
        for c in found
    ]
    return pairs if param.values else sorted(pairs, key=lambda c: c[1].lower())


def _fields(site: Site, query: CannedQuery, given: dict[str, str], lang: str) -> list[Field]:
    """The form's fields, each showing exactly the value the answer below it is for."""
    fields = []
    for param in query.params:
        value = given.get(param.name) or (lang if param.name == "lang" else param.default) or ""
        choices = _choices(site, param, lang)
        if choices and value:
            value, choices = _selected(param, value, choices)
        label = param.description.get(lang) or param.description.get("en") or param.name
        hint = "" if choices else plain_hint(param, translator(lang))
        fields.append(Field(param, value, choices, label, hint))
    return fields


def plain_hint(param: Param, t: Callable[..., str]) -> str:
    """What a free-text field takes, without RDF words (its errors still name the IRI form)."""
    key = "hint_entity" if param.type == "iri" else f"hint_{param.type}"
    hint = t("hint_text") if param.type == "string" else t(key)
    if param.minimum is not None and param.maximum is not None:
        hint += ", " + t("hint_between", low=param.minimum, high=param.maximum)
    return hint


def _selected(
    param: Param, value: str, choices: list[tuple[str, str]]
) -> tuple[str, list[tuple[str, str]]]:
    """``value`` spelt as the choice that means the same term (a slug and its IRI are one
    value); a value no choice means stays, as an option of its own, so the form never shows
    another value than the one asked (the answer then says why it is refused)."""
    try:
        term = to_term(param, value)
    except ParameterError:
        return value, [(value, value), *choices]
    for choice, _label in choices:
        try:
            if to_term(param, choice) == term:
                return choice, choices
        except ParameterError:
            continue
    return value, [(value, value), *choices]


def table(
    site: Site, solutions: Solutions, lang: str, query: CannedQuery | None = None
) -> PeopleTable:
    """An answer for people: a canned query's column titles and view; an editor query's
    ``?xLabel`` folded into its ``?x``, as WDQS's label service names them."""
    if query is not None:
        columns, view = query.columns, query.view
    else:
        names = set(solutions.variables)
        columns = {v: Column(v, {"en": v}, v + "Label") for v in names if v + "Label" in names}
        view = "table"
    return people_table(
        solutions, columns, lambda iri: site.labels.get(iri, lang), site.countries, lang, view
    )


def result_turtle(solutions: Solutions) -> bytes:
    """A SELECT answer as RDF in the W3C result-set vocabulary (as the SPARQL test suites use)."""
    rs = ox.BlankNode("results")
    triples = [
        ox.Triple(rs, ox.NamedNode(PREFIXES["rdf"] + "type"), ox.NamedNode(RS + "ResultSet"))
    ]
    triples += [
        ox.Triple(rs, ox.NamedNode(RS + "resultVariable"), ox.Literal(v))
        for v in solutions.variables
    ]
    for n, row in enumerate(solutions.rows, 1):
        solution = ox.BlankNode(f"s{n}")
        triples.append(ox.Triple(rs, ox.NamedNode(RS + "solution"), solution))
        triples.append(
            ox.Triple(
                solution,
                ox.NamedNode(RS + "index"),
                ox.Literal(str(n), datatype=ox.NamedNode(PREFIXES["xsd"] + "integer")),
            )
        )
        for variable, cell in zip(solutions.variables, row, strict=True):
            if cell is None:
                continue
            binding = ox.BlankNode(f"s{n}{variable}")
            triples.append(ox.Triple(solution, ox.NamedNode(RS + "binding"), binding))
            triples.append(ox.Triple(binding, ox.NamedNode(RS + "variable"), ox.Literal(variable)))
            triples.append(ox.Triple(binding, ox.NamedNode(RS + "value"), _term(cell)))
    prefixes = {"rs": RS, "rdf": PREFIXES["rdf"], "xsd": PREFIXES["xsd"]}
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""


def _term(cell: Cell) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if cell.kind == "uri":
        return ox.NamedNode(cell.value)
    if cell.kind == "bnode":
        return ox.BlankNode(cell.value)
    if cell.lang:
        return ox.Literal(cell.value, language=cell.lang)
    return ox.Literal(
        cell.value, datatype=ox.NamedNode(cell.datatype or PREFIXES["xsd"] + "string")
    )


async def query_page(request: Request) -> Response:
    """``/queries/NAME``: the form and, once every required value is there, the answer;
    ``/queries/NAME.csv|json|ttl`` the answer as a file."""
    site = site_of(request)
    lang = site.lang(request)
    t = translator(lang)
    name: str = request.path_params["name"]
    stem, _, extension = name.rpartition(".")
    download = extension if stem and extension in DOWNLOADS else None
    if download is None:  # the same URL answers programs in their format
        stem = name
        wanted = choose(request.headers.get("accept"), [HTML, *DOWNLOADS.values()])
        download = next((ext for ext, media in DOWNLOADS.items() if media == wanted), None)
    try:
        query = find(site.queries, stem)
    except ParameterError:
        return site.error_page(request, 404, t("not_found"))
    given = {
        k: v
        for k, v in request.query_params.items()
        if v != "" and k not in {"lang", "release", "run", "page"}
    }
    try:
        for key in given:  # a typo is an error, as on the command line, not the default
            query.param(key)
        page = page_number(request.query_params.get("page"))
    except ParameterError as error:
        if download:
            return Response(f"{error}\n", 400, media_type="text/plain")
        return site.error_page(request, 400, str(error))
    fields = await run_in_threadpool(_fields, site, query, given, lang)
    values = {f.param.name: f.value for f in fields if f.value}
    context: dict[str, Any] = {"query": query, "fields": fields, "error": None, "answer": None}
    pinned = request.query_params.get("release")
    context["pinned"] = pinned if pinned and pinned != site.version else None
    missing = [p.name for p in query.params if p.required and p.name not in values]
    if missing and not download:
        return site.page(request, "query.html", context)
    try:
        text = await run_in_threadpool(lambda: site.graph.prepare(query.name, **values))
        listing = await run_in_threadpool(
            lambda: site.graph.at_hand(query.name, text, dict(values))
        )
        truncated = False
        if listing is None:  # not held by the release: run, as /sparql runs it
            if (limited := rate_limited(request)) is not None:
                return limited
            outcome = await run(site, text, request)
            assert isinstance(outcome, Solutions)
            listing, truncated = Listed(outcome.variables, outcome.rows), outcome.truncated
    except ParameterError as error:
        if download:
            return Response(f"{error}\n", 400, media_type="text/plain")
        context["error"] = str(error)
        return site.page(request, "query.html", context, status=400)
    except ProtocolError as error:
        if download:
            return Response(
                f"{error.message}\n", error.status, error.headers, media_type="text/plain"
            )
        context["error"] = error.message
        return site.page(request, "query.html", context, status=error.status)
    if download:
        return _download(site, query, listing, truncated, download)
    size = site.settings.page_rows
    pages = max(1, math.ceil(listing.count / size))
    if page > pages:
        message = f"parameter page: {page} is past the answer's last page ({pages})"
        return site.page(request, "query.html", {**context, "error": message}, status=400)
    rows = await run_in_threadpool(lambda: list(listing.rows((page - 1) * size, size)))
    shown = Solutions(listing.variables, rows, truncated)
    shared = urlencode({**values, "release": site.version})
    context.update(
        answer=await run_in_threadpool(table, site, shown, lang, query),
        paging=_paging(query, values, (page, pages, size), listing.count),
        share=f"{site.settings.public_url}queries/{query.name}?{shared}",
        downloads={ext: f"/queries/{query.name}.{ext}?{urlencode(values)}" for ext in DOWNLOADS},
        text=text,
    )
    return site.page(request, "query.html", context)


def page_number(raw: str | None) -> int:
    """The ``page=`` asked (1 when none is), a whole number from 1."""
    if raw is None or raw == "":
        return 1
    if not raw.isdigit() or int(raw) < 1:
        raise ParameterError(f"parameter page: {raw!r} is not a whole number from 1")
    return int(raw)


@dataclass(frozen=True)
class Paging:
    """Where a page of a long answer is: its rows, the whole count, its neighbours' links."""

    first: int
    last: int
    count: int
    page: int
    pages: int
    previous: str | None
    next: str | None


def _paging(
    query: CannedQuery, values: dict[str, str], where: tuple[int, int, int], count: int
) -> Paging:
    page, pages, size = where

    def link(number: int) -> str:
        return f"/queries/{query.name}?" + urlencode({**values, "page": number})

    first = (page - 1) * size + 1 if count else 0
    return Paging(
        first,
        min(count, page * size),
        count,
        page,
        pages,
        link(page - 1) if page > 1 else None,
        link(page + 1) if page < pages else None,
    )


def _download(
    site: Site, query: CannedQuery, listing: Listing, truncated: bool, extension: str
) -> Response:
    """The whole answer as a file: streamed from the release when it holds it (no row
    limit: nothing is run), else the answer the worker returned, flagged if cut."""
    headers = {
        "Content-Disposition": f'attachment; filename="{query.name}.{extension}"',
        RELEASE_HEADER: site.version,
    }
    if extension == "ttl":
        solutions = Solutions(listing.variables, list(listing.rows()), truncated)
        headers["Content-Type"] = "text/turtle; charset=utf-8"
        return Response(result_turtle(solutions), headers=headers)
    chunks, written = solution_chunks(
        listing, DOWNLOADS[extension], site.settings.row_limit, limits_note(site), truncated
    )
    headers.update(written)
    return StreamingResponse(
        iterate_in_threadpool(c.encode("utf-8") for c in chunks), headers=headers
    )


async def editor_vocabulary(request: Request) -> Response:
    """``/editor/vocabulary.json``: the prefixes, classes and properties the editor completes."""
    site = site_of(request)
    body = await run_in_threadpool(lambda: site.vocabulary)
    return Response(
        body,
        media_type="application/json",
        headers={"Cache-Control": "public, max-age=3600", RELEASE_HEADER: site.version},
    )


def editor_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in EDITOR_PREFIXES)


async def editor(request: Request) -> Response:
    """A SPARQL editor: prefixes ready, canned queries as examples, answers as tables."""
    site = site_of(request)
    lang = site.lang(request)
    params = dict(request.query_params)
    if request.method == "POST":
        try:
            body = await read_body(request, site.settings.max_request_bytes)
        except ProtocolError as error:
            return site.error_page(request, error.status, error.message)
        params.update(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
    example = params.get("example")
    text = params.get("query")
    if example in site.queries and not text:
        chosen = site.queries[example]
        if any(p.required and p.default is None for p in chosen.params):
            text = chosen.text  # a value only the reader can give: its header says which
        else:  # runnable as loaded: the defaults bound, the header kept as comments
            text = await run_in_threadpool(lambda: site.graph.prepare(example))
    if not text:
        text = editor_prefixes() + STARTER
    context: dict[str, Any] = {
        "text": text,
        "examples": sorted(site.queries.values(), key=lambda q: q.title(lang).lower()),
        "example": example,
        "error": None,
        "answer": None,
        "boolean": None,
        "graph": None,
        "downloads": {},
        "milliseconds": None,
    }
    pinned = params.get("release")
    context["pinned"] = pinned if pinned and pinned != site.version else None
    context["share"] = f"{site.settings.public_url}editor?" + urlencode(
        {"query": text, "release": site.version}
    )
    context["snippets"] = snippets(text, site.settings.public_url + "sparql")
    context["snippet_names"] = SNIPPET_NAMES
    if params.get("query"):
        if (limited := rate_limited(request)) is not None:
            return limited
        started = time.perf_counter()
        try:
            outcome = await run(site, text, request)
        except ProtocolError as error:
            context["error"] = error.message
            return site.page(request, "editor.html", context, status=error.status)
        context["milliseconds"] = round((time.perf_counter() - started) * 1000)
        kind = "graph" if isinstance(outcome, Triples) else "rows"
        context["downloads"] = {
            name: "/sparql?" + urlencode({"query": text, "format": name})
            for name in EDITOR_DOWNLOADS[kind]
        }
        if isinstance(outcome, Solutions):
            context["answer"] = table(site, outcome, lang)
        elif isinstance(outcome, Boolean):
            context["boolean"] = outcome.value
        elif isinstance(outcome, Triples):
            context["graph"] = outcome.data.decode("utf-8")
            context["graph_truncated"] = outcome.truncated
            context["triples"] = outcome.count
    return site.page(request, "editor.html", context)
