"""``munikg serve``: the web application over one release (design §8).

:func:`create_app` wires the parts, each in its own module: the SPARQL 1.1 Protocol endpoint
(:mod:`~munikg.serve.views.sparql`), linked-data documents
(:mod:`~munikg.serve.views.linked_data`), the canned-query forms and the SPARQL editor
(:mod:`~munikg.serve.views.queries`), the partnership picture (:mod:`~munikg.serve.views.picture`)
and the release's files (:mod:`~munikg.serve.views.downloads`), each taking the
:class:`~munikg.serve.site.Site` from its request. Only this module imports the views. Queries
from the web run in killable worker processes (:mod:`~munikg.serve.executor`); everything else
reads the release store in worker threads, off the event loop.
"""

import asyncio
import contextlib
import gc
import socket
import warnings
from collections.abc import AsyncIterator
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from munikg.errors import BadInput
from munikg.serve import i18n
from munikg.serve.http_head import BoundedHead
from munikg.serve.messages import TRUNCATED_HEADER
from munikg.serve.negotiation import malformed
from munikg.serve.site import (
    PACKAGE,
    RELEASE_HEADER,
    ROW_LIMIT_HEADER,
    Settings,
    Site,
    content_security_policy,
)
from munikg.serve.views import browse, downloads, linked_data, picture, queries, search, sparql

# Every response: no MIME sniffing, no framing, scripts and styles from this site only (the
# pages' JSON-LD is a data block, which a policy does not block).
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
CSP = b"content-security-policy"


class ResponseHeaders:
    """ASGI middleware for what every response shares: :data:`SECURITY_HEADERS`, a 400 to a
    request whose ``Accept`` breaks RFC 9110's grammar (before any view; none would guess
    right), and ``Vary: Accept`` on every 406."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                if message["status"] == 406:
                    headers = _vary_accept(headers)
                if not any(k.lower() == CSP for k, _ in headers):  # a page sets its own
                    headers.append((CSP, content_security_policy().encode("ascii")))
                message["headers"] = [*headers, *SECURITY_HEADERS]
            await send(message)

        accepts = [v.decode("latin-1") for k, v in scope["headers"] if k == b"accept"]
        why = malformed(", ".join(accepts)) if accepts else None
        if why is not None:
            refusal = Response(
                f"Malformed Accept header: {why}.\n", 400, {"Vary": "Accept"}, "text/plain"
            )
            await refusal(scope, receive, sending)
            return
        await self.app(scope, receive, sending)


def _vary_accept(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``Accept`` among the values of ``Vary`` (kept with the others)."""
    varies = [v for k, v in headers if k.lower() == b"vary"]
    named = {name.strip().lower() for v in varies for name in v.split(b",")}
    if b"accept" not in named:
        varies.append(b"Accept")
    return [*((k, v) for k, v in headers if k.lower() != b"vary"), (b"vary", b", ".join(varies))]


def routes() -> list[BaseRoute]:
    return [
        Route("/", linked_data.landing),
        Route("/sparql", sparql.endpoint, methods=["GET", "POST", "OPTIONS"]),
        Route("/sparql/", sparql.endpoint, methods=["GET", "POST", "OPTIONS"]),
        Route("/editor", queries.editor, methods=["GET", "POST"]),
        Route("/editor/vocabulary.json", queries.editor_vocabulary),
        Route("/search", search.search),
        Route("/browse/", browse.index),
        Route("/browse/{name}", browse.table),
        Route("/search.{ext:str}", search.search),
        Route("/queries", queries.query_list),
        Route("/queries/{name}", queries.query_page),
        Route("/partnerships", picture.page),
        Route("/partnerships.svg", picture.svg),
        Route("/ontology", linked_data.ontology),
        Route("/ontology.{ext}", linked_data.ontology),
        Route("/ontology/{version}", linked_data.ontology_version),
        Route("/void", downloads.void),
        Route("/.well-known/void", downloads.void),
        Route("/catalog", linked_data.catalog),
        Route("/shapes", downloads.shapes),
        Route("/download/", downloads.listing),
        Route("/download/{name:path}", downloads.file),
        Route("/doc/{path:path}", linked_data.document),
        *(Route(f"/{kind}/{{path:path}}", linked_data.thing) for kind in linked_data.THING_PATHS),
        Mount("/static", StaticFiles(directory=PACKAGE / "static"), name="static"),
    ]


def create_app(settings: Settings) -> Starlette:
    """The ASGI application for ``settings`` (the release must exist)."""
    site = Site(settings)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await site.pool.start()
        if not site.pool.confined:
            warnings.warn(
                "query workers run without a network sandbox on this platform (Linux seccomp); "
                "the SERVICE guard is the only wall",
                RuntimeWarning,
                stacklevel=1,
            )
        try:
            yield
        finally:
            await site.pool.close()
            site.close()

    async def not_found(request: Request, exc: Exception) -> Response:
        return site.error_page(request, 404, i18n.translator(site.lang(request))("not_found"))

    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers={404: not_found},
        middleware=[
            Middleware(ResponseHeaders),
            Middleware(
                CORSMiddleware,
                allow_origins=["*"],
                allow_methods=["GET", "POST", "OPTIONS"],
                allow_headers=["Accept", "Accept-Language", "Content-Type"],
                expose_headers=[
                    TRUNCATED_HEADER,
                    ROW_LIMIT_HEADER,
                    RELEASE_HEADER,
                    "Retry-After",
                    "Content-Location",
                ],
                max_age=86400,
            ),
        ],
    )
    app.state.site = site
    return app


def run(settings: Settings, announce: Any = print) -> None:
    """Serve until interrupted; Ctrl-C stops the workers and the server cleanly."""
    import uvicorn

    # The server's socket, bound here: a taken address is said plainly, and with port 0 the
    # system's choice is known before anything is announced (tests bind port 0: no races).
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        listener.bind((settings.host, settings.port))
    except OSError as error:
        listener.close()
        raise BadInput(
            None, f"cannot serve on {settings.host}:{settings.port}: {error.strerror}"
        ) from None
    settings.port = listener.getsockname()[1]
    app = create_app(settings)
    base = settings.public_url
    announce(
        f"munikg {app.state.site.version} serving {settings.release}/ at {base}\n"
        f"  SPARQL endpoint  {base}sparql\n"
        f"  canned queries   {base}queries\n"
        f"  SPARQL editor    {base}editor\n"
        f"  linked data      {base}id/…  (e.g. {base}id/municipality/se-1080)\n"
        "Press Ctrl-C to stop."
    )
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        timeout_graceful_shutdown=5,
        loop="uvloop",
        # A GET carries its query percent-encoded (up to three bytes a character), and headers.
        http=BoundedHead.bounded(3 * settings.max_request_bytes + 16 * 1024),
        # Clients are told apart by address (budgets, shares, rate limits): a forwarded
        # address is believed only from the proxies named.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=list(settings.trusted_proxies) or None,
    )
    gc.freeze()  # what is loaded now lives as long as the server: no collector passes over it
    with listener, contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        uvicorn.Server(config).run(sockets=[listener])
