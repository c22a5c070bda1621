"""Real SPARQL servers for tests: started on 127.0.0.1 with a temporary database, waited for
with a bounded loop, and stopped after."""

import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


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
    binary = shutil.which("oxigraph")
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed (pip install '.[test]')")
    workdir.mkdir(parents=True, exist_ok=True)
    dump = workdir / "all.nq"
    ox.serialize(store.quads_for_pattern(None, None, None, None), str(dump), ox.RdfFormat.N_QUADS)
    location = workdir / "db"
    subprocess.run(
        [binary, "load", "--location", str(location), "--file", str(dump)],
        check=True,
        capture_output=True,
        timeout=120,
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
    """``munikg serve`` on a free loopback port over ``release``; stopped with SIGINT (as
    Ctrl-C would) and killed only if it does not stop."""
    port = free_port()
    log = workdir / f"serve-{port}.log"
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
                str(port),
                *options,
            ],
            cwd=workdir,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}/"
    try:
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
    """The Oxigraph server over the database at ``location``, on a free loopback port."""
    binary = shutil.which("oxigraph")
    if binary is None:
        raise RuntimeError("the oxigraph server is not installed (pip install '.[test]')")
    port = free_port()
    command = [binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}"]
    command += options
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        url = f"http://127.0.0.1:{port}/query"
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
NumberOfBuffers = 10000
MaxDirtyBuffers = 6000
ServerThreads = 10

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}/www
MaxClientConnections = 10
ServerThreads = 10

[SPARQL]
ResultSetMaxRows = 100000
MaxQueryExecutionTime = 60
"""
VIRTUOSO_USER = ("dba", "dba")  # a new database's administrator, as Virtuoso creates it


@contextmanager
def virtuoso_server(workdir: Path) -> Iterator[str]:
    """OpenLink Virtuoso (Debian's ``virtuoso-t``) with a new database in ``workdir``, its SQL
    and HTTP ports on 127.0.0.1; yields its SPARQL endpoint URL. Updates go to
    ``/sparql-auth`` and graphs to ``/sparql-graph-crud-auth`` as ``dba`` (digest)."""
    binary = shutil.which("virtuoso-t")
    if binary is None:
        raise RuntimeError("Virtuoso is not installed (apt-get install virtuoso-opensource-7-bin)")
    directory = workdir / "virtuoso"
    (directory / "www").mkdir(parents=True)
    http_port = free_port()
    ini = directory / "virtuoso.ini"
    ini.write_text(VIRTUOSO_INI.format(dir=directory, sql_port=free_port(), http_port=http_port))
    process = subprocess.Popen(
        [binary, "-f", "-c", str(ini)],
        cwd=directory,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{http_port}/sparql"
        wait_for(f"{url}?query=ASK%7B%7D", process, 120)
        yield url
    finally:
        _stop(process)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
