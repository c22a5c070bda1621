"""``/sparql`` as SPARQL clients use it: SPARQLWrapper, formats, content negotiation, the
service description, datasets, errors with their status, caching and CORS."""

import csv
import io
import json
import xml.etree.ElementTree as ET

import httpx
import pyoxigraph as ox
import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, XML, SPARQLWrapper

from munikg.api import open_endpoint, open_release
from munikg.release import Release
from tests.conftest import ROOT
from tests.servers import Served

pytestmark = pytest.mark.server

KARLSKRONA = "https://w3id.org/munikg/id/municipality/se-1080"
# reference/identifiers.md: Karlskrona's SCB municipality code is 1080.
CODE_QUERY = (
    f"SELECT ?code WHERE {{ <{KARLSKRONA}> <https://w3id.org/munikg/ontology#kommunkod> ?code }}"
)
SRX = "{http://www.w3.org/2005/sparql-results#}"


def wrapper(site: Served, fmt: str) -> SPARQLWrapper:
    client = SPARQLWrapper(site.url + "sparql")
    client.setReturnFormat(fmt)
    client.setQuery(CODE_QUERY)
    return client


def test_select_through_sparqlwrapper_in_every_results_format(site: Served) -> None:
    answer = wrapper(site, JSON).query().convert()
    assert answer["results"]["bindings"] == [{"code": {"type": "literal", "value": "1080"}}]

    client = wrapper(site, XML)
    client.setMethod(POST)
    document = client.query().convert()  # an xml.dom.minidom Document
    literals = [e.firstChild.data for e in document.getElementsByTagName("literal")]
    assert literals == ["1080"]

    table = wrapper(site, CSV).query().convert().decode()
    assert list(csv.reader(io.StringIO(table))) == [["code"], ["1080"]]

    tsv = wrapper(site, TSV).query().convert().decode()
    assert tsv.splitlines() == ["?code", '"1080"']


def test_every_canned_query_answers_through_the_endpoint_as_locally(
    site: Served, release: Release
) -> None:
    """The endpoint, asked through munikg's own SPARQLWrapper client, answers every canned
    query (default parameters) with the rows the release answers in-process."""
    local = open_release(release.path, ROOT / "queries")
    remote = open_endpoint(site.url + "sparql", ROOT / "queries")
    for name, query in local.queries.items():
        if any(p.required for p in query.params):
            continue
        ours = local.query(name).rows
        theirs = remote.query(name).rows
        assert sorted(map(repr, theirs)) == sorted(map(repr, ours)), name


def test_graph_answers_in_each_rdf_format_hold_the_same_triples(site: Served) -> None:
    query = f"CONSTRUCT {{ <{KARLSKRONA}> ?p ?o }} WHERE {{ <{KARLSKRONA}> ?p ?o }}"
    seen = []
    for media in (
        "text/turtle",
        "application/n-triples",
        "application/ld+json",
        "application/rdf+xml",
    ):
        response = httpx.get(
            site.url + "sparql", params={"query": query}, headers={"Accept": media}
        )
        assert response.status_code == 200
        assert response.headers["content-type"].startswith(media)
        fmt = ox.RdfFormat.from_media_type(media)
        assert fmt is not None
        seen.append(sorted(str(t) for t in ox.parse(response.content, format=fmt)))
    assert all(s == seen[0] for s in seen)
    assert any('"1080"' in t for t in seen[0])


def test_describe_answers_with_the_resource(site: Served) -> None:
    response = httpx.get(site.url + "sparql", params={"query": f"DESCRIBE <{KARLSKRONA}>"})
    assert response.status_code == 200
    triples = list(ox.parse(response.content, format=ox.RdfFormat.TURTLE))
    assert any(t.subject.value == KARLSKRONA for t in triples)


def test_format_parameter_overrides_accept(site: Served) -> None:
    response = httpx.get(
        site.url + "sparql",
        params={"query": CODE_QUERY, "format": "csv"},
        headers={"Accept": "application/sparql-results+json"},
    )
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines() == ["code", "1080"]


def test_unacceptable_accept_is_406(site: Served) -> None:
    response = httpx.get(
        site.url + "sparql", params={"query": CODE_QUERY}, headers={"Accept": "image/png"}
    )
    assert response.status_code == 406
    assert "application/sparql-results+json" in response.text


