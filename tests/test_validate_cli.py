"""``munikg validate --shapes SHAPES DATA…``: any data against any shapes, driven as a SHACL
harness drives ``pyshacl``. Expected results are read off the W3C suite's own files."""

import json
import socket
import threading
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, SH

from tests.conftest import munikg

SUITE = Path(__file__).parent / "w3c" / "data-shapes"


def expected_results(test: Path) -> int:
    graph = Graph().parse(test, format="turtle")
    report = next(graph.subjects(RDF.type, SH.ValidationReport))
    return len(list(graph.objects(report, SH.result)))


@pytest.mark.parametrize("fmt", ["turtle", "json", "text"])
def test_a_custom_severity_is_reported_and_the_exit_says_it_does_not_conform(
    fmt: str, tmp_path: Path
) -> None:
    # core/misc/severity-002: a result of ex:MySeverity and one of sh:Info; nothing is
    # sh:Violation, yet the report does not conform
    test = SUITE / "core" / "misc" / "severity-002.ttl"
    done = munikg("validate", "--shapes", str(test), str(test), "--format", fmt, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    if fmt == "turtle":
        report = Graph().parse(data=done.stdout, format="turtle")
        results = list(report.subjects(RDF.type, SH.ValidationResult))
        assert len(results) == expected_results(test) == 2
        severities = {str(report.value(r, SH.resultSeverity)) for r in results}
        assert severities == {
            "http://datashapes.org/sh/tests/core/misc/severity-002.test#MySeverity",
            str(SH.Info),
        }
    elif fmt == "json":
        assert json.loads(done.stdout)["conforms"] is False
    else:
        assert "2 violations." in done.stdout


def test_relative_iris_and_separate_files(tmp_path: Path) -> None:
    # core/path/path-complex-002: data and shapes in two files; the expected report's paths
    # are sequence paths of inverse paths, written as blank nodes in the report
    shapes = SUITE / "core" / "path" / "path-complex-002-shapes.ttl"
    data = SUITE / "core" / "path" / "path-complex-002-data.ttl"
    done = munikg(
        "validate", "--shapes", str(shapes), str(data), "--format", "turtle", cwd=tmp_path
    )
    assert done.returncode == 1, done.stderr
    report = Graph().parse(data=done.stdout, format="turtle")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    assert len(results) == expected_results(SUITE / "core" / "path" / "path-complex-002.ttl")
    for r in results:
        path = report.value(r, SH.resultPath)
        assert path is not None and (path, RDF.first, None) in report


def test_the_compiled_engine_refuses_what_it_does_not_evaluate(tmp_path: Path) -> None:
    test = SUITE / "core" / "node" / "closed-001.ttl"
    done = munikg(
        "validate", "--shapes", str(test), str(test), "--engine", "compiled", cwd=tmp_path
    )
    assert done.returncode == 2 and "sh:closed" in done.stderr
    by_default = munikg("validate", "--shapes", str(test), str(test), cwd=tmp_path)
    assert by_default.returncode == 1 and "ClosedConstraintComponent" in by_default.stdout


def test_a_shapes_file_cannot_make_validation_reach_the_network(tmp_path: Path) -> None:
    # A listening socket on loopback stands for "the network": a SERVICE in a constraint, and
    # one in the validator of a SPARQL-based component (which pySHACL would run), must be
    # refused before anything connects.
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    contacted: list[object] = []
    done_with = threading.Event()

    def watch() -> None:
        for _ in range(300):  # bounded: a minute at most
            if done_with.is_set():
                return
            try:
                contacted.append(listener.accept())
            except TimeoutError:
                continue

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    service = f"SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }}"
    shapes = {
        "constraint": f"""ex:S a sh:NodeShape ; sh:targetNode ex:a ;
            sh:sparql [ sh:select "SELECT $this WHERE {{ $this ?p ?o . {service} }}" ] .""",
        "validator": f"""ex:C a sh:ConstraintComponent ;
              sh:parameter [ sh:path ex:flag ] ;
              sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK {{ {service} }}" ] .
            ex:S a sh:NodeShape ; sh:targetNode ex:a ; ex:flag true .""",
    }
    try:
        for name, shape in shapes.items():
            path = tmp_path / f"{name}.ttl"
            path.write_text(
                "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .\n"
                f"ex:a ex:p 1 .\n{shape}\n",
                encoding="utf-8",
            )
            done = munikg("validate", "--shapes", str(path), str(path), cwd=tmp_path)
            assert done.returncode == 2 and "SERVICE" in done.stderr, (name, done.stderr)
    finally:
        done_with.set()
        watcher.join(timeout=10)
        listener.close()
    assert contacted == []


def test_shapes_without_data_is_a_parameter_error(tmp_path: Path) -> None:
    test = SUITE / "core" / "node" / "closed-001.ttl"
    done = munikg("validate", "--shapes", str(test), cwd=tmp_path)
    assert done.returncode == 2 and "--shapes" in done.stderr


def test_a_validator_may_not_assign_its_own_parameter(tmp_path: Path) -> None:
    # §5.3.1: a component's parameters are pre-bound in its validators, as $value is
    # (W3C unsupported-sparql-006 assigns ?value; this one assigns the parameter $lang)
    path = tmp_path / "shapes.ttl"
    path.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .\n"
        "ex:a ex:p 1 .\n"
        "ex:C a sh:ConstraintComponent ; sh:parameter [ sh:path ex:lang ] ;\n"
        '  sh:validator [ a sh:SPARQLAskValidator ; sh:ask "ASK { BIND (1 AS $lang) }" ] .\n'
        'ex:S a sh:NodeShape ; sh:targetNode ex:a ; ex:lang "en" .\n',
        encoding="utf-8",
    )
    done = munikg("validate", "--shapes", str(path), str(path), cwd=tmp_path)
    assert done.returncode == 2 and "pre-bound variable $lang" in done.stderr, done.stderr
