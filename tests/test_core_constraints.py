"""SHACL Core compiled to SPARQL agrees with pySHACL, the reference engine, on every shape
example and on every Core component munikg compiles, and refuses what it cannot compile."""

from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from munikg.build.inputs import read_inputs
from munikg.errors import BadInput
from munikg.shacl import sparql_constraints
from munikg.shacl.core_constraints import compile_checks, evaluate
from munikg.shacl.shapes import Shapes, load_shapes
from munikg.shacl.validate import Engine, validate
from munikg.shacl.violations import Violation
from munikg.store import fill
from munikg.terms import rdflib_graph, to_ox

from .conftest import ROOT

EXAMPLES = ROOT / "tests" / "shapes"
Result = tuple[str, str, str, str, str]

# Every Core component and path kind munikg compiles that its own shapes do not use. Which
# nodes fail is worked out by hand in EXPECTED, and pySHACL must agree.
COMPONENTS = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:InShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:colour ; sh:in ( "red" "blue" ) ] .
ex:LengthShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:code ; sh:minLength 2 ; sh:maxLength 3 ] .
ex:RangeShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:size ; sh:minExclusive 0 ; sh:maxInclusive 10 ] .
ex:NotShape a sh:NodeShape ; sh:targetNode ex:a , ex:b ;
    sh:not [ sh:property [ sh:path ex:banned ; sh:minCount 1 ] ] .
ex:AndShape a sh:NodeShape ; sh:targetSubjectsOf ex:code ;
    sh:and ( [ sh:property [ sh:path ex:colour ; sh:minCount 1 ] ] [ sh:property [ sh:path ex:size ; sh:minCount 1 ] ] ) .
ex:PairShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ex:start ; sh:lessThan ex:end ] ,
        [ sh:path ex:alias ; sh:disjoint ex:code ] ,
        [ sh:path ex:same ; sh:equals ex:colour ] .
ex:ObjectShape a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:nodeKind sh:IRI ;
    sh:property [ sh:path [ sh:inversePath ex:knows ] ; sh:maxCount 1 ] .
ex:SequenceShape a sh:NodeShape ; sh:targetClass ex:Thing ;
    sh:property [ sh:path ( ex:knows ex:colour ) ; sh:hasValue "red" ] ,
        [ sh:path [ sh:alternativePath ( ex:colour ex:hue ) ] ; sh:maxCount 1 ] ,
        [ sh:path [ sh:oneOrMorePath ex:knows ] ; sh:class ex:Thing ] .
"""
DATA = """
@prefix ex: <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:SubThing rdfs:subClassOf ex:Thing .
ex:a a ex:Thing ; ex:colour "red" ; ex:code "ab" ; ex:size 5 ; ex:start 1 ; ex:end 2 ;
    ex:alias "x" ; ex:same "red" ; ex:knows ex:b .
ex:b a ex:SubThing ; ex:colour "green" ; ex:code "abcd" ; ex:size 0 ; ex:start 3 ; ex:end 2 ;
    ex:alias "abcd" ; ex:banned true ; ex:hue "teal" ; ex:knows ex:c , ex:d .
