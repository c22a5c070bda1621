"""Every IRI the catalogue, VoID and the service description name under munikg's base
dereferences, in HTML and in Turtle (200, or 303 to a document that answers 200): a
harvester or a reader following the catalogue's own links never meets a 404 (issue 21)."""

import warnings
from collections.abc import Iterator

import pyoxigraph as ox
import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from munikg.namespaces import BASE
from munikg.release import CATALOG_TTL, VOID_FILE, Release
from munikg.serve.app import create_app
from munikg.serve.site import Settings
from tests.conftest import ROOT

SITE = "http://testserver/"


@pytest.fixture(scope="module")
def client(release: Release) -> Iterator[TestClient]:
    settings = Settings(release=release.path, queries=ROOT / "queries", workers=1, rate_limit=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def named(triples: list[ox.Triple], *bases: str) -> set[str]:
    """The IRIs under ``bases`` that ``triples`` name, without their fragments."""
    found = set()
    for triple in triples:
        for term in (triple.subject, triple.predicate, triple.object):
            if isinstance(term, ox.NamedNode) and term.value.startswith(bases):
                found.add(term.value.split("#", 1)[0])
    return found


def named_by_the_release(release: Release, client: TestClient) -> set[str]:
    iris = set()
    for name in (CATALOG_TTL, VOID_FILE):
        iris |= named(list(ox.parse(path=str(release.path / name))), BASE)
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    iris |= named(list(ox.parse(described.content, format=ox.RdfFormat.TURTLE)), BASE, SITE)
    return iris


def path_of(iri: str) -> str:
    for base in (BASE, SITE):
        if iri.startswith(base):
            return "/" + iri[len(base) :]
    raise AssertionError(iri)


@pytest.mark.parametrize("accept", ["text/html", "text/turtle"])
def test_every_iri_they_name_dereferences(
    client: TestClient, release: Release, accept: str
) -> None:
    iris = named_by_the_release(release, client)
    # what they name, by kind: the dataset, its six distributions, contact and publisher, the
    # VoID partitions, the graphs, the downloads, the endpoint
    assert BASE + "id/dataset/munikg" in iris and BASE + "id/contact/munikg" in iris
    assert sum("/distribution/" in i for i in iris) == 6
    failed = {}
    for iri in sorted(iris):
        answer = client.get(path_of(iri), headers={"Accept": accept})
        if answer.status_code == 303:
            answer = client.get(answer.headers["location"], headers={"Accept": accept})
        if answer.status_code != 200:
            failed[iri] = answer.status_code
    assert not failed


def test_a_catalogue_entity_has_its_own_document(client: TestClient) -> None:
    answer = client.get("/doc/id/dataset/munikg", headers={"Accept": "text/turtle"})
    assert answer.status_code == 200
    triples = [q.triple for q in ox.parse(answer.content, format=ox.RdfFormat.TURTLE)]
    dcat = "http://www.w3.org/ns/dcat#"
    assert (
        ox.Triple(
            ox.NamedNode(BASE + "id/dataset/munikg"),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(dcat + "Dataset"),
        )
        in triples
    )


def test_the_catalogue_is_rdf_xml_to_a_harvester(client: TestClient) -> None:
    for accept in (None, "application/xml", "text/xml", "application/rdf+xml"):
        headers = {"Accept": accept} if accept else {}
        answer = client.get("/catalog", headers=headers)
        assert answer.status_code == 200, accept
        assert answer.headers["content-type"].startswith("application/rdf+xml"), accept
        assert "Accept" in answer.headers["vary"]
    turtle = client.get("/catalog", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle")
    page = client.get("/catalog", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("accept", ["turtle", "text/turtle;q=high", "text/turtle;q=1.5", "/"])
def test_a_malformed_accept_is_400(client: TestClient, accept: str) -> None:
    answer = client.get("/doc/id/municipality/se-1080", headers={"Accept": accept})
    assert answer.status_code == 400 and "Malformed Accept header" in answer.text
    assert answer.headers["vary"] == "Accept"


def test_406_says_vary_accept(client: TestClient) -> None:
    for path in ("/doc/id/municipality/se-1080", "/ontology", "/catalog"):
        answer = client.get(path, headers={"Accept": "image/png"})
        assert answer.status_code == 406 and "Accept" in answer.headers["vary"], path


def test_json_is_json_ld_on_a_document_and_text_plain_is_not_n_triples(
    client: TestClient,
) -> None:
    json_ld = client.get("/doc/id/municipality/se-1080", headers={"Accept": "application/json"})
    assert json_ld.status_code == 200
    assert json_ld.headers["content-type"].startswith("application/ld+json")
    plain = client.get("/doc/id/municipality/se-1080", headers={"Accept": "text/plain"})
    assert plain.status_code == 406
    results = client.get(
        "/sparql", params={"query": "ASK {}"}, headers={"Accept": "application/json"}
    )
    assert results.headers["content-type"].startswith("application/sparql-results+json")


def test_the_listing_shows_every_checksum_sha256sums_has(client: TestClient) -> None:
    page = client.get("/download/")
    sums = client.get("/download/SHA256SUMS").text.splitlines()
    digest = next(line.split()[0] for line in sums if line.endswith("  release.json"))
    assert digest in page.text


@pytest.mark.parametrize(
    "path", ["/ontology", "/doc/graph/schemes", "/doc/id/municipality/se-1080"]
)
def test_json_ld_and_turtle_hold_the_same_default_graph(client: TestClient, path: str) -> None:
    turtle = client.get(path, headers={"Accept": "text/turtle"})
    json_ld = client.get(path, headers={"Accept": "application/ld+json"})
    from_turtle = set(ox.parse(turtle.content, format=ox.RdfFormat.TURTLE))
    from_json = set(ox.parse(json_ld.content, format=ox.RdfFormat.JSON_LD))
    assert from_turtle and from_json == from_turtle  # every quad in the default graph
