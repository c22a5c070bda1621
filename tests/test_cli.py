"""``munikg validate`` (whole graph and change sets) and ``munikg info`` through the real command."""

import json
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.namespace import SH

from .conftest import munikg

HEADER = """@prefix mk: <https://w3id.org/munikg/ontology#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix municipality: <https://w3id.org/munikg/id/municipality/> .
@prefix partnership: <https://w3id.org/munikg/id/partnership/> .
@prefix src: <https://w3id.org/munikg/id/source/> .
"""

# Test-only data, not a claim about the world: a change set as a curator would submit it.
GOOD = (
    HEADER
    + """
partnership:test-umea-kalush a mk:Partnership ;
    rdfs:label "Umeå–Kalush (test)"@sv , "Umeå–Kalush (test)"@en ;
    org:hasMember municipality:se-2480 , municipality:ua-26060170000091466 ;
    prov:wasDerivedFrom src:icld-partnerships .
"""
)

BAD = (
    HEADER
    + """
partnership:test-umea-alone a mk:Partnership ;
    rdfs:label "Umeå ensam (test)"@sv , "Umeå alone (test)"@en ;
    org:hasMember municipality:se-2480 ;
    prov:wasDerivedFrom src:icld-partnerships .
"""
)


@pytest.fixture
def built(built_project: Path) -> Path:
    """The built project; these tests only read it."""
    return built_project


def test_whole_graph_conforms(built: Path) -> None:
    done = munikg("validate", cwd=built)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "Conforms."


def test_valid_change_set(built: Path, tmp_path: Path) -> None:
    change = tmp_path / "new-partnership.ttl"
    change.write_text(GOOD, encoding="utf-8")
    done = munikg("validate", str(change), cwd=built)
    assert done.returncode == 0, done.stdout + done.stderr


def test_violating_change_set_names_file_line_node_path_shape(built: Path, tmp_path: Path) -> None:
    change = tmp_path / "new-partnership.ttl"
    change.write_text(BAD, encoding="utf-8")
    line = BAD.splitlines().index("    org:hasMember municipality:se-2480 ;") + 1
    done = munikg("validate", str(change), cwd=built)
    assert done.returncode == 1
    assert f"{change}:{line}: partnership:test-umea-alone org:hasMember" in done.stdout
    assert "shape mksh:PartnershipShape (MinCountConstraintComponent)" in done.stdout
    assert done.stdout.rstrip().endswith("1 violation.")


def test_change_set_reports_in_swedish_and_as_json(built: Path, tmp_path: Path) -> None:
    change = tmp_path / "new-partnership.ttl"
    change.write_text(BAD, encoding="utf-8")
    done = munikg("validate", str(change), "--format", "json", "--lang", "sv", cwd=built)
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert report["conforms"] is False
    (violation,) = report["violations"]
    assert violation["focus"] == "https://w3id.org/munikg/id/partnership/test-umea-alone"
    assert violation["path"] == "http://www.w3.org/ns/org#hasMember"
    assert violation["shape"] == "https://w3id.org/munikg/shapes#PartnershipShape"
    assert violation["message"].startswith("Ett partnerskap har minst två parter")


def test_change_set_report_as_shacl_turtle(built: Path, tmp_path: Path) -> None:
    change = tmp_path / "new-partnership.ttl"
    change.write_text(BAD, encoding="utf-8")
    done = munikg("validate", str(change), "--format", "turtle", cwd=built)
    assert done.returncode == 1
    report = Graph().parse(data=done.stdout, format="turtle")
    assert [c.toPython() for c in report.objects(None, SH.conforms)] == [False]
    assert len(list(report.subjects(SH.focusNode, None))) == 1


def test_change_set_replacing_a_source_graph(built: Path, tmp_path: Path) -> None:
    # A corrected copy of a curated file replaces that graph in the context.
    change = tmp_path / "icld-partnerships.ttl"
    text = (built / "data" / "icld-partnerships.ttl").read_text(encoding="utf-8")
    change.write_text(
        text.replace('"Falu kommun"@sv', '"Falu kommun"@sv , "Falun"@sv'), encoding="utf-8"
    )
    done = munikg("validate", str(change), cwd=built)
    assert done.returncode == 1
    assert "municipality:se-2080 rdfs:label" in done.stdout
    assert "shape mksh:labelUniqueLang" in done.stdout


def test_broken_change_set_is_bad_input(built: Path, tmp_path: Path) -> None:
    change = tmp_path / "broken.ttl"
    change.write_text(HEADER + "partnership:x a mk:Partnership ;\n", encoding="utf-8")
    done = munikg("validate", str(change), cwd=built)
    assert done.returncode == 2
    assert f"{change}:" in done.stderr and "Turtle syntax error" in done.stderr


def test_unknown_format_is_a_usage_error(built: Path) -> None:
    done = munikg("validate", "--format", "xml", cwd=built)
    assert done.returncode == 2
    assert "xml" in done.stderr


def test_info_counts(built: Path) -> None:
    done = munikg("info", "--format", "json", cwd=built)
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    # 001: six Swedish–Ukrainian partnerships, Karlskrona–Saldanha Bay, Karlskrona–Tshwane.
    assert info["classes"]["mk:Partnership"] == 8
    # six Swedish, six Ukrainian, Saldanha Bay and Tshwane.
    assert info["classes"]["mk:Municipality"] == 14
    # three documents, the record's table with its 121 pages and two code files, and five
    # pages of document 001 (its sixth, the network article, is the record's S041)
    assert info["classes"]["mk:Source"] == 3 + 1 + 121 + 2 + 5
    assert sorted(s["source"].rsplit("/", 1)[1] for s in info["sources"]) == [
        "icld-partnerships",
        "reference-identifiers",
        "reference-partnerships",
        "skr-ukraine-2024",
    ]
    assert {s["issued"] for s in info["sources"]} == {"2024-02-27", None}
    assert info["version"] in info["release"]


def test_info_as_text(built: Path) -> None:
    done = munikg("info", cwd=built)
    assert done.returncode == 0, done.stderr
    assert "mk:Partnership" in done.stdout and "SKR's work with Ukraine" in done.stdout


def test_info_without_a_release(tmp_path: Path) -> None:
    done = munikg("info", cwd=tmp_path)
    assert done.returncode == 2
    assert "no release in dist/" in done.stderr


def test_version() -> None:
    done = munikg("--version", cwd=Path.cwd())
    assert done.returncode == 0 and done.stdout.strip()
