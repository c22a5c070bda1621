"""Linked-data pages and the release's files over HTTP, checked against what the sources say.

Expected values come from the seeds (data/sources/) and reference/identifiers.md: Karlskrona's
SCB code 1080 and organisation number 212000-0829; Kolomyia's KATOTTH code UA26080070000092582;
Ukraine's Wikidata QID Q212; DSP phase 1's Openaid id SE-0-SE-6-55070070; ICLD's quotation on
Karlskrona and Saldanha Bay (document 001).
"""

import hashlib
import html
import json
import re

import httpx
import pyoxigraph as ox
import pytest

from munikg.release import Release
from tests.servers import Served

pytestmark = pytest.mark.server

ID = "https://w3id.org/munikg/id/"
KARLSKRONA = ID + "municipality/se-1080"
KOLOMYIA = ID + "municipality/ua-26080070000092582"
HTML = "text/html,application/xhtml+xml,*/*;q=0.8"
SALDANHA_QUOTE = (
    "Vi gratulerar Karlskrona kommun och sin partnerkommun, Saldanha Bay Local Municipality, "
    "till sitt nystartade kommunala partnerskap."
)


def page(site: Served, path: str, lang: str = "en") -> str:
    response = httpx.get(
        site.url + path.lstrip("/"), headers={"Accept": HTML, "Accept-Language": lang}
    )
    assert response.status_code == 200, (path, response.status_code)
    assert response.headers["content-type"].startswith("text/html")
    return response.text


def test_every_iri_under_the_base_dereferences(site: Served, release: Release) -> None:
    """Every IRI of munikg's own in the release (and the shapes') answers: 303 for things,
    200 for the ontology's hash IRIs, the shapes and the downloads."""
    iris = {
        term.value
        for quad in release.store.quads_for_pattern(None, None, None, None)
        for term in (quad.subject, quad.predicate, quad.object, quad.graph_name)
        if isinstance(term, ox.NamedNode) and term.value.startswith("https://w3id.org/munikg/")
    }
    iris.add("https://w3id.org/munikg/shapes#MunicipalityShape")
    assert len(iris) > 400
    with httpx.Client(base_url=site.url) as client:
        for iri in sorted(iris):
            path = "/" + iri.removeprefix("https://w3id.org/munikg/").split("#")[0]
            response = client.get(path, headers={"Accept": "text/turtle"})
            expected = 303 if path.startswith(("/id/", "/graph/", "/release/")) else 200
            assert response.status_code == expected, iri
            if expected == 303:
                document = client.get(
                    response.headers["location"], headers={"Accept": "text/turtle"}
                )
                assert document.status_code == 200 and document.content, iri


def test_a_thing_iri_answers_303_to_its_document(site: Served) -> None:
    response = httpx.get(site.url + "id/municipality/se-1080", headers={"Accept": "text/turtle"})
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/id/municipality/se-1080"
    graph = httpx.get(site.url + "graph/reference")
    assert graph.status_code == 303 and graph.headers["location"] == "/doc/graph/reference"


@pytest.mark.parametrize(
    ("media", "extension"),
    [
        ("text/turtle", "ttl"),
        ("application/ld+json", "jsonld"),
        ("application/rdf+xml", "rdf"),
        ("application/n-triples", "nt"),
    ],
)
def test_the_document_negotiates_rdf(site: Served, media: str, extension: str) -> None:
    response = httpx.get(site.url + "doc/id/municipality/se-1080", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)
    assert response.headers["content-location"] == f"/doc/id/municipality/se-1080.{extension}"
    assert "Accept" in response.headers["vary"]
    fixed = httpx.get(site.url + f"doc/id/municipality/se-1080.{extension}")
    assert fixed.content == response.content
    store = ox.Store()
    fmt = ox.RdfFormat.from_media_type(media)
    assert fmt is not None
    store.load(response.content, format=fmt)
    code = ox.NamedNode("https://w3id.org/munikg/ontology#kommunkod")
    assert [
        q.object.value for q in store.quads_for_pattern(ox.NamedNode(KARLSKRONA), code, None)
    ] == ["1080"]


