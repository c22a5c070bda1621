"""``munikg link wikidata`` against a local Oxigraph server holding a small Wikidata-shaped
fixture (tests/wikidata/fixture.ttl), never the network; and behind a throttling proxy that
answers 429 first, to show the retries honour ``Retry-After`` and the User-Agent is sent."""

import shutil
import threading
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pyoxigraph as ox
import pytest

from munikg.release import Release
from munikg.remote.wikidata import Client, propose
from tests.conftest import ROOT, munikg
from tests.servers import oxigraph_server

pytestmark = pytest.mark.server

WD = "http://www.wikidata.org/entity/"
ID = "https://w3id.org/munikg/id/"
MK = "https://w3id.org/munikg/ontology#"


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    store = ox.Store()
    store.load(path=str(ROOT / "tests" / "wikidata" / "fixture.ttl"), format=ox.RdfFormat.TURTLE)
    with oxigraph_server(store, tmp_path_factory.mktemp("wikidata")) as url:
        yield url


def links_in(path: Path) -> dict[str, set[tuple[str, str]]]:
    """entity -> {(QID, confidence grade)} from a review file."""
    store = ox.Store()
    store.load(path=str(path), format=ox.RdfFormat.TURTLE)
    found: dict[str, set[tuple[str, str]]] = {}
    query = f"""SELECT ?e ?q ?grade WHERE {{
        ?ev <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?e ;
            <http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?q ; <{MK}confidence> ?grade .
        ?e <{MK}wikidata> ?q }}"""
    for row in store.query(query):  # type: ignore[union-attr]
        found.setdefault(row["e"].value, set()).add(
            (row["q"].value.removeprefix(WD), row["grade"].value.rsplit("/", 1)[-1])
        )
    return found


def test_link_proposes_by_identifier_then_label(
    wikidata: str, release: Release, tmp_path: Path
) -> None:
    out = tmp_path / "review" / "wikidata-links.ttl"
    done = munikg(
        "link",
        "wikidata",
        "--endpoint",
        wikidata,
        "--out",
        str(out),
        "--dist",
        str(release.path),
        cwd=ROOT,
    )
    assert done.returncode == 0, done.stderr
    links = links_in(out)
    # by municipality code (P525) on a municipality of Sweden
    assert links[ID + "municipality/se-2080"] == {("Q900000001", "a")}
    assert links[ID + "municipality/se-1080"] == {("Q900000002", "a")}
    assert links[ID + "municipality/se-1081"] == {("Q900000005", "a")}
    # by organisation number (P6460), with and without the hyphen
    assert links[ID + "organisation/skr"] == {("Q900000010", "a")}
    assert links[ID + "organisation/sida"] == {("Q900000011", "a")}
    # 0186 is on a city, not a municipality: Lidingö only by label, low confidence
    assert links[ID + "municipality/se-0186"] == {("Q900000004", "c")}
    # two items share Kolomyia's label: both candidates, low confidence, and a conflict
    assert links[ID + "municipality/ua-26080070000092582"] == {
        ("Q900000020", "c"),
        ("Q900000021", "c"),
    }
    assert "ua-26080070000092582" in done.stderr and "more than one item matches" in done.stderr
    # Växjö's code finds the item recorded as its town: proposed, and reported as a conflict
    assert links[ID + "municipality/se-0780"] == {("Q26152", "a")}
    assert "se-0780" in done.stderr and "the town it serves" in done.stderr
    # nothing for Umeå (not in the fixture) or for what already has a QID
    assert ID + "municipality/se-2480" not in links
    assert ID + "organisation/council-of-europe" not in links
    assert "CONFLICT" in out.read_text()


def test_never_into_the_curated_data(wikidata: str, release: Release, built_project: Path) -> None:
    before = sorted(p.name for p in (built_project / "data").iterdir())
    done = munikg(
        "link", "wikidata", "--endpoint", wikidata, "--out", "data/wikidata.ttl", cwd=built_project
    )
    assert done.returncode == 2 and "never into data" in done.stderr
    assert sorted(p.name for p in (built_project / "data").iterdir()) == before


def test_a_recorded_qid_that_differs_is_a_conflict(wikidata: str, tmp_path: Path) -> None:
    for name in ("ontology", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    with (tmp_path / "data" / "reference.ttl").open("a", encoding="utf-8") as data:
        data.write("\nmunicipality:se-1080 mk:wikidata wd:Q900000098 .\n")
    assert munikg("build", cwd=tmp_path).returncode == 0
    done = munikg(
        "link", "wikidata", "--endpoint", wikidata, "--out", "review/links.ttl", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "se-1080" in done.stderr and "finds another item" in done.stderr
    assert ID + "municipality/se-1080" not in links_in(tmp_path / "review" / "links.ttl")


class Throttle(BaseHTTPRequestHandler):
    """Answers 429 (Retry-After: 1) to the first requests, then relays to the fixture."""

    upstream = ""
    refusals = 2
    agents: ClassVar[list[str]] = []

    def do_POST(self) -> None:
        Throttle.agents.append(self.headers.get("User-Agent", ""))
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if Throttle.refusals > 0:
            Throttle.refusals -= 1
            self.send_response(429)
            self.send_header("Retry-After", "1")
            self.end_headers()
            return
        request = urllib.request.Request(
            Throttle.upstream,
            data=body,
            headers={
                k: v for k, v in self.headers.items() if k.lower() in {"content-type", "accept"}
            },
        )
        with urllib.request.urlopen(request, timeout=30) as answer:
            payload = answer.read()
            self.send_response(answer.status)
            self.send_header("Content-Type", answer.headers["Content-Type"])
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

    def log_message(self, *args: object) -> None:
        pass


def test_429_is_retried_after_the_time_asked(wikidata: str, release: Release) -> None:
    Throttle.upstream, Throttle.refusals, Throttle.agents = wikidata, 2, []
    proxy = ThreadingHTTPServer(("127.0.0.1", 0), Throttle)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        slept: list[float] = []
        client = Client(f"http://127.0.0.1:{proxy.server_address[1]}/sparql", 10, 3, slept.append)
        links = propose(release, client)
    finally:
        proxy.shutdown()
    assert slept == [1.0, 1.0]  # the Retry-After the proxy asked for, twice
    assert {(p.entity, p.qid.removeprefix(WD)) for p in links.proposals} >= {
        (ID + "municipality/se-2080", "Q900000001")
    }
    assert Throttle.agents and all(a.startswith("munikg/") for a in Throttle.agents)


def test_an_endpoint_that_keeps_refusing_is_exit_3(release: Release, tmp_path: Path) -> None:
    done = munikg(
        "link",
        "wikidata",
        "--endpoint",
        "http://127.0.0.1:9/sparql",
        "--retries",
        "0",
        "--out",
        str(tmp_path / "x.ttl"),
        "--dist",
        str(release.path),
        cwd=ROOT,
    )
    assert done.returncode == 3
    assert not (tmp_path / "x.ttl").exists()
