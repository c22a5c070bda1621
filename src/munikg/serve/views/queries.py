"""The query UI: every canned query as a form, its answer as a table with labelled links and
downloads (CSV, SPARQL JSON, Turtle), a shareable link that names the release; and a SPARQL
editor with the canned queries as examples. Queries run through the same guarded, time-limited
workers as ``/sparql``.
"""

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from munikg.namespaces import MK, PREFIXES, SKOS
from munikg.query.canned import CannedQuery, Column, find
from munikg.query.params import Param, ParameterError, to_term
from munikg.query.results import Cell
from munikg.serve.answers import PeopleTable, people_table
from munikg.serve.i18n import translator
from munikg.serve.messages import Boolean, Solutions, Triples, encode
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
    """The closed set a parameter draws from, as (value, label) pairs read from the graph."""
    if param.values:
        return [(v, v) for v in param.values]
    store = site.release.store
    if param.scheme:
        query = f"SELECT DISTINCT ?v WHERE {{ ?v <{SKOS}inScheme> <{param.scheme}> }}"
    elif param.type == "country":
        query = f"SELECT DISTINCT ?v ?code WHERE {{ ?v a <{MK}Country> ; <{MK}isoAlpha2> ?code }}"
    elif param.classes:
        union = " UNION ".join(
            f"{{ ?v a/<http://www.w3.org/2000/01/rdf-schema#subClassOf>* <{c}> }}"
            for c in param.classes
        )
        query = f"SELECT DISTINCT ?v WHERE {{ {union} }}"
    else:
        return []
    choices = []
    for row in store.query(query):  # type: ignore[union-attr]
        node = row["v"]
        label = site.labels.get(node.value, lang) or short(node)
        if param.type == "country":
            value = row["code"].value
        elif param.scheme and node.value.startswith(param.scheme + "/"):
            value = node.value[len(param.scheme) + 1 :]
        else:
            value = node.value
        choices.append((value, label))
    return sorted(choices, key=lambda c: c[1].lower())


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
        if v != "" and k not in {"lang", "release", "run"}
    }
    try:
        for key in given:  # a typo is an error, as on the command line, not the default
            query.param(key)
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
        if (limited := rate_limited(request)) is not None:
            return limited
        outcome = await run(site, text, request)
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
    assert isinstance(outcome, Solutions)
    shared = urlencode({**values, "release": site.version})
    if download:
        return _download(site, query, outcome, download)
    context.update(
        answer=table(site, outcome, lang, query),
        share=f"{site.settings.public_url}queries/{query.name}?{shared}",
        downloads={ext: f"/queries/{query.name}.{ext}?{urlencode(values)}" for ext in DOWNLOADS},
        text=text,
    )
    return site.page(request, "query.html", context)


def _download(site: Site, query: CannedQuery, outcome: Solutions, extension: str) -> Response:
    if extension == "ttl":
        body = result_turtle(outcome)
        headers = {"Content-Type": "text/turtle; charset=utf-8"}
    else:
        body, headers = encode(
            outcome, DOWNLOADS[extension], site.settings.row_limit, limits_note(site)
        )
    headers["Content-Disposition"] = f'attachment; filename="{query.name}.{extension}"'
    headers["Munikg-Release"] = site.version
    return Response(body, headers=headers)


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