ex:c ex:code "x" ; ex:knows ex:a .
ex:d a ex:Thing ; ex:colour "blue" ; ex:same "red" ; ex:knows ex:a .
"""
# (focus, component) pairs, read off DATA against COMPONENTS. Things: a, b (a SubThing), d.
EXPECTED = {
    ("b", "InConstraintComponent"),  # green is not in (red blue)
    ("b", "MaxLengthConstraintComponent"),  # code abcd: four characters
    ("b", "MinExclusiveConstraintComponent"),  # size 0 is not > 0
    ("b", "NotConstraintComponent"),  # b has ex:banned
    ("c", "AndConstraintComponent"),  # c has a code but neither colour nor size
    ("b", "LessThanConstraintComponent"),  # start 3, end 2
    ("b", "DisjointConstraintComponent"),  # alias and code both "abcd"
    ("b", "EqualsConstraintComponent"),  # colour green, no ex:same
    ("d", "EqualsConstraintComponent"),  # same "red", colour "blue"
    ("a", "MaxCountConstraintComponent"),  # c and d both know a
    ("a", "HasValueConstraintComponent"),  # a knows b, whose colour is green
    ("b", "HasValueConstraintComponent"),  # b knows c (no colour) and d (blue)
    ("b", "MaxCountConstraintComponent"),  # colour green and hue teal
    ("a", "ClassConstraintComponent"),  # a knows+ c, which is no Thing
    ("b", "ClassConstraintComponent"),  # b knows c
    ("d", "ClassConstraintComponent"),  # d knows a, a knows b, b knows c
}


def canonical(term: ox.NamedNode | ox.BlankNode | ox.Literal | None) -> str:
    """A term as a store holds it (the store writes "-5.0"^^xsd:decimal as "-5")."""
    if term is None:
        return "None"
    store = ox.Store()
    s = ox.NamedNode("http://e/s")
    store.add(ox.Quad(s, s, term))
    return str(next(iter(store)).object)


def key(v: Violation) -> Result:
    return (str(v.focus), v.shape, v.component, str(v.path), canonical(v.value))


def pyshacl_results(data: Graph, shapes: Graph) -> set[Result]:
    """pySHACL's top-level results (not the nested sh:detail ones, which SHACL makes optional)."""
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    found: set[Result] = set()
    for result in report.objects(None, SH.result):
        source = report.value(result, SH.sourceShape)
        parent = shapes.value(None, SH.property, source)
        shape = str(parent if parent is not None and not str(source).startswith("http") else source)
        path, value = report.value(result, SH.resultPath), report.value(result, SH.value)
        found.add(
            (
                str(to_ox(report.value(result, SH.focusNode))),  # type: ignore[arg-type]
                shape,
                str(report.value(result, SH.sourceConstraintComponent)).rsplit("#")[-1],
                str(to_ox(path)) if path is not None and str(path).startswith("http") else "None",
                canonical(to_ox(value)) if value is not None else "None",  # type: ignore[arg-type]
            )
        )
    return found


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    return load_shapes(ROOT / "ontology" / "shapes.ttl")


@pytest.mark.parametrize(
    "example", sorted(EXAMPLES.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_agrees_with_pyshacl_on_every_example(example: Path, shapes: Shapes) -> None:
    ontology = ROOT / "ontology"
    paths = [ontology / "munikg.ttl", ontology / "schemes.ttl", EXAMPLES / "context.ttl", example]
    quads = [q for f in read_inputs(list(dict.fromkeys(paths))) for q in f.quads]
    store = ox.Store()
    fill(store, quads)
    ours = {key(v) for v in evaluate(store, shapes.core)}
    assert ours == pyshacl_results(rdflib_graph(quads), shapes.core)  # SHACL sees the union
    if example.parent.name == "invalid" and example.stem not in {
        str(s.shape).rsplit("#")[-1] for s in shapes.sparql
    }:
        assert ours  # the oracle agreeing on "nothing" would prove little


def test_every_other_core_component_by_hand_and_by_pyshacl() -> None:
    shapes = Graph().parse(data=COMPONENTS, format="turtle")
    store = ox.Store()
    store.load(DATA.encode(), ox.RdfFormat.TURTLE)
    data = Graph().parse(data=DATA, format="turtle")
    found = evaluate(store, shapes)
    assert {(v.focus.value.removeprefix("http://e/"), v.component) for v in found} == EXPECTED
    assert {key(v) for v in found} == pyshacl_results(data, shapes)


def test_conforming_data_has_no_checks_that_fire() -> None:
    shapes = Graph().parse(data=COMPONENTS, format="turtle")
    store = ox.Store()
    assert len(compile_checks(shapes, store)) >= 15
    assert evaluate(store, shapes) == []  # no focus nodes, no violations


@pytest.mark.parametrize(
    ("shape", "named"),
    [
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:closed true .", "sh:closed"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:sparqlish 1 .", "sparqlish"),
        ("ex:S a sh:NodeShape ; sh:targetClass ex:C ; sh:disjoint ex:p .", "node shape"),
        (
            "ex:S sh:targetClass ex:C ; sh:property [ sh:path ex:p ;"
            " sh:property [ sh:path ex:q ; sh:minCount 1 ] ] .",
            "property shapes of its own",
        ),
    ],
)
def test_what_cannot_be_compiled_is_named_and_refused_by_the_compiled_engine(
    tmp_path: Path, shape: str, named: str
) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .\n" + shape
    )
    shapes = load_shapes(path)
    assert [str(s) for s in shapes.gaps] == ["http://e/S"] and named in shapes.gaps[
        URIRef("http://e/S")
    ]
    with pytest.raises(BadInput) as caught:
        validate(ox.Store(), shapes, list, engine=Engine.compiled)
    assert "http://e/S" in str(caught.value) and named in str(caught.value)


