"""The web views in-process, through the ASGI app (Starlette's test client): the same
application ``munikg serve`` runs, with its real worker pool, without a server process or a
port. Expected values are from the sources: Karlskrona is municipality 1080 (SCB)."""

import warnings
from collections.abc import Iterator

import pytest

with warnings.catch_warnings():  # Starlette asks for httpx2 in time; httpx is what we have
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from munikg.release import Release
from munikg.serve.app import create_app
from munikg.serve.site import Settings
from tests.conftest import ROOT

KARLSKRONA = "https://w3id.org/munikg/id/municipality/se-1080"
KOMMUNKOD = "https://w3id.org/munikg/ontology#kommunkod"


@pytest.fixture(scope="module")
def client(release: Release) -> Iterator[TestClient]:
    settings = Settings(release=release.path, queries=ROOT / "queries", workers=2, rate_limit=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:  # runs the lifespan
        yield client


def test_the_landing_page_says_what_the_graph_holds(client: TestClient) -> None:
    page = client.get("/", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "application/ld+json" in page.text  # the schema.org Dataset markup


def test_a_query_is_answered_by_a_worker(client: TestClient) -> None:
    query = f"SELECT ?code WHERE {{ <{KARLSKRONA}> <{KOMMUNKOD}> ?code }}"
    answer = client.get("/sparql", params={"query": query})
    assert answer.status_code == 200
    assert [b["code"]["value"] for b in answer.json()["results"]["bindings"]] == ["1080"]


def test_the_service_description_and_a_refused_service(client: TestClient) -> None:
    described = client.get("/sparql", headers={"Accept": "text/turtle"})
    service = (
        "<http://testserver/sparql> a <http://www.w3.org/ns/sparql-service-description#Service>"
    )
    assert described.status_code == 200 and service in described.text  # the URL asked
    refused = client.get(
        "/sparql", params={"query": "SELECT * { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"}
    )
    assert refused.status_code == 400 and "SERVICE is not allowed" in refused.text


def test_a_thing_redirects_to_its_document_in_each_format(client: TestClient) -> None:
    thing = client.get("/id/municipality/se-1080")
    assert thing.status_code == 303
    assert thing.headers["location"].endswith("/doc/id/municipality/se-1080")
    turtle = client.get("/doc/id/municipality/se-1080", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-type"].startswith("text/turtle") and '"1080"' in turtle.text
    html = client.get("/doc/id/municipality/se-1080?lang=sv", headers={"Accept": "text/html"})
    assert "Karlskrona kommun" in html.text


def test_canned_queries_editor_picture_and_downloads(client: TestClient) -> None:
    listing = client.get("/queries")
    assert listing.status_code == 200 and "/queries/partners-of-municipality" in listing.text
    form = client.get("/queries/partners-of-municipality", params={"municipality": "se-1080"})
    assert form.status_code == 200
    wrong = client.get("/queries/partners-of-municipality", params={"municipality": "x y"})
    assert wrong.status_code == 400
    assert client.get("/editor").status_code == 200
    picture = client.get("/partnerships.svg")
    assert picture.headers["content-type"].startswith("image/svg+xml")
    files = client.get("/download/")
    assert files.status_code == 200 and "release.json" in files.text
    assert client.get("/no/such/page").status_code == 404
