"""Writing validation results for people (text) and machines (JSON, SHACL report in Turtle)."""

import json
from enum import StrEnum

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from munikg.shacl.violations import Violation
from munikg.terms import short, to_rdflib


class ReportFormat(StrEnum):
    text = "text"
    json = "json"
    turtle = "turtle"


def format_report(
    violations: list[Violation], fmt: ReportFormat, lang: str = "en", shapes: Graph | None = None
) -> str:
    """The report in ``fmt``; messages in ``lang`` (sv or en) where the shape gives both."""
    if fmt is ReportFormat.json:
        return as_json(violations, lang)
    if fmt is ReportFormat.turtle:
        return as_turtle(violations, shapes)
    return as_text(violations, lang)


def as_text(violations: list[Violation], lang: str = "en") -> str:
    """One entry per violation: where, what, why, which shape.

    >>> import pyoxigraph as ox
    >>> v = Violation(ox.NamedNode("https://w3id.org/munikg/id/municipality/se-2080"),
    ...     ox.NamedNode("https://w3id.org/munikg/ontology#kommunkod"), ox.Literal("20800"),
    ...     {"en": "A municipality code has four digits."}, "https://w3id.org/munikg/shapes#MunicipalityShape",
    ...     "PatternConstraintComponent", file="data/x.ttl", line=7)
    >>> print(as_text([v]))
    data/x.ttl:7: municipality:se-2080 mk:kommunkod "20800"
        A municipality code has four digits.
        shape mksh:MunicipalityShape (PatternConstraintComponent)
    1 violation.
    """
    lines = []
    for v in violations:
        where = f"{v.file}:{v.line}" if v.file and v.line else (v.file or "(graph)")
        what = " ".join(x for x in (short(v.focus), short(v.path), short(v.value)) if x)
        severity = "" if v.severity == "Violation" else f"{v.severity}: "
        lines.append(f"{where}: {severity}{what}")
        lines.append(f"    {v.message(lang)}")
        lines.append(f"    shape {short_iri(v.shape)} ({v.component})")
    count = len(violations)
    lines.append("Conforms." if not count else f"{count} violation{'s' if count != 1 else ''}.")
    return "\n".join(lines)


def short_iri(iri: str) -> str:
    return short(ox.NamedNode(iri)) if iri.startswith("http") else iri


def as_json(violations: list[Violation], lang: str = "en") -> str:
    return json.dumps(
        {
            "conforms": not violations,
            "violations": [
                {
                    "file": v.file,
                    "line": v.line,
                    "focus": v.focus.value,
                    "path": v.path.value if v.path is not None else None,
                    "value": str(v.value) if v.value is not None else None,
                    "message": v.message(lang),
                    "messages": v.messages,
                    "shape": v.shape,
                    "component": v.component,
                    "severity": v.severity,
                }
                for v in violations
            ],
        },
        indent=2,
        ensure_ascii=False,
    )


def as_turtle(violations: list[Violation], shapes: Graph | None = None) -> str:
    """A standard sh:ValidationReport (SHACL 1.0 §3.6). A path that is not one IRI is copied
    from ``shapes``, the graph its nodes are in."""
    graph = Graph()
    graph.bind("sh", SH)
    report = BNode("report")
    graph.add((report, RDF.type, SH.ValidationReport))
    graph.add((report, SH.conforms, Literal(not violations)))
    for i, v in enumerate(violations):
        result = BNode(f"r{i}")
        graph.add((report, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.focusNode, to_rdflib(v.focus)))
        if v.result_path is not None:
            graph.add((result, SH.resultPath, v.result_path))
            if isinstance(v.result_path, BNode) and shapes is not None:
                _copy(shapes, v.result_path, graph)
        if v.value is not None:
            graph.add((result, SH.value, to_rdflib(v.value)))
        source = v.source_shape if v.source_shape is not None else URIRef(v.shape)
        graph.add((result, SH.sourceShape, source))
        graph.add((result, SH.sourceConstraintComponent, _sh(v.component)))
        graph.add((result, SH.resultSeverity, _sh(v.severity)))
        for language, message in sorted(v.messages.items()):
            graph.add((result, SH.resultMessage, Literal(message, lang=language)))
    return graph.serialize(format="turtle")


def _sh(name: str) -> URIRef:
    """``sh:name`` for a local name, the IRI itself for a full one (a custom severity)."""
    return URIRef(name) if ":" in name else SH[name]


def _copy(source: Graph, node: Node, into: Graph) -> None:
    """The statements reachable from blank node ``node`` (a path's structure)."""
    for p, o in source.predicate_objects(node):
        into.add((node, p, o))
        if isinstance(o, BNode):
            _copy(source, o, into)
