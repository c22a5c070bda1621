"""``/browse/``: every class of the release, and ``/browse/CURIE`` a table of its instances
(:mod:`munikg.serve.browse`) with facets, sorting and pages. The same URL answers CSV (every
row the facets leave) and JSON (the page, its facets and the total) by extension or
``Accept``, so a narrowed table is a link to share and a file to take away."""

import csv
import io
import json
from typing import Any
from urllib.parse import urlencode

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from munikg.query.params import ParameterError
from munikg.serve.browse import PAGE_SIZES, ClassTable, NameOf, View, class_iri, narrow
from munikg.serve.describe import href
from munikg.serve.i18n import translator
from munikg.serve.negotiation import CSV, HTML, choose
from munikg.serve.site import site_of
from munikg.terms import first_upper

JSON = "application/json"
FORMATS = {"csv": CSV, "json": JSON}
RESERVED = {"sort", "page", "size", "lang"}


async def index(request: Request) -> Response:
    """Every class the release has instances of, with their counts."""
    site = site_of(request)
    lang = site.lang(request)
    summary = await run_in_threadpool(lambda: site.summary)  # counted once per site
    classes = []
    for name, count in summary["classes"].items():
        iri = class_iri(name)
        if iri is not None:
            label = first_upper(site.labels.get(iri, lang) or name)
            classes.append((label, count, f"/browse/{name}", iri))
    classes.sort(key=lambda c: (-c[1], c[0]))
    return site.page(request, "browse_index.html", {"classes": classes})


async def table(request: Request) -> Response:
    site = site_of(request)
    lang = site.lang(request)
    t = translator(lang)
    given: str = request.path_params["name"]
    stem, dot, extension = given.rpartition(".")
    if not dot or extension not in FORMATS:
        stem, extension = given, ""
    media = FORMATS.get(extension) or choose(request.headers.get("accept"), [HTML, CSV, JSON])
    iri = class_iri(stem)
    if iri is None or iri not in site.class_counts:
        return site.error_page(request, 404, t("not_found"))
    chosen: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        if key not in RESERVED and value:
            chosen.setdefault(key, []).append(value)
    name = NameOf(site.labels)
    try:
        size = _whole(request, "size", 50, PAGE_SIZES)
        page = _whole(request, "page", 1, None)
        loaded: ClassTable = await run_in_threadpool(site.tables.get, iri)
        view = await run_in_threadpool(
            narrow, loaded, chosen, request.query_params.get("sort", "name"), name, lang
        )
    except ParameterError as error:
        if media != HTML:
            return Response(f"{error}\n", 400, media_type="text/plain")
        return site.error_page(request, 400, str(error))
    if media == CSV:
        return Response(
            _csv(loaded, view, name, lang),
            headers={
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": f'attachment; filename="{stem.replace(":", "-")}.csv"',
                "Vary": "Accept",
            },
        )
    first = (page - 1) * size
    shown = view.rows[first : first + size]
    if media == JSON:
        body = {
            "class": iri,
            "total": len(view.rows),
            "page": page,
            "size": size,
            "columns": [{"key": c.key, "title": c.title(lang)} for c in loaded.columns],
            "rows": [
                {
                    "iri": row.iri,
                    "name": name(("uri", row.iri), lang),
                    **{
                        c.key: [_value(t, name, lang) for t in row.values.get(c.key, [])]
                        for c in loaded.columns
                    },
                }
                for row in shown
            ],
            "facets": {
                f.key: [{"value": v, "label": label, "rows": n} for v, label, n, _ in f.values]
                for f in view.facets
            },
        }
        return Response(
            json.dumps(body, ensure_ascii=False, indent=1),
            headers={"Content-Type": "application/json; charset=utf-8", "Vary": "Accept"},
        )
    label = site.labels.get(iri, lang) or stem
    context: dict[str, Any] = {
        "heading": t("instances", label=label),
        "iri": iri,
        "curie": stem,
        "count": site.class_counts[iri],
        "table": loaded,
        "view": view,
        "rows": [
            (row, name(("uri", row.iri), lang), href(row.iri), _cells(loaded, row, name, lang))
            for row in shown
        ],
        "link": lambda **change: _link(request, stem, change),
        "toggle": lambda key, value: _toggle(request, stem, chosen, key, value),
        "first": first + 1 if shown else 0,
        "last": first + len(shown),
        "page": page,
        "pages": max(1, -(-len(view.rows) // size)),
    }
    return site.page(request, "browse.html", context, headers={"Vary": "Accept"})


def _whole(request: Request, key: str, default: int, allowed: tuple[int, ...] | None) -> int:
    raw = request.query_params.get(key)
    if raw is None:
        return default
    if not raw.isdigit() or int(raw) < 1 or (allowed and int(raw) not in allowed):
        what = f"one of {', '.join(map(str, allowed))}" if allowed else "a whole number from 1"
        raise ParameterError(f"parameter {key}: {raw!r} is not {what}")
    return int(raw)


def _value(term: tuple[str, str], name: NameOf, lang: str) -> dict[str, str]:
    kind, value = term
    return {"iri": value, "label": name(term, lang)} if kind == "uri" else {"value": value}


def _cells(
    table: ClassTable, row: Any, name: NameOf, lang: str
) -> list[list[tuple[str, str | None, str | None]]]:
    """Each column's values: (text, link, IRI)."""
    return [
        [
            (name(t, lang), href(t[1]) if t[0] == "uri" else None, t[1] if t[0] == "uri" else None)
            for t in row.values.get(c.key, [])
        ]
        for c in table.columns
    ]


def _params(request: Request) -> list[tuple[str, str]]:
    return [(k, v) for k, v in request.query_params.multi_items() if v]


def _link(request: Request, stem: str, change: dict[str, object]) -> str:
    """This table's URL with ``change`` made (a value None removes the key)."""
    kept = [(k, v) for k, v in _params(request) if k not in change]
    added = [(k, str(v)) for k, v in change.items() if v is not None]
    return f"/browse/{stem}?{urlencode(kept + added)}"


def _toggle(request: Request, stem: str, chosen: dict[str, list[str]], key: str, value: str) -> str:
    """This table's URL with the facet value ``key=value`` added, or removed if chosen."""
    params = [(k, v) for k, v in _params(request) if k != "page"]
    if value in chosen.get(key, []):
        params = [(k, v) for k, v in params if (k, v) != (key, value)]
    else:
        params.append((key, value))
    return f"/browse/{stem}?{urlencode(params)}"


def _csv(table: ClassTable, view: View, name: NameOf, lang: str) -> bytes:
    """Every row the facets leave: each column's labels, and its IRIs in a column beside."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180's line ends
    linked = {  # columns with IRIs among their values get a column of IRIs beside
        c.key
        for c in table.columns
        if any(t[0] == "uri" for row in table.rows for t in row.values.get(c.key, ()))
    }
    heads = ["iri", "name"]
    for c in table.columns:
        heads += [c.key, f"{c.key}_iri"] if c.key in linked else [c.key]
    writer.writerow(heads)
    for row in view.rows:
        line = [row.iri, name(("uri", row.iri), lang)]
        for c in table.columns:
            terms = row.values.get(c.key, [])
            line.append("; ".join(name(t, lang) for t in terms))
            if c.key in linked:
                line.append("; ".join(t[1] for t in terms if t[0] == "uri"))
        writer.writerow(line)
    return out.getvalue().encode("utf-8")
