"""The wheel, installed outside any checkout and run from an empty directory, carries its
canned queries: it lists them, and answers every one against a release at any path exactly as
the checkout does (issue 17: a notebook's first cell failed with "queries: no such directory").

The venv sees the test environment's packages (``--system-site-packages``) so nothing is
downloaded; the wheel's own ``munikg`` comes first on its path, which the test checks."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from munikg.api import open_release
from munikg.query.canned import load
from munikg.release import Release
from tests.conftest import ROOT

QUERIES = load(ROOT / "queries")
ANSWERS = textwrap.dedent(
    """
    import json, sys
    import munikg
    from munikg.api import open_release
    from munikg.query.canned import load, shipped
    kg = open_release(sys.argv[1])
    print(json.dumps({
        "package": munikg.__file__,
        "shipped": [str(shipped()), len(load())],
        "read_from": sorted({str(q.path.parent) for q in kg.queries.values()}),
        "answers": {name: sorted(map(repr, kg.query(name, **params).rows))
                    for name, params in json.loads(sys.argv[2]).items()},
    }))
    """
)


def given(name: str) -> dict[str, str]:
    """No parameters, except a value for one that is required and has no default."""
    # Karlskrona's IRI (SCB code 1080): an entity every evidence query can be asked about
    karlskrona = "https://w3id.org/munikg/id/municipality/se-1080"
    return {p.name: karlskrona for p in QUERIES[name].params if p.required and not p.default}


@pytest.fixture(scope="module")
def venv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
         "-w", str(work / "dist"), str(ROOT)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    (wheel,) = (work / "dist").glob("munikg-*.whl")
    subprocess.run(
        [sys.executable, "-m", "venv", "--system-site-packages", str(work / "venv")],
        check=True, timeout=120,
    )  # fmt: skip
    subprocess.run(
        [str(work / "venv/bin/pip"), "install", "-q", "--no-deps", "--no-index", str(wheel)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    return work / "venv"


def test_every_query_answers_as_in_the_checkout(
    venv: Path, release: Release, tmp_path: Path
) -> None:
    empty = tmp_path / "elsewhere"
    empty.mkdir()
    asked = {name: given(name) for name in QUERIES}
    done = subprocess.run(
        [str(venv / "bin/python"), "-c", ANSWERS, str(release.path), json.dumps(asked)],
        cwd=empty, capture_output=True, text=True, timeout=300,
        env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert found["package"].startswith(str(venv)), found["package"]  # the wheel, not the checkout
    assert found["shipped"][0].startswith(str(venv)) and found["shipped"][1] == len(QUERIES)
    assert found["read_from"] == [str(release.path / "queries")]  # the release's own copy
    checkout = open_release(release.path, ROOT / "queries")
    for name, params in asked.items():
        assert found["answers"][name] == sorted(map(repr, checkout.query(name, **params).rows))
    assert len(found["answers"]) == len(list((ROOT / "queries").glob("*.rq")))


def test_the_command_lists_and_runs_from_anywhere(
    venv: Path, release: Release, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    listed = subprocess.run(
        [str(venv / "bin/munikg"), "query", "list"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120, env=env,
    )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    assert all(name in listed.stdout for name in QUERIES)
    # the release named by the environment, not ./dist
    ran = subprocess.run(
        [str(venv / "bin/munikg"), "query", "run", "partners-of-municipality", "--format", "csv"],
        cwd=tmp_path, capture_output=True, text=True, timeout=120,
        env={**env, "MUNIKG_DIST": str(release.path)},
    )  # fmt: skip
    assert ran.returncode == 0, ran.stderr
    assert "Chortkiv" in ran.stdout  # document 001: Karlskrona–Chortkiv
