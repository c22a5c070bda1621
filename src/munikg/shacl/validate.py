"""Validating the graph against the shapes (design §6).

Both SHACL Core (:mod:`munikg.shacl.core_constraints`) and SHACL-SPARQL
(:mod:`munikg.shacl.sparql_constraints`) run as SPARQL over the pyoxigraph store, once per
constraint for all focus nodes. Each violation is then traced back to the file and line of the
offending triple, so a curator can go straight to it.
"""

from collections.abc import Callable

import pyoxigraph as ox

from munikg.shacl import core_constraints, sparql_constraints
from munikg.shacl.locate import find_line
from munikg.shacl.shapes import Shapes
from munikg.shacl.violations import Violation
from munikg.turtle import TurtleFile

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def validate(
    store: ox.Store,
    shapes: Shapes,
    sources: Callable[[], list[TurtleFile]],
    focus: set[str] | None = None,
) -> list[Violation]:
    """Violations in ``store``'s default graph, sorted by file and line.

    ``sources`` gives the parsed input files, asked for only when there is a violation to
    trace back to its line (parsing a big graph into Python costs more than validating it).
    With ``focus``, only violations whose focus node is in it are kept: a change set is
    validated with the release as context, and reported for its own nodes only.
    """
    found = core_constraints.evaluate(store, shapes.core)
    found += sparql_constraints.evaluate(store, shapes)
    if focus is not None:
        found = [v for v in found if isinstance(v.focus, ox.NamedNode) and v.focus.value in focus]
    if found:
        _locate(found, sources())
    return sorted(found, key=Violation.sort_key)


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
