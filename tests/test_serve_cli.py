"""``munikg serve`` as a person starts it: it builds when there is no release, prints where it
serves, stops cleanly on Ctrl-C (its workers with it), and refuses bad options."""

import hashlib
import json
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from munikg.serve.site import RELEASE_HEADER
from tests.conftest import ROOT, munikg
from tests.servers import announced, children, munikg_server, wait_for

pytestmark = pytest.mark.server


def test_serve_builds_a_missing_release_then_stops_cleanly_on_ctrl_c(tmp_path: Path) -> None:
    for name in ("ontology", "data", "queries"):
        shutil.copytree(ROOT / name, tmp_path / name)
    log = tmp_path / "serve.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "munikg", "serve", "--port", "0"],
            cwd=tmp_path,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        base = announced(log, process, r"at (http://127\.0\.0\.1:\d+/)", 120)
        port = int(base.rsplit(":", 1)[1].strip("/"))
        wait_for(f"http://127.0.0.1:{port}/sparql", process, 120)
        assert (tmp_path / "dist" / "release.json").is_file()
        answer = httpx.get(f"http://127.0.0.1:{port}/sparql", params={"query": "ASK { ?s ?p ?o }"})
        assert answer.json()["boolean"] is True
        workers = children(process.pid)
        assert workers
        # one user on loopback: no rate limit by default (it was 429 at query 121)
        with httpx.Client() as client:
            statuses = {
                client.get(f"{base}sparql", params={"query": f"ASK {{ ?s ?p {n} }}"}).status_code
                for n in range(125)
            }
        assert statuses == {200}
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    text = log.read_text()
    assert process.returncode == 0, text
    assert "building it first" in text
    assert f"http://127.0.0.1:{port}/sparql" in text and f"http://127.0.0.1:{port}/queries" in text
    assert "Traceback" not in text
    # the release serve built is the release `munikg build` builds: one version, one set of bytes
    built = munikg("build", "--dist", str(tmp_path / "built"), cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    served_sums = (tmp_path / "dist" / "SHA256SUMS").read_text()
    assert served_sums == (tmp_path / "built" / "SHA256SUMS").read_text()
    assert f"127.0.0.1:{port}" not in (tmp_path / "dist" / "munikg.ttl").read_text()
    time.sleep(0.5)
    for pid in workers:  # no worker outlives the server
        assert (
            not Path(f"/proc/{pid}").exists()
            or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]
        )


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--port", "70000"),
        ("--time-limit", "0"),
        ("--row-limit", "-1"),
        ("--base-url", "ftp://x"),
        ("--workers", "0"),
    ],
)
def test_bad_options_exit_2_naming_the_option(built_project: Path, option: str, value: str) -> None:
    done = munikg("serve", option, value, cwd=built_project)
    assert done.returncode == 2
    assert option in done.stderr


def test_a_taken_port_is_a_clear_error(built_project: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "munikg",
                "serve",
                "--port",
                str(port),
                "--queries",
                str(ROOT / "queries"),
            ],
            cwd=built_project,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"cannot serve on 127.0.0.1:{port}" in done.stderr and "in use" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_rebuild_while_serving_is_not_picked_up_until_restart(tmp_path: Path) -> None:
    """The server keeps serving the release it started with, whole: the listing's checksums
    are those of the files it sends, and queries answer from the same release."""
    for name in ("ontology", "data"):
        shutil.copytree(ROOT / name, tmp_path / name)
    assert munikg("build", cwd=tmp_path).returncode == 0
    label = "Karlskrona kommun i Blekinge"
    query = f'ASK {{ ?m <http://www.w3.org/2004/02/skos/core#altLabel> "{label}"@sv }}'
    with munikg_server(tmp_path / "dist", tmp_path) as served:
        before = httpx.get(served.url + "download/release.json").json()
        with (tmp_path / "data" / "reference.ttl").open("a", encoding="utf-8") as data:
            data.write(f'\nmunicipality:se-1080 skos:altLabel "{label}"@sv .\n')
        rebuilt = munikg("build", cwd=tmp_path)
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert (
            json.loads((tmp_path / "dist" / "release.json").read_text())["version"]
            != (before["version"])
        )
        nt = httpx.get(served.url + "download/munikg.nt")
        assert nt.headers[RELEASE_HEADER] == before["version"]
        assert hashlib.sha256(nt.content).hexdigest() == before["files"]["munikg.nt"]
        asked = httpx.get(served.url + "sparql", params={"query": query}).json()
        assert asked["boolean"] is False  # still the release it started with
    assert not list(tmp_path.glob(".munikg-serving-*"))  # its pin removed as it stopped
    with munikg_server(tmp_path / "dist", tmp_path) as restarted:
        asked = httpx.get(restarted.url + "sparql", params={"query": query}).json()
        assert asked["boolean"] is True  # picked up whole, at restart
