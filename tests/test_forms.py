"""Every canned query's form, read as a browser reads it: the values it shows are the query's
defaults, and pressing Run unchanged gives the answer ``munikg query run NAME`` gives.

A ``<select>`` with no ``selected`` option shows (and submits) its first option — the way a
form once showed "Chortkiv" above Karlskrona's partners (issue 17)."""

import csv
import html
import io
import warnings
from collections.abc import Iterator
from html.parser import HTMLParser

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from munikg.query.canned import load
from munikg.query.params import is_short_name, to_term
from munikg.release import Release
from munikg.serve.app import create_app
from munikg.serve.site import Settings
from tests.conftest import ROOT, munikg

QUERIES = load(ROOT / "queries")


class Form(HTMLParser):
    """The values a browser would submit from the page's query form."""

    def __init__(self) -> None:
        super().__init__()
        self.values: dict[str, str] = {}
        self._select: str | None = None
        self._first: str | None = None
        self._chosen: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "input" and a.get("name"):
            self.values[str(a["name"])] = a.get("value") or ""
        elif tag == "select":
            self._select, self._first, self._chosen = a.get("name"), None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value") or ""
            if self._first is None:
                self._first = value
            if "selected" in a:
                self._chosen = value

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None:
            shown = self._chosen if self._chosen is not None else self._first
            self.values[self._select] = shown or ""
            self._select = None


@pytest.fixture(scope="module")
def release(full_release: Release) -> Release:
    """Every canned query answered on the product's release, the seeds with the ICLD record:
    the record's questions have no answer on the seeds alone."""
    return full_release


@pytest.fixture(scope="module")
def client(release: Release) -> Iterator[TestClient]:
    settings = Settings(release=release.path, queries=ROOT / "queries", workers=2, rate_limit=0)
    with TestClient(create_app(settings), follow_redirects=False) as client:
        yield client


def form_of(client: TestClient, name: str) -> dict[str, str]:
    page = client.get(f"/queries/{name}", params={"lang": "en"})
    assert page.status_code == 200, name
    form = Form()
    form.feed(page.text)
    return form.values


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_the_form_shows_the_defaults(client: TestClient, name: str) -> None:
    shown = form_of(client, name)
    for param in QUERIES[name].params:
        default = "en" if param.name == "lang" else param.default
        if default is None:
            assert shown.get(param.name, "") == "", (name, param.name)
            continue
        if is_short_name(param, default) and not param.namespace:
            assert shown[param.name] == default, (name, param.name)  # looked up when run
            continue
        # the same value, however spelt (a slug or its IRI)
        assert to_term(param, shown[param.name]) == to_term(param, default), (name, param.name)


@pytest.mark.parametrize("name", sorted(q.name for q in QUERIES.values() if q.params))
def test_running_the_form_unchanged_answers_as_the_command(
    client: TestClient, release: Release, name: str
) -> None:
    if any(p.required and p.default is None for p in QUERIES[name].params):
        pytest.skip("a required parameter has no default: the form waits for a value")
    shown = {k: v for k, v in form_of(client, name).items() if v}
    answer = client.get(f"/queries/{name}.csv", params=shown)
    assert answer.status_code == 200, answer.text
    page_rows = sorted(map(tuple, csv.reader(io.StringIO(answer.text))))
    done = munikg("query", "run", name, "--dist", str(release.path), "--format", "csv", cwd=ROOT)
    assert done.returncode == 0, done.stderr
    command_rows = sorted(map(tuple, csv.reader(io.StringIO(done.stdout))))
    assert page_rows == command_rows and len(page_rows) > 1, name


def test_a_permalinks_short_name_is_shown_as_asked(client: TestClient) -> None:
    # Lidingö is municipality 0186 (SCB); its IRI and its slug are the same value
    slug = form_of_query(client, "partners-of-municipality", municipality="se-0186")
    iri = form_of_query(
        client,
        "partners-of-municipality",
        municipality="https://w3id.org/munikg/id/municipality/se-0186",
    )
    assert slug == iri == "https://w3id.org/munikg/id/municipality/se-0186"


