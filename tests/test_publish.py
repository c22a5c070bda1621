"""``munikg publish`` into two real stores, each started by a fixture on 127.0.0.1 with a new
database: the Oxigraph server (PyPI ``oxigraph``) and OpenLink Virtuoso (Debian).

For each: publish, then every canned query through the endpoint (SPARQLWrapper) answers as the
release does; publishing again changes nothing; a changed release replaces what changed; a
publish killed midway leaves the published graphs whole, and the next one completes.

The servers are started once per module (Virtuoso takes seconds), but each test first empties
the store of munikg's graphs and publishes the state it starts from, so any test runs alone or
in any order.
"""

import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from munikg.api import KnowledgeGraph, open_endpoint, open_release
from munikg.build.inputs import Layout
from munikg.build.pipeline import build
from munikg.namespaces import GRAPH
from munikg.release import Release
from munikg.remote.publish import MERGE, META, STAGING, Store, Target
from tests.conftest import ROOT, munikg
from tests.servers import VIRTUOSO_USER, closed_port, oxigraph_store, virtuoso_server

pytestmark = pytest.mark.server


@dataclass
class Published:
    """A store under test: how to reach it and how to ask it like the release."""

    name: str
    url: str
    options: tuple[str, ...]  # munikg publish options for this store
    target: Target
    union: bool  # its default graph is the union of all graphs

    def graph(self, release: Release) -> KnowledgeGraph:
        if not self.union:
            return open_endpoint(self.url, ROOT / "queries")
        named = tuple(sorted(g.value for g in release.store.named_graphs()))
        return open_endpoint(self.url, ROOT / "queries", 30.0, (MERGE,), named)


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def store(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Published]:
    workdir = tmp_path_factory.mktemp(request.param)
    if request.param == "oxigraph":
        with oxigraph_store(workdir) as url:
            yield Published("oxigraph", url, (), Target.from_url(url), False)
    else:
        user, password = VIRTUOSO_USER
        with virtuoso_server(workdir) as url:
            options = ("--user", user, "--password", password, "--digest")
            yield Published(
                "virtuoso",
                url,
                options,
                Target.from_url(url, None, None, user, password, True),
                True,
            )


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Release]:
    """The repository's release (a), and two changed ones: (b) one label more, (c) another."""
    made = {}
    for name, extra in (
        ("a", ""),
        ("b", 'municipality:se-1080 skos:altLabel "Karlskrona kommun i Blekinge"@sv .\n'),
        ("c", 'municipality:se-2080 skos:altLabel "Falun i Dalarna"@sv .\n'),
    ):
        root = tmp_path_factory.mktemp(f"release-{name}")
        shutil.copytree(ROOT / "ontology", root / "ontology")
        shutil.copytree(ROOT / "data", root / "data")
        if extra:
            with (root / "data" / "reference.ttl").open("a", encoding="utf-8") as data:
                data.write("\n" + extra)
        build(Layout(root / "ontology", root / "data"), root / "dist")
        made[name] = Release.open(root / "dist")
    return made


def starting_from(store: Published, release: Release | None) -> None:
    """Empty ``store`` of every munikg graph (staging and metadata too), then publish
    ``release`` into it, if one is given."""
    client = Store(store.target)
    for row in client.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"):
        if row["g"].startswith("https://w3id.org/munikg/"):
            client.update(f"DROP SILENT GRAPH <{row['g']}>")
    assert not counts(store)
    if release is not None:
        done = publish(store, release)
        assert done.returncode == 0, done.stderr


def publish(store: Published, release: Release, *extra: str) -> subprocess.CompletedProcess[str]:
    return munikg(
        "publish", "--to", store.url, *store.options, "--dist", str(release.path), *extra, cwd=ROOT
    )


