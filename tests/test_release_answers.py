"""What a release answers without running a query (issue 20): its stored answers and its
label index give exactly the rows the queries' SPARQL gives on the release's store; pages and
downloads of a stored answer hold every row, in order."""

import json
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from munikg.api import KnowledgeGraph, open_release
from munikg.errors import BadInput
from munikg.namespaces import ID
from munikg.query import canned
from munikg.query.backends import LocalGraph
from munikg.query.results import Cell, OutputFormat, format_chunks, rows_of
from munikg.query.search import FOLDS, fold, sparql_fold
from munikg.query.stored import STEP, Answer, StoredAnswers, key, write
from munikg.release import ANSWERS_DIR, Release
from tests.servers import Served, munikg_server

Row = tuple[Cell | None, ...]


def live(store: ox.Store, text: str) -> list[Row]:
    """The rows pyoxigraph gives for ``text`` on the store itself."""
    return [tuple(row) for row in rows_of(store.query(text))]  # type: ignore[arg-type]


def running(release: Release) -> KnowledgeGraph:
    """The release's queries on its bare store: every question run, none looked up."""
    assert release.queries is not None
    return KnowledgeGraph(LocalGraph(release.store), canned.load(release.queries))


def test_every_stored_answer_is_the_live_answer(full_release: Release) -> None:
    stored = StoredAnswers.open(full_release.path / ANSWERS_DIR)
    kg = running(full_release)
    assert len(stored) > len(kg.queries)  # defaults, and the closed sets' other values
    for digest, entry in stored.entries.items():
        text = kg.prepare(entry["query"], **entry["params"])
        assert key(text) == digest, entry["query"]
        answer = stored.get(text)
        assert answer is not None
        solutions = full_release.store.query(text)
        assert answer.variables == [v.value for v in solutions.variables]  # type: ignore[union-attr]
        assert list(answer.rows()) == live(full_release.store, text), (entry["query"], entry)


def test_every_default_question_is_answered_by_the_release(full_release: Release) -> None:
    kg = open_release(full_release.path)
    asked = 0
    for name, query in kg.queries.items():
        if any(p.required and p.default is None for p in query.params):
            continue  # evidence-for-entity: a question only its reader can ask
        text = kg.prepare(name)
        listing = kg.at_hand(name, text, {})
        assert listing is not None, name
        assert list(listing.rows()) == live(full_release.store, text), name
        assert kg.query(name).rows == running(full_release).query(name).rows, name
        asked += 1
    assert asked == len(kg.queries) - 1


def test_a_closed_set_is_answered_for_each_of_its_values(full_release: Release) -> None:
    # The area scheme's concepts (ontology/schemes.ttl): each is a question answered ahead.
    areas = full_release.store.query(
        "SELECT ?c WHERE { ?c <http://www.w3.org/2004/02/skos/core#inScheme> "
        f"<{ID}concept/area> }}"
    )
    concepts = {row["c"].value for row in areas}  # type: ignore[union-attr]
    assert len(concepts) >= 10
    stored = StoredAnswers.open(full_release.path / ANSWERS_DIR)
    by_area = [e for e in stored.entries.values() if e["query"] == "partnerships-by-area"]
    asked = {e["params"].get("area", "water") for e in by_area}  # {}: the default, water
    assert {f"{ID}concept/area/{a}" for a in asked} == concepts


def test_a_text_the_release_does_not_hold_is_run(full_release: Release) -> None:
    kg = open_release(full_release.path)
    text = kg.prepare("sources") + "\n# another text, the same question"
    assert isinstance(kg.graph, LocalGraph) and kg.graph.answers is not None
    assert kg.graph.answers.get(text) is None
    assert kg.sparql(text).rows == kg.query("sources").rows


TEXTS = [
    "Kolomyia",
    "KOLOMYIA",
    "vaxjo",
    "VÄXJÖ",
    "Växjö kommun",
    "херсон",
    "ХЕРСОН",
    "Київ",
    "Киів",
    "o",
    "ö",
    "kommun",
    "Falun–Kolomyia",
    "nothing is called this",
    '" } ; DROP ALL #',
    "a\nb",
]


@pytest.mark.parametrize("text", TEXTS)
def test_the_label_index_answers_search_by_label_as_its_sparql(
    full_release: Release, text: str
) -> None:
    kg = open_release(full_release.path)
    bound = kg.prepare("search-by-label", text=text)
    from_index = kg.at_hand("search-by-label", bound, {"text": text})
    assert from_index is not None
    assert list(from_index.rows()) == live(full_release.store, bound)


def test_the_label_index_finds_every_labelled_entity_by_its_own_label(
    full_release: Release,
) -> None:
    # Each Swedish municipality of the record, by its label with its letters folded.
    kg = open_release(full_release.path)
    labels = full_release.store.query(
        "SELECT ?m ?label WHERE { ?m a <https://w3id.org/munikg/ontology#Municipality> ; "
        "<http://www.w3.org/2000/01/rdf-schema#label> ?label "
        'FILTER (STRSTARTS(STR(?m), "https://w3id.org/munikg/id/municipality/se-")) }'
    )
    for row in labels:  # type: ignore[union-attr]
        plain = fold(row["label"].value)
        found = {r["entity"] for r in kg.query("search-by-label", text=plain).values()}
        assert row["m"].value in found, plain


