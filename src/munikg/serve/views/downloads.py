"""The release's files over HTTP: ``/download/…`` (only the files the release lists — no path
is ever joined from a request), ``/void``, ``/.well-known/void`` and ``/shapes``. (``/catalog``
negotiates, so it is a linked-data document: :mod:`~munikg.serve.views.linked_data`.)"""

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
from munikg.serve.negotiation import HTML, RDFXML, TURTLE
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


def send(site: Site, path: Path) -> Response:
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
    return send(site, files[name])


async def listing(request: Request) -> Response:
    site = site_of(request)
    files = published(site)
    # SHA256SUMS covers release.json too, which release.json cannot list of itself
    checksums = {name: digest for digest, _, name in (line.partition("  ") for line in _sums(site))}
    rows = [
        (name, path.stat().st_size, checksums.get(name, "")) for name, path in sorted(files.items())
    ]
    return site.page(request, "downloads.html", {"files": rows})


async def void(request: Request) -> Response:
    site = site_of(request)
    return send(site, site.release.path / VOID_FILE)


async def shapes(request: Request) -> Response:
    """The SHACL shapes the release was validated with (their IRIs are ``/shapes#Name``)."""
    site = site_of(request)
    return send(site, site.release.path / SHAPES_FILE)


def _sums(site: Site) -> list[str]:
    path = site.release.path / CHECKSUMS_FILE
    return path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