def same_answers(store: Published, release: Release) -> None:
    """Every canned query (default parameters) answers on the store as on the release."""
    local = open_release(release.path, ROOT / "queries")
    remote = store.graph(release)
    for name, query in local.queries.items():
        if any(p.required for p in query.params):
            continue
        assert sorted(map(repr, remote.query(name).rows)) == sorted(
            map(repr, local.query(name).rows)
        ), name


def counts(store: Published) -> dict[str, int]:
    rows = Store(store.target).select(
        "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    )
    return {r["g"]: int(r["n"]) for r in rows if r["g"].startswith("https://w3id.org/munikg/")}


def expected_counts(store: Published, release: Release) -> dict[str, int]:
    expected = dict(release.metadata["graphs"])
    if store.union:
        merge = release.store.quads_for_pattern(None, None, None, ox.DefaultGraph())
        expected[MERGE] = sum(1 for _ in merge)
    return expected


def test_publish_and_query_like_the_release(store: Published, releases: dict[str, Release]) -> None:
    starting_from(store, None)
    done = publish(store, releases["a"])
    assert done.returncode == 0, done.stderr
    assert "Published release" in done.stderr and "triples/s" in done.stderr
    found = counts(store)
    for graph, n in expected_counts(store, releases["a"]).items():
        assert found[graph] == n, graph
    assert not any(g.startswith(STAGING) for g in found)
    same_answers(store, releases["a"])
    # and through the command, as a researcher would
    flags = ["--default-graph", MERGE] if store.union else []
    for graph in sorted(releases["a"].metadata["graphs"]) if store.union else []:
        flags += ["--named-graph", graph]
    partners = munikg(
        "query",
        "run",
        "partners-of-municipality",
        "-p",
        "municipality=se-1080",
        "--endpoint",
        store.url,
        *flags,
        "--format",
        "csv",
        cwd=ROOT,
    )
    assert partners.returncode == 0, partners.stderr
    # document 001: Karlskrona's partners are Chortkiv, Saldanha Bay and Tshwane
    assert {
        "Chortkiv",
        "Saldanha Bay Local Municipality",
        "Tshwane Municipality District South",
    } <= set(partners.stdout.replace(",", "\n").splitlines())


def test_publishing_again_changes_nothing(store: Published, releases: dict[str, Release]) -> None:
    starting_from(store, releases["a"])
    before = Store(store.target).select(
        f"SELECT ?s ?o WHERE {{ GRAPH <{META}> {{ ?s <http://purl.org/dc/terms/modified> ?o }} }}"
    )
    dry = publish(store, releases["a"], "--dry-run")
    # each source's graph, the ontology's, the release's, and the merge
    graphs = len(releases["a"].metadata["graphs"]) + 1
    assert dry.returncode == 0 and f"0 of {graphs} graphs would be replaced" in dry.stderr
    again = publish(store, releases["a"])
    assert again.returncode == 0, again.stderr
    assert "already published" in again.stderr
    after = Store(store.target).select(
        f"SELECT ?s ?o WHERE {{ GRAPH <{META}> {{ ?s <http://purl.org/dc/terms/modified> ?o }} }}"
    )
    assert before == after and before


def test_a_changed_release_replaces_what_changed(
    store: Published, releases: dict[str, Release]
) -> None:
    starting_from(store, releases["a"])
    done = publish(store, releases["b"])
    assert done.returncode == 0, done.stderr
    sizes = releases["b"].metadata["graphs"]  # b adds one label to reference.ttl, nothing else
    assert f"reference: {sizes[GRAPH + 'reference']} triples, changed" in done.stderr
    assert (
        f"icld-partnerships: {sizes[GRAPH + 'icld-partnerships']} triples, unchanged" in done.stderr
    )
    assert sizes[GRAPH + "reference"] == releases["a"].metadata["graphs"][GRAPH + "reference"] + 1
    found = counts(store)
    for graph, n in expected_counts(store, releases["b"]).items():
        assert found[graph] == n, graph
    same_answers(store, releases["b"])
    alt = 'SELECT ?m WHERE { ?m <http://www.w3.org/2004/02/skos/core#altLabel> "Karlskrona kommun i Blekinge"@sv }'
    hits = store.graph(releases["b"]).sparql(alt).values()
    assert [h["m"] for h in hits] == ["https://w3id.org/munikg/id/municipality/se-1080"]


def test_a_publish_killed_midway_leaves_the_graphs_whole(
    store: Published, releases: dict[str, Release]
) -> None:
    starting_from(store, releases["b"])
    command = [
        sys.executable,
        "-m",
        "munikg",
        "publish",
        "--to",
        store.url,
        *store.options,
        "--dist",
        str(releases["c"].path),
        "--batch",
        "5",
    ]
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.PIPE, text=True)
    assert process.stderr is not None
    deadline = time.monotonic() + 60
    line = ""
    while time.monotonic() < deadline and "staging" not in line:
        line = process.stderr.readline()
        assert line or process.poll() is None, "publish ended before it staged anything"
    time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert process.returncode == -signal.SIGKILL
    found = counts(store)
    assert any(g.startswith(STAGING) for g in found), "killed before staging began"
    for graph, n in expected_counts(store, releases["b"]).items():
        assert found[graph] == n, graph  # still release b, whole
    same_answers(store, releases["b"])
    done = publish(store, releases["c"])
    assert done.returncode == 0, done.stderr
    found = counts(store)
    assert not any(g.startswith(STAGING) for g in found)
    for graph, n in expected_counts(store, releases["c"]).items():
        assert found[graph] == n, graph
    same_answers(store, releases["c"])


