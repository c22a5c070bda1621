"""The Python API for notebooks: the canned queries and ad-hoc SPARQL, on the local release
or on a remote endpoint, with the same calls and the same answers::

    from munikg import open_release, open_endpoint
    kg = open_release("dist")            # or open_endpoint("http://127.0.0.1:7878/query")
    kg.query("partners-of-municipality", municipality="se-1080").values()
    kg.query("partnerships-by-area", area="water", country="UA").to_dataframe()

The same calls on a graph built here:

>>> import pyoxigraph as ox
>>> store = ox.Store()
>>> code = ox.NamedNode("http://e/code")
>>> store.add(ox.Quad(ox.NamedNode("http://e/falun"), code, ox.Literal("2080")))
>>> kg = KnowledgeGraph(LocalGraph(store), {})
>>> kg.sparql("SELECT ?code WHERE { ?m <http://e/code> ?code }").values()
[{'code': '2080'}]
>>> label = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
>>> store.add(ox.Quad(ox.NamedNode("http://e/falun"), label, ox.Literal("Falun kommun")))
>>> [hit.iri for hit in kg.search("FALUN")]
['http://e/falun']
>>> kg.query("nothing")
Traceback (most recent call last):
...
munikg.query.params.ParameterError: no canned query 'nothing' (known: none)
"""

from pathlib import Path

import pyoxigraph as ox

from munikg.namespaces import MK, RDFS, SKOS, XSD
from munikg.query import canned
from munikg.query.backends import Graph, LocalGraph, RemoteGraph
from munikg.query.canned import CannedQuery
from munikg.query.entities import resolve
from munikg.query.params import Param, ParameterError, is_short_name
from munikg.query.results import Cell, Result
from munikg.query.search import Hit, LabelIndex
from munikg.query.stored import Listed, Listing

COUNTRY_CLASS = MK + "Country"
_PREPARED = 1024  # texts kept per release; then forgotten all at once


class KnowledgeGraph:
    """Canned queries and SPARQL over one graph (local or remote)."""

    def __init__(self, graph: Graph, queries: dict[str, CannedQuery]) -> None:
        self.graph = graph
        self.queries = queries
        # A release never changes, so a parameter value found in its closed set stays there:
        # remembered, the check costs nothing the second time (it was most of a small query).
        self._members: set[tuple[str, str]] | None = (
            set() if isinstance(graph, LocalGraph) else None
        )
        # Texts already checked and bound, for a release only (a remote store may change).
        self._prepared: dict[tuple[object, ...], str] | None = (
            {} if isinstance(graph, LocalGraph) else None
        )

    def canned(self, name: str) -> CannedQuery:
        return canned.find(self.queries, name)

    def prepare(self, name: str, **params: object) -> str:
        """The query text with its parameters checked and bound."""
        given = {k: str(v) for k, v in params.items()}
        key = (name, *sorted(given.items()))
        if self._prepared is not None and (text := self._prepared.get(key)) is not None:
            return text
        query = self.canned(name)
        for param in query.params:  # short names, looked up in the graph being asked
            raw = given.get(param.name, param.default)
            if raw is not None and is_short_name(param, raw):
                given[param.name] = resolve(self.graph, param, raw)
        terms = query.terms(given)
        for param in query.params:
            if param.name in terms:
                self._check_membership(param, terms[param.name])
        text = query.bind(terms)
        if self._prepared is not None:
            if len(self._prepared) >= _PREPARED:
                self._prepared.clear()
            self._prepared[key] = text
        return text

    def query(self, name: str, **params: object) -> Result:
        """Run a canned query with typed parameters (strings are parsed by their type); on a
        release, a query with ``# index: labels`` is answered from its label index."""
        text = self.prepare(name, **params)
        indexed = self._indexed(name, params)
        return indexed.result() if indexed is not None else self.graph.select(text)

    def at_hand(self, name: str, text: str, params: dict[str, object]) -> Listing | None:
        """The answer to canned query ``name`` with ``params``, asked by ``text`` (what
        :meth:`prepare` bound), if the release holds it: in its label index
        (``# index: labels``), or stored with it."""
        indexed = self._indexed(name, params)
        if indexed is not None or not isinstance(self.graph, LocalGraph):
            return indexed  # a remote store runs every query
        return self.graph.answers.get(text) if self.graph.answers is not None else None

    def _indexed(self, name: str, params: dict[str, object]) -> Listed | None:
        """The label index's answer, for a query it answers on a release."""
        query = self.canned(name)
        if query.index != "labels" or not isinstance(self.graph, LocalGraph):
            return None
        term = query.terms({k: str(v) for k, v in params.items()}).get("text")
        return None if term is None else label_matches(self.graph.labels, term.value)

    def search(self, text: str, limit: int = 20) -> list[Hit]:
        """Entities by name, best first (the site's search: every word of ``text`` a part of
        a label, ignoring case and diacritics), from the release's label index."""
        if not isinstance(self.graph, LocalGraph):
            raise ParameterError("search needs a release (a remote store: search-by-label)")
        return self.graph.labels.search(text, limit)

    def sparql(self, text: str) -> Result:
        """Run an ad-hoc SELECT."""
        return self.graph.select(text)

    def _check_membership(self, param: Param, term: ox.NamedNode | ox.Literal) -> None:
        """A closed set (concept scheme, class, country) is checked against the graph itself."""
        if param.scheme:
            path = f"<{SKOS}inScheme>"
            sets: tuple[str, ...] = (param.scheme,)
        elif param.classes or param.type == "country":
            path = f"a/<{RDFS}subClassOf>*"
            sets = param.classes or (COUNTRY_CLASS,)
        else:
            return
        key = ("|".join(sets), str(term))
        if self._members is not None and key in self._members:
            return
        # terms built by pyoxigraph: a validated IRI or an escaped literal, never raw text
        asks = (f"ASK WHERE {{ {term} {path} {ox.NamedNode(s)} }}" for s in sets)
        if not any(self.graph.ask(ask) for ask in asks):
            raise ParameterError(f"parameter {param.name}: {term} is not {param.allowed()}")
        if self._members is not None:
            self._members.add(key)


def open_release(dist: str | Path = "dist", queries: str | Path | None = None) -> KnowledgeGraph:
    """The built release in ``dist`` with the canned queries in ``queries`` (default: the
    release's own copy, the questions it was built and checked with)."""
    graph = LocalGraph.open(Path(dist).expanduser())
    chosen = _path(queries) or (graph.release.queries if graph.release else None)
    return KnowledgeGraph(graph, canned.load(chosen))


def open_endpoint(
    url: str,
    queries: str | Path | None = None,
    timeout: float = 30.0,
    default_graphs: tuple[str, ...] = (),
    named_graphs: tuple[str, ...] = (),
) -> KnowledgeGraph:
    """A remote SPARQL 1.1 endpoint holding a munikg release, with the same canned queries
    (``default_graphs``/``named_graphs``: the dataset to ask for, see ``munikg publish``)."""
    remote = RemoteGraph(url, timeout, default_graphs, named_graphs)
    return KnowledgeGraph(remote, canned.load(_path(queries)))


def _path(queries: str | Path | None) -> Path | None:
    return None if queries is None else Path(queries)


def label_matches(index: LabelIndex, text: str) -> Listed:
    """``search-by-label``'s answer from the label index, as its SPARQL writes it."""
    rank = XSD + "integer"
    rows: list[tuple[Cell | None, ...]] = [
        (Cell("uri", m.entity), Cell("uri", m.cls), Cell("literal", str(m.rank), None, rank))
        for m in index.matching(text)
    ]
    return Listed(["entity", "class", "rank"], rows)