def test_the_document_carries_the_evidence_behind_statements(site: Served) -> None:
    turtle = httpx.get(site.url + "doc/id/municipality/se-1080.nt").text
    assert SALDANHA_QUOTE in turtle  # the quotation on the partnership naming Karlskrona


def test_entity_page_in_english_and_swedish(site: Served) -> None:
    english = page(site, "doc/id/municipality/se-1080")
    assert '<h1 id="label">Karlskrona Municipality</h1>' in english
    swedish = page(site, "doc/id/municipality/se-1080", "sv-SE,sv;q=0.9")
    assert '<h1 id="label">Karlskrona kommun</h1>' in swedish
    assert "Källor och citat" in swedish
    by_parameter = page(site, "doc/id/municipality/se-1080?lang=sv")
    assert '<h1 id="label">Karlskrona kommun</h1>' in by_parameter


def test_entity_page_shows_identifiers_as_links_and_quotations(site: Served) -> None:
    html = page(site, "doc/id/municipality/se-1080")
    identifiers = html.split('id="identifiers"')[1].split("</table>")[0]
    assert "SCB kommunkod" in identifiers and ">1080</a>" in identifiers
    assert "212000-0829" in identifiers
    assert 'href="https://github.com/okfse/myndigheterna/' in identifiers  # the code's cited source
    evidence = html.split('id="evidence"')[1]
    assert SALDANHA_QUOTE in evidence
    # quoted from the page it stands on, the Saldanha Bay article, with its address
    assert (
        'href="https://icld.se/en/article/new-partnership-karlskrona-and-saldanha-bay/"' in evidence
    )


def test_external_identifier_links(site: Served) -> None:
    ukraine = page(site, "doc/id/country/ua")
    assert 'href="https://www.wikidata.org/wiki/Q212"' in ukraine
    funding = page(site, "doc/id/funding/sida-dsp-1")
    assert 'href="https://openaid.se/contributions/SE-0-SE-6-55070070"' in funding
    partnership = page(site, "doc/id/partnership/karlskrona-chortkiv")  # goals 16 and 4 (001)
    assert 'href="http://metadata.un.org/sdg/16"' in partnership
    kolomyia = page(site, "doc/id/municipality/ua-26080070000092582")
    assert "KATOTTH" in kolomyia and "UA26080070000092582" in kolomyia


def test_links_to_munikg_things_stay_on_the_site(site: Served) -> None:
    html = page(site, "doc/id/partnership/falun-kolomyia")
    assert 'href="/id/municipality/ua-26080070000092582"' in html
    assert 'href="/ontology#Partnership"' in html
    incoming = page(site, "doc/id/municipality/se-1080").split('id="incoming"')[1]
    assert 'href="/id/partnership/karlskrona-saldanha-bay"' in incoming


def test_unknown_things_are_404_in_both_languages(site: Served) -> None:
    for path in ("id/municipality/se-0000", "doc/id/nothing", "graph/nothing", "doc/elsewhere/x"):
        response = httpx.get(site.url + path, headers={"Accept": HTML})
        assert response.status_code == 404
    swedish = httpx.get(site.url + "id/municipality/se-0000?lang=sv")
    assert "Det finns inget" in swedish.text


def test_a_graph_document_is_the_graph(site: Served, release: Release) -> None:
    response = httpx.get(site.url + "doc/graph/icld-partnerships.nt")
    lines = [line for line in response.text.splitlines() if line.strip()]
    assert (
        len(lines) == release.metadata["graphs"]["https://w3id.org/munikg/graph/icld-partnerships"]
    )


def test_ontology_uses_hash_iris_and_negotiates(site: Served) -> None:
    html = page(site, "ontology")
    assert 'id="Partnership"' in html
    swedish = page(site, "ontology", "sv")
    assert "Partnerskap" in swedish
    turtle = httpx.get(site.url + "ontology", headers={"Accept": "text/turtle"})
    assert turtle.headers["content-location"] == "/ontology.ttl"
    store = ox.Store()
    store.load(turtle.content, format=ox.RdfFormat.TURTLE)
    owl_class = ox.NamedNode("http://www.w3.org/2002/07/owl#Class")
    partnership = ox.NamedNode("https://w3id.org/munikg/ontology#Partnership")
    assert list(store.quads_for_pattern(partnership, None, owl_class))


