"""Every shape has a conforming and a violating example; the violating one fails exactly the
shape and path its header names (``# expect: Shape path``), and nothing else."""

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib.namespace import SH

from munikg.build.inputs import read_inputs
from munikg.shacl.shapes import Shapes, load_shapes
from munikg.shacl.validate import validate
from munikg.shacl.violations import Violation
from munikg.store import fill
from munikg.terms import iri, short

from .conftest import ROOT

EXAMPLES = ROOT / "tests" / "shapes"
SHAPES_NS = "https://w3id.org/munikg/shapes#"


@pytest.fixture(scope="module")
def shapes() -> Shapes:
    return load_shapes(ROOT / "ontology" / "shapes.ttl")


def targeted_shapes(shapes: Shapes) -> set[str]:
    """Local names of the node shapes that select focus nodes themselves."""
    graph = shapes.core
    names = {
        str(s).removeprefix(SHAPES_NS)
        for p in (SH.targetClass, SH.targetSubjectsOf)
        for s in graph.subjects(p, None)
    }
    return names | {s.shape.removeprefix(SHAPES_NS) for s in shapes.sparql}


def check(example: Path, shapes: Shapes) -> list[Violation]:
    """Violations of ``example``'s own nodes, validated with the ontology and the context."""
    ontology = ROOT / "ontology"
    paths = [ontology / "munikg.ttl", ontology / "schemes.ttl", EXAMPLES / "context.ttl", example]
    files = read_inputs(list(dict.fromkeys(paths)))
    store = ox.Store()
    fill(store, (q for f in files for q in f.quads))
    focus = {iri(q.subject) for q in files[-1].quads}
    return validate(store, shapes, lambda: files, focus)


def expected(example: Path) -> set[tuple[str, str]]:
    lines = example.read_text(encoding="utf-8").splitlines()
    pairs = [
        line.removeprefix("# expect: ").split() for line in lines if line.startswith("# expect: ")
    ]
    return {(shape, path) for shape, path in pairs}


def found(violations: list[Violation]) -> set[tuple[str, str]]:
    return {(v.shape.removeprefix(SHAPES_NS), short(v.path) or "-") for v in violations}


def test_every_shape_has_both_examples(shapes: Shapes) -> None:
    names = targeted_shapes(shapes)
    assert len(names) >= 25
    for kind in ("valid", "invalid"):
        assert {p.stem for p in (EXAMPLES / kind).glob("*.ttl")} == names, kind


def test_the_context_conforms(shapes: Shapes) -> None:
    assert check(EXAMPLES / "context.ttl", shapes) == []


@pytest.mark.parametrize(
    "example", sorted((EXAMPLES / "valid").glob("*.ttl")), ids=lambda p: p.stem
)
def test_valid_example_conforms(example: Path, shapes: Shapes) -> None:
    assert found(check(example, shapes)) == set()


@pytest.mark.parametrize(
    "example", sorted((EXAMPLES / "invalid").glob("*.ttl")), ids=lambda p: p.stem
)
def test_invalid_example_fails_the_named_shape_and_path(example: Path, shapes: Shapes) -> None:
    want = expected(example)
    assert want, f"{example.name} names no expected violation"
    violations = check(example, shapes)
    assert found(violations) == want
    for v in violations:
        assert v.file == str(example) and v.line is not None, v
        assert {"sv", "en"} <= set(v.messages) or v.component != "SPARQLConstraintComponent"
