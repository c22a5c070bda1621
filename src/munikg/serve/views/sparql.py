"""``/sparql``: the SPARQL 1.1 Protocol (query operation only), read-only and bounded.

A request is read as the protocol says (GET, HEAD, POST form, POST direct; ``default-graph-uri``
and ``named-graph-uri``) and answered from the answer cache or by a worker process, which checks
the query with the engine's own parser (:mod:`munikg.serve.guard`), runs it and writes the
answer in the format negotiated for the form the engine found. What the protocol calls client
errors get their status: 400 (syntax, with the parser's position; refused operations), 405,
406, 413, 415, 429; a query stopped by a limit, or no free worker, gets 503.

The dataset is the protocol's: without dataset parameters the query's own ``FROM``/``FROM
NAMED``, else the merge of the release's graphs; with them, exactly the graphs they name (a
missing kind is empty), and a graph the release does not hold is an empty graph — nothing is
ever fetched (SPARQL 1.1 Protocol §2.1.4, Query §13.2).
"""

import hashlib
import json
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from munikg.serve.executor import Answering, Job, negotiate
from munikg.serve.messages import Encoded, Failure, Outcome, Solutions, encode
from munikg.serve.negotiation import (
    ASK_TYPES,
    GRAPH_TYPES,
    HTML,
    JSONLD,
    NTRIPLES,
    RDFXML,
    SELECT_TYPES,
    SHORT_NAMES,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    choose,
)
from munikg.serve.pool import Busy, ClientGone, OverMemory, Throttled, TimedOut, WorkerDied
from munikg.serve.site import (
    RELEASE_HEADER,
    ROW_LIMIT_HEADER,
    Site,
    client_of,
    rate_limited,
    site_of,
    whole_seconds,
)

ALLOW = "GET, POST, OPTIONS"
FORM = "application/x-www-form-urlencoded"
DIRECT = "application/sparql-query"
UPDATE = "application/sparql-update"
# W3C format IRIs for the service description (https://www.w3.org/ns/formats/).
FORMAT_IRIS = {
    SPARQL_JSON: "SPARQL_Results_JSON",
    SPARQL_XML: "SPARQL_Results_XML",
    "text/csv": "SPARQL_Results_CSV",
    TSV: "SPARQL_Results_TSV",
    TURTLE: "Turtle",
    NTRIPLES: "N-Triples",
    JSONLD: "JSON-LD",
    RDFXML: "RDF_XML",
}


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


@dataclass
class Call:
    """One protocol request, read: the operation, its dataset and the format asked for."""

    query: str | None = None
    update: str | None = None
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    format: str | None = None

    def dataset(self) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
        """The default and named graphs the protocol names: (None, None) to leave the dataset
        to the query; once either parameter is given, the other kind is what it names too."""
        if not (self.default_graphs or self.named_graphs):
            return None, None
        return tuple(self.default_graphs), tuple(self.named_graphs)


def plain(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status, headers, media_type="text/plain")


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 once it passes ``limit`` bytes (before it is all
    read, whatever Content-Length claims)."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise ProtocolError(413, f"The request body is larger than this endpoint's {limit} bytes.")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise ProtocolError(
                413, f"The request body is larger than this endpoint's {limit} bytes."
            )
    return bytes(body)


