"""The W3C SHACL test suite (tests/w3c/data-shapes, see its SOURCE.md), driven from its
manifests, through both engines: pySHACL, and munikg's default (compiled where it is exact,
pySHACL for the rest). ``--engine compiled`` must agree wherever it accepts a test, and refuse
the rest — never say "conforms" for what it did not check.

A result is compared by what SHACL 1.0 §3.6 names: focus node, path, value, source shape,
constraint component and severity (messages and sh:sourceConstraint are free). Expected
reports are read off the test files, never written here.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from munikg.errors import BadInput
from munikg.shacl.paths import sparql_path
from munikg.shacl.shapes import load_shapes, read_quads
from munikg.shacl.standalone import NO_GRAPH, validate_quads
from munikg.shacl.validate import Engine
from munikg.shacl.violations import SH as SH_NS
from munikg.shacl.violations import Violation
from munikg.terms import rdflib_graph, to_ox
from munikg.turtle import TurtleFile

SUITE = Path(__file__).parent / "w3c" / "data-shapes"
MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
SHT = "http://www.w3.org/ns/shacl-test#"
# Tests an engine is allowed to miss, each with its reason; each miss is a refusal, never a
# wrong "conforms" (the tests below check the outcome even for these).
SHAPES_GRAPH = (
    "$shapesGraph is optional in SHACL-SPARQL (§5.3.1) and neither engine supports it: refused"
)
DEFAULT_MISSES = {"sparql/pre-binding/shapesGraph-001": SHAPES_GRAPH}
PYSHACL_MISSES = {
    "sparql/pre-binding/shapesGraph-001": SHAPES_GRAPH,
    "core/property/uniqueLang-002": 'pySHACL 0.40 takes "1"^^xsd:boolean for true',
    "sparql/node/prefixes-001": "pySHACL 0.40 reads no prefixes from an owl:imports-ed node",
}

Key = tuple[str, str, str, str, str, str]


@dataclass(frozen=True)
class Case:
    name: str
    file: Path  # the test: its manifest entry and expected report
    data: Path
    shapes: Path
    failure: bool  # sht:Failure: a processor must refuse the shapes


def manifest(path: Path) -> list[Case]:
    graph = Graph().parse(path, format="turtle")
    found = []
    for include in graph.objects(None, URIRef(MF + "include")):
        found += manifest(Path(str(include).removeprefix("file://")))
    for entries in graph.objects(None, URIRef(MF + "entries")):
        for entry in Collection(graph, entries):
            if (entry, RDF.type, URIRef(SHT + "Validate")) not in graph:
                continue
            result = graph.value(entry, URIRef(MF + "result"))
            action = graph.value(entry, URIRef(MF + "action"))
            data, shapes = (
                Path(str(graph.value(action, URIRef(SHT + g))).removeprefix("file://"))
                for g in ("dataGraph", "shapesGraph")
            )
            name = str(entry).split("/data-shapes/", 1)[-1]
            found.append(Case(name, path, data, shapes, result == URIRef(SHT + "Failure")))
    return found


CASES = manifest(SUITE / "manifest.ttl")


def expected(graph: Graph) -> tuple[bool, set[Key]]:
    entry = next(graph.subjects(RDF.type, URIRef(SHT + "Validate")))
    report = graph.value(entry, URIRef(MF + "result"))
    conforms = graph.value(report, SH.conforms)
    results = set()
    for r in graph.objects(report, SH.result):
        path = graph.value(r, SH.resultPath)
        results.add(
            (
                str(to_ox(graph.value(r, SH.focusNode))),  # type: ignore[arg-type]
                sparql_path(graph, path) if path is not None else "",
                str(to_ox(value)) if (value := graph.value(r, SH.value)) is not None else "",
                str(graph.value(r, SH.sourceShape)),
                str(graph.value(r, SH.sourceConstraintComponent)),
                str(graph.value(r, SH.resultSeverity)),
            )
        )
    return bool(conforms and conforms.toPython()), results


def key(graph: Graph, v: Violation) -> Key:
    path: Node | None = v.result_path
    full = lambda name: name if ":" in name else SH_NS + name  # noqa: E731
    return (
        str(v.focus),
        sparql_path(graph, path) if path is not None else "",
        str(v.value) if v.value is not None else "",
        str(v.source_shape),
        full(v.component),
        full(v.severity),
    )


def run(case: Case, engine: Engine) -> tuple[Graph, list[Violation]]:
    """The test's graph (its expected report, and its shapes for reading paths) and the
    results; one file read once, so that its blank nodes are the same nodes throughout."""
    parsed = {p: read_quads(p) for p in {case.file, case.data, case.shapes}}
    graph = rdflib_graph(parsed[case.file] + parsed[case.shapes])
    text = case.data.read_text(encoding="utf-8")
    data = TurtleFile(case.data, NO_GRAPH, parsed[case.data], text=text)
    return graph, validate_quads(load_shapes(case.shapes, parsed[case.shapes]), [data], engine)


def outcome(case: Case, engine: Engine) -> str:
    """``agree``, ``conforms-wrongly``, ``differs``, ``refused`` or ``accepted-failure``."""
    try:
        graph, found = run(case, engine)
    except BadInput:
        return "agree" if case.failure else "refused"
    if case.failure:
        return "accepted-failure"
    conforms, results = expected(graph)
    ours = {key(graph, v) for v in found}
    if not found and not conforms:
        return "conforms-wrongly"
    return "agree" if ours == results and conforms == (not found) else "differs"


def test_the_manifests_list_the_suite() -> None:
    # 120 sht:Validate entries the manifests list (one more file, sparql/component/
    # nodeValidator-001.ttl, is in no manifest), of which
    # 7 are sht:Failure (sparql/pre-binding: 6 unsupported-sparql, pre-binding-006).
    assert len(CASES) == 120
    assert sum(c.failure for c in CASES) == 7


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_default_engine(case: Case) -> None:
    result = outcome(case, Engine.auto)
    if case.name in DEFAULT_MISSES:
        assert result == "refused"
        pytest.skip(DEFAULT_MISSES[case.name])
    assert result == "agree"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_pyshacl(case: Case) -> None:
    result = outcome(case, Engine.pyshacl)
    if case.name in PYSHACL_MISSES:
        assert result != "agree", "pySHACL now passes: take it off the list"
        pytest.skip(PYSHACL_MISSES[case.name])
    assert result == "agree"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_compiled_engine_agrees_or_refuses(case: Case) -> None:
    # Refusing is allowed (it is not a complete SHACL engine); answering wrongly is not.
    assert outcome(case, Engine.compiled) in ("agree", "refused")
