"""Shared fixtures: releases built once from the repository's own sources, a SPARQL helper,
a scratch copy of the project for tests that break things, and the real CLI.

Two releases. ``release`` holds the seed sources only — the two seed documents and the
reference identifiers (``data/*.ttl``) — and every exact expected answer of the seed tests is
read from those documents. ``full_release`` adds the ICLD record (the tables ``data/record-*``),
whose tests derive their expectations from the reference table itself
(``data/sources/reference-partnerships.md``, see ``tests/record_table.py``)."""

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from munikg.build.inputs import Layout
from munikg.build.pipeline import build
from munikg.release import Release
from tests.servers import Served, munikg_server

ROOT = Path(__file__).resolve().parent.parent

# 001: the six Swedish–Ukrainian partnerships of ICLD's network for democratic resilience.
NETWORK_PARTNERSHIPS = (
    "falun-kolomyia",
    "karlskrona-chortkiv",
    "lidingo-slavuta",
    "ronneby-ternopil",
    "umea-kherson",
    "vaxjo-kalush",
)

PREFIXES = """
PREFIX area: <https://w3id.org/munikg/id/concept/area/>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX mk: <https://w3id.org/munikg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX schema: <http://schema.org/>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
PREFIX id: <https://w3id.org/munikg/id/>
"""


def copy_seed_data(dest: Path) -> Path:
    """``dest`` with the seed sources of ``data/`` (its Turtle files) and, of the record, only
    its page register: a seed page that is also a record page (the network article) is one
    source, described there."""
    dest.mkdir(parents=True, exist_ok=True)
    for path in [*sorted((ROOT / "data").glob("*.ttl")), *SEED_TABLES]:
        shutil.copy2(path, dest / path.name)
    return dest


SEED_TABLES = [ROOT / "data" / "record-pages.csv", ROOT / "data" / "record-pages.rq"]


@pytest.fixture(scope="session")
def release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Release]:
    """The release of the seed sources (see the module's docstring)."""
    work = tmp_path_factory.mktemp("release")
    build(Layout(ROOT / "ontology", copy_seed_data(work / "data")), work / "dist")
    yield Release.open(work / "dist")


@pytest.fixture(scope="session")
def full_release(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Release]:
    """The release of everything in ``data/``: the seeds and the ICLD record."""
    dist = tmp_path_factory.mktemp("full-release") / "dist"
    build(Layout(ROOT / "ontology", ROOT / "data"), dist)
    yield Release.open(dist)


def rows(store: ox.Store, query: str) -> list[tuple[str | None, ...]]:
    """The solutions of a SELECT over the default graph (the merge), each term as its value."""
    result = store.query(PREFIXES + query)
    assert isinstance(result, ox.QuerySolutions)
    names = [v.value for v in result.variables]
    return [tuple(None if s[n] is None else s[n].value for n in names) for s in result]


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the edited sources with a release built by the real command. Read-only:
    tests that change it work on their own copy."""
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(ROOT / "ontology", root / "ontology")
    copy_seed_data(root / "data")
    done = munikg("build", cwd=root)
    assert done.returncode == 0, done.stderr
    return root


def munikg(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run the real ``munikg`` command in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "munikg", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def tree_digest(path: Path) -> dict[str, bytes]:
    """Every file below ``path`` with its bytes, to show nothing changed."""
    return {
        str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()
    }


@pytest.fixture(scope="session")
def site(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``munikg serve`` over the release, with the default limits but no rate limit (the tests
    send many queries from one address; the limit has its own tests)."""
    with munikg_server(release.path, tmp_path_factory.mktemp("serve"), "--rate-limit", "0") as s:
        yield s


@pytest.fixture(scope="session")
def full_site(full_release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """``munikg serve`` over the full release (the record's 81 partnerships), no rate limit."""
    with munikg_server(
        full_release.path, tmp_path_factory.mktemp("serve-full"), "--rate-limit", "0"
    ) as s:
        yield s