def test_loading_by_sparql_update(store: Published, releases: dict[str, Release]) -> None:
    """Without the graph store protocol: chunked INSERT DATA. Virtuoso 7.2 refuses
    xsd:duration literals in SPARQL (the graph store protocol takes them): the error names the
    triple, and what was published stays."""
    starting_from(store, releases["c"] if store.union else None)
    done = publish(store, releases["a"], "--no-gsp", "--batch", "400")
    if store.union:
        assert done.returncode == 3
        assert '"P1Y"^^<http://www.w3.org/2001/XMLSchema#duration>' in done.stderr
        found = counts(store)
        for graph, n in expected_counts(store, releases["c"]).items():
            assert found[graph] == n, graph
        assert not any(g.startswith(STAGING) for g in found)
        return
    assert done.returncode == 0, done.stderr
    assert "SPARQL Update" in done.stderr
    same_answers(store, releases["a"])


def test_bad_targets_are_clear_errors(
    store: Published, releases: dict[str, Release], tmp_path: Path
) -> None:
    starting_from(store, releases["a"])
    with closed_port() as port:
        nowhere = f"http://127.0.0.1:{port}/query"
        refused = munikg("publish", "--to", nowhere, "--dist", str(releases["a"].path), cwd=ROOT)
    assert refused.returncode == 3 and "cannot reach" in refused.stderr
    unknown = publish(store, releases["a"], "--graph", "nowhere")
    assert unknown.returncode == 2 and "no graph 'nowhere'" in unknown.stderr
    missing = munikg("publish", "--to", store.url, "--dist", str(tmp_path / "none"), cwd=ROOT)
    assert missing.returncode == 2
    both = publish(store, releases["a"], "--graph", "reference", "--all-graphs")
    assert both.returncode == 2
    if store.union:
        wrong = munikg(
            "publish",
            "--to",
            store.url,
            "--user",
            "dba",
            "--password",
            "wrong",
            "--digest",
            "--dist",
            str(releases["a"].path),
            cwd=ROOT,
        )
        assert wrong.returncode == 3 and "Unauthorized" in wrong.stderr
    found = counts(store)  # and the store still holds release a, whole
    for graph, n in expected_counts(store, releases["a"]).items():
        assert found[graph] == n, graph
