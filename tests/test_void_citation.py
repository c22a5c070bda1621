"""The release's VoID description and CITATION.cff."""

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
import yaml

from munikg.artefacts.export import FORMATS
from munikg.namespaces import MK, PREFIXES
from munikg.release import Release

from .conftest import munikg

VOID = "http://rdfs.org/ns/void#"


def void_graph(release: Release) -> ox.Store:
    store = ox.Store()
    store.extend(ox.parse(path=str(release.path / "void.ttl")))
    return store


def value(store: ox.Store, s: str, p: str) -> str:
    (row,) = list(store.quads_for_pattern(ox.NamedNode(s), ox.NamedNode(p), None, None))
    return str(row.object.value)


def test_void_describes_the_release(release: Release) -> None:
    store = void_graph(release)
    dataset = release.metadata["release"]
    # the merge of all sources, as in munikg.nt (one triple per line)
    merged = sum(1 for _ in (release.path / "munikg.nt").open(encoding="utf-8"))
    assert int(value(store, dataset, VOID + "triples")) == merged
    assert value(store, dataset, VOID + "uriSpace") == "https://w3id.org/munikg/id/"
    assert value(store, dataset, VOID + "sparqlEndpoint") == "https://w3id.org/munikg/sparql"
    dumps = {
        q.object.value
        for q in store.quads_for_pattern(
            ox.NamedNode(dataset), ox.NamedNode(VOID + "dataDump"), None, None
        )
    }
    assert dumps == {f"https://w3id.org/munikg/download/{f.file}" for f in FORMATS.values()}
    for graph, triples in release.metadata["graphs"].items():
        assert int(value(store, graph, VOID + "triples")) == triples
    # 001: eight partnerships
    assert int(value(store, dataset + "/class/mk-Partnership", VOID + "entities")) == 8
    assert not any(
        isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
        for q in store.quads_for_pattern(None, None, None, None)
    )


@pytest.mark.parametrize(
    ("linkset", "count"),
    [
        # Reference file: QIDs of 3 countries (mk:wikidata and owl:sameAs), 5 counties,
        # 4 oblasts, 2 provinces, Tshwane and the Council of Europe; town/city items of the
        # 6 Swedish and 6 Ukrainian municipalities and Pretoria (schema:areaServed).
        ("wikidata", 3 * 2 + 5 + 4 + 2 + 1 + 1 + 6 + 6 + 1),
        # 001: Karlskrona–Chortkiv 16 and 4 (its own page); Karlskrona–Saldanha Bay 13; the
        # network 16, 17 (its article's tags, not each partnership's).
        ("un-sdg", 2 + 1 + 2),
    ],
)
def test_linkset_counts(release: Release, linkset: str, count: int) -> None:
    store = void_graph(release)
    iri = f"{release.metadata['release']}/linkset/{linkset}"
    assert int(value(store, iri, VOID + "triples")) == count


@pytest.mark.parametrize(
    ("code", "count"),
    [
        ("kommunkod", 6),  # six Swedish municipalities
        ("lanskod", 5),  # five counties
        ("katotth", 6 + 4),  # six hromadas, four oblasts
        ("openaidId", 2),  # DSP phase 1 and DSP II
    ],
)
def test_literal_codes_are_identifier_properties_not_linksets(
    release: Release, code: str, count: int
) -> None:
    store = void_graph(release)
    linksets = {
        q.subject.value
        for q in store.quads_for_pattern(
            None, ox.NamedNode(VOID + "linkPredicate"), ox.NamedNode(MK + code), None
        )
    }
    assert not linksets  # a literal is not an RDF link
    partition = f"{release.metadata['release']}/property/mk-{code}"
    assert int(value(store, partition, VOID + "triples")) == count


def test_every_vocabulary_used_is_named(release: Release) -> None:
    store = void_graph(release)
    named = {
        q.object.value
        for q in store.quads_for_pattern(None, ox.NamedNode(VOID + "vocabulary"), None, None)
    }
    for namespace in ("rdf", "rdfs", "vann", "void", "owl", "skos", "org", "schema", "prov"):
        assert PREFIXES[namespace] in named, namespace
    assert not any(n.startswith("https://w3id.org/munikg/id/") for n in named)


def test_citation_cff(release: Release) -> None:
    citation = yaml.safe_load((release.path / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert citation["type"] == "dataset"
    assert citation["version"] == release.metadata["version"]
    assert str(citation["date-released"]) == release.metadata["date"]
    assert citation["license"] == "CC-BY-4.0"
    assert citation["authors"] and citation["title"] and citation["message"]
    assert citation["identifiers"][0]["value"] == release.metadata["release"]


def test_base_url_sets_download_and_endpoint_links(built_project: Path, tmp_path: Path) -> None:
    for name in ("ontology", "data"):
        shutil.copytree(built_project / name, tmp_path / name)
    done = munikg("build", "--base-url", "https://data.example.org/munikg", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "dist" / "void.ttl").read_text(encoding="utf-8")
    assert "<https://data.example.org/munikg/sparql>" in text
    assert "<https://data.example.org/munikg/download/munikg.ttl>" in text
    done = munikg("build", "--base-url", "data.example.org", cwd=tmp_path)
    assert done.returncode == 2
    assert "--base-url 'data.example.org': an absolute http(s) URL" in done.stderr