def _decode(data: bytes, what: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise ProtocolError(400, f"The {what} is not UTF-8: {error}") from None


async def read_call(request: Request, limit: int) -> Call:
    """The protocol operation a request carries (SPARQL 1.1 Protocol §2.1)."""
    pairs = list(request.query_params.multi_items())
    direct: str | None = None
    if request.method == "POST":  # (other methods never get here: the route answers 405)
        content_type = request.headers.get("content-type", "")
        media, *params = [part.strip() for part in content_type.split(";")]
        media = media.lower()
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "charset" and value.strip('"').lower() not in {
                "utf-8",
                "utf8",
            }:
                raise ProtocolError(415, "The request body must be UTF-8 (charset=UTF-8).")
        if media not in {FORM, DIRECT, UPDATE}:
            shown = media or "no Content-Type"
            raise ProtocolError(
                415,
                f"POST needs Content-Type {FORM} or {DIRECT} (got {shown}).",
                {"Accept-Post": f"{FORM}, {DIRECT}"},
            )
        body = _decode(await read_body(request, limit), "request body")
        if media == FORM:
            pairs += parse_qsl(body, keep_blank_values=True)
        elif media == DIRECT:
            direct = body
        else:
            return Call(update=body)
    call = Call()
    queries = [v for k, v in pairs if k == "query"]
    updates = [v for k, v in pairs if k == "update"]
    if direct is not None:
        queries.append(direct)
    if len(queries) > 1:
        raise ProtocolError(400, "More than one query was given; send exactly one.")
    if len(updates) > 1:
        raise ProtocolError(400, "More than one update was given.")
    if queries and updates:
        raise ProtocolError(400, "A request carries either a query or an update, not both.")
    call.query = queries[0] if queries else None
    call.update = updates[0] if updates else None
    if call.query is not None and len(call.query.encode("utf-8")) > limit:
        raise ProtocolError(413, f"The query is longer than this endpoint's {limit} bytes.")
    for key, value in pairs:
        if key == "default-graph-uri":
            call.default_graphs.append(value)
        elif key == "named-graph-uri":
            call.named_graphs.append(value)
        elif key == "format":
            call.format = value
    return call


MACHINE_TYPES = list(dict.fromkeys(SELECT_TYPES + ASK_TYPES + GRAPH_TYPES))


def wants_page(call: Call, request: Request) -> bool:
    """A person in a browser: ``format=html``, or an ``Accept`` that takes HTML and no answer
    format. The editor then shows the answer as a table."""
    if call.format:
        return call.format.lower() in {"html", HTML}
    accept = request.headers.get("accept")
    return choose(accept, MACHINE_TYPES) is None and choose(accept, [HTML]) == HTML


def cache_key(site: Site, call: Call, answering: Answering) -> str:
    text = json.dumps(
        [site.version, call.query, call.dataset(), answering.accept, answering.format],
        sort_keys=True,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


async def endpoint(request: Request) -> Response:
    site = site_of(request)
    try:
        return await _answer(site, request)
    except ProtocolError as error:
        return plain(error.status, error.message, error.headers)


async def _answer(site: Site, request: Request) -> Response:
    if request.method == "OPTIONS":
        return Response(status_code=204, headers={"Allow": ALLOW})
    call = await read_call(request, site.settings.max_request_bytes)
    if call.update is not None:
        raise ProtocolError(
            400,
            "SPARQL Update is not accepted: this endpoint is read-only. "
            "Publish changes as a new release (munikg build).",
        )
    if call.query is None:
        if request.method in {"GET", "HEAD"} and not (call.default_graphs or call.named_graphs):
            return service_description(site, request, call)
        raise ProtocolError(400, "No query was given (send it as the 'query' parameter).")
    if wants_page(call, request):
        return RedirectResponse("/editor?" + urlencode({"query": call.query}), 303)
    answering = Answering(request.headers.get("accept"), call.format)
    key = cache_key(site, call, answering)
    etag = f'"{key}"'
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers={"ETag": etag})
    cached = site.cache.get(key)
    if cached is None and call.dataset() == (None, None):
        cached = await run_in_threadpool(_stored, site, call.query, answering)
        if cached is not None:
            site.cache.put(key, *cached)
    if cached is None:
        if (limited := rate_limited(request)) is not None:
            return limited
        default, named = call.dataset()
        outcome = await run(site, call.query, request, default, named, answering)
        assert isinstance(outcome, Encoded)
        body, headers = outcome.body, outcome.headers
        site.cache.put(key, body, headers)
    else:
        body, headers = cached
    return Response(
        body,
        headers={
            **headers,
            "ETag": etag,
            "Cache-Control": "public, max-age=3600",
            "Vary": "Accept",
            RELEASE_HEADER: site.version,
            ROW_LIMIT_HEADER: str(site.settings.row_limit),
        },
    )


def _stored(site: Site, query: str, answering: Answering) -> tuple[bytes, dict[str, str]] | None:
    """The answer the release stores for exactly this text (a canned query's), written as
    a worker would write it: the same negotiation, row limit and truncation flag."""
    stored = site.local.answers.get(query) if site.local.answers is not None else None
    if stored is None:
        return None
    media = negotiate("SELECT", answering)
    if isinstance(media, Failure):
        raise ProtocolError(media.status, media.message)
    limit = site.settings.row_limit
    rows = list(stored.rows(0, limit))
    outcome = Solutions(stored.variables, rows, truncated=stored.count > limit)
    return encode(outcome, media, limit, limits_note(site))


async def run(
    site: Site,
    query: str,
    request: Request,
    default_graphs: tuple[str, ...] | None = None,
    named_graphs: tuple[str, ...] | None = None,
    answering: Answering | None = None,
) -> Outcome:
    """Run ``query`` for the client of ``request`` in a worker (the answer written as
    ``answering`` asks, or the outcome itself); a refused, stopped or failed query is a
    ProtocolError."""
    job = Job(
        query,
        default_graphs,
        named_graphs,
        site.settings.public_url + "sparql",
        site.settings.row_limit,
        limits_note(site),
        answering,
    )
    stopped = {"Retry-After": str(whole_seconds(site.settings.time_limit))}
    try:
        outcome = await site.pool.run(job, client_of(request), lambda: _until_gone(request))
    except TimedOut:
        raise ProtocolError(
            503,
            f"The query ran longer than this endpoint's {site.settings.time_limit:g} s limit "
            "and was stopped. Narrow it (LIMIT, more specific patterns) or run it on a "
            "downloaded copy of the release.",
            stopped,
        ) from None
    except OverMemory:
        raise ProtocolError(
            503,
            f"The query needed more than this endpoint's {site.settings.memory_limit_mb} MB "
            "of memory and was stopped. Narrow it (LIMIT, fewer variables to sort on) or run "
            "it on a downloaded copy of the release.",
            stopped,
        ) from None
    except Busy:
        raise ProtocolError(
            503, "Every query worker is busy; try again shortly.", {"Retry-After": "2"}
        ) from None
    except Throttled as error:
        seconds = whole_seconds(error.retry_after)
        raise ProtocolError(
            429, f"{error}; try again in {seconds} s.", {"Retry-After": str(seconds)}
        ) from None
    except ClientGone:
        raise ProtocolError(
            499, "The client closed the connection; the query was stopped."
        ) from None
    except WorkerDied:
        raise ProtocolError(
            500, "The query stopped its worker; a new one has been started."
        ) from None
    if isinstance(outcome, Failure):
        raise ProtocolError(outcome.status, outcome.message)
    return outcome


async def _until_gone(request: Request) -> None:
    """Return once the client has closed its connection (the server then says
    ``http.disconnect``; a body not read yet is read past)."""
    while (await request.receive())["type"] != "http.disconnect":
        pass


def limits_note(site: Site) -> str:
    """Where a truncated answer sends its reader: the limits, explained."""
    return f"{site.settings.public_url}editor#limits"


def service_description(site: Site, request: Request, call: Call) -> Response:
    """The SPARQL 1.1 Service Description of this endpoint, in the negotiated RDF format."""
    accept = request.headers.get("accept")
    wanted = SHORT_NAMES.get((call.format or "").lower())
    media = wanted if wanted in [*GRAPH_TYPES, HTML] else choose(accept, [*GRAPH_TYPES, HTML])
    if media == HTML:
        return RedirectResponse("/editor", 303)
    if media is None:
        raise ProtocolError(406, f"The service description comes as: {', '.join(GRAPH_TYPES)}.")
    endpoint_iri = str(endpoint_of(site, request))
    formats = " , ".join(f"<http://www.w3.org/ns/formats/{name}>" for name in FORMAT_IRIS.values())
    named = " , ".join(f"[ sd:name <{g}> ]" for g in sorted(site.graphs))
    limits = site.settings
    about = (
        f"Read-only SPARQL 1.1 endpoint of munikg release {site.version}. The default graph "
        "is the merge of the release's named graphs. Limits: "
        f"{limits.time_limit:g} s per query, {limits.row_limit} rows per answer, "
        f"{limits.max_request_bytes} bytes per request; SERVICE, LOAD and updates are refused."
    )
    turtle = f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix void: <http://rdfs.org/ns/void#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
{endpoint_iri} a sd:Service ;
    sd:endpoint {endpoint_iri} ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:feature sd:UnionDefaultGraph ;
    sd:resultFormat {formats} ;
    dcterms:description {json.dumps(about)}@en ;
    sd:defaultDataset [
        a sd:Dataset ;
        sd:defaultGraph [ a sd:Graph ; void:triples {site.default_triples} ] ;
        sd:namedGraph {named}
    ] .
"""
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
    data = ox.serialize(ox.parse(turtle, format=ox.RdfFormat.TURTLE), format=fmt) or b""
    if fmt is ox.RdfFormat.TURTLE:
        data = turtle.encode("utf-8")
    return Response(
        data, headers={"Content-Type": f"{media}; charset=utf-8", "Vary": "Accept, Host"}
    )


def endpoint_of(site: Site, request: Request) -> ox.NamedNode:
    """The endpoint as it was reached: the path asked for, on the public URL if one is set,
    else on the host the request named (if that makes an IRI; the configured one otherwise)."""
    path = request.url.path.lstrip("/")
    if site.settings.base_url is None:
        try:
            return ox.NamedNode(f"{request.url.scheme}://{request.url.netloc}/{path}")
        except ValueError:
            pass
    return ox.NamedNode(site.settings.public_url + path)