def test_ask_in_xml(site: Served) -> None:
    response = httpx.get(
        site.url + "sparql",
        params={"query": f"ASK {{ <{KARLSKRONA}> ?p ?o }}"},
        headers={"Accept": "application/sparql-results+xml"},
    )
    assert ET.fromstring(response.content).find(f"{SRX}boolean").text == "true"  # type: ignore[union-attr]


def test_syntax_error_is_400_with_the_parsers_position(site: Served) -> None:
    response = httpx.get(site.url + "sparql", params={"query": "SELECT * WHERE {\n  ?s ?p \n}"})
    assert response.status_code == 400
    assert "syntax error" in response.text and "error at 3:" in response.text  # line 3


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_with_allow(site: Served, method: str) -> None:
    response = httpx.request(method, site.url + "sparql", params={"query": "ASK {}"})
    assert response.status_code == 405
    assert "GET" in response.headers["allow"] and "POST" in response.headers["allow"]


def test_unknown_body_type_is_415(site: Served) -> None:
    response = httpx.post(
        site.url + "sparql", content=b"ASK {}", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 415


def test_service_description(site: Served, release: Release) -> None:
    response = httpx.get(site.url + "sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    store = ox.Store()
    store.load(response.content, format=ox.RdfFormat.TURTLE)
    sd = "http://www.w3.org/ns/sparql-service-description#"
    endpoints = [r["e"].value for r in store.query(f"SELECT ?e WHERE {{ ?s <{sd}endpoint> ?e }}")]  # type: ignore[index, union-attr]
    assert endpoints == [site.url + "sparql"]
    names = {r["g"].value for r in store.query(f"SELECT ?g WHERE {{ ?x <{sd}name> ?g }}")}  # type: ignore[index, union-attr]
    assert names == set(release.metadata["graphs"])
    formats = {r["f"].value for r in store.query(f"SELECT ?f WHERE {{ ?x <{sd}resultFormat> ?f }}")}  # type: ignore[index, union-attr]
    assert "http://www.w3.org/ns/formats/SPARQL_Results_CSV" in formats


def test_a_browser_is_sent_to_the_editor(site: Served) -> None:
    html = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = httpx.get(site.url + "sparql", headers={"Accept": html})
    assert response.status_code == 303 and response.headers["location"] == "/editor"


def test_protocol_default_graph_restricts_to_one_source(site: Served, release: Release) -> None:
    graph = "https://w3id.org/munikg/graph/reference"
    response = httpx.get(
        site.url + "sparql",
        params={"query": "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "default-graph-uri": graph},
    )
    n = int(response.json()["results"]["bindings"][0]["n"]["value"])
    assert n == release.metadata["graphs"][graph]


def test_answers_carry_etag_and_revalidate(site: Served, release: Release) -> None:
    first = httpx.get(site.url + "sparql", params={"query": CODE_QUERY})
    assert first.headers["munikg-release"] == release.version
    assert "max-age" in first.headers["cache-control"]
    again = httpx.get(
        site.url + "sparql",
        params={"query": CODE_QUERY},
        headers={"If-None-Match": first.headers["etag"]},
    )
    assert again.status_code == 304
    other = httpx.get(site.url + "sparql", params={"query": CODE_QUERY, "format": "xml"})
    assert other.headers["etag"] != first.headers["etag"]


def test_cors_for_browsers_on_other_origins(site: Served) -> None:
    preflight = httpx.options(
        site.url + "sparql",
        headers={
            "Origin": "https://notebook.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "Content-Type",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "*"
    assert "POST" in preflight.headers["access-control-allow-methods"]
    simple = httpx.get(
        site.url + "sparql",
        params={"query": CODE_QUERY},
        headers={"Origin": "https://notebook.example"},
    )
    assert simple.headers["access-control-allow-origin"] == "*"
    assert "munikg-truncated" in simple.headers["access-control-expose-headers"].lower()


def test_json_results_are_valid_sparql_json(site: Served) -> None:
    response = httpx.post(site.url + "sparql", data={"query": CODE_QUERY})
    answer = json.loads(response.content)
    assert answer["head"]["vars"] == ["code"] and "munikg" not in answer
