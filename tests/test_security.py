"""Safe by default: what must never happen on a public endpoint, tried against a real server.

A listening socket on 127.0.0.1 stands in for "somewhere else": every SERVICE, LOAD, FROM and
dataset parameter points at it, and the test asserts it was never contacted. The strict server
has tiny limits (1 s, 5 rows, 2 KiB) so the limits are reached by small, fast requests.
"""

import shutil
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pyoxigraph as ox
import pytest

from munikg.release import Release
from tests.conftest import ROOT, munikg
from tests.servers import Served, closed_port, munikg_server

pytestmark = pytest.mark.server

SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # 3 427³ rows
ROW_LIMIT = 5
MAX_BYTES = 2048


@pytest.fixture(scope="module")
def strict(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    options = (
        "--time-limit",
        "1",
        "--row-limit",
        str(ROW_LIMIT),
        "--max-request-bytes",
        str(MAX_BYTES),
    )
    with munikg_server(
        release.path,
        tmp_path_factory.mktemp("strict"),
        *options,
        "--rate-limit",
        "0",
        "--workers",
        "2",
    ) as served:
        yield served


@pytest.fixture
def elsewhere() -> Iterator[tuple[str, socket.socket]]:
    """A listening socket no request should ever reach; yields its URL and the socket."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.setblocking(False)
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/", listener
    listener.close()


@pytest.fixture
def closed() -> Iterator[int]:
    """A loopback port that refuses connections, held for the test."""
    with closed_port() as port:
        yield port


def contacted(listener: socket.socket) -> bool:
    time.sleep(0.3)  # time enough for a connection that was going to be made
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def service_queries(url: str) -> list[str]:
    return [
        f"SELECT * WHERE {{ SERVICE <{url}sparql> {{ ?s ?p ?o }} }}",
        f"select * where {{ service silent <{url}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ # a comment }}\n  SeRvIcE <{url}> {{ ?s ?p ?o }} }}",
        f"PREFIX x: <{url}> SELECT * WHERE {{ SERVICE x:sparql {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ <{url}> }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ {{ SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }} }}",
    ]


def test_service_is_refused_and_nothing_is_contacted(
    strict: Served, elsewhere: tuple[str, socket.socket]
) -> None:
    url, listener = elsewhere
    for query in service_queries(url):
        for response in (
            httpx.get(strict.url + "sparql", params={"query": query}),
            httpx.post(strict.url + "sparql", data={"query": query}),
            httpx.post(
                strict.url + "sparql",
                content=query,
                headers={"Content-Type": "application/sparql-query"},
            ),
        ):
            assert response.status_code == 400, (query, response.text)
            assert "SERVICE is not allowed" in response.text
        editor = httpx.get(strict.url + "editor", params={"query": query})
        assert editor.status_code == 400
    assert not contacted(listener)


def test_load_and_updates_are_refused_and_nothing_is_contacted(
    strict: Served, elsewhere: tuple[str, socket.socket]
) -> None:
    url, listener = elsewhere
    updates = [
        f"LOAD <{url}data.ttl>",
        f"LOAD SILENT <{url}data.ttl> INTO GRAPH <http://e/g>",
        "INSERT DATA { <http://e/s> <http://e/p> <http://e/o> }",
        "DELETE WHERE { ?s ?p ?o }",
        "CLEAR ALL",
        "DROP GRAPH <https://w3id.org/munikg/graph/reference>",
    ]
    for update in updates:
        for response in (
            httpx.post(
                strict.url + "sparql",
                content=update,
                headers={"Content-Type": "application/sparql-update"},
            ),
            httpx.post(strict.url + "sparql", data={"update": update}),
            httpx.post(strict.url + "sparql", data={"query": update}),
            httpx.get(strict.url + "sparql", params={"query": update}),
        ):
            assert response.status_code == 400, (update, response.status_code)
            assert "read-only" in response.text or "not allowed" in response.text
    assert not contacted(listener)
    count = httpx.get(
        strict.url + "sparql",
        params={"query": "ASK { GRAPH <https://w3id.org/munikg/graph/reference> { ?s ?p ?o } }"},
    )
    assert count.json()["boolean"] is True  # the graph DROP named is still there


def test_graphs_the_release_does_not_hold_are_empty_and_never_fetched(
    strict: Served, elsewhere: tuple[str, socket.socket]
) -> None:
    """SPARQL 1.1 Protocol §2.1.4 and Oxigraph: an IRI naming no graph of the store is an empty
    graph. Escapes in the IRI (the issue's ``\\u0067``) change nothing."""
    url, listener = elsewhere
    for params in (
        {"query": f"SELECT * FROM <{url}data.ttl> WHERE {{ ?s ?p ?o }}"},
        {"query": "SELECT * FROM <http://elsewhere.example/\\u0067> WHERE { ?s ?p ?o }"},
        {"query": f"SELECT * FROM <{url[:-1]}\\u002Fd> WHERE {{ ?s ?p ?o }}"},
        {"query": f"SELECT * FROM NAMED <{url}g> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"},
        {"query": f"BASE <{url}> SELECT * FROM <data.ttl> WHERE {{ ?s ?p ?o }}"},
        {"query": "SELECT * WHERE { ?s ?p ?o }", "default-graph-uri": url},
        {"query": "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } }", "named-graph-uri": url},
        # named graphs given alone leave the default graph empty (§2.1.4), not the whole merge
        {"query": "SELECT * WHERE { ?s ?p ?o }", "named-graph-uri": url},
    ):
        response = httpx.get(strict.url + "sparql", params=params)
        assert response.status_code == 200, (params, response.text)
        assert response.json()["results"]["bindings"] == [], params
    assert not contacted(listener)
    held = "https://w3id.org/munikg/graph/reference"
    both = httpx.get(
        strict.url + "sparql",
        params={"query": "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "default-graph-uri": [url, held]},
    )
    assert len(both.json()["results"]["bindings"]) == 1  # the held graph still answers


def test_the_issues_escaped_service_request_is_refused(
    strict: Served, elsewhere: tuple[str, socket.socket], closed: int
) -> None:
    """The exact requests of issue 14: an escape before a ``#`` inside an IRI hid the SERVICE
    from the old lexer; by every method, every query form, and through the editor."""
    url, listener = elsewhere
    target = f"{url}d"
    queries = [
        f"SELECT * {{ BIND(<http://e/\\u0061#> AS ?x) SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"ASK {{ BIND(<http://e/\\u0061#> AS ?x) SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ BIND(<http://e/\\u0061#> AS ?x) "
        f"SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ BIND(<http://e/\\u0061#> AS ?x) SERVICE <http://127.0.0.1:{closed}/d> "
        "{ ?s ?p ?o } }",
        f"SELECT * {{ SERVICE <{url}\\u0064> {{ ?s ?p ?o }} }}",
        f'SELECT * {{ BIND("\\u0022#" AS ?x) SERVICE <{target}> {{ ?s ?p ?o }} }}',
        f"SELECT * {{ #\r SERVICE <{target}> {{ ?s ?p ?o }} }}",
        f"SELECT * {{ SERVICE\t\r\n<{target}>{{ ?s ?p ?o }} }}",
    ]
    for query in queries:
        for response in (
            httpx.post(
                strict.url + "sparql",
                content=query,
                headers={"Content-Type": "application/sparql-query"},
            ),
            httpx.get(strict.url + "sparql", params={"query": query}),
            httpx.post(strict.url + "sparql", data={"query": query}),
            httpx.get(strict.url + "editor", params={"query": query}),
        ):
            assert response.status_code == 400, (query, response.status_code, response.text)
            assert "SERVICE is not allowed" in response.text, query
            assert "connection refused" not in response.text.lower()  # no port scanning
    # percent-encoding is HTTP's: decoded once, by the form and URL parsers, before the guard
    encoded = "SELECT%20*%20%7B%20%53%45RVICE%20%3C" + target.replace(":", "%3A") + "%3E"
    encoded += "%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D%20%7D"
    for response in (
        httpx.post(
            strict.url + "sparql",
            content="query=" + encoded,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        ),
        httpx.get(strict.url + "sparql?query=" + encoded),
    ):
        assert response.status_code == 400 and "SERVICE is not allowed" in response.text
    assert not contacted(listener)


def test_oversized_requests_are_refused(strict: Served) -> None:
    big = "SELECT * WHERE { ?s ?p ?o } #" + "x" * MAX_BYTES
    direct = httpx.post(
        strict.url + "sparql", content=big, headers={"Content-Type": "application/sparql-query"}
    )
    assert direct.status_code == 413
    form = httpx.post(strict.url + "sparql", data={"query": big})
    assert form.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit holds while reading
        for _ in range(8):
            yield b"#" + b"x" * 511

    chunked = httpx.post(
        strict.url + "sparql",
        content=chunks(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert chunked.status_code == 413
    get = httpx.get(strict.url + "sparql", params={"query": big[: MAX_BYTES + 100]})
    assert get.status_code in {413, 414, 431}
    assert httpx.get(strict.url + "sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_slow_query_is_stopped_and_its_worker_replaced(strict: Served) -> None:
    before = strict.workers()
    assert len(before) == 2
    response = httpx.get(strict.url + "sparql", params={"query": SLOW}, timeout=30)
    assert response.status_code == 503
    assert "1 s limit" in response.text and "stopped" in response.text
    assert int(response.headers["retry-after"]) >= 1
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
        len(strict.workers()) != 2 or strict.workers() == before
    ):
        time.sleep(0.2)
    after = strict.workers()
    assert len(after) == 2 and len(before - after) == 1  # the busy worker is gone, replaced
    for pid in before - after:
        assert (
            not Path(f"/proc/{pid}").exists()
            or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        )
    assert httpx.get(strict.url + "sparql", params={"query": "ASK {}"}).json()["boolean"] is True


def test_truncation_is_signalled_in_header_and_body(strict: Served) -> None:
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 50"
    response = httpx.get(strict.url + "sparql", params={"query": query})
    answer = response.json()
    assert len(answer["results"]["bindings"]) == ROW_LIMIT
    assert response.headers["munikg-truncated"].startswith("true")
    assert response.headers["munikg-row-limit"] == str(ROW_LIMIT)
    assert answer["munikg"] == {"truncated": True, "rowLimit": ROW_LIMIT}
    assert answer["head"]["link"][0].endswith("/editor#limits")
    xml = httpx.get(strict.url + "sparql", params={"query": query, "format": "xml"})
    assert xml.text.count("<result>") == ROW_LIMIT and "<link href=" in xml.text
    turtle = httpx.get(strict.url + "sparql", params={"query": "CONSTRUCT WHERE { ?s ?p ?o }"})
    assert turtle.text.startswith("# truncated") and turtle.headers["munikg-truncated"].startswith(
        "true"
    )
    small = httpx.get(
        strict.url + "sparql", params={"query": "SELECT ?s WHERE { ?s ?p ?o } LIMIT 2"}
    )
    assert "munikg-truncated" not in small.headers and "munikg" not in small.json()
    page = httpx.get(strict.url + "editor", params={"query": query})
    assert 'id="truncated"' in page.text


def test_rate_limit_answers_429_with_retry_after(release: Release, tmp_path: Path) -> None:
    with munikg_server(release.path, tmp_path, "--rate-limit", "5") as served:
        statuses = []
        for n in range(8):
            response = httpx.get(served.url + "sparql", params={"query": f"ASK {{ }} # {n}"})
            statuses.append(response.status_code)
        assert statuses[:5] == [200] * 5
        assert 429 in statuses[5:]
        limited = next(
            r
            for r in [httpx.get(served.url + "sparql", params={"query": "ASK { } # again"})]
            if r.status_code == 429
        )
        assert int(limited.headers["retry-after"]) >= 1
        # Pages that run no query are not limited.
        assert httpx.get(served.url).status_code == 200


XSS = "<script>alert('munikg')</script>"


def test_query_text_and_parameters_are_rendered_inert(site: Served) -> None:
    editor = httpx.get(site.url + "editor", params={"query": f'SELECT * WHERE {{ ?s ?p "{XSS}" }}'})
    assert XSS not in editor.text and "&lt;script&gt;" in editor.text
    bad = httpx.get(site.url + "editor", params={"query": XSS})
    assert bad.status_code == 400 and XSS not in bad.text
    form = httpx.get(site.url + "queries/search-by-label", params={"text": XSS})
    assert XSS not in form.text and "&lt;script&gt;" in form.text
    wrong = httpx.get(site.url + "queries/partnerships-by-area", params={"area": XSS})
    assert wrong.status_code == 400 and XSS not in wrong.text
    missing = httpx.get(site.url + f"id/{XSS}")
    assert missing.status_code == 404 and XSS not in missing.text
    switch = httpx.get(site.url + "queries", params={"x": '"><script>1</script>'})
    assert "<script>1</script>" not in switch.text


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """A release whose data holds markup in literals, as a careless source might."""
    root = tmp_path_factory.mktemp("hostile")
    for name in ("ontology", "data"):
        shutil.copytree(ROOT / name, root / name)
    with (root / "data" / "reference.ttl").open("a", encoding="utf-8") as data:
        data.write(f'\nmunicipality:se-1080 skos:altLabel "{XSS}"@sv .\n')
    done = munikg("build", cwd=root)
    assert done.returncode == 0, done.stderr
    with munikg_server(root / "dist", root, "--rate-limit", "0") as served:
        yield served


def test_literal_values_from_the_data_are_rendered_inert(hostile: Served) -> None:
    page = httpx.get(hostile.url + "doc/id/municipality/se-1080", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert XSS not in page.text and "&lt;script&gt;alert(" in page.text
    found = httpx.get(hostile.url + "queries/search-by-label", params={"text": "Karlskrona"})
    assert XSS not in found.text
    editor = httpx.get(
        hostile.url + "editor",
        params={
            "query": "SELECT ?l WHERE { ?m <http://www.w3.org/2004/02/skos/core#altLabel> ?l }"
        },
    )
    assert XSS not in editor.text and "&lt;script&gt;" in editor.text


@pytest.mark.parametrize(
    "path",
    [
        "download/../release.json",
        "download/%2e%2e/%2e%2e/pyproject.toml",
        "download/..%2f..%2fpyproject.toml",
        "download/%2Fetc%2Fpasswd",
        "download//etc/passwd",
        "download/store/CURRENT",
        "download/store",
        "download/.%2e/README.md",
    ],
)
def test_path_traversal_on_downloads_is_refused(site: Served, path: str) -> None:
    response = httpx.get(site.url + path)
    assert response.status_code == 404
    assert "root:" not in response.text and "[project]" not in response.text


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }",
        "SELECT * WHERE { ?s " + "!" * 20000 + "<http://e/p> ?o }",
    ],
    ids=["braces", "parentheses", "negations", "path-negations"],
)
def test_deep_nesting_is_refused_before_the_engine(site: Served, query: str) -> None:
    """Issue 14: these overflowed a worker's stack (500). Now a 400 naming the bound, and no
    worker is lost."""
    before = site.workers()
    response = httpx.post(
        site.url + "sparql", content=query, headers={"Content-Type": "application/sparql-query"}
    )
    assert response.status_code == 400, response.text
    assert "at most 64" in response.text
    assert site.workers() == before


def test_the_query_form_is_the_parsers(site: Served) -> None:
    """Issue 14: an escape in a PREFIX made the old lexer take a SELECT for a graph query."""
    json_accept = {"Accept": "application/sparql-results+json"}
    select = httpx.get(
        site.url + "sparql",
        params={"query": "PREFIX ex: <http://e/\\u0061> SELECT ?x WHERE { BIND(ex:b AS ?x) }"},
    )
    assert select.status_code == 200, select.text
    assert select.headers["content-type"].startswith("application/sparql-results+json")
    assert select.json()["results"]["bindings"] == [
        {"x": {"type": "uri", "value": "http://e/ab"}}  # \u0061 is "a"
    ]
    chosen = httpx.get(
        site.url + "sparql",
        params={"query": "PREFIX ex: <http://e/\\u0061> SELECT ?x WHERE { BIND(ex:b AS ?x) }"},
        headers=json_accept,
    )
    assert chosen.status_code == 200
    ask = httpx.get(site.url + "sparql", params={"query": "PREFIX ex: <http://e/\\u0061> ASK {}"})
    assert ask.headers["content-type"].startswith("application/sparql-results+json")
    assert ask.json() == {"head": {}, "boolean": True}
    graph = httpx.get(
        site.url + "sparql",
        params={"query": "PREFIX ex: <http://e/\\u0061> CONSTRUCT { ex:b ex:c ex:d } WHERE {}"},
    )
    assert graph.headers["content-type"].startswith("text/turtle")
    (triple,) = ox.parse(graph.content, format=ox.RdfFormat.TURTLE)
    assert triple.subject == ox.NamedNode("http://e/ab")
    for text in ("", "   ", "garbage", "SELEC * WHERE {}"):
        for method in ("GET", "POST"):
            if method == "GET":
                bad = httpx.get(site.url + "sparql", params={"query": text}, headers=json_accept)
            else:
                bad = httpx.post(site.url + "sparql", data={"query": text}, headers=json_accept)
            assert bad.status_code == 400, (text, method, bad.status_code)


def test_results_in_csv_and_tsv_follow_the_spec(site: Served) -> None:
    """SPARQL 1.1 Query Results CSV and TSV Formats: CRLF line ends and quoted CR in CSV,
    ``_:`` blank nodes; an ASK answered in either."""
    query = 'SELECT ?b ?v WHERE { BIND(BNODE() AS ?b) BIND("one\\rtwo, \\"three\\"" AS ?v) }'
    csv = httpx.get(site.url + "sparql", params={"query": query, "format": "csv"})
    assert csv.headers["content-type"].startswith("text/csv")
    head, row, end = csv.content.split(b"\r\n")
    assert head == b"b,v" and end == b""
    blank, value = row.split(b",", 1)
    assert blank.startswith(b"_:")
    assert value == b'"one\rtwo, ""three"""'
    tsv = httpx.get(site.url + "sparql", params={"query": query, "format": "tsv"})
    lines = tsv.content.split(b"\n")
    assert lines[0] == b"?b\t?v" and lines[-1] == b""
    assert lines[1].startswith(b"_:") and lines[1].endswith(b'"one\\rtwo, \\"three\\""')
    for media, answer in (("text/csv", b"true\r\n"), ("text/tab-separated-values", b"true\n")):
        ask = httpx.get(site.url + "sparql", params={"query": "ASK {}"}, headers={"Accept": media})
        assert ask.status_code == 200 and ask.content == answer


def test_head_and_the_service_description_name_the_url_asked(site: Served) -> None:
    head = httpx.head(site.url + "sparql")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["content-type"] == httpx.get(site.url + "sparql").headers["content-type"]
    turtle = {"Accept": "text/turtle"}
    slash = httpx.get(site.url + "sparql/", headers=turtle)
    assert slash.status_code == 200
    assert f"<{site.url}sparql/>" in slash.text
    other = httpx.get(site.url + "sparql", headers={**turtle, "Host": "data.example.org"})
    assert "<http://data.example.org/sparql>" in other.text
    assert "Host" in other.headers["vary"]


def test_a_huge_header_is_answered_431(site: Served) -> None:
    response = httpx.get(site.url + "sparql", headers={"X-Padding": "x" * 1_000_000})
    assert response.status_code == 431
    assert httpx.get(site.url + "sparql").status_code == 200


@pytest.mark.parametrize("path", ["", "sparql", "editor", "queries", "no/such/page"])
def test_every_response_carries_the_security_headers(site: Served, path: str) -> None:
    response = httpx.get(site.url + path)
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
