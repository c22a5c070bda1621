"""Canned queries on a real SPARQL server (Oxigraph, started on 127.0.0.1) through
SPARQLWrapper give the same rows as on the local release; failures are clear errors."""

from collections.abc import Iterator
from pathlib import Path

import pytest

from munikg.api import KnowledgeGraph, open_endpoint
from munikg.query import canned
from munikg.query.backends import EndpointError, LocalGraph, RemoteGraph
from munikg.query.params import ParameterError
from munikg.query.results import Cell
from munikg.release import Release

from . import record_table
from .conftest import ROOT, munikg
from .servers import closed_port, oxigraph_server

pytestmark = pytest.mark.server
QUERIES = canned.load(ROOT / "queries")


@pytest.fixture(scope="module")
def release(full_release: Release) -> Release:
    """Every canned query answered on the product's release, the seeds with the ICLD record:
    the record's questions have no answer on the seeds alone."""
    return full_release


@pytest.fixture(scope="module")
def endpoint(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(release.store, tmp_path_factory.mktemp("oxigraph")) as url:
        yield url


def rows(kg: KnowledgeGraph, name: str, **params: object) -> list[tuple[Cell | None, ...]]:
    result = kg.query(name, **params)
    return [tuple(row.get(v) for v in result.variables) for row in result.rows]


def example_params(name: str) -> dict[str, str]:
    # evidence-for-entity has no default: ask about the 250 MSEK figure.
    if name == "evidence-for-entity":
        return {
            "entity": "https://w3id.org/munikg/id/amount/sida-salar-international-ukraine-2014-2024"
        }
    return {}


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_remote_rows_equal_local_rows(name: str, endpoint: str, release: Release) -> None:
    local = KnowledgeGraph(LocalGraph(release.store), QUERIES)
    remote = KnowledgeGraph(RemoteGraph(endpoint, timeout=20), QUERIES)
    params = example_params(name)
    expected = rows(local, name, **params)
    assert expected, f"{name} answers nothing locally: a vacuous comparison"
    assert rows(remote, name, **params) == expected


def test_remote_with_non_default_parameters(endpoint: str, release: Release) -> None:
    local = KnowledgeGraph(LocalGraph(release.store), QUERIES)
    remote = open_endpoint(endpoint, ROOT / "queries", timeout=20)
    for name, params in [
        ("partnerships-by-area", {"area": "education", "lang": "sv"}),
        ("partners-of-municipality", {"municipality": "se-2080"}),
        ("search-by-label", {"text": '" } ; DROP ALL #'}),
    ]:
        assert rows(remote, name, **params) == rows(local, name, **params)


def test_remote_checks_closed_sets_on_the_endpoint(endpoint: str) -> None:
    remote = open_endpoint(endpoint, ROOT / "queries", timeout=20)
    with pytest.raises(ParameterError, match=r"parameter area: <.*> is not an IRI — a concept of"):
        remote.query("partnerships-by-area", area="https://w3id.org/munikg/id/organisation/skr")


def test_cli_on_the_endpoint(endpoint: str, tmp_path: Path) -> None:
    done = munikg(
        "query",
        "run",
        "partnerships-by-sdg",
        "-p",
        "goal=13",
        "--endpoint",
        endpoint,
        "--queries",
        str(ROOT / "queries"),
        "--format",
        "csv",
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "partnership,label,sdg"
    # goal 13: Karlskrona–Saldanha Bay by its ICLD page (001), and the record's rows that
    # state it (reference table, SDGs column)
    stated = {
        r["id"] for r in record_table.read().partnerships if 13 in record_table.sdgs(r["SDGs"])
    }
    assert stated
    found = {line.split(",")[0].rsplit("/", 1)[1] for line in lines[1:]}
    assert found == stated | {"karlskrona-saldanha-bay"}
    assert all(line.endswith(",http://metadata.un.org/sdg/13") for line in lines[1:])


def test_unreachable_endpoint_is_a_clear_error(tmp_path: Path) -> None:
    with closed_port() as port:
        url = f"http://127.0.0.1:{port}/query"
        with pytest.raises(EndpointError, match="cannot reach"):
            RemoteGraph(url, timeout=5).select("SELECT * WHERE { ?s ?p ?o } LIMIT 1")
        done = munikg(
            "sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--endpoint", url, cwd=tmp_path
        )
    assert done.returncode == 3
    assert f"cannot reach {url}" in done.stderr


def test_endpoint_syntax_error_is_a_clear_error(endpoint: str) -> None:
    with pytest.raises(EndpointError, match="refused the query"):
        RemoteGraph(endpoint, timeout=5).select("SELECT * WHERE { ?s ?p }")