def test_munikg_shapes_are_all_compiled(shapes: Shapes) -> None:
    # the build validates a million triples in seconds only if nothing goes to pySHACL
    assert shapes.gaps == {}
    assert [c.runs_once for c in shapes.sparql] == [None] * len(shapes.sparql) != []


# A SPARQL-based constraint reaches its focus nodes through every kind of target, as the Core
# checks do: ex:a (a node), ex:b (an instance of a subclass), ex:c (an object of ex:knows);
# ex:d is flagged too but no target reaches it.
SPARQL_TARGETS = """
@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
ex:FlagShape a sh:NodeShape ; sh:targetNode ex:a ; sh:targetClass ex:C ;
    sh:targetObjectsOf ex:knows ;
    sh:sparql [ a sh:SPARQLConstraint ; sh:message "flagged"@en ;
        sh:select "SELECT $this ?value WHERE { $this <http://e/flag> ?value FILTER (?value) }" ] .
"""
FLAGGED = """
@prefix ex: <http://e/> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:Sub rdfs:subClassOf ex:C .
ex:a ex:flag true . ex:b a ex:Sub ; ex:flag true . ex:x ex:knows ex:c . ex:c ex:flag true .
ex:d ex:flag true . ex:e a ex:C ; ex:flag false .
"""


def test_sparql_constraints_reach_focus_nodes_through_every_target(tmp_path: Path) -> None:
    path = tmp_path / "shapes.ttl"
    path.write_text(SPARQL_TARGETS, encoding="utf-8")
    shapes = load_shapes(path)
    store = ox.Store()
    store.load(FLAGGED.encode(), ox.RdfFormat.TURTLE)
    found = sparql_constraints.evaluate(store, shapes.core, shapes.sparql)
    assert {v.focus.value.removeprefix("http://e/") for v in found} == {"a", "b", "c"}
    data = Graph().parse(data=FLAGGED, format="turtle")
    oracle = Graph().parse(data=SPARQL_TARGETS, format="turtle")
    assert {str(v.focus) for v in found} == {r[0] for r in pyshacl_results(data, oracle)}


@pytest.mark.parametrize(
    "example", sorted(EXAMPLES.glob("*/*.ttl")), ids=lambda p: f"{p.parent.name}/{p.stem}"
)
def test_both_engines_of_munikg_validate_give_the_same_results(
    example: Path, shapes: Shapes
) -> None:
    # --engine compiled and --engine pyshacl, Core and SPARQL constraints alike, each result
    # compared by what SHACL names (focus, path, value, source shape, component, severity)
    ontology = ROOT / "ontology"
    paths = [ontology / "munikg.ttl", ontology / "schemes.ttl", EXAMPLES / "context.ttl", example]
    files = read_inputs(list(dict.fromkeys(paths)))
    store = ox.Store()
    fill(store, [q for f in files for q in f.quads])
    found = {
        engine: {v.key() for v in validate(store, shapes, lambda: files, engine=engine)}
        for engine in (Engine.compiled, Engine.pyshacl)
    }
    assert found[Engine.compiled] == found[Engine.pyshacl]
    if example.parent.name == "invalid":
        assert found[Engine.compiled]
