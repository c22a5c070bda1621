"""Linked-data pages: every IRI under munikg's base dereferences (design §8).

Things (``/id/…``, ``/graph/…``, ``/release/…``) answer 303 See Other to their document
``/doc/…``, per the W3C note *Cool URIs for the Semantic Web*. A document negotiates: HTML for
browsers, Turtle, JSON-LD, RDF/XML or N-Triples by ``Accept``, ``?format=`` or an extension
(``/doc/id/municipality/se-1080.ttl``), with ``Content-Location`` naming the one sent. The
ontology uses hash IRIs, so ``/ontology`` is itself the document.
"""

import json
from typing import Any

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from munikg.artefacts import export, ontology_docs
from munikg.namespaces import BASE, GRAPH, LICENCE, PREFIXES
from munikg.release import CATALOG_RDF, CATALOG_TTL, CONTEXT_FILE, read_context
from munikg.serve.describe import Describer, href, quads_about
from munikg.serve.i18n import translator
from munikg.serve.negotiation import (
    EXTENSIONS,
    HTML,
    JSONLD,
    NTRIPLES,
    RDFXML,
    SHORT_NAMES,
    TURTLE,
    choose,
)
from munikg.serve.site import Site, site_of
from munikg.serve.views.downloads import send
from munikg.terms import first_upper

THING_PATHS = ("id", "graph", "release")
DOCUMENT_TYPES = [TURTLE, HTML, JSONLD, RDFXML, NTRIPLES]  # no Accept (curl): Turtle
EXTENSION_OF = {media: ext for ext, media in EXTENSIONS.items()}
FORMAT_OF = {TURTLE: "ttl", NTRIPLES: "nt", RDFXML: "rdf", JSONLD: "jsonld"}
SCHEMA_TERMS = ("owl:", "rdf:", "rdfs:", "sh:")  # the ontology's own classes, not the data's


def _query_suffix(request: Request) -> str:
    return f"?{request.url.query}" if request.url.query else ""


async def thing(request: Request) -> Response:
    """A thing's IRI: 303 to the document that describes it."""
    site = site_of(request)
    path = request.url.path.lstrip("/")
    if await run_in_threadpool(site.store_for, BASE + path) is None:
        return site.error_page(request, 404, _t(site, request)("not_found"))
    return RedirectResponse(f"/doc/{path}{_query_suffix(request)}", 303)


def _t(site: Site, request: Request) -> Any:
    return translator(site.lang(request))


def _media(request: Request, extension: str | None) -> str | None:
    if extension:
        return EXTENSIONS.get(extension)
    given = request.query_params.get("format")
    if given:
        wanted = SHORT_NAMES.get(given.lower())
        return wanted if wanted in DOCUMENT_TYPES else None
    return choose(request.headers.get("accept"), DOCUMENT_TYPES)


