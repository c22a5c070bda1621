"""``munikg build``: the release it writes, its determinism, and that bad input of every kind
is a clear error (file and line, exit code) leaving the previous release byte-for-byte intact."""

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from munikg.artefacts import export as export_module
from munikg.artefacts.checksums import sha256
from munikg.artefacts.export import quad_key
from munikg.build import pipeline
from munikg.build.inputs import Layout
from munikg.build.pipeline import build
from munikg.release import Release

from .conftest import ROOT, munikg, tree_digest

# Every file of a release but the store (its database files are not byte-reproducible).
RELEASE_FILES = (
    "munikg.trig",
    "munikg.nq",
    "munikg.jsonld",
    "munikg.ttl",
    "munikg.nt",
    "munikg.rdf",
    "context.jsonld",
    "void.ttl",
    "CITATION.cff",
    "catalog.ttl",
    "catalog.rdf",
    "ontology.sv.html",
    "ontology.en.html",
    "shapes.ttl",
    "labels.sqlite",
    "release.json",
    "SHA256SUMS",
)


@pytest.fixture
def built(built_project: Path, tmp_path: Path) -> Path:
    """A copy of the built project of this test's own, to break at will."""
    shutil.copytree(built_project, tmp_path / "p")
    return tmp_path / "p"


def test_release_contents(built: Path) -> None:
    dist = built / "dist"
    meta = json.loads((dist / "release.json").read_text())
    assert {p.name for p in dist.iterdir()} == {"store", "queries", "answers", *RELEASE_FILES}
    assert sorted(p.name for p in (dist / "queries").iterdir()) == sorted(
        p.name for p in (ROOT / "queries").glob("*.rq")
    )
    assert meta["release"] == "https://w3id.org/munikg/release/" + meta["version"]
    assert sum(meta["graphs"].values()) == meta["triples"]
    assert set(meta["graphs"]) == {
        "https://w3id.org/munikg/graph/" + g
        for g in (
            "ontology",
            "schemes",
            "skr-ukraine-2024",
            "icld-partnerships",
            "reference",
            "record-pages",  # the record's page register: document 001's network article is one
            "release",
        )
    }
    for path, digest in meta["inputs"].items():  # the queries: the release's own copy
        assert sha256((dist if path.startswith("queries/") else built) / path) == digest
    assert meta["files"]["munikg.trig"] == sha256(dist / "munikg.trig")
    assert not [p for p in built.iterdir() if p.name.startswith(".dist")], "temporary dirs left"


def test_trig_dump_holds_exactly_the_stores_named_graphs(built: Path) -> None:
    opened = Release.open(built / "dist")
    store = ox.Store()  # as the store holds them: the dump keeps curated lexical forms
    store.extend(ox.parse(path=str(built / "dist" / "munikg.trig")))
    assert sorted(store, key=quad_key) == sorted(opened.quads(), key=quad_key)


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    layout = Layout(ROOT / "ontology", ROOT / "data")
    first = build(layout, tmp_path / "one")
    second = build(layout, tmp_path / "two")
    assert first == second
    assert first["date"] == "2023-11-14"
    for name in RELEASE_FILES:
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()


