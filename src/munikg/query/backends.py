"""Where queries run: the local release (pyoxigraph) or a remote SPARQL 1.1 endpoint
(:mod:`munikg.remote.client`). Both answer SELECT and ASK with the same
:class:`~munikg.query.results.Result`."""

from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.query.results import Cell, Result, from_json, rows_of
from munikg.query.search import LabelIndex
from munikg.query.stored import StoredAnswers
from munikg.query.syntax import explain
from munikg.release import ANSWERS_DIR, LABELS_FILE, Release
from munikg.remote.client import Client, Endpoint, RemoteError


class EndpointError(RemoteError):
    """The remote endpoint could not be reached or refused the query (exit 3)."""


class Graph(Protocol):
    """What a canned query needs of the graph it runs on."""

    def select(self, query: str) -> Result: ...

    def ask(self, query: str) -> bool: ...


class LocalGraph:
    """A built release, queried in-process. The default graph is the merge of all sources.

    A text whose answer the release stores is answered from its file; any other runs."""

    def __init__(
        self, store: ox.Store, release: Release | None = None, labels: LabelIndex | None = None
    ) -> None:
        self.store = store
        self.release = release  # the release the store is of, when opened from one
        self.answers = StoredAnswers.open(release.path / ANSWERS_DIR) if release else None
        self._labels = labels  # the label index, when the caller has it (the build)

    @property
    def labels(self) -> LabelIndex:
        """The label index: given, the release's, or for a bare store one built in memory,
        each once."""
        if self._labels is None:
            if self.release is not None and (self.release.path / LABELS_FILE).is_file():
                self._labels = LabelIndex.open(self.release.path / LABELS_FILE)
            else:
                self._labels = LabelIndex.build(self.store)
        return self._labels

    @classmethod
    def open(cls, dist: Path) -> "LocalGraph":
        release = Release.open(dist)
        return cls(release.store, release)

    def _run(self, query: str) -> object:
        try:
            return self.store.query(query)
        except SyntaxError as error:
            raise BadInput(None, f"SPARQL syntax error: {explain(query, str(error))}") from None

    def select(self, query: str) -> Result:
        if self.answers is not None and (stored := self.answers.get(query)) is not None:
            return stored.result()
        solutions = self._run(query)
        if not isinstance(solutions, ox.QuerySolutions):
            raise BadInput(None, "not a SELECT query")
        names = [v.value for v in solutions.variables]
        rows = [dict(zip(names, row, strict=True)) for row in rows_of(solutions)]
        return Result(names, rows)

    def ask(self, query: str) -> bool:
        return bool(self._run(query))


class RemoteGraph:
    """A SPARQL 1.1 endpoint (POST, JSON results, a timeout).

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
        endpoint = Endpoint(
            self.url,
            timeout=self.timeout,
            default_graphs=self.default_graphs,
            named_graphs=self.named_graphs,
        )
        try:
            return Client(endpoint).query(query)
        except RemoteError as error:
            raise EndpointError(str(error)) from None

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
