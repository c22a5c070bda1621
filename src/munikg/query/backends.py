"""Where queries run: the local release (pyoxigraph) or a remote SPARQL 1.1 endpoint
(SPARQLWrapper). Both answer SELECT and ASK with the same :class:`~munikg.query.results.Result`."""

from pathlib import Path
from typing import Any, Protocol
from urllib.error import URLError

import pyoxigraph as ox
from SPARQLWrapper import JSON, POST, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

from munikg import __version__
from munikg.errors import BadInput, MunikgError
from munikg.query.results import Cell, Result, from_json, rows_of
from munikg.release import Release


class EndpointError(MunikgError):
    """The remote endpoint could not be reached or refused the query."""

    exit_code = 3


class Graph(Protocol):
    """What a canned query needs of the graph it runs on."""

    def select(self, query: str) -> Result: ...

    def ask(self, query: str) -> bool: ...


class LocalGraph:
    """A built release, queried in-process. The default graph is the merge of all sources."""

    def __init__(self, store: ox.Store) -> None:
        self.store = store

    @classmethod
    def open(cls, dist: Path) -> "LocalGraph":
        return cls(Release.open(dist).store)

    def _run(self, query: str) -> object:
        try:
            return self.store.query(query)
        except SyntaxError as error:
            raise BadInput(None, f"SPARQL syntax error: {error}") from None

    def select(self, query: str) -> Result:
        solutions = self._run(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise BadInput(None, "not a SELECT query")
        names = [v.value for v in solutions.variables]
        rows = [dict(zip(names, row, strict=True)) for row in rows_of(solutions)]
        return Result(names, rows)

    def ask(self, query: str) -> bool:
        return bool(self._run(query))


class RemoteGraph:
    """A SPARQL 1.1 endpoint, through SPARQLWrapper (POST, JSON results, a timeout).

    ``default_graphs`` and ``named_graphs`` are sent as the protocol's dataset: a store whose
    default graph is the union of all graphs (Virtuoso) answers like the release when told to
    read ``graph/merge`` as default graph and the source graphs as named graphs."""

    def __init__(
        self,
        url: str,
        timeout: float = 30.0,
        default_graphs: tuple[str, ...] = (),
        named_graphs: tuple[str, ...] = (),
    ) -> None:
        self.url = url
        self.timeout = timeout
        self.default_graphs = default_graphs
        self.named_graphs = named_graphs

    def _run(self, query: str) -> Any:
        client = SPARQLWrapper(self.url, agent=f"munikg/{__version__}")
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setTimeout(int(max(1, self.timeout)))
        for graph in self.default_graphs:
            client.addDefaultGraph(graph)
        for graph in self.named_graphs:
            client.addNamedGraph(graph)
        client.setQuery(query)
        try:
            return client.query().convert()
        except SPARQLWrapperException as error:
            raise EndpointError(f"{self.url} refused the query: {error}") from None
        except URLError as error:
            raise EndpointError(f"cannot reach {self.url}: {error.reason}") from None
        except (TimeoutError, OSError) as error:
            raise EndpointError(f"{self.url}: {error}") from None

    def select(self, query: str) -> Result:
        answer = self._run(query)
        if not isinstance(answer, dict) or "results" not in answer:
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results")
        names = list(answer["head"]["vars"])
        rows: list[dict[str, Cell | None]] = [
            {n: (from_json(b[n]) if n in b else None) for n in names}
            for b in answer["results"]["bindings"]
        ]
        return Result(names, rows)

    def ask(self, query: str) -> bool:
        answer = self._run(query)
        if not isinstance(answer, dict):
            raise EndpointError(f"{self.url} did not answer with SPARQL JSON results")
        if "boolean" in answer:
            return bool(answer["boolean"])
        # Virtuoso 7.2 answers ASK as a one-row table of __ASK_RETVAL (1 or 0).
        rows = answer.get("results", {}).get("bindings", [])
        return bool(rows) and rows[0].get("__ASK_RETVAL", {}).get("value") in {"1", "true"}