def test_the_query_says_the_fold_in_sparql() -> None:
    text = " ".join((canned.shipped() / "search-by-label.rq").read_text().split())
    for expression, variable in (("STR(?label)", "folded"), ("?text", "wanted")):
        assert " ".join(sparql_fold(expression, variable).split()) in text


def test_the_fold_is_the_same_in_python_and_in_sparql() -> None:
    letters = sorted({*FOLDS, *(c.upper() for c in FOLDS), *"AaÅåÄäÖöЙйЇїßİ"})
    strings = [*letters, "Växjö Kommun", "Чортківська", "Kalush–Falun"]
    values = " ".join(json.dumps(s, ensure_ascii=False) for s in strings)
    query = f"SELECT ?s ?f WHERE {{ VALUES ?s {{ {values} }} {sparql_fold('?s', 'f')} }}"
    answered = {row["s"].value: row["f"].value for row in ox.Store().query(query)}  # type: ignore[union-attr]
    assert answered == {s: fold(s) for s in strings}
    assert fold("ÅÄÖ") == "aao" and fold("Йї") == "иі"


def test_a_stored_answer_reads_any_page(tmp_path: Path) -> None:
    rows = [
        (Cell("literal", str(n)), None if n % 3 else Cell("uri", f"http://e/{n}"))
        for n in range(1000)
    ]
    write(tmp_path, [Answer("q", {}, "SELECT ?n ?e {}", ["n", "e"], iter(rows))])
    stored = StoredAnswers.open(tmp_path).get("SELECT ?n ?e {}")
    assert stored is not None and stored.count == 1000
    for offset in (0, 1, STEP - 1, STEP, STEP + 1, 2 * STEP, 999, 1000, 1500):
        for limit in (None, 0, 1, 300):
            end = None if limit is None else offset + limit
            assert list(stored.rows(offset, limit)) == rows[offset:end], (offset, limit)


def test_a_broken_index_of_answers_is_bad_input_naming_it(tmp_path: Path) -> None:
    (tmp_path / "index.json").write_text('{"a": ', encoding="utf-8")
    with pytest.raises(BadInput, match=r"index\.json"):
        StoredAnswers.open(tmp_path)


# Over HTTP: a server showing pages of seven rows.


@pytest.fixture(scope="module")
def paged(full_release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    work = tmp_path_factory.mktemp("paged")
    with munikg_server(full_release.path, work, "--rate-limit", "0", "--page-rows", "7") as s:
        yield s


def shown_rows(html: str) -> int:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S)
    return 0 if body is None else body.group(1).count("<tr>")


def test_a_long_answer_is_shown_a_page_at_a_time(paged: Served, full_release: Release) -> None:
    total = len(live(full_release.store, running(full_release).prepare("sources")))
    pages = -(-total // 7)
    first = httpx.get(paged.url + "queries/sources", headers={"Accept": "text/html"})
    assert first.status_code == 200
    assert f"Rows 1–7 of {total} (page 1 of {pages})" in first.text
    assert 'id="previous-page"' not in first.text and 'id="next-page"' in first.text
    seen = 0
    for page in range(1, pages + 1):
        html = httpx.get(paged.url + "queries/sources", params={"page": page}).text
        seen += shown_rows(html)
    assert seen == total
    last = httpx.get(paged.url + "queries/sources", params={"page": pages, "lang": "sv"}).text
    assert f"av {total} (sida {pages} av {pages})" in last and 'id="next-page"' not in last


@pytest.mark.parametrize("page", ["0", "-1", "two", "999"])
def test_a_bad_page_is_a_400_naming_it(paged: Served, page: str) -> None:
    response = httpx.get(paged.url + "queries/sources", params={"page": page})
    assert response.status_code == 400
    assert "page" in response.text


def test_a_download_holds_every_row_of_the_stored_answer(
    paged: Served, full_release: Release
) -> None:
    text = running(full_release).prepare("sources")
    rows = live(full_release.store, text)
    variables = [v.value for v in full_release.store.query(text).variables]  # type: ignore[union-attr]
    for extension, fmt in (("csv", OutputFormat.csv), ("json", OutputFormat.json)):
        response = httpx.get(paged.url + f"queries/sources.{extension}")
        assert response.status_code == 200
        assert response.content.decode("utf-8") == "".join(format_chunks(variables, rows, fmt))
    assert len(
        json.loads(httpx.get(paged.url + "queries/sources.json").text)["results"]["bindings"]
    ) == len(rows)


def test_the_endpoint_answers_a_stored_text_as_it_runs_it(
    paged: Served, full_release: Release
) -> None:
    text = open_release(full_release.path).prepare("projects-with-funding")
    for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
        stored = httpx.post(paged.url + "sparql", data={"query": text}, headers={"Accept": accept})
        ran = httpx.post(
            paged.url + "sparql", data={"query": text + "\n# run"}, headers={"Accept": accept}
        )
        assert stored.status_code == ran.status_code == 200
        assert stored.content == ran.content, accept
        assert stored.headers["content-type"] == ran.headers["content-type"]
    refused = httpx.post(paged.url + "sparql", data={"query": text, "format": "turtle"})
    assert refused.status_code == 400 and "format" in refused.text