async def document(request: Request) -> Response:
    """The document about a thing, in the negotiated format."""
    site = site_of(request)
    path: str = request.path_params["path"]
    stem, dot, extension = path.rpartition(".")
    if not dot or extension not in EXTENSIONS:
        stem, extension = path, ""
    iri = BASE + stem
    store = None
    if stem.startswith(tuple(k + "/" for k in THING_PATHS)):
        store = await run_in_threadpool(site.store_for, iri)
    if store is None:
        return site.error_page(request, 404, _t(site, request)("not_found"))
    media = _media(request, extension or None)
    if media is None:
        return Response(
            f"This document comes as: {', '.join(DOCUMENT_TYPES)}.\n", 406, media_type="text/plain"
        )
    headers = {"Vary": "Accept", "Link": f'<{iri}>; rel="describes"'}
    if not extension:
        headers["Content-Location"] = f"/doc/{stem}.{EXTENSION_OF[media]}"
    if media == HTML:
        lang = site.lang(request)
        description = await run_in_threadpool(Describer(store, site.labels, lang).describe, iri)
        extra = {}
        if iri.startswith(GRAPH):
            extra["graph_triples"] = site.release.metadata["graphs"].get(iri)
        return site.page(
            request,
            "entity.html",
            {"d": description, "doc": f"/doc/{stem}", "formats": FORMAT_OF, **extra},
            headers=headers,
        )
    if iri in site.graphs:  # a named graph's document is its content
        quads = list(site.release.store.quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    else:
        quads = await run_in_threadpool(quads_about, store, iri)
    return Response(
        rdf_bytes(site, quads, media),
        headers={**headers, "Content-Type": f"{media}; charset=utf-8"},
    )


async def _entity_page(
    request: Request, site: Site, store: ox.Store, iri: str, doc: str, headers: dict[str, str]
) -> Response:
    description = await run_in_threadpool(
        Describer(store, site.labels, site.lang(request)).describe, iri
    )
    extra = {}
    if iri.startswith(GRAPH):
        extra["graph_triples"] = site.release.metadata["graphs"].get(iri)
    context = {"d": description, "doc": doc, "formats": FORMAT_OF, **extra}
    return site.page(request, "entity.html", context, headers=headers)


CATALOG_TYPES = [RDFXML, TURTLE, HTML]  # no Accept (a harvester): RDF/XML, DCAT-AP's format


async def catalog(request: Request) -> Response:
    """The DCAT-AP catalogue: RDF/XML (what dataportal.se harvests, and the answer to no
    ``Accept`` or a generic XML one), Turtle, or a page for a person following the link."""
    site = site_of(request)
    media = choose(request.headers.get("accept"), CATALOG_TYPES)
    if media is None:
        return Response(
            f"The catalogue comes as: {', '.join(CATALOG_TYPES)}.\n", 406, media_type="text/plain"
        )
    headers = {"Vary": "Accept"}
    if media == HTML:
        iri = BASE + "catalog"
        return await _entity_page(request, site, site.descriptions, iri, "/catalog", headers)
    response = send(site, site.release.path / (CATALOG_TTL if media == TURTLE else CATALOG_RDF))
    response.headers.update(headers)
    return response


def rdf_bytes(site: Site, quads: list[Any], media: str) -> bytes:
    """A document's statements in ``media``, all in its default graph: a graph's document is
    the graph's content, in every format alike (JSON-LD held them in a named graph)."""
    quads = [ox.Quad(q.subject, q.predicate, q.object) for q in quads]
    fmt = export.FORMATS[FORMAT_OF[media]]
    context = read_context(site.release.path / CONTEXT_FILE) if media == JSONLD else None
    return export.serialize(quads, fmt, context)


async def ontology(request: Request) -> Response:
    """The ontology document: its HTML documentation in the reader's language, or its RDF."""
    site = site_of(request)
    extension = request.path_params.get("ext")
    if extension is not None and extension not in EXTENSIONS:
        return site.error_page(request, 404, _t(site, request)("not_found"))
    media = _media(request, extension)
    if media is None:
        return Response(
            f"The ontology comes as: {', '.join(DOCUMENT_TYPES)}.\n", 406, media_type="text/plain"
        )
    headers = {"Vary": "Accept, Accept-Language"}
    if not extension:
        headers["Content-Location"] = f"/ontology.{EXTENSION_OF[media]}"
    if media == HTML:
        lang = site.lang(request)
        if lang not in site.ontology_pages:  # the release never changes: written once
            site.ontology_pages[lang] = await run_in_threadpool(
                ontology_docs.html_body, site.release.store, lang, site.version
            )
        context = {"body": site.ontology_pages[lang]}
        return site.page(request, "ontology.html", context, headers=headers)
    graph = ox.NamedNode(GRAPH + "ontology")
    triples = list(site.release.store.quads_for_pattern(None, None, None, graph))
    return Response(
        rdf_bytes(site, triples, media),
        headers={**headers, "Content-Type": f"{media}; charset=utf-8"},
    )


async def ontology_version(request: Request) -> Response:
    """The ontology's version IRI: the ontology document, if it is this release's version."""
    site = site_of(request)
    version_iri = ox.NamedNode("http://www.w3.org/2002/07/owl#versionIRI")
    versions = {
        q.object.value
        for q in site.release.store.quads_for_pattern(None, version_iri, None, ox.DefaultGraph())
        if isinstance(q.object, ox.NamedNode)
    }
    if BASE + request.url.path.lstrip("/") not in versions:
        return site.error_page(request, 404, _t(site, request)("not_found"))
    return await ontology(request)


async def landing(request: Request) -> Response:
    """What the graph holds, at a glance, with schema.org Dataset markup for search engines."""
    site = site_of(request)
    lang = site.lang(request)
    summary = dict(await run_in_threadpool(lambda: site.summary))  # a copy of its own
    classes = sorted(
        (
            (
                first_upper(site.labels.get(iri, lang) or curie),
                count,
                iri,
                f"/browse/{curie}" if not curie.startswith("<") else None,
            )
            for curie, count in summary["classes"].items()
            if (iri := _expand(curie)) is not None and not curie.startswith(SCHEMA_TERMS)
        ),
        key=lambda c: (-c[1], c[0]),
    )
    summary["sources"] = [
        {
            **source,
            "href": href(source["source"]),
            "label": site.labels.get(source["source"], lang) or source["label"],
        }
        for source in summary["sources"]
    ]
    base = site.settings.public_url
    dataset = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": summary["release"],
        "name": "munikg: a knowledge graph of Swedish municipal international cooperation",
        "description": _t(site, request)("tagline"),
        "version": summary["version"],
        "dateModified": summary["date"],
        "license": LICENCE,
        "url": base,
        "inLanguage": ["sv", "en"],
        "isAccessibleForFree": True,
        "keywords": [
            "municipal international cooperation",
            "Sweden",
            "Ukraine",
            "SDG",
            "linked data",
        ],
        "distribution": [
            {
                "@type": "DataDownload",
                "encodingFormat": media,
                "contentUrl": f"{base}download/{export.FORMATS[name].file}",
            }
            for name, media in (
                ("ttl", TURTLE),
                ("jsonld", JSONLD),
                ("nt", NTRIPLES),
                ("rdf", RDFXML),
            )
        ],
    }
    markup = json.dumps(dataset, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return site.page(
        request,
        "index.html",
        {"summary": summary, "classes": classes, "dataset_markup": markup, "base": base},
    )


def _expand(curie: str) -> str | None:
    prefix, _, local = curie.partition(":")
    if curie.startswith("<"):
        return curie[1:-1]
    namespace = PREFIXES.get(prefix)
    return namespace + local if namespace else None
