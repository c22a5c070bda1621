"""``/search``: entities by name, ranked, ignoring case and diacritics
(:mod:`munikg.query.search`); the same URL answers JSON (``Accept`` or ``/search.json``), which
the editor's entity completion reads."""

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from munikg.serve.describe import href
from munikg.serve.i18n import translator
from munikg.serve.negotiation import HTML, choose
from munikg.serve.site import site_of
from munikg.terms import short

JSON = "application/json"
MOST = 100  # hits one request may ask for


async def search(request: Request) -> Response:
    site = site_of(request)
    lang = site.lang(request)
    text = request.query_params.get("q", "")
    extension = request.path_params.get("ext")
    if extension not in (None, "json"):
        return site.error_page(request, 404, translator(lang)("not_found"))
    wanted = extension == "json" or (choose(request.headers.get("accept"), [HTML, JSON]) == JSON)
    raw_limit = request.query_params.get("limit", "20")
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= MOST:
        message = f"parameter limit: {raw_limit!r} is not a whole number from 1 to {MOST}"
        if wanted:
            return JSONResponse({"error": message}, 400)
        return site.error_page(request, 400, message)
    index = await run_in_threadpool(lambda: site.search_index)
    hits = await run_in_threadpool(index.search, text, int(raw_limit))
    found = [
        {
            "iri": hit.iri,
            "href": href(hit.iri),
            "label": site.labels.get(hit.iri, lang) or hit.label,
            "matched": hit.label,
            "types": [site.labels.get(t, lang) or short_iri(t) for t in hit.types],
        }
        for hit in hits
    ]
    if wanted:
        return JSONResponse({"q": text, "hits": found}, headers={"Vary": "Accept"})
    t = translator(lang)
    return site.page(
        request, "search.html", {"q": text, "hits": found, "heading": t("search_results")}
    )


def short_iri(iri: str) -> str:
    return short(ox.NamedNode(iri))
