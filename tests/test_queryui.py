"""The query UI over HTTP: every canned query as a form, answers as tables, downloads that agree
with the release, shareable links that name the release, and the SPARQL editor.

Document 001 (ICLD): Falun and Kolomyia focus on water supply ("vattenförsörjning"); Ronneby
and Ternopil on water management ("vattenhantering").
"""

import csv
import io
import re

import httpx
import pyoxigraph as ox
import pytest

from munikg.api import open_release
from munikg.release import Release
from tests.conftest import ROOT
from tests.servers import Served

pytestmark = pytest.mark.server

HTML = {"Accept": "text/html"}


def results_table(html: str) -> str:
    assert 'id="results"' in html, html[-2000:]
    return html.split('id="results"')[1].split("</table>")[0]


def test_every_canned_query_has_a_form(site: Served, release: Release) -> None:
    kg = open_release(release.path, ROOT / "queries")
    listing = httpx.get(site.url + "queries").text
    for name, query in kg.queries.items():
        assert f'href="/queries/{name}"' in listing
        response = httpx.get(site.url + f"queries/{name}", headers=HTML)
        assert response.status_code == 200, name
        assert query.title("en") in response.text
        for param in query.params:
            assert f'name="{param.name}"' in response.text, (name, param.name)
        if not any(p.required for p in query.params):
            assert 'id="results"' in response.text, name


def test_closed_sets_are_drop_downs_with_defaults(site: Served) -> None:
    html = httpx.get(site.url + "queries/partnerships-by-area", headers=HTML).text
    area = html.split('id="p-area"')[1].split("</select>")[0]
    assert '<option value="water" selected>Water</option>' in area
    assert 'value="water-supply"' in area and 'value="education"' in area
    country = html.split('id="p-country"')[1].split("</select>")[0]
    assert '<option value="UA" selected>Ukraine</option>' in country


def test_a_form_answers_with_labelled_links(site: Served) -> None:
    html = httpx.get(
        site.url + "queries/partnerships-by-area", params={"area": "water", "country": "UA"}
    ).text
    table = results_table(html)
    assert '<a href="/id/municipality/se-2080"' in table and "Falun Municipality" in table
    assert "Kolomyia" in table and "Ronneby Municipality" in table and "Ternopil" in table
    assert table.count("<tr>") == 3  # a header and two partnerships
    swedish = httpx.get(site.url + "queries/partnerships-by-area", params={"lang": "sv"}).text
    assert "Falu kommun" in results_table(swedish) and "Vattenförsörjning" in results_table(swedish)


def test_downloads_agree_with_the_release(site: Served, release: Release) -> None:
    kg = open_release(release.path, ROOT / "queries")
    expected = kg.query("partnerships-by-area", area="water", country="UA", lang="en")
    params = {"area": "water", "country": "UA", "lang": "en"}
    as_csv = httpx.get(site.url + "queries/partnerships-by-area.csv", params=params)
    assert (
        as_csv.headers["content-disposition"] == 'attachment; filename="partnerships-by-area.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert sorted(r["partnership"] for r in rows) == sorted(
        str(r["partnership"]) for r in expected.values()
    )
    as_json = httpx.get(site.url + "queries/partnerships-by-area.json", params=params).json()
    assert as_json["head"]["vars"] == expected.variables
    assert len(as_json["results"]["bindings"]) == len(expected.rows) == 2
    as_ttl = httpx.get(site.url + "queries/partnerships-by-area.ttl", params=params)
    store = ox.Store()
    store.load(as_ttl.content, format=ox.RdfFormat.TURTLE)
    rs = "http://www.w3.org/2001/sw/DataAccess/tests/result-set#"
    solutions = list(store.quads_for_pattern(None, ox.NamedNode(rs + "solution"), None))
    assert len(solutions) == 2
    values = {
        q.object.value for q in store.quads_for_pattern(None, ox.NamedNode(rs + "value"), None)
    }
    assert "https://w3id.org/munikg/id/partnership/falun-kolomyia" in values