def test_the_version_depends_on_content_not_on_how_paths_are_spelt(
    built: Path, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    done = munikg(
        "build", "--data", str(built / "data"), "--ontology", str(built / "ontology"),
        "--dist", str(tmp_path / "absolute"), cwd=elsewhere,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    here = json.loads((built / "dist" / "release.json").read_text())
    there = json.loads((tmp_path / "absolute" / "release.json").read_text())
    assert here["version"] == there["version"] and here["inputs"] == there["inputs"]


def test_options_that_change_the_bytes_change_the_version(built: Path, tmp_path: Path) -> None:
    done = munikg(
        "build", "--base-url", "https://example.org/munikg/", "--dist", str(tmp_path / "other"),
        cwd=built,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    default = json.loads((built / "dist" / "release.json").read_text())["version"]
    other = json.loads((tmp_path / "other" / "release.json").read_text())["version"]
    assert other != default


def test_rebuilding_replaces_the_release_and_leaves_no_debris(built: Path) -> None:
    (built / "data" / "skr-ukraine-2024.ttl").open("a").write(
        '\n<https://w3id.org/munikg/id/organisation/skr> <http://www.w3.org/2000/01/rdf-schema#comment> "Tillagd."@sv .\n'
    )
    before = json.loads((built / "dist" / "release.json").read_text())
    done = munikg("build", cwd=built)
    assert done.returncode == 0, done.stderr
    after = json.loads((built / "dist" / "release.json").read_text())
    assert after["triples"] == before["triples"] + 1
    assert after["version"] != before["version"]
    assert sorted(p.name for p in built.iterdir()) == ["data", "dist", "ontology"]


def test_a_failure_while_writing_leaves_the_release_intact(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tree_digest(built / "dist")

    def broken_disk(*args: object) -> bytes:
        raise OSError("disk full")

    monkeypatch.setattr(export_module, "serialize", broken_disk)
    with pytest.raises(OSError, match="disk full"):
        build(Layout(built / "ontology", built / "data"), built / "dist")
    assert tree_digest(built / "dist") == before
    assert sorted(p.name for p in built.iterdir()) == ["data", "dist", "ontology"]


KOMMUNKOD = 'mk:kommunkod "2080" .'


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").splitlines().index(text) + 1


BAD_FILES = {
    "malformed-turtle": (
        b'@prefix ex: <http://e/> .\nex:a ex:p "x .\n',
        "data/zz.ttl:2:11: Turtle syntax error",
    ),
    "unknown-prefix": (
        b"@prefix ex: <http://e/> .\nex:a foo:p ex:b .\n",
        "data/zz.ttl:2:6: Turtle syntax error: The prefix foo: has not been declared",
    ),
    "wrong-datatype": (
        b"@prefix ex: <http://e/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        b'ex:a ex:p ex:b ;\n    ex:q "twelve"^^xsd:integer .\n',
        'data/zz.ttl:4: "twelve" is not a valid xsd:integer',
    ),
    "bad-date": (
        b"@prefix ex: <http://e/> .\n@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        b'ex:a ex:q "2024-13"^^xsd:gYearMonth .\n',
        'data/zz.ttl:3: "2024-13" is not a valid xsd:gYearMonth',
    ),
    "empty-file": (b"", "data/zz.ttl: the file is empty"),
    "only-prefixes": (b"@prefix ex: <http://e/> .\n", "data/zz.ttl: the file holds no triples"),
    "not-utf-8": (
        b'@prefix ex: <http://e/> .\nex:a ex:p "caf\xe9" .\n',
        "data/zz.ttl:2: not UTF-8",
    ),
    "blank-node": (
        b"@prefix ex: <http://e/> .\nex:a ex:p [ ex:q ex:b ] .\n",
        "data/zz.ttl:2: blank node",
    ),
    # two spellings of one xsd:decimal: the store would keep one, the dump both
    "one value written twice": (
        b"@prefix ex: <http://e/> .\nex:a ex:p 12.0 , 12.00 .\n",
        "data/zz.ttl: 1 statements differ only in how a literal is written",
    ),
    # the store holds "5"^^xsd:int as an xsd:integer: sh:datatype xsd:int would fail on it
    "an integer subtype": (
        b"@prefix ex: <http://e/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        b'ex:a ex:p "5"^^xsd:int .\n',
        'data/zz.ttl: "5"^^<http://www.w3.org/2001/XMLSchema#int> is held by the store as',
    ),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_is_a_clear_error_and_the_release_is_untouched(built: Path, case: str) -> None:
    content, message = BAD_FILES[case]
    before = tree_digest(built / "dist")
    (built / "data" / "zz.ttl").write_bytes(content)
    done = munikg("build", cwd=built)
    assert done.returncode == 2, done.stderr
    assert message in done.stderr
    assert tree_digest(built / "dist") == before


def test_violating_node_exits_1_with_file_line_and_shape(built: Path) -> None:
    before = tree_digest(built / "dist")
    data = built / "data" / "reference.ttl"
    text = data.read_text(encoding="utf-8")
    assert 'municipality:se-2080 mk:kommunkod "2080" .' in text
    data.write_text(
        text.replace(
            'municipality:se-2080 mk:kommunkod "2080" .',
            'municipality:se-2080 mk:kommunkod "20800" .',
        )
    )
    line = _line_of(data, 'municipality:se-2080 mk:kommunkod "20800" .')
    done = munikg("build", cwd=built)
    assert done.returncode == 1, done.stderr
    assert f'data/reference.ttl:{line}: municipality:se-2080 mk:kommunkod "20800"' in done.stderr
    assert "A municipality code is a string (xsd:string) of four digits." in done.stderr
    assert "shape mksh:MunicipalityShape" in done.stderr
    # the evidence for the old code no longer matches a triple the graph holds
    assert "shape mksh:EvidenceStatementShape" in done.stderr
    assert tree_digest(built / "dist") == before


def test_literal_of_the_wrong_datatype_for_its_property(built: Path) -> None:
    before = tree_digest(built / "dist")
    data = built / "data" / "reference.ttl"
    text = data.read_text(encoding="utf-8")
    data.write_text(
        text.replace(
            'municipality:se-1080 mk:kommunkod "1080" .', "municipality:se-1080 mk:kommunkod 1080 ."
        )
    )
    line = _line_of(data, "municipality:se-1080 mk:kommunkod 1080 .")
    done = munikg("build", cwd=built)
    assert done.returncode == 1
    assert (
        f'data/reference.ttl:{line}: municipality:se-1080 mk:kommunkod "1080"^^xsd:integer'
        in done.stderr
    )
    assert "shape mksh:MunicipalityShape (DatatypeConstraintComponent)" in done.stderr
    assert tree_digest(built / "dist") == before


def test_missing_data_directory(built: Path) -> None:
    before = tree_digest(built / "dist")
    done = munikg("build", "--data", "nowhere", cwd=built)
    assert done.returncode == 2
    assert "nowhere: no such directory" in done.stderr
    assert tree_digest(built / "dist") == before


def test_missing_shapes_file(built: Path) -> None:
    (built / "ontology" / "shapes.ttl").unlink()
    done = munikg("build", cwd=built)
    assert done.returncode == 2
    assert "ontology/shapes.ttl: no such file" in done.stderr


def test_malformed_shapes_file(built: Path) -> None:
    before = tree_digest(built / "dist")
    shapes = built / "ontology" / "shapes.ttl"
    lines = shapes.read_text(encoding="utf-8").count("\n")
    with shapes.open("a", encoding="utf-8") as handle:
        handle.write("mksh:Broken a sh:NodeShape ;\n")
    done = munikg("build", cwd=built)
    assert done.returncode == 2
    # The statement is cut off: the parser meets the end of the file after the appended line.
    assert f"ontology/shapes.ttl:{lines + 2}:1: Turtle syntax error: Unexpected end" in done.stderr
    assert tree_digest(built / "dist") == before


def test_missing_or_broken_jsonld_context(built: Path) -> None:
    before = tree_digest(built / "dist")
    context = built / "ontology" / "context.jsonld"
    context.write_text('{\n  "@context": {\n    "label": \n}\n', encoding="utf-8")
    done = munikg("build", cwd=built)
    assert done.returncode == 2
    assert "ontology/context.jsonld:4:1: not JSON" in done.stderr
    context.unlink()
    done = munikg("build", cwd=built)
    assert done.returncode == 2
    assert "ontology/context.jsonld: no such file" in done.stderr
    assert tree_digest(built / "dist") == before


def test_unknown_option_is_a_usage_error(built: Path) -> None:
    done = munikg("build", "--colour", "blue", cwd=built)
    assert done.returncode == 2
    assert "No such option" in done.stderr


# A release of the seeds is small enough to be built in-process; these build it in the pool
# of processes a release of 200 000 triples or more is built in.


def _released(dist: Path) -> dict[str, bytes]:
    return {k: v for k, v in tree_digest(dist).items() if not k.startswith("store/")}


def test_a_build_in_a_pool_of_processes_writes_the_same_release(
    built: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "POOLED", 0)
    build(Layout(built / "ontology", built / "data"), tmp_path / "dist")
    assert _released(tmp_path / "dist") == _released(built / "dist")


def test_a_violation_found_in_the_pool_writes_no_release(
    built: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pipeline, "POOLED", 0)
    before = tree_digest(built / "dist")
    data = built / "data" / "reference.ttl"
    written = 'municipality:se-2080 mk:kommunkod "2080" .'
    data.write_text(
        data.read_text(encoding="utf-8").replace(written, written.replace('2080"', '20800"'))
    )
    with pytest.raises(pipeline.ValidationFailed) as raised:
        build(Layout(built / "ontology", built / "data"), built / "dist")
    assert any(v.shape.endswith("MunicipalityShape") for v in raised.value.violations)
    assert tree_digest(built / "dist") == before
    assert not [p for p in built.iterdir() if p.name.startswith(".dist.")]  # nothing left behind
