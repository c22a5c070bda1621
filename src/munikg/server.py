"""``munikg serve``: the web application over one release (design §8).

:func:`create_app` wires the parts, each in its own module: the SPARQL 1.1 Protocol endpoint
(:mod:`munikg.protocol`), linked-data documents (:mod:`munikg.pages`), the canned-query forms
and the SPARQL editor (:mod:`munikg.queryui`), the partnership picture
(:mod:`munikg.picture`) and the release's files (:mod:`munikg.downloads`). Queries from the web
run in killable worker processes (:mod:`munikg.executor`); everything else reads the release
store in worker threads, off the event loop.
"""

import asyncio
import contextlib
import functools
import gc
import os
import socket
import warnings
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from munikg import canned, i18n
from munikg.answers import AnswerCache
from munikg.api import KnowledgeGraph
from munikg.canned import CannedQuery
from munikg.errors import BadInput
from munikg.executor import STACK_PER_REQUEST_BYTE
from munikg.graphs import LocalGraph
from munikg.http_head import BoundedHead
from munikg.labels import Labels
from munikg.negotiation import language
from munikg.outcomes import TRUNCATED_HEADER
from munikg.pool import Limits, QueryPool
from munikg.ratelimit import RateLimiter
from munikg.release import Release

PACKAGE = Path(__file__).parent
ROW_LIMIT_HEADER = "Munikg-Row-Limit"
RELEASE_HEADER = "Munikg-Release"