def test_landing_page_says_what_the_graph_holds(site: Served, release: Release) -> None:
    html = page(site, "")
    assert release.version in html
    counts = html.split('id="class-counts"')[1].split("</table>")[0]
    # 14 municipalities (issue 3's count from the sources), under the ontology's own label
    assert re.search(r">Municipality</a></td><td class=\"num\">14<", counts)
    assert "CC BY 4.0" in html and "CITATION.cff" in html
    sources = html.split('id="sources"')[1].split("</ul>")[0]
    assert "https://icld.se/?partner_country=ukraine" in sources
    markup = html.split('<script type="application/ld+json">')[1].split("</script>")[0]
    dataset = json.loads(markup)
    assert dataset["@type"] == "Dataset" and dataset["version"] == release.version
    assert dataset["license"] == "http://creativecommons.org/licenses/by/4.0/"  # one spelling
    assert any(d["contentUrl"].endswith("/download/munikg.ttl") for d in dataset["distribution"])


def test_language_switch_is_remembered(site: Served) -> None:
    with httpx.Client(base_url=site.url) as client:
        first = client.get("/?lang=sv", headers={"Accept": HTML})
        assert 'lang="sv"' in first.text
        later = client.get("/queries", headers={"Accept": HTML, "Accept-Language": "en"})
        assert "Färdiga frågor" in later.text  # the cookie beats the browser's language


def test_release_files_are_served_with_their_checksums(site: Served, release: Release) -> None:
    for name, digest in release.metadata["files"].items():
        response = httpx.get(site.url + f"download/{name}")
        assert response.status_code == 200, name
        assert hashlib.sha256(response.content).hexdigest() == digest, name
    listing = page(site, "download/")
    assert all(name in listing for name in release.metadata["files"])


def test_void_and_catalog(site: Served, release: Release) -> None:
    for path in ("void", ".well-known/void"):
        response = httpx.get(site.url + path)
        assert response.status_code == 200
        assert response.content == (release.path / "void.ttl").read_bytes()
    rdfxml = httpx.get(site.url + "catalog", headers={"Accept": "application/rdf+xml"})
    assert rdfxml.content == (release.path / "catalog.rdf").read_bytes()
    turtle = httpx.get(site.url + "catalog", headers={"Accept": "text/turtle"})
    assert turtle.content == (release.path / "catalog.ttl").read_bytes()


def test_partnership_picture_links_both_sides(site: Served) -> None:
    html = page(site, "partnerships")
    svg = html.split("<svg")[1].split("</svg>")[0]
    # document 001: Karlskrona's partners Chortkiv, Saldanha Bay and Tshwane
    for name in (
        "Karlskrona Municipality",
        "Chortkiv",
        "Saldanha Bay Local Municipality",
        "Ukraine",
    ):
        assert name in svg, name
    assert svg.count("<path") == 8  # the eight partnerships of a Swedish and a foreign member
    assert 'href="/id/municipality/se-1080"' in svg
    raw = httpx.get(site.url + "partnerships.svg?lang=sv")
    assert raw.headers["content-type"].startswith("image/svg+xml")
    assert "Karlskrona kommun" in raw.text


def test_an_inference_is_shown_as_the_editors_with_its_reason(site: Served) -> None:
    # reference.ttl marks Polaris's cooperation area as the editor's (grade E), read from the
    # project's name; the page must say so, apart from what the sources state
    evidence = page(site, "doc/id/project/polaris").split('id="evidence"')[1].split("</ol>")[0]
    items = [html.unescape(li) for li in evidence.split("<li>")[1:]]
    (inferred,) = [li for li in items if 'class="inferred"' in li]
    assert "Editor's inference, not stated by a source" in inferred
    assert "Read from the project's name (supporting multilevel governance)" in inferred
    assert "/id/concept/area/decentralisation-and-local-democracy" in inferred
    # the stated facts on the same page name their source and are not marked
    stated = [li for li in items if 'class="inferred"' not in li]
    assert stated and all("Stated in" in li or "Quoted from" in li for li in stated)
    swedish = html.unescape(page(site, "doc/id/project/polaris?lang=sv"))
    assert "Redaktörens slutsats" in swedish and "Läst ur projektets namn" in swedish
