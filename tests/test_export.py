"""Release dumps in every format parse back to exactly the release; ``munikg export`` and
``munikg verify`` through the real command."""

import io
import json
import shutil
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
import pytest

from munikg.artefacts.export import FORMATS, quad_key, write_statements
from munikg.build.inputs import Layout
from munikg.release import Release

from .conftest import munikg


def parsed(path: Path, fmt: ox.RdfFormat) -> list[ox.Quad]:
    return sorted(ox.parse(path=str(path), format=fmt), key=quad_key)


def stored(release: Release, graph: ox.NamedNode | ox.DefaultGraph | None) -> list[ox.Quad]:
    return sorted(release.store.quads_for_pattern(None, None, None, graph), key=quad_key)


def canonical(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """``quads`` as the store holds them: a dump keeps the curated lexical forms ("6.0"),
    the store their canonical ones ("6"); equal values compare equal here."""
    store = ox.Store()
    store.extend(quads)
    return sorted(store, key=quad_key)


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_dump_round_trips(release: Release, name: str) -> None:
    fmt = FORMATS[name]
    back = parsed(release.path / fmt.file, fmt.rdf)
    if fmt.dataset:
        expected = [
            q for q in stored(release, None) if not isinstance(q.graph_name, ox.DefaultGraph)
        ]
    else:
        expected = stored(release, ox.DefaultGraph())
    assert canonical(back) == expected
    assert len(back) > 3000


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    shutil.copytree(built_project / "dist", tmp_path / "dist")
    return tmp_path


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_export_to_stdout_is_the_release_file(project: Path, name: str) -> None:
    done = munikg("export", "--format", name, cwd=project)
    assert done.returncode == 0, done.stderr
    # text=True in the helper: compare as text
    assert done.stdout == (project / "dist" / FORMATS[name].file).read_text(encoding="utf-8")


def test_jsonld_is_compact_with_the_published_context(release: Release) -> None:
    document = json.loads((release.path / "munikg.jsonld").read_text(encoding="utf-8"))
    context = json.loads((release.path / "context.jsonld").read_text(encoding="utf-8"))
    assert document["@context"] == context["@context"]
    graphs = {g["@id"]: g["@graph"] for g in document["@graph"]}
    falun = next(
        n
        for n in graphs["https://w3id.org/munikg/graph/icld-partnerships"]
        if n["@id"] == "partnership:falun-kolomyia"
    )
    # 001: Falun och Kolomyia, in ICLD's network, technical services; focus water and waste.
    assert falun["@type"] == "mk:Partnership"
    assert falun["hasMember"] == ["municipality:se-2080", "municipality:ua-26080070000092582"]
    assert falun["inProgramme"] == "network:icld-democratic-resilience"
    assert sorted(falun["focus"]) == ["area:waste-management", "area:water-supply"]


def test_export_one_graph_to_a_file(project: Path) -> None:
    target = project / "icld.nt"
    done = munikg(
        "export",
        "--format",
        "nt",
        "--graph",
        "icld-partnerships",
        "--out",
        str(target),
        cwd=project,
    )
    assert done.returncode == 0, done.stderr
    release = Release.open(project / "dist")
    graph = ox.NamedNode("https://w3id.org/munikg/graph/icld-partnerships")
    expected = sorted(
        (ox.Quad(q.subject, q.predicate, q.object) for q in stored(release, graph)), key=quad_key
    )
    assert canonical(parsed(target, ox.RdfFormat.N_TRIPLES)) == expected
    assert len(expected) == Release.open(project / "dist").metadata["graphs"][graph.value]


def test_export_bad_graph_and_format(project: Path) -> None:
    done = munikg("export", "--format", "ttl", "--graph", "nope", cwd=project)
    assert done.returncode == 2
    assert (
        "no graph 'nope' in the release (graphs: icld-partnerships, ontology, record-pages, reference"
        in done.stderr
    )
    done = munikg("export", "--format", "xml", cwd=project)
    assert done.returncode == 2 and "xml" in done.stderr


def test_export_to_an_unwritable_place_leaves_nothing(project: Path) -> None:
    done = munikg(
        "export", "--format", "ttl", "--out", str(project / "no" / "such" / "dir.ttl"), cwd=project
    )
    assert done.returncode == 2
    assert not (project / "no").exists()


def test_verify_intact_release(project: Path) -> None:
    done = munikg("verify", "dist", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "every file matches SHA256SUMS" in done.stdout


def test_verify_finds_a_changed_a_missing_and_an_unlisted_file(project: Path) -> None:
    dist = project / "dist"
    with (dist / "munikg.ttl").open("ab") as handle:
        handle.write(b"# tampered\n")
    (dist / "munikg.nq").unlink()
    (dist / "extra.txt").write_text("?")
    done = munikg("verify", "dist", cwd=project)
    assert done.returncode == 1
    assert "dist/munikg.ttl: checksum mismatch" in done.stderr
    assert "dist/munikg.nq: missing" in done.stderr
    assert "dist/extra.txt: not listed in SHA256SUMS" in done.stderr


def test_verify_without_sums(project: Path) -> None:
    (project / "dist" / "SHA256SUMS").unlink()
    done = munikg("verify", "dist", cwd=project)
    assert done.returncode == 1
    assert "SHA256SUMS: missing" in done.stderr


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_dump_names_its_release(release: Release, name: str) -> None:
    fmt = FORMATS[name]
    release_iri = ox.NamedNode(release.metadata["release"])
    version = ox.NamedNode("http://purl.org/dc/terms/hasVersion")
    derived = ox.NamedNode("http://www.w3.org/ns/prov#wasDerivedFrom")
    quads = parsed(release.path / fmt.file, fmt.rdf)
    assert [
        q.object.value for q in quads if q.subject == release_iri and q.predicate == version
    ] == [release.metadata["version"]]
    assert sorted(
        q.object.value.rsplit("/", 1)[1]
        for q in quads
        if q.subject == release_iri and q.predicate == derived
    ) == [  # the documents in data/sources/, not their pages nor the record's register pages
        "icld-partnerships",
        "reference-identifiers",
        "reference-partnerships",
        "skr-ukraine-2024",
    ]


def test_jsonld_expands_to_the_release_in_an_independent_processor(release: Release) -> None:
    """pyLD (another JSON-LD processor) reads the compacted dump as exactly the release."""
    from pyld import jsonld

    document = json.loads((release.path / "munikg.jsonld").read_text(encoding="utf-8"))
    nquads = jsonld.to_rdf(document, {"format": "application/n-quads"})
    back = canonical(ox.parse(nquads.encode(), format=ox.RdfFormat.N_QUADS))
    assert back == sorted(release.quads(), key=quad_key)


@pytest.mark.parametrize("name", ["nq", "nt"])
def test_line_dumps_are_in_quad_key_order(release: Release, name: str) -> None:
    fmt = FORMATS[name]
    in_file = list(ox.parse(path=str(release.path / fmt.file), format=fmt.rdf))
    assert in_file == sorted(in_file, key=quad_key)


def test_sorting_lines_sorts_by_quad_key_where_terms_are_prefixes_of_each_other() -> None:
    """Sorting N-Triples lines as bytes is sorting by term, left to right, even where one term
    is a prefix of another (a literal and the same text with a language or a datatype)."""
    s, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
    objects = [
        ox.Literal("x"),
        ox.Literal("x", language="sv"),
        ox.Literal("x y"),
        ox.Literal("x", datatype=ox.NamedNode("http://e/t")),
        ox.NamedNode("http://e/a/b"),
        ox.NamedNode("http://e/a"),
    ]
    subjects = [s, ox.NamedNode("http://e/a/"), ox.NamedNode("http://e/ab")]
    store = ox.Store()
    graph = ox.NamedNode("https://w3id.org/munikg/graph/t")
    store.extend(
        ox.Quad(x, p, o, g) for x in subjects for o in objects for g in (graph, ox.DefaultGraph())
    )
    out = io.BytesIO()
    write_statements(store, False, out)
    dumped = list(ox.parse(out.getvalue(), ox.RdfFormat.N_TRIPLES))
    assert dumped == sorted(
        store.quads_for_pattern(None, None, None, ox.DefaultGraph()), key=quad_key
    )


def curated_literals(root: Path) -> dict[str, set[ox.Literal]]:
    """Every literal of the release's curated inputs as written, by datatype."""
    found: dict[str, set[ox.Literal]] = {}
    for path in Layout(root / "ontology", root / "data").input_paths():
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE):
            if isinstance(q.object, ox.Literal):
                found.setdefault(q.object.datatype.value, set()).add(q.object)
    return found


CURATED = curated_literals(Path(__file__).resolve().parent.parent)


def test_the_curated_files_hold_literals_the_store_would_rewrite() -> None:
    # data/: amounts written 62979743.0, 12.0, 6.0 (xsd:decimal); the store holds them as
    # 62979743, 12, 6 — what the dumps must not do
    store = ox.Store()
    decimals = CURATED["http://www.w3.org/2001/XMLSchema#decimal"]
    store.extend(
        ox.Quad(ox.NamedNode("http://e/s"), ox.NamedNode("http://e/p"), d) for d in decimals
    )
    assert {q.object for q in store} != decimals


@pytest.mark.parametrize("datatype", sorted(CURATED), ids=lambda d: d.rsplit("#", 1)[-1])
@pytest.mark.parametrize("name", ["nq", "nt", "trig", "ttl", "rdf", "jsonld"])
def test_every_dump_carries_the_literals_as_curated(
    full_release: Release, datatype: str, name: str
) -> None:
    fmt = FORMATS[name]  # the whole data/: tables are curated inputs too
    dumped = {
        q.object
        for q in ox.parse(path=str(full_release.path / fmt.file), format=fmt.rdf)
        if isinstance(q.object, ox.Literal) and q.object.datatype.value == datatype
    }
    assert CURATED[datatype] <= dumped
