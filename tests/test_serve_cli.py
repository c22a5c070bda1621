"""``munikg serve`` as a person starts it: it builds when there is no release, prints where it
serves, stops cleanly on Ctrl-C (its workers with it), and refuses bad options."""

import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT, munikg
from tests.servers import announced, children, wait_for

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
