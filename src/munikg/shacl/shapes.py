"""Loading a SHACL shapes graph and deciding, shape by shape, which engine validates it.

SHACL Core constraints are compiled to SPARQL (:mod:`munikg.shacl.core_constraints`) and
SPARQL-based constraints run as written (:mod:`munikg.shacl.sparql_constraints`), both over
the pyoxigraph store once per constraint for all focus nodes — orders of magnitude faster than
a per-focus-node engine. What that compiler does not implement exactly is listed in ``gaps``
(:mod:`munikg.shacl.support`) and validated by pySHACL (:mod:`munikg.shacl.fallback`).
"""

from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph
from rdflib.namespace import SH
from rdflib.term import Node

from munikg.errors import BadInput
from munikg.shacl import sparql_constraints, support
from munikg.shacl.core_constraints import compile_checks
from munikg.shacl.sparql_constraints import SparqlConstraint
from munikg.terms import rdflib_graph
from munikg.turtle import parse_or_explain


@dataclass
class Shapes:
    graph: Graph  # the shapes graph as written
    core: Graph  # without its sh:sparql statements, for the Core compiler
    sparql: list[SparqlConstraint]
    gaps: dict[Node, str] = field(default_factory=dict)  # shape → why pySHACL validates it


def load_shapes(path: Path, quads: list[ox.Quad] | None = None) -> Shapes:
    """Parse the shapes file (relative IRIs against its own location); a broken one is bad
    input naming the file and line, or the shape. ``quads``: the file already parsed."""
    if not path.is_file():
        raise BadInput(path, "no such file")
    if quads is None:
        quads = read_quads(path)
    try:
        return from_graph(rdflib_graph(quads))
    except BadInput as error:
        raise BadInput(path, error.message) from None


def read_quads(path: Path) -> list[ox.Quad]:
    """The triples of a Turtle file as written (pyoxigraph's parser: its syntax errors name
    line and column; blank nodes keep their labels)."""
    parser = ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=path.resolve().as_uri())
    return parse_or_explain(path, parser)


def from_graph(graph: Graph) -> Shapes:
    """The shapes of ``graph``, split by engine (raises :class:`BadInput` for what SHACL says
    a processor must refuse)."""
    sparql = sparql_constraints.read(graph)
    core = Graph()
    for triple in graph:
        if triple[1] != SH.sparql:
            core.add(triple)
    for prefix, namespace in graph.namespaces():
        core.bind(prefix, namespace)
    gaps = support.gaps(graph, sparql)
    compile_checks(core, ox.Store(), frozenset(gaps))  # a shape's own fault is found now
    return Shapes(graph=graph, core=core, sparql=sparql, gaps=gaps)
