"""Validating a data graph against a shapes graph (design §6), with the engine chosen shape by
shape.

The compiled engine runs SHACL Core (:mod:`munikg.shacl.core_constraints`) and SHACL-SPARQL
(:mod:`munikg.shacl.sparql_constraints`) as SPARQL over the pyoxigraph store, once per
constraint for all focus nodes. It answers only for what it evaluates exactly: the shapes in
``Shapes.gaps``, and every shape when the store does not hold the data's literals as written,
are validated by pySHACL (``Engine.auto``, the default), or refused (``Engine.compiled``).
Each violation is then traced back to the file and line of the offending triple.
"""

from collections.abc import Callable
from enum import StrEnum

import pyoxigraph as ox
from rdflib import Graph

from munikg.errors import BadInput
from munikg.shacl import core_constraints, fallback, sparql_constraints
from munikg.shacl.locate import find_line
from munikg.shacl.shapes import Shapes
from munikg.shacl.targets import targeted_shapes
from munikg.shacl.violations import Violation
from munikg.terms import rdflib_graph
from munikg.turtle import TurtleFile, ill_typed, origin

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


class Engine(StrEnum):
    auto = "auto"  # compiled where it is exact, pySHACL for the rest
    compiled = "compiled"  # refuses what it does not evaluate exactly
    pyshacl = "pyshacl"


def validate(
    store: ox.Store,
    shapes: Shapes,
    sources: Callable[[], list[TurtleFile]],
    focus: set[str] | None = None,
    engine: Engine = Engine.auto,
    data: Callable[[], Graph] | None = None,
    unfaithful: str | None = None,
) -> list[Violation]:
    """Violations in ``store``'s default graph, sorted by file and line.

    ``sources`` gives the parsed input files, asked for only when there is a violation to
    trace back to its line (parsing a big graph into Python costs more than validating it).
    ``data`` gives the data as an rdflib graph for pySHACL (default: the store's default
    graph); ``unfaithful`` says why the store's terms are not the data's, if they are not.
    With ``focus``, only violations whose focus node is in it are kept: a change set is
    validated with the release as context, and reported for its own nodes only.
    """
    targeted = targeted_shapes(shapes.graph)
    delegated = set(shapes.gaps)
    if engine is Engine.pyshacl or unfaithful is not None:
        if engine is Engine.compiled:
            raise BadInput(None, f"the compiled engine cannot validate this data: {unfaithful}")
        delegated = targeted
    elif delegated and engine is Engine.compiled:
        reasons = "; ".join(sorted(shapes.gaps.values()))
        raise BadInput(None, f"the compiled engine does not evaluate every shape: {reasons}")
    compiled = targeted - delegated
    found: list[Violation] = []
    if compiled:
        skip = frozenset(delegated)
        found += core_constraints.evaluate(store, shapes.core, skip)
        active = [c for c in shapes.sparql if c.shape not in skip]
        found += sparql_constraints.evaluate(store, shapes.core, active)
    if delegated:
        default = store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        graph = data() if data is not None else rdflib_graph(default)
        found += fallback.validate(graph, shapes.graph, delegated)
    unique = {v.key(): v for v in found}
    found = list(unique.values())
    if focus is not None:
        found = [v for v in found if isinstance(v.focus, ox.NamedNode) and v.focus.value in focus]
    if found:
        _locate(found, sources())
    return sorted(found, key=Violation.sort_key)


def rewritten(store: ox.Store, quads: list[ox.Quad]) -> str | None:
    """Why the store's literals are not ``quads``' as written, if they are not: pyoxigraph
    keeps a value's canonical form (``"5"^^xsd:int`` becomes ``"5"^^xsd:integer``, ``12.0``
    becomes ``12``), and an ill-typed literal has no value for ``sh:datatype`` to check."""
    written = {q.object for q in quads if isinstance(q.object, ox.Literal)}
    for literal in sorted(written, key=str):
        if ill_typed(literal.value, literal.datatype.value):
            return f"{literal} is ill-typed"
    held = {
        q.object
        for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        if isinstance(q.object, ox.Literal)
    }
    changed = sorted(written - held, key=str)
    if changed:
        return f"the store rewrites {len(changed)} literals, e.g. {changed[0]}"
    return None


def _locate(violations: list[Violation], files: list[TurtleFile]) -> None:
    """Set file and line of each violation from the files that state its focus node."""
    by_subject: dict[str, list[TurtleFile]] = {}
    typed: dict[str, TurtleFile] = {}
    holds: dict[tuple[str, str, str], TurtleFile] = {}
    for f in files:
        for q in f.quads:
            s = str(q.subject)
            if f not in by_subject.setdefault(s, []):
                by_subject[s].append(f)
            if q.predicate == RDF_TYPE:
                typed.setdefault(s, f)
            holds.setdefault((s, str(q.predicate), str(q.object)), f)
    for v in violations:
        s = str(v.focus)
        where = None
        if v.path is not None and v.value is not None:
            where = holds.get((s, str(v.path), str(v.value)))
        where = where or typed.get(s) or next(iter(by_subject.get(s, [])), None)
        if where is None or isinstance(v.focus, ox.Literal):
            continue
        path = v.path if isinstance(v.path, ox.NamedNode) else None
        v.file = str(where.path)
        v.line = find_line(where.text, where.prefixes, v.focus, path, v.value)
        table = origin(where.text, v.line) if v.line is not None else None
        if table is not None:  # generated from a table: name the row a curator edits
            v.file, v.line = table
