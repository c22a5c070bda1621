"""The state every request of ``munikg serve`` reads: the settings it was started with, the
release, the canned queries, the query worker pool and the caches (:class:`Site`), and who is
asking (:func:`client_of`). Every view takes the site from its request (:func:`site_of`)."""

import functools
import ipaddress
import json
import math
import os
import secrets
import threading
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import jinja2
import pyoxigraph as ox
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from munikg.api import KnowledgeGraph
from munikg.query import canned, info
from munikg.query.backends import LocalGraph
from munikg.query.canned import CannedQuery
from munikg.query.choices import Choice, choices
from munikg.query.params import Param
from munikg.query.search import LabelIndex
from munikg.release import CATALOG_TTL, METADATA_FILE, STORE_DIR, VOID_FILE, Release
from munikg.serve import i18n
from munikg.serve.answers import countries_of
from munikg.serve.browse import Tables
from munikg.serve.cache import AnswerCache
from munikg.serve.describe import known
from munikg.serve.executor import STACK_PER_REQUEST_BYTE
from munikg.serve.labels import Labels
from munikg.serve.negotiation import language
from munikg.serve.pinned import pin, unpin
from munikg.serve.pool import Limits, QueryPool
from munikg.serve.ratelimit import RateLimiter
from munikg.serve.vocabulary import vocabulary

PACKAGE = Path(__file__).parent  # templates/ and static/
# The browser's workbench (editor, views, map), bundled from frontend/ by its npm build.
WORKBENCH = PACKAGE / "static" / "vendor" / "workbench.js"
ROW_LIMIT_HEADER = "Munikg-Row-Limit"
RELEASE_HEADER = "Munikg-Release"
FIGURES = 512  # figures (drawings, lists) a site keeps; each is small
T = TypeVar("T")


@dataclass
class Settings:
    """What ``munikg serve`` is told; the defaults are the safe ones (design §8)."""

    release: Path = Path("dist")
    queries: Path | None = None  # None: the queries munikg ships
    host: str = "127.0.0.1"
    port: int = 8000
    base_url: str | None = None  # where readers reach the site; default http://host:port/
    time_limit: float = 10.0  # seconds a query may run before its worker is killed
    row_limit: int = 10_000  # rows (or triples) in one answer; more are cut and flagged
    page_rows: int = 100  # rows of an answer a page shows, as Datasette (downloads: all)
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
        if not (settings.release / METADATA_FILE).is_file():
            Release.open(settings.release)  # its error names the directory asked for
        self.pinned = pin(settings.release)
        self.release = Release.open(self.pinned)
        self.queries: dict[str, CannedQuery] = canned.load(settings.queries or self.release.queries)
        # The release's own graph: its stored answers and label index answer what they hold.
        self.local = LocalGraph(self.release.store, self.release)
        self.graph = KnowledgeGraph(self.local, self.queries)
        self.graphs = {g.value for g in self.release.store.named_graphs()}
        limits = Limits(
            time_limit=settings.time_limit,
            memory_bytes=settings.memory_limit_mb * 2**20,
            share=settings.client_share,
            budget=settings.client_budget,
            waiting_per_client=settings.client_queue,
        )
        stack = max(64 * 2**20, STACK_PER_REQUEST_BYTE * settings.max_request_bytes)
        self.pool = QueryPool(self.release.path / STORE_DIR, settings.workers, limits, stack)
        self.cache = AnswerCache(settings.cache_entries)
        self.limiter = RateLimiter(settings.rate_limit)
        self.labels = Labels(self.release.store)
        self.tables = Tables(self.release.store, self.labels)
        self._figures: dict[Hashable, Any] = {}
        self._figure_lock = threading.Lock()
        self.ontology_pages: dict[str, str] = {}  # the ontology's documentation, by language
        # The catalogue and VoID are files beside the store (they hold the dumps' sizes and
        # checksums, so no dump can hold them); what they name dereferences too.
        self.descriptions = ox.Store()
        for name in (CATALOG_TTL, VOID_FILE):
            if (self.release.path / name).is_file():
                self.descriptions.bulk_load(
                    path=str(self.release.path / name), format=ox.RdfFormat.TURTLE
                )
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(PACKAGE / "templates"),
            autoescape=True,  # every value a page shows is escaped unless marked safe
            trim_blocks=True,
            lstrip_blocks=True,
            undefined=jinja2.StrictUndefined,
        )

    def store_for(self, iri: str) -> ox.Store | None:
        """The store that says something about ``iri``: the release's, else the store of its
        catalogue and VoID; None if neither does."""
        for store in (self.release.store, self.descriptions):
            if known(store, iri):
                return store
        return None

    @property
    def workbench(self) -> bool:
        """Whether the workbench bundle is built (without it the pages work without script)."""
        return WORKBENCH.is_file()

    def close(self) -> None:
        """Release the pinned files (after the workers have stopped)."""
        unpin(self.pinned)

    @property
    def version(self) -> str:
        return self.release.version

    @property
    def search_index(self) -> LabelIndex:
        """The release's full-text index of labels (opened once)."""
        return self.local.labels

    def figure(self, key: Hashable, compute: Callable[[], T]) -> T:
        """A figure of the release (a drawing, a list read from the graph) computed the first
        time it is asked for and kept: the release never changes. At most
        :data:`FIGURES` are kept; then they are computed again."""
        with self._figure_lock:
            if key in self._figures:
                return self._figures[key]  # type: ignore[no-any-return]
        value = compute()
        with self._figure_lock:
            if len(self._figures) >= FIGURES:
                self._figures.clear()
            self._figures[key] = value
        return value

    def choices(self, param: Param) -> list[Choice] | None:
        """A parameter's closed set, read from the release once."""
        key = ("choices", param.name, param.type, param.scheme, param.classes, param.values)
        return self.figure(key, lambda: choices(self.release.store, param))

    @functools.cached_property
    def vocabulary(self) -> bytes:
        """The editor's completions (:mod:`~munikg.serve.vocabulary`), as JSON, read once."""
        found = vocabulary(self.release.store, self.labels)
        return json.dumps(found, ensure_ascii=False, separators=(",", ":")).encode("utf-8")

    @functools.cached_property
    def class_counts(self) -> dict[str, int]:
        """Instances of each class, counted once."""
        return info.class_counts(self.release.store)

    @functools.cached_property
    def summary(self) -> dict[str, Any]:
        """What the release holds (the landing page's figures), read once."""
        return info.summarise(self.release, self.class_counts)

    @functools.cached_property
    def countries(self) -> dict[str, str]:
        """Each entity's country code, read once (the map view draws from it)."""
        return countries_of(self.release.store)

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
        nonce = secrets.token_urlsafe(16)
        html = self.templates.get_template(template).render(
            nonce=nonce,
            lang=lang,
            t=i18n.translator(lang),
            site=self,
            request=request,
            path=request.url.path,
            switch=i18n.switch_url(request, lang),
            script_words=i18n.script_words(lang),
            **context,
        )
        response = HTMLResponse(
            html,
            status,
            headers={
                "Content-Language": lang,
                "Content-Security-Policy": content_security_policy(nonce),
                **(headers or {}),
            },
        )
        response.headers.append("Vary", "Accept-Language, Cookie")
        if request.query_params.get("lang") in i18n.LANGUAGES:
            response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
        return response

    def error_page(self, request: Request, status: int, message: str) -> HTMLResponse:
        return self.page(request, "error.html", {"status": status, "message": message}, status)