def test_the_same_url_answers_programs(site: Served) -> None:
    url = site.url + "queries/partnerships-by-area"
    as_csv = httpx.get(url, headers={"Accept": "text/csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    assert as_csv.text.splitlines()[0].startswith("swedish,swedishLabel,partner")
    as_json = httpx.get(url, headers={"Accept": "application/sparql-results+json"})
    assert len(as_json.json()["results"]["bindings"]) == 2  # Falun–Kolomyia, Ronneby–Ternopil
    browser = httpx.get(url, headers={"Accept": "text/html,*/*;q=0.8"})
    assert browser.headers["content-type"].startswith("text/html")


def test_the_share_link_names_the_release(site: Served, release: Release) -> None:
    html = httpx.get(
        site.url + "queries/partners-of-municipality", params={"municipality": "se-1080"}
    ).text
    share = re.search(r'href="([^"]*)" id="share"', html).group(1)  # type: ignore[union-attr]
    assert f"release={release.version.replace('+', '%2B')}" in share
    # the value as the form's list spells it (Karlskrona's IRI), so the link shows what it asks
    assert "municipality=https%3A%2F%2Fw3id.org%2Fmunikg%2Fid%2Fmunicipality%2Fse-1080" in share
    pinned = httpx.get(
        site.url + "queries/partners-of-municipality",
        params={"municipality": "se-1080", "release": "0.0.1+old"},
    ).text
    assert 'id="pinned"' in pinned and "0.0.1+old" in pinned
    same = httpx.get(
        site.url + "queries/partners-of-municipality",
        params={"municipality": "se-1080", "release": release.version},
    ).text
    assert 'id="pinned"' not in same


def test_a_bad_parameter_is_a_400_naming_it(site: Served) -> None:
    response = httpx.get(
        site.url + "queries/partnerships-by-area", params={"area": "poetry"}, headers=HTML
    )
    assert response.status_code == 400
    assert "parameter area" in response.text and 'id="query-form"' in response.text
    download = httpx.get(site.url + "queries/projects-in-period.csv", params={"from": "20x4"})
    assert download.status_code == 400 and "parameter from" in download.text
    unknown = httpx.get(site.url + "queries/no-such-query")
    assert unknown.status_code == 404


def test_a_required_parameter_waits_for_a_value(site: Served) -> None:
    html = httpx.get(site.url + "queries/evidence-for-entity", headers=HTML).text
    assert 'id="results"' not in html and "required" in html
    answered = httpx.get(
        site.url + "queries/evidence-for-entity",
        params={"entity": "https://w3id.org/munikg/id/partnership/karlskrona-saldanha-bay"},
    ).text
    assert "Vi gratulerar Karlskrona kommun" in results_table(answered)


def test_editor_runs_select_ask_and_construct(site: Served) -> None:
    start = httpx.get(site.url + "editor", headers=HTML).text
    assert "PREFIX mk: &lt;https://w3id.org/munikg/ontology#&gt;" in start
    assert 'value="partnerships-by-area"' in start  # canned queries as examples
    example = httpx.get(site.url + "editor", params={"example": "partnerships-by-area"}).text
    # the canned query with its default values written in: runnable as it stands
    assert "skos:broader* &lt;https://w3id.org/munikg/id/concept/area/water&gt;" in example
    select = httpx.get(
        site.url + "editor",
        params={
            "query": "SELECT ?code WHERE { <https://w3id.org/munikg/id/municipality/se-1080> <https://w3id.org/munikg/ontology#kommunkod> ?code }"
        },
    ).text
    assert "1080" in results_table(select)
    ask = httpx.post(
        site.url + "editor",
        data={"query": "ASK { ?s a <https://w3id.org/munikg/ontology#Partnership> }"},
    ).text
    assert "<strong>true</strong>" in ask
    construct = httpx.get(
        site.url + "editor",
        params={
            "query": "CONSTRUCT { ?m <http://e/code> ?c } WHERE { ?m <https://w3id.org/munikg/ontology#kommunkod> ?c } LIMIT 1"
        },
    ).text
    assert "&lt;http://e/code&gt;" in construct
    broken = httpx.get(site.url + "editor", params={"query": "SELECT * WHERE { ?s"})
    assert broken.status_code == 400 and "syntax error" in broken.text


def test_every_page_works_in_swedish(site: Served) -> None:
    for path, words in [
        ("", "Vad grafen innehåller"),
        ("queries", "Färdiga frågor"),
        ("queries/partnerships-by-area", "Svenska kommuner med partnerkommuner"),
        ("editor", "Gränser"),
        ("partnerships", "Svenska kommuner och deras partner"),
        ("download/", "Filer i denna version"),
    ]:
        response = httpx.get(site.url + path, params={"lang": "sv"}, headers=HTML)
        assert response.status_code == 200, path
        assert words in response.text, path
        assert response.headers["content-language"] == "sv"
        assert 'lang="sv"' in response.text


def test_search_form_on_the_landing_page(site: Served) -> None:
    html = httpx.get(site.url + "queries/search-by-label", params={"text": "kolomyia"}).text
    assert 'href="/id/municipality/ua-26080070000092582"' in results_table(html)
