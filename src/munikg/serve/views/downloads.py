"""The release's files over HTTP: ``/download/…`` (only the files the release lists — no path
is ever joined from a request), ``/void``, ``/.well-known/void``, ``/catalog`` and
``/shapes``."""

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, Response

from munikg.artefacts.export import FORMATS
from munikg.release import (
    CATALOG_RDF,
    CATALOG_TTL,
    CHECKSUMS_FILE,
    CITATION_FILE,
    CONTEXT_FILE,
    DOCS_FILE,
    METADATA_FILE,
    SHAPES_FILE,
    VOID_FILE,
)
from munikg.serve.i18n import translator
from munikg.serve.negotiation import HTML, RDFXML, TURTLE, choose
from munikg.serve.site import RELEASE_HEADER, Site, site_of

MEDIA_TYPES = {
    **{f.file: f.media_type for f in FORMATS.values()},
    VOID_FILE: TURTLE,
    CATALOG_TTL: TURTLE,
    CATALOG_RDF: RDFXML,
    SHAPES_FILE: TURTLE,
    CONTEXT_FILE: "application/ld+json",
    CITATION_FILE: "text/plain",
    METADATA_FILE: "application/json",
    CHECKSUMS_FILE: "text/plain",
    DOCS_FILE % "en": HTML,
    DOCS_FILE % "sv": HTML,
}


def published(site: Site) -> dict[str, Path]:
    """Every file a reader may download, by name."""
    names = [*site.release.metadata["files"], METADATA_FILE, CHECKSUMS_FILE]
    return {
        name: site.release.path / name for name in names if (site.release.path / name).is_file()
    }


def _send(site: Site, path: Path) -> Response:
    media = MEDIA_TYPES.get(path.name, "application/octet-stream")
    if media.startswith("text/") or media.endswith(
        ("json", "+xml", "n-triples", "n-quads", "trig")
    ):
        media += "; charset=utf-8"
    return FileResponse(
        path,
        media_type=media,
        headers={"Cache-Control": "public, max-age=3600", RELEASE_HEADER: site.version},
    )


async def file(request: Request) -> Response:
    site = site_of(request)
    name: str = request.path_params["name"]
    files = published(site)
    if name not in files:
        return site.error_page(request, 404, translator(site.lang(request))("not_found"))
    return _send(site, files[name])


async def listing(request: Request) -> Response:
    site = site_of(request)
    files = published(site)
    checksums = site.release.metadata["files"]
    rows = [
        (name, path.stat().st_size, checksums.get(name, "")) for name, path in sorted(files.items())
    ]
    return site.page(request, "downloads.html", {"files": rows})


async def void(request: Request) -> Response:
    site = site_of(request)
    return _send(site, site.release.path / VOID_FILE)


async def shapes(request: Request) -> Response:
    """The SHACL shapes the release was validated with (their IRIs are ``/shapes#Name``)."""
    site = site_of(request)
    return _send(site, site.release.path / SHAPES_FILE)


async def catalog(request: Request) -> Response:
    """The DCAT-AP catalogue: RDF/XML (DCAT-AP's own exchange format) or Turtle by ``Accept``."""
    site = site_of(request)
    media = choose(request.headers.get("accept"), [TURTLE, RDFXML])
    if media is None:
        return Response(
            f"The catalogue comes as: {TURTLE}, {RDFXML}.\n", 406, media_type="text/plain"
        )
    response = _send(site, site.release.path / (CATALOG_TTL if media == TURTLE else CATALOG_RDF))
    response.headers["Vary"] = "Accept"
    return response
