"""Real SPARQL servers for tests: started on 127.0.0.1 with a temporary database, waited for
with a bounded loop, and stopped after."""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent


def require(binary: str, install: str) -> str:
    """The path of ``binary``. Missing, it skips the test with the reason — or, in CI
    (``CI=true``), fails it: CI installs everything, so a missing binary there is a fault."""
    found = shutil.which(binary)
    if found is not None:
        return found
    import pytest

    reason = f"{binary} is not installed ({install})"
    if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
        pytest.fail(f"{reason}; CI must have it", pytrace=False)
    pytest.skip(reason)


@contextmanager
def closed_port() -> Iterator[int]:
    """A loopback port where connections are refused: bound by this process and never listened
    on, so no other process can take it while the test runs (a free port could be)."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])


def _unused_port() -> int:
    """A port free at this moment — only for Virtuoso, which cannot bind port 0 (it then tries
    to connect to itself on port 0 and exits); its start is retried if the port was taken."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def announced(log: Path, process: subprocess.Popen[bytes], pattern: str, seconds: float) -> str:
    """The first group of ``pattern`` once the server writes it to ``log`` (bounded wait)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = re.search(pattern, log.read_text(encoding="utf-8", errors="replace"))
        if found:
            return found.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {log.read_text()}")
        time.sleep(0.1)
    raise RuntimeError(f"no {pattern!r} in {log} within {seconds} s")


def listening_port(process: subprocess.Popen[bytes], seconds: float) -> int:
    """The TCP port ``process`` listens on, from its sockets in /proc (bounded wait)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        inodes = set()
        for fd in Path(f"/proc/{process.pid}/fd").iterdir():
            with contextlib.suppress(OSError):
                target = os.readlink(fd)
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == "0A" and fields[9] in inodes:  # 0A: LISTEN
                    return int(fields[1].rsplit(":", 1)[1], 16)
        time.sleep(0.1)
    raise RuntimeError(f"the server listened on no port within {seconds} s")


def wait_for(url: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@contextmanager
def oxigraph_server(store: ox.Store, workdir: Path, *options: str) -> Iterator[str]:
    """An Oxigraph server (PyPI ``oxigraph``) holding every quad of ``store``, default graph
    included, started with ``options``; yields its SPARQL query URL."""
    binary = require("oxigraph", "pip install '.[test]'")
    workdir.mkdir(parents=True, exist_ok=True)
    dump = workdir / "all.nq"
    ox.serialize(store.quads_for_pattern(None, None, None, None), str(dump), ox.RdfFormat.N_QUADS)
    location = workdir / "db"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump)],
        check=True,
        capture_output=True,
        timeout=1800,  # a benchmark's millions of quads; the tests' load takes seconds
    )
    with oxigraph_at(location, *options) as url:
        yield url


class Served:
    """A running ``munikg serve``: its base URL and process."""

    def __init__(self, url: str, process: subprocess.Popen[bytes], log: Path) -> None:
        self.url = url
        self.process = process
        self.log = log

    def workers(self) -> set[int]:
        """The server's query workers: its children started by multiprocessing's spawn (not
        its resource tracker), from /proc."""
        found = set()
        for pid in children(self.process.pid):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if b"spawn_main" in cmdline:
                found.add(pid)
        return found


def children(pid: int) -> set[int]:
    found: set[int] = set()
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            found |= {int(c) for c in (task / "children").read_text().split()}
        except OSError:
            continue
    return found


@contextmanager
def munikg_server(release: Path, workdir: Path, *options: str) -> Iterator[Served]:
    """``munikg serve`` over ``release`` on a loopback port the system chooses (``--port 0``;
    the server announces it); stopped with SIGINT (as Ctrl-C would) and killed only if it does
    not stop."""
    log = Path(tempfile.mkstemp(prefix="serve-", suffix=".log", dir=workdir)[1])
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "munikg",
                "serve",
                "--release",
                str(release),
                "--queries",
                str(ROOT / "queries"),
                "--port",
                "0",
                *options,
            ],
            cwd=workdir,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        url = announced(log, process, r"serving .* at (http://127\.0\.0\.1:\d+/)", 60)
        wait_for(url + "sparql", process, 60)  # the service description: no query spent
        yield Served(url, process, log)
    finally:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def oxigraph_store(workdir: Path) -> Iterator[str]:
    """An empty, writable Oxigraph server; yields its query URL (``/update``, ``/store``
    beside it)."""
    workdir.mkdir(parents=True, exist_ok=True)
    with oxigraph_at(workdir / "oxigraph-db") as url:
        yield url


@contextmanager
def oxigraph_at(location: Path, *options: str) -> Iterator[str]:
    """The Oxigraph server over the database at ``location``, on a loopback port the system
    chooses (Oxigraph announces the address it was given, so the port is read from /proc)."""
    binary = require("oxigraph", "pip install '.[test]'")
    command = [binary, "serve", "--location", str(location), "--bind", "127.0.0.1:0"]
    command += options
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{listening_port(process, 30)}/query"
        wait_for(f"{url}?query=ASK%7B%7D", process)
        yield url
    finally:
        _stop(process)


VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DirsAllowed = ., {dir}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
ServerThreads = 10
; a publish swaps each graph in one transaction (MOVE); at a million triples its log outgrows
; the default limit (50 MB) and Virtuoso refuses the update
TransactionAfterImageLimit = 1500000000

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 1000000
MaxQueryExecutionTime = 60
"""
VIRTUOSO_USER = ("dba", "dba")  # a new database's administrator, as Virtuoso creates it


@contextmanager
def virtuoso_server(workdir: Path, buffers: int = 10_000) -> Iterator[str]:
    """OpenLink Virtuoso (Debian's ``virtuoso-t``) with a new database in ``workdir``, its SQL
    and HTTP ports on 127.0.0.1; yields its SPARQL endpoint URL. Updates go to
    ``/sparql-auth`` and graphs to ``/sparql-graph-crud-auth`` as ``dba`` (digest)."""
    binary = require("virtuoso-t", "apt-get install virtuoso-opensource-7-bin")
    for attempt in range(3):  # bounded: a port taken between probe and bind ends a start early
        directory = workdir / f"virtuoso-{attempt}"
        (directory / "www").mkdir(parents=True)
        http_port = _unused_port()
        ini = directory / "virtuoso.ini"
        ini.write_text(
            VIRTUOSO_INI.format(
                dir=directory,
                sql_port=_unused_port(),
                http_port=http_port,
                buffers=buffers,  # 8 KiB pages; a benchmark at millions of triples gives more
                dirty=buffers * 3 // 5,
            )
        )
        process = subprocess.Popen(
            [binary, "-f", "-c", str(ini)],
            cwd=directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{http_port}/sparql"
        try:
            wait_for(f"{url}?query=ASK%7B%7D", process, 120)
        except RuntimeError:
            exited = process.poll() is not None
            _stop(process)
            if not exited or attempt == 2:
                raise
            continue
        try:
            yield url
        finally:
            _stop(process)
        return


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
