"""Validating the graph against the shapes (design §6).

SHACL Core runs in pyshacl over an rdflib copy of the data; SHACL-SPARQL constraints run in
pyoxigraph (:mod:`munikg.sparql_constraints`). Each violation is then traced back to the file
and line of the offending triple, so a curator can go straight to it.
"""

from collections.abc import Iterable

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.namespace import SH

from munikg import sparql_constraints
from munikg.locate import find_line
from munikg.shapes import Shapes
from munikg.terms import to_graph, to_ox
from munikg.turtle import TurtleFile
from munikg.violations import Violation

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


def validate(
    files: list[TurtleFile],
    shapes: Shapes,
    store: ox.Store,
    focus: set[str] | None = None,
) -> list[Violation]:
    """Violations in the union of ``files`` (all loaded in ``store``), sorted by file and line.

    With ``focus``, only violations whose focus node is in it are kept: a change set is
    validated with the release as context, and reported for its own nodes only.
    """
    quads = [q for f in files for q in f.quads]
    found = _core(to_graph(quads), shapes.core) + sparql_constraints.evaluate(store, shapes.sparql)
    if focus is not None:
        found = [v for v in found if isinstance(v.focus, ox.NamedNode) and v.focus.value in focus]
    _locate(found, files)
    return sorted(found, key=Violation.sort_key)


def _core(data: Graph, shapes: Graph) -> list[Violation]:
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    found = []
    for result in report.subjects(SH.resultSeverity, None):
        source = report.value(result, SH.sourceShape)
        found.append(
            Violation(
                focus=to_ox(report.value(result, SH.focusNode)),  # type: ignore[arg-type]
                path=_term(report.value(result, SH.resultPath)),
                value=_term(report.value(result, SH.value)),
                messages=_messages(report.objects(result, SH.resultMessage)),
                shape=_named_shape(shapes, source),  # type: ignore[arg-type]
                component=str(report.value(result, SH.sourceConstraintComponent)).rsplit("#")[-1],
                severity=str(report.value(result, SH.resultSeverity)).rsplit("#")[-1],
            )
        )
    return found


def _term(node: object) -> ox.NamedNode | ox.Literal | None:
    if isinstance(node, URIRef | RdfLiteral):
        term = to_ox(node)
        assert not isinstance(term, ox.BlankNode)
        return term
    return None  # a complex path (blank node) or nothing


def _messages(literals: Iterable[object]) -> dict[str, str]:
    messages: dict[str, str] = {}
    for m in literals:
        if isinstance(m, RdfLiteral):
            messages.setdefault(m.language or "en", str(m))
    return messages


def _named_shape(shapes: Graph, shape: URIRef | BNode) -> str:
    """The shape's IRI; for an inline property shape, the node shape that holds it."""
    if isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        if parent is not None:
            return _named_shape(shapes, parent)  # type: ignore[arg-type]
    return str(shape)


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
