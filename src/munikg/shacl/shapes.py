"""Loading the SHACL shapes and splitting them by how they are evaluated.

SHACL Core constraints are compiled to SPARQL (:mod:`munikg.shacl.core_constraints`);
SPARQL-based constraints (``sh:sparql``) are run as written
(:mod:`munikg.shacl.sparql_constraints`).
Both run over the pyoxigraph store once per constraint for all focus nodes, which is orders of
magnitude faster than a per-focus-node engine such as pySHACL (kept in the tests as the oracle).
"""

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal
from rdflib.namespace import SH

from munikg.errors import BadInput
from munikg.shacl.core_constraints import compile_checks
from munikg.turtle import parse_or_explain


@dataclass(frozen=True)
class SparqlShape:
    """A node shape with one SPARQL-based constraint (its targets stay in the Core graph)."""

    shape: str
    select: str
    messages: dict[str, str]


@dataclass
class Shapes:
    core: Graph
    sparql: list[SparqlShape]


def load_shapes(path: Path) -> Shapes:
    """Parse the shapes file; a broken one is bad input naming the file and line."""
    if not path.is_file():
        raise BadInput(path, "no such file")
    # pyoxigraph first: its syntax errors name line and column (shapes may hold blank nodes,
    # so the data-file checks of read_turtle do not apply).
    parse_or_explain(path, ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    graph = Graph().parse(path, format="turtle")
    sparql: list[SparqlShape] = []
    for shape, constraint in graph.subject_objects(SH.sparql):
        select = graph.value(constraint, SH.select)
        if select is None:
            raise BadInput(path, f"SPARQL constraint {constraint} has no sh:select")
        prefixes = "".join(
            f"PREFIX {graph.value(d, SH.prefix)}: <{graph.value(d, SH.namespace)}>\n"
            for declarer in graph.objects(constraint, SH.prefixes)
            for d in graph.objects(declarer, SH.declare)
        )
        messages = {
            m.language or "en": str(m)
            for m in graph.objects(constraint, SH.message)
            if isinstance(m, Literal)
        }
        sparql.append(
            SparqlShape(
                shape=str(shape),
                # $this is pre-bound by SHACL; run over all focus nodes at once it is a variable.
                select=prefixes + str(select).replace("$this", "?this"),
                messages=messages,
            )
        )
    core = Graph()
    for triple in graph:
        if triple[1] != SH.sparql:
            core.add(triple)
    for prefix, namespace in graph.namespaces():
        core.bind(prefix, namespace)
    try:  # a shape munikg cannot compile is the shapes file's fault; say so now, not mid-build
        compile_checks(core, ox.Store())
    except BadInput as error:
        raise BadInput(path, error.message) from None
    return Shapes(core=core, sparql=sorted(sparql, key=lambda s: s.shape))
