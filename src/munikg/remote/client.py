"""The one client munikg speaks to other SPARQL 1.1 stores with: queries and updates through
SPARQLWrapper (POST, JSON results, a timeout, basic or digest credentials, the protocol's
dataset), graphs through the Graph Store HTTP Protocol with urllib (same credentials).

Every failure is a :class:`RemoteError` that names the URL and the reason, and keeps the HTTP
status and ``Retry-After`` for a caller that retries. Query back-ends
(:mod:`munikg.query.backends`), publishing (:mod:`munikg.remote.publish`) and Wikidata linking
(:mod:`munikg.remote.wikidata`) all use it.
"""

import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from SPARQLWrapper import BASIC, DIGEST, JSON, POST, SELECT, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from munikg import __version__
from munikg.errors import MunikgError

AGENT = f"munikg/{__version__} (https://w3id.org/munikg)"


class RemoteError(MunikgError):
    """A remote store could not be reached, or refused (exit 3)."""

    exit_code = 3

    def __init__(
        self, message: str, status: int | None = None, retry_after: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status, when the store answered with one
        self.retry_after = retry_after


@dataclass(frozen=True)
class Endpoint:
    """Where a store answers, and how to speak to it."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    timeout: float = 30.0
    user: str | None = None
    password: str | None = None
    digest: bool = False
    agent: str = AGENT
    default_graphs: tuple[str, ...] = ()  # the protocol's dataset, sent with every query
    named_graphs: tuple[str, ...] = ()


class Client:
    """SPARQL query, update and graph-store requests to one :class:`Endpoint`."""

    def __init__(self, endpoint: Endpoint) -> None:
        self.endpoint = endpoint
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        handlers: list[Any] = []
        if endpoint.user is not None:
            for url in (endpoint.query_url, endpoint.update_url, endpoint.gsp_url):
                if url:
                    manager.add_password(None, url, endpoint.user, endpoint.password or "")
            auth = urllib.request.HTTPDigestAuthHandler if endpoint.digest else None
            handlers.append((auth or urllib.request.HTTPBasicAuthHandler)(manager))
        self._opener = urllib.request.build_opener(*handlers)

    def _wrapper(self, text: str, update: bool) -> SPARQLWrapper:
        e = self.endpoint
        client = SPARQLWrapper(e.query_url, updateEndpoint=e.update_url, agent=e.agent)
        client.setMethod(POST)
        client.setTimeout(int(max(1, e.timeout)))
        if e.user is not None:
            client.setHTTPAuth(DIGEST if e.digest else BASIC)
            client.setCredentials(e.user, e.password or "")
        if not update:
            client.setReturnFormat(JSON)
            for graph in e.default_graphs:
                client.addDefaultGraph(graph)
            for graph in e.named_graphs:
                client.addNamedGraph(graph)
        client.setQuery(text)
        if not update:
            # The operation is the caller's, not a guess from the text: SPARQLWrapper's guess
            # strips only every other line of a comment header, so a canned query's
            # "# column: copy -- …" was sent as a COPY update. SELECT and ASK are asked and
            # read alike (SPARQL JSON), and these are the only forms this client sends.
            client.queryType = SELECT
        return client

    def query(self, text: str) -> Any:
        """The store's answer to a query, as SPARQLWrapper converts SPARQL JSON."""
        try:
            return self._wrapper(text, update=False).query().convert()
        except (SPARQLWrapperException, OSError) as error:
            raise failure(self.endpoint.query_url, error, "query") from None

    def bindings(self, text: str) -> list[dict[str, Any]]:
        """A SELECT's rows: each variable's SPARQL JSON term (``type``, ``value`` …)."""
        answer = self.query(text)
        if not isinstance(answer, dict) or "results" not in answer:
            raise RemoteError(f"{self.endpoint.query_url} did not answer with SPARQL JSON results")
        return list(answer["results"]["bindings"])

    def update(self, text: str) -> None:
        url = self.endpoint.update_url or self.endpoint.query_url
        try:
            self._wrapper(text, update=True).query()
        except (SPARQLWrapperException, OSError) as error:
            raise failure(url, error, "update") from None

    def gsp_available(self, probe: str) -> bool:
        """Whether the graph-store URL answers as one: 404 for the graph ``probe``, which
        does not exist."""
        if not self.endpoint.gsp_url:
            return False
        try:
            self._gsp("GET", probe, None)
        except urllib.error.HTTPError as error:
            return error.code == 404
        except OSError:
            return False
        return True

    def gsp_post(self, graph: str, body: bytes) -> None:
        """Add the N-Triples ``body`` to ``graph``."""
        try:
            self._gsp("POST", graph, body)
        except OSError as error:
            raise failure(str(self.endpoint.gsp_url), error) from None

    def _gsp(self, method: str, graph: str, body: bytes | None) -> None:
        assert self.endpoint.gsp_url
        url = f"{self.endpoint.gsp_url}?{urllib.parse.urlencode({'graph': graph})}"
        headers = {"User-Agent": self.endpoint.agent}
        if body is not None:
            headers["Content-Type"] = "application/n-triples"
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        with self._opener.open(request, timeout=self.endpoint.timeout) as response:
            response.read()


def failure(url: str, error: BaseException, what: str = "request") -> RemoteError:
    """What went wrong at ``url``, in a sentence.

    >>> str(failure("http://h/sparql", urllib.error.URLError("refused")))
    'cannot reach http://h/sparql (refused)'
    """
    if isinstance(error, urllib.error.HTTPError):
        detail = error.read()[:300].decode("utf-8", "replace").strip()
        message = f"{url}: HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
        return RemoteError(message, error.code, error.headers.get("Retry-After"))
    if isinstance(error, urllib.error.URLError):
        return RemoteError(f"cannot reach {url} ({error.reason})")
    if isinstance(error, SPARQLWrapperException):
        text = str(error).strip().splitlines()[0][:300] if str(error).strip() else ""
        return RemoteError(f"{url} refused the {what}: {text or type(error).__name__}")
    return RemoteError(f"{url}: {str(error).strip() or type(error).__name__}")
