"""The query workbench over HTTP (issue 18): answers with people's column titles, search that
ignores case and diacritics, class tables with facets, the editor's vocabulary and code
snippets, the partnership picture's colours, filters and ordering, the ontology page in the
site's layout, and no page that loads anything from outside the site. Expected values come
from the source documents and the record's reference table (tests/record_table.py)."""

import csv
import io
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlparse

import httpx
import pyoxigraph as ox
import pytest

from munikg.errors import BadInput
from munikg.query import canned
from munikg.query.params import example_term
from munikg.release import Release
from munikg.serve.labels import Labels
from munikg.serve.views import picture
from tests import record_table
from tests.conftest import ROOT
from tests.servers import Served

pytestmark = pytest.mark.server
REF = record_table.read()
UA_SEED_ONLY = 1  # Växjö–Kalush: document 001 names it, the record has no row for it


def get(site: Served, path: str, **headers: str) -> httpx.Response:
    return httpx.get(site.url + path.lstrip("/"), headers=headers, timeout=30)


class Page(HTMLParser):
    """What a page loads and how: scripts, style sheets, images; inline code and styles."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[str] = []
        self.inline_scripts: list[str] = []
        self.styled: list[str] = []
        self.headers: list[str] = []
        self._in_th = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "script":
            if found.get("src"):
                self.loads.append(found["src"] or "")
            elif found.get("type") not in {"application/json", "application/ld+json"}:
                self.inline_scripts.append(tag)
        if tag == "link" and found.get("rel") in {"stylesheet", "icon", "preload"}:
            self.loads.append(found.get("href") or "")
        if tag in {"img", "iframe", "embed", "source"} and found.get("src"):
            self.loads.append(found["src"] or "")
        if "style" in found or tag == "style":
            self.styled.append(tag)
        self._in_th = tag == "th"

    def handle_data(self, data: str) -> None:
        if self._in_th and data.strip():
            self.headers.append(data.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag == "th":
            self._in_th = False


def parsed(response: httpx.Response) -> Page:
    page = Page()
    page.feed(response.text)
    return page


PAGES = [
    "/",
    "/?lang=sv",
    "/queries",
    "/queries/partnerships-by-area",
    "/queries/projects-timeline?lang=sv",
    "/editor",
    "/editor?query=SELECT%20*%20WHERE%20%7B%3Fs%20%3Fp%20%3Fo%7D%20LIMIT%205",
    "/browse/",
    "/browse/mk:Partnership?country=ua",
    "/partnerships",
    "/ontology",
    "/ontology?lang=sv",
    "/search?q=falun",
    "/doc/id/municipality/se-1080",
    "/download/",
]


@pytest.mark.parametrize("path", PAGES)
def test_no_page_loads_anything_from_outside_the_site(full_site: Served, path: str) -> None:
    response = get(full_site, path, Accept="text/html")
    assert response.status_code == 200
    page = parsed(response)
    here = urlparse(full_site.url).netloc
    outside = [u for u in page.loads if urlparse(urljoin(full_site.url, u)).netloc != here]
    assert outside == []
    assert page.inline_scripts == []  # the policy would block them: none is written
    assert page.styled == []  # no style attribute or element in the markup
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy
    nonce = re.search(r'<meta name="csp-nonce" content="([^"]+)"', response.text)
    assert nonce and f"'nonce-{nonce.group(1)}'" in policy
    assert "/static/vendor/workbench.js" in page.loads  # the workbench is built and used


def test_the_workbench_and_the_outlines_are_served(full_site: Served) -> None:
    script = get(full_site, "/static/vendor/workbench.js")
    assert script.status_code == 200 and "javascript" in script.headers["content-type"]
    atlas = get(full_site, "/static/vendor/countries-50m.json").json()
    names = {g["properties"]["name"] for g in atlas["objects"]["countries"]["geometries"]}
    assert {"Sweden", "Ukraine", "South Africa", "Kenya"} <= names
    assert "MIT" in get(full_site, "/static/vendor/LICENSES.txt").text


def test_answers_show_titles_not_variables(full_site: Served) -> None:
    en = parsed(get(full_site, "/queries/partnerships-by-area?area=water-supply&country=UA"))
    assert en.headers == ["Swedish municipality", "Partner", "Partnership", "Named area"]
    sv = get(full_site, "/queries/partnerships-by-area?area=water-supply&country=UA&lang=sv")
    assert parsed(sv).headers == ["Svensk kommun", "Partner", "Partnerskap", "Angivet område"]
    # document 001: Falun–Kolomyia names water supply; the label sits in the IRI's place
    table = sv.text.split('id="results"')[1].split("</table>")[0]
    assert "Falu kommun" in table and "swedishLabel" not in table
    assert "@sv" not in table and "xsd:" not in table


def test_literals_lose_their_datatype_but_keep_a_sort_key(full_site: Served) -> None:
    response = get(full_site, "/queries/overview")
    table = response.text.split('id="results"')[1].split("</table>")[0]
    assert "xsd:integer" not in table and "^^" not in table
    assert re.search(r'<td data-sort="\d+(\.0)?" class="num">\d+</td>', table)


def test_every_canned_query_titles_every_column_in_both_languages() -> None:
    for query in canned.load(ROOT / "queries").values():
        bound = query.bind({p.name: example_term(p) for p in query.params})
        projected = {v.value for v in ox.Store().query(bound).variables}  # type: ignore[union-attr]
        folded = {c.label for c in query.columns.values() if c.label}
        for name in projected - folded:
            assert name in query.columns, f"{query.name}: ?{name} has no '# column:'"
            assert set(query.columns[name].titles) == {"en", "sv"}, f"{query.name}: ?{name}"


def test_a_column_header_for_no_variable_is_refused(tmp_path: Path) -> None:
    text = (ROOT / "queries" / "overview.rq").read_text(encoding="utf-8")
    renamed = text.replace("# column: class", "# column: klass")
    (tmp_path / "bad.rq").write_text(renamed.replace("# column@sv: class", "# column@sv: klass"))
    with pytest.raises(BadInput, match=r"bad\.rq.*\?klass"):
        canned.load(tmp_path)
    (tmp_path / "bad.rq").write_text(text.replace("# column@sv: class", "# column@sv: nope"))
    with pytest.raises(BadInput, match=r"bad\.rq:\d+.*undeclared column 'nope'"):
        canned.load(tmp_path)
    (tmp_path / "bad.rq").write_text(text.replace("# view: bar", "# view: pie"))
    with pytest.raises(BadInput, match="view: pie"):
        canned.load(tmp_path)


def test_search_ignores_case_and_diacritics_and_ranks_exact_names_first(
    full_site: Served,
) -> None:
    hits = get(full_site, "/search.json?q=vaxjo").json()["hits"]
    assert hits[0]["iri"].endswith("/municipality/se-0780")  # Växjö, SCB code 0780
    assert {"Växjö–Kalush", "Växjö–Tlokwe"} <= {h["label"] for h in hits}
    exact = get(full_site, "/search.json?q=KARLSKRONA%20KOMMUN").json()["hits"]
    assert exact[0]["iri"].endswith("/municipality/se-1080") and exact[0]["matched"] == (
        "Karlskrona kommun"
    )
    page = get(full_site, "/search?q=kolomyia", Accept="text/html")
    assert page.status_code == 200 and "Kolomyia" in page.text
    assert get(full_site, "/search.json?q=x&limit=0").status_code == 400
    assert "limit" in get(full_site, "/search.json?q=x&limit=zz").json()["error"]
    assert get(full_site, "/search.xml?q=x").status_code == 404


def _ukrainian_rows() -> set[str]:
    return {
        row
        for partner in REF.partners
        if record_table.partner_country(partner) == "UA"
        for row in record_table.rows_of(partner)
    }


def test_the_partnership_table_narrows_by_country_and_area(full_site: Served) -> None:
    expected = len(_ukrainian_rows()) + UA_SEED_ONLY
    body = get(full_site, "/browse/mk:Partnership.json?country=ua&size=100").json()
    assert body["total"] == expected
    assert all(any(c["iri"].endswith("/ua") for c in row["country"]) for row in body["rows"])
    assert {f["value"] for f in body["facets"]["country"]} >= {"ua", "za", "ke"}
    page = get(full_site, "/browse/mk:Partnership?country=ua&lang=sv", Accept="text/html")
    assert "Land: Ukraina" in page.text and f"av {expected}" in page.text
    rows = list(
        csv.DictReader(io.StringIO(get(full_site, "/browse/mk:Partnership.csv?country=ua").text))
    )
    assert len(rows) == expected and {"swedish", "partner", "country_iri"} <= set(rows[0])
    both = get(full_site, "/browse/mk:Partnership.json?country=ua&country=za&size=100").json()
    assert both["total"] > expected  # two values of one facet are alternatives


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("bogus=1", "bogus"),
        ("page=0", "page"),
        ("size=7", "size"),
        ("sort=nothing", "nothing"),
        ("period=x", "period"),  # a column to read, not to narrow by
    ],
)
def test_a_bad_table_parameter_is_a_400_naming_it(
    full_site: Served, query: str, named: str
) -> None:
    response = get(full_site, f"/browse/mk:Partnership.csv?{query}")
    assert response.status_code == 400 and named in response.text


def test_class_tables_are_linked_from_the_landing_page(full_site: Served) -> None:
    landing = get(full_site, "/?lang=en", Accept="text/html").text
    assert 'href="/browse/mk:Municipality"' in landing
    municipalities = get(full_site, "/browse/mk:Municipality.json?size=500").json()
    codes = {code["value"] for row in municipalities["rows"] for code in row.get("kommunkod", [])}
    assert {record_table.kommunkod(m) for m in REF.municipalities} <= codes
    assert get(full_site, "/browse/mk:NoSuchClass").status_code == 404


def test_the_editor_vocabulary_has_classes_and_properties_with_labels(full_site: Served) -> None:
    vocabulary = get(full_site, "/editor/vocabulary.json").json()
    terms = {t["curie"]: t for t in vocabulary["terms"]}
    assert terms["mk:Partnership"]["kind"] == "class"
    assert terms["mk:Partnership"]["label"]["sv"] == "partnerskap"
    assert terms["mk:cooperationArea"]["kind"] == "property"
    assert vocabulary["prefixes"]["mk"] == "https://w3id.org/munikg/ontology#"


def test_the_editor_reports_count_time_downloads_and_a_pinned_link(full_site: Served) -> None:
    query = 'SELECT ?m WHERE { ?m <https://w3id.org/munikg/ontology#kommunkod> "1080" }'
    page = get(full_site, "/editor?" + httpx.QueryParams({"query": query}).__str__()).text
    assert re.search(r"1 rows in \d+ ms", page)
    link = re.search(r'id="download-csv" download="answer.csv"', page)
    assert link
    csv_href = re.search(r'href="([^"]+)" id="download-csv"', page).group(1)  # type: ignore[union-attr]
    answer = get(full_site, csv_href.replace("&amp;", "&"))
    assert answer.text.splitlines() == ["m", "https://w3id.org/munikg/id/municipality/se-1080"]
    assert "release=" in re.search(
        r'id="share" href="([^"]+)"|href="([^"]+)" id="share"', page
    ).group(0)  # type: ignore[union-attr]


def test_the_code_snippets_run_as_shown(full_site: Served, tmp_path: Path) -> None:
    query = "SELECT ?code WHERE { <https://w3id.org/munikg/id/municipality/se-1080> <https://w3id.org/munikg/ontology#kommunkod> ?code }"
    page = get(full_site, "/editor?" + str(httpx.QueryParams({"query": query}))).text
    import html as markup

    def snippet(name: str) -> str:
        found = re.search(rf'<pre id="snippet-{name}">(.*?)</pre>', page, re.S)
        assert found
        return markup.unescape(found.group(1))

    for name in ("python", "munikg"):
        script = tmp_path / f"snippet_{name}.py"  # (a file named munikg.py would shadow it)
        script.write_text(snippet(name))
        out = subprocess.run(
            [sys.executable, str(script)], capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr
        assert "1080" in out.stdout
    curl = subprocess.run(
        ["bash", "-c", snippet("curl")], capture_output=True, text=True, timeout=60
    )
    assert curl.returncode == 0 and curl.stdout.splitlines() == ["code", "1080"]


def crossings(found: list[picture.Link], left: list[str], right: list[str]) -> int:
    at_left = {n: i for i, n in enumerate(left)}
    at_right = {n: i for i, n in enumerate(right)}
    pairs = [(at_left[k.swedish], at_right[k.partner]) for k in found]
    return sum(
        1 for i, (a, b) in enumerate(pairs) for c, d in pairs[i + 1 :] if (a - c) * (b - d) < 0
    )


def test_the_picture_is_ordered_to_cross_less_than_alphabetically(full_release: Release) -> None:
    found = picture.links(full_release.store)
    labels = Labels(full_release.store)

    def label(iri: str) -> str:
        return labels.get(iri, "en") or iri

    left, right = picture.ordered(found, label)
    alphabetical_left = sorted({k.swedish for k in found}, key=lambda i: label(i).lower())
    by_country = sorted(
        {k.partner for k in found},
        key=lambda i: (label(next(k.country for k in found if k.partner == i)), label(i).lower()),
    )
    assert set(left) == set(alphabetical_left) and set(right) == set(by_country)
    assert crossings(found, left, right) < crossings(found, alphabetical_left, by_country)


def test_the_picture_colours_filters_and_refuses(full_site: Served) -> None:
    svg = get(full_site, "/partnerships.svg?colour=area&lang=en").text
    assert "Colour by: Cooperation area" in svg and "Education" in svg
    ukraine = get(full_site, "/partnerships.svg?country=ua").text
    assert ukraine.count('class="link"') == len(_ukrainian_rows()) + UA_SEED_ONLY
    assert 'class="country">Ukraine<' in ukraine and "South Africa" not in ukraine
    assert get(full_site, "/partnerships.svg?colour=pink").status_code == 400
    page = get(full_site, "/partnerships?country=ua", Accept="text/html").text
    assert 'id="picture-country"' in page and '<option value="ua" selected>' in page


def test_the_ontology_page_is_a_site_page_in_both_languages(full_site: Served) -> None:
    en = get(full_site, "/ontology", Accept="text/html", **{"Accept-Language": "en"}).text
    assert '<header class="top">' in en and 'id="switch-language"' in en
    switch = re.search(r'id="switch-language" href="([^"]+)"', en).group(1)  # type: ignore[union-attr]
    sv = get(full_site, switch.replace("&amp;", "&"), Accept="text/html")
    assert sv.status_code == 200 and "Klasser" in sv.text and "Egenskaper" in sv.text
    section = en.split('id="Partnership"')[1].split("</section>")[0]
    assert "<dt>Properties</dt>" in section and 'href="#statedPeriod"' in section


def test_box_of_words_for_scripts_is_in_the_page_language(full_site: Served) -> None:
    sv = get(full_site, "/editor?lang=sv", Accept="text/html").text
    assert '"view_map": "Karta"' in sv or '"view_map":"Karta"' in sv
    assert isinstance(ox.NamedNode("https://w3id.org/munikg/ontology#Partnership"), ox.NamedNode)
