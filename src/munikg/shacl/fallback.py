"""pySHACL for the shapes the compiled engine does not evaluate exactly (design §3: pySHACL
beside the compiled validator).

pySHACL is given the whole shapes graph, so the shapes it validates can refer to any other,
with the targets of every shape it is not asked to validate taken away; it reads no
``owl:imports`` and runs no inference. Its SPARQL runs in rdflib's engine, which would follow
a ``SERVICE``: :mod:`munikg.shacl.sparql_constraints` refuses those before anything runs, for
constraints and for validators of SPARQL-based components alike.
"""

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from munikg.errors import BadInput
from munikg.shacl.paths import shape_name
from munikg.shacl.targets import TARGETS
from munikg.shacl.violations import Violation, severity_name
from munikg.terms import to_ox


def validate(data: Graph, shapes: Graph, only: set[Node] | None = None) -> list[Violation]:
    """pySHACL's results for the targeted shapes in ``only`` (all when None)."""
    if only is not None:
        trimmed = Graph()
        for s, p, o in shapes:
            if s not in only and (
                p in (*TARGETS, SH.target) or (p == RDF.type and o == RDFS.Class)
            ):
                continue
            trimmed.add((s, p, o))
        shapes = trimmed
    try:
        _, report, _ = pyshacl.validate(
            data,
            shacl_graph=shapes,
            inference="none",
            advanced=False,  # no SPARQL targets, functions or rules: less to trust
            do_owl_imports=False,
            allow_warnings=True,
            abort_on_first=False,
        )
    except (pyshacl.errors.ReportableRuntimeError, pyshacl.errors.ShapeLoadError) as error:
        raise BadInput(None, f"the shapes cannot be validated: {error.message}") from None
    except Exception as error:  # a third-party engine's fault is a refusal, never a crash
        raise BadInput(None, f"pySHACL could not validate these shapes: {error}") from None
    assert isinstance(report, Graph)
    nested = set(report.objects(None, SH.detail))  # sh:detail results explain another one
    return [
        _violation(report, shapes, r)
        for r in report.subjects(RDF.type, SH.ValidationResult)
        if r not in nested
    ]


def _violation(report: Graph, shapes: Graph, result: Node) -> Violation:
    def term(predicate: Node) -> Node | None:
        return report.value(result, predicate)

    source = term(SH.sourceShape)
    focus = term(SH.focusNode)
    value = term(SH.value)
    written = term(SH.resultPath)  # pySHACL copies a path's nodes: read it off the shape
    path = (
        written if isinstance(written, URIRef) or written is None else shapes.value(source, SH.path)
    )
    component = str(term(SH.sourceConstraintComponent))
    severity = term(SH.resultSeverity)
    assert focus is not None
    return Violation(
        focus=to_ox(focus),
        path=to_ox(path)
        if path is not None and not isinstance(to_ox(path), ox.BlankNode)
        else None,
        value=to_ox(value) if value is not None else None,
        messages={
            m.language or "en": str(m)
            for m in report.objects(result, SH.resultMessage)
            if isinstance(m, Literal)
        },
        shape=shape_name(shapes, source) if source is not None else "",
        component=component.removeprefix(str(SH)),
        severity=severity_name(str(severity) if severity is not None else None),
        source_shape=source,
        result_path=path,
    )