@dataclass
class Settings:
    """What ``munikg serve`` is told; the defaults are the safe ones (design §8)."""

    release: Path = Path("dist")
    queries: Path = Path("queries")
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str | None = None  # where readers reach the site; default http://host:port/
    time_limit: float = 10.0  # seconds a query may run before its worker is killed
    row_limit: int = 10_000  # rows (or triples) in one answer; more are cut and flagged
    max_request_bytes: int = 64 * 1024  # a query text or request body
    rate_limit: int = 120  # queries per client per minute; 0: no limit
    workers: int = field(default_factory=lambda: 2 * (os.cpu_count() or 1))
    cache_entries: int = 256
    memory_limit_mb: int = 0  # resident memory per worker; 0: the default below
    client_share: int = 0  # workers one client may hold at once; 0: half of them
    client_budget: float = 60.0  # seconds of query time per client per minute; 0: no budget
    client_queue: int = 16  # a client's requests that may wait beyond its share
    trusted_proxies: tuple[str, ...] = ()  # addresses whose X-Forwarded-For is believed

    def __post_init__(self) -> None:
        if not self.memory_limit_mb:
            self.memory_limit_mb = default_memory_limit_mb(self.workers)
        if not self.client_share:
            self.client_share = max(1, self.workers // 2)

    @property
    def public_url(self) -> str:
        url = self.base_url or f"http://{self.host}:{self.port}/"
        return url if url.endswith("/") else url + "/"


def default_memory_limit_mb(workers: int) -> int:
    """A quarter of the machine's memory shared between the workers, at most 2 GiB each: well
    under the machine divided by the workers, so a worker is stopped long before the machine
    runs short."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (AttributeError, ValueError, OSError):
        return 2048
    return max(256, min(2048, total // (4 * max(1, workers)) // 2**20))


class Site:
    """The state every request reads: release, canned queries, worker pool, caches."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.release = Release.open(settings.release)
        self.queries: dict[str, CannedQuery] = canned.load(settings.queries)
        self.graph = KnowledgeGraph(LocalGraph(self.release.store), self.queries)
        self.graphs = {g.value for g in self.release.store.named_graphs()}
        limits = Limits(
            time_limit=settings.time_limit,
            memory_bytes=settings.memory_limit_mb * 2**20,
            share=settings.client_share,
            budget=settings.client_budget,
            waiting_per_client=settings.client_queue,
        )
        stack = max(64 * 2**20, STACK_PER_REQUEST_BYTE * settings.max_request_bytes)
        self.pool = QueryPool(self.release.path / "store", settings.workers, limits, stack)
        self.cache = AnswerCache(settings.cache_entries)
        self.limiter = RateLimiter(settings.rate_limit)
        self.labels = Labels(self.release.store)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
            autoescape=True,  # every value a page shows is escaped unless marked safe
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )

    @property
    def version(self) -> str:
        return self.release.version

    @functools.cached_property
    def default_triples(self) -> int:
        """Triples in the default graph (the merge), counted once."""
        store = self.release.store
        return sum(1 for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))

    def lang(self, request: Request) -> str:
        """``?lang=``, then the ``lang`` cookie a language switch set, then ``Accept-Language``."""
        for given in (request.query_params.get("lang"), request.cookies.get("lang")):
            if given in i18n.LANGUAGES:
                return given
        return language(request.headers.get("accept-language"))

    def page(
        self,
        request: Request,
        template: str,
        context: dict[str, Any],
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> HTMLResponse:
        """An HTML page in the reader's language; a ``?lang=`` choice is remembered."""
        lang = self.lang(request)
        html = self.templates.get_template(template).render(
            lang=lang,
            t=i18n.translator(lang),
            site=self,
            request=request,
            path=request.url.path,
            switch=i18n.switch_url(request, lang),
            **context,
        )
        response = HTMLResponse(html, status, headers={"Content-Language": lang, **(headers or {})})
        response.headers.append("Vary", "Accept-Language, Cookie")
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
        return response

    def error_page(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.page(request, "error.html", {"status": status, "message": message}, status)


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def client_of(request: Request) -> str:
    """The address a rate limit counts (the socket peer; a proxy in front should set its own)."""
    return request.client.host if request.client else "unknown"


def rate_limited(request: Request) -> Response | None:
    """A 429 answer if this client has used its queries for now, else None."""
    wait = site_of(request).limiter.wait(client_of(request))
    if wait <= 0:
        return None
    seconds = max(1, int(wait + 0.999))
    return Response(
        f"Too many queries from this client; try again in {seconds} s.\n",
        429,
        headers={"Retry-After": str(seconds)},
        media_type="text/plain",
    )


# Every response: no MIME sniffing, no framing, scripts and styles from this site only (the
# pages' JSON-LD is a data block, which a policy does not block).
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (
        b"content-security-policy",
        b"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
        b"frame-ancestors 'none'; form-action 'self'",
    ),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]


class SecurityHeaders:
    """ASGI middleware adding :data:`SECURITY_HEADERS` to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, sending)


def routes() -> list[BaseRoute]:
    from munikg import downloads, pages, picture, protocol, queryui

    return [
        Route("/", pages.landing),
        Route("/sparql", protocol.endpoint, methods=["GET", "POST", "OPTIONS"]),
        Route("/sparql/", protocol.endpoint, methods=["GET", "POST", "OPTIONS"]),
        Route("/editor", queryui.editor, methods=["GET", "POST"]),
        Route("/queries", queryui.query_list),
        Route("/queries/{name}", queryui.query_page),
        Route("/partnerships", picture.page),
        Route("/partnerships.svg", picture.svg),
        Route("/ontology", pages.ontology),
        Route("/ontology.{ext}", pages.ontology),
        Route("/ontology/{version}", pages.ontology_version),
        Route("/void", downloads.void),
        Route("/.well-known/void", downloads.void),
        Route("/catalog", downloads.catalog),
        Route("/shapes", downloads.shapes),
        Route("/download/", downloads.listing),
        Route("/download/{name:path}", downloads.file),
        Route("/doc/{path:path}", pages.document),
        *(Route(f"/{kind}/{{path:path}}", pages.thing) for kind in pages.THING_PATHS),
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

    async def not_found(request: Request, exc: Exception) -> Response:
        return site.error_page(request, 404, i18n.translator(site.lang(request))("not_found"))

    app = Starlette(
        routes=routes(),
        lifespan=lifespan,
        exception_handlers={404: not_found},
        middleware=[
            Middleware(SecurityHeaders),
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

    with socket.socket() as probe:  # say so plainly if the address is taken or not ours
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((settings.host, settings.port))
        except OSError as error:
            raise BadInput(
                None, f"cannot serve on {settings.host}:{settings.port}: {error.strerror}"
            ) from None
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
    with contextlib.suppress(KeyboardInterrupt, asyncio.CancelledError):
        uvicorn.Server(config).run()