def content_security_policy(nonce: str | None = None) -> str:
    """Scripts and styles from this site only; a page's nonce admits the style sheets its
    editor writes at run time (CodeMirror's), nothing inline in the markup.

    >>> "'nonce-abc'" in content_security_policy("abc"), "nonce" in content_security_policy()
    (True, False)
    """
    styles = f"style-src 'self' 'nonce-{nonce}'; " if nonce else ""
    return (
        f"default-src 'self'; {styles}img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    )


def site_of(request: Request) -> Site:
    site: Site = request.app.state.site
    return site


def whole_seconds(wait: float) -> int:
    """A wait as ``Retry-After`` gives it: whole seconds, rounded up, at least one.

    >>> whole_seconds(0.2), whole_seconds(2.0), whole_seconds(2.01)
    (1, 2, 3)
    """
    return max(1, math.ceil(wait))


def client_of(request: Request) -> str:
    """The address limits and shares count: the socket peer, or the client a proxy named with
    ``--trust-proxy`` (uvicorn believes ``X-Forwarded-For`` only from those)."""
    return request.client.host if request.client else "unknown"


def default_rate_limit(host: str) -> int:
    """Queries per client per minute when none is asked for: none on a loopback address (its
    one user's notebook loop should not meet a 429 at query 121), 120 anywhere else.

    >>> default_rate_limit("127.0.0.1"), default_rate_limit("::1"), default_rate_limit("0.0.0.0")
    (0, 0, 120)
    """
    try:
        loopback = ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = host == "localhost"
    return 0 if loopback else 120


def rate_limited(request: Request) -> Response | None:
    """A 429 answer if this client has used its queries for now, else None."""
    wait = site_of(request).limiter.wait(client_of(request))
    if wait <= 0:
        return None
    seconds = whole_seconds(wait)
    return Response(
        f"Too many queries from this client; try again in {seconds} s.\n",
        429,
        headers={"Retry-After": str(seconds)},
        media_type="text/plain",
    )