def form_of_query(client: TestClient, name: str, **given: str) -> str:
    page = client.get(f"/queries/{name}", params=given)
    form = Form()
    form.feed(page.text)
    return form.values[next(iter(given))]


@pytest.mark.parametrize(
    ("url", "said"),
    [
        ("/queries/partnerships-by-sdg.csv?gaol=13", "has no parameter 'gaol'"),
        ("/queries/partnerships-by-sdg?gaol=13", "has no parameter 'gaol'"),
        ("/queries/partnerships-by-sdg.csv?goal=99", "99 is not an integer from 1 to 17"),
        ("/queries/partnerships-by-sdg.csv?goal=0", "0 is not an integer from 1 to 17"),
        ("/queries/projects-in-period.csv?from=2024&to=2020", "2020 is before from (2024)"),
        ("/queries/projects-in-period?from=2024&to=2020", "2020 is before from (2024)"),
    ],
)
def test_url_parameters_are_checked_as_on_the_command_line(
    client: TestClient, url: str, said: str
) -> None:
    answer = client.get(url)
    assert answer.status_code == 400 and said in html.unescape(answer.text)


def test_the_command_line_says_the_same(release: Release) -> None:
    for params, said in (
        (["-p", "gaol=13"], "has no parameter 'gaol'"),
        (["-p", "goal=99"], "99 is not an integer from 1 to 17"),
    ):
        done = munikg(
            "query", "run", "partnerships-by-sdg", *params, "--dist", str(release.path), cwd=ROOT
        )
        assert done.returncode == 2 and said in done.stderr


def test_bounds_that_hold_answer(client: TestClient) -> None:
    # SDG 13 (climate action): Karlskrona–Saldanha Bay, by its ICLD page
    answer = client.get("/queries/partnerships-by-sdg.csv?goal=13")
    assert answer.status_code == 200 and "karlskrona-saldanha-bay" in answer.text
    same_year = client.get("/queries/projects-in-period.csv?from=2022&to=2022")
    assert same_year.status_code == 200


@pytest.mark.parametrize(
    ("query", "said"),
    [
        (
            "SELECT ?m WHERE {\n  ?m a mk:Municipality }",
            "prefix mk: is not declared (line 2, column 8); "
            "add PREFIX mk: <https://w3id.org/munikg/ontology#>",
        ),
        ("SELECT * WHERE { ?s foo:bar ?o }", "prefix foo: is not declared (line 1, column 21)"),
    ],
)
def test_an_undeclared_prefix_is_named(client: TestClient, query: str, said: str) -> None:
    for answer in (
        client.get("/sparql", params={"query": query}),
        client.get("/editor", params={"query": query}),
    ):
        assert answer.status_code == 400 and said in html.unescape(answer.text)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_editor_examples_run_as_loaded(client: TestClient, release: Release, name: str) -> None:
    """An example is the canned query with its defaults bound (its header kept as comments):
    run unchanged, it answers as ``munikg query run`` does."""
    loaded = client.get("/editor", params={"example": name})
    assert loaded.status_code == 200
    form = Form()
    form.feed(loaded.text)
    text = html.unescape(
        loaded.text.split('name="query"', 1)[1].split(">", 1)[1].split("</textarea>")[0]
    )
    assert text.lstrip().startswith("# title:")
    if any(p.required and p.default is None for p in QUERIES[name].params):
        return  # nothing to bind it to: the text says so in its header
    answer = client.post("/sparql", data={"query": text}, headers={"Accept": "text/csv"})
    assert answer.status_code == 200, answer.text
    done = munikg("query", "run", name, "--dist", str(release.path), "--format", "csv", cwd=ROOT)
    rows = sorted(map(tuple, csv.reader(io.StringIO(answer.text))))
    assert rows == sorted(map(tuple, csv.reader(io.StringIO(done.stdout))))
