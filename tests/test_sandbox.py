"""The query workers' network sandbox (munikg.serve.sandbox), tried for real: a child process confines
itself as a worker does, without privileges, then tries every way out it has, pyoxigraph's own
SERVICE client included; a loopback listener must see nothing."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import ROOT
from tests.servers import Served

ESCAPES = """
import ctypes, encodings.idna, errno, json, os, socket, subprocess, sys
import pyoxigraph as ox
from munikg.serve.sandbox import forbid_network
port = int(sys.argv[1])
if os.getuid() == 0:  # drop root first (all imports done): the sandbox must not need it
    os.setgid(65534)
    os.setuid(65534)
forbid_network()
tried = {"uid": os.getuid()}
def attempt(name, action):
    try:
        action()
        tried[name] = "open"
    except OSError as error:
        tried[name] = type(error).__name__ + ": " + str(error)
attempt("tcp", lambda: socket.create_connection(("127.0.0.1", port), timeout=2))
attempt("tcp6", lambda: socket.socket(socket.AF_INET6, socket.SOCK_STREAM))
attempt("udp", lambda: socket.socket(socket.AF_INET, socket.SOCK_DGRAM))
attempt("netlink", lambda: socket.socket(socket.AF_NETLINK, socket.SOCK_RAW))
attempt("service", lambda: list(ox.Store().query(
    f"SELECT * {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}")))
silent = ox.Store().query(f"SELECT * {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}")
tried["service silent rows"] = len(list(silent))
libc = ctypes.CDLL(None, use_errno=True)
libc.syscall.restype = ctypes.c_long
tried["io_uring_setup"] = (libc.syscall(425, 1, None), errno.errorcode.get(ctypes.get_errno()))
child = subprocess.run(["/bin/bash", "-c", f"echo hello > /dev/tcp/127.0.0.1/{port}"],
    capture_output=True, text=True)
tried["child"] = child.stderr
a, b = socket.socketpair()
a.sendall(b"unix sockets still work")
tried["unix"] = b.recv(100).decode()
json.dump(tried, sys.stdout)
"""


@pytest.fixture
def listener() -> Iterator[socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(8)
    sock.setblocking(False)
    yield sock
    sock.close()


def contacted(sock: socket.socket) -> bool:
    time.sleep(0.3)
    try:
        connection, _ = sock.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


def test_a_confined_process_cannot_reach_the_network(listener: socket.socket) -> None:
    port = listener.getsockname()[1]
    done = subprocess.run(
        [sys.executable, "-c", ESCAPES, str(port)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd="/",
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.returncode == 0, done.stderr
    tried = json.loads(done.stdout)
    assert tried["uid"] != 0  # confined without privileges
    for way in ("tcp", "tcp6", "udp", "netlink", "service"):  # (a resolver needs udp or tcp)
        assert tried[way].startswith("PermissionError"), (way, tried[way])
    assert tried["service"].endswith("Permission denied (os error 13)")
    assert tried["service silent rows"] == 1  # SILENT: the one empty solution, nothing fetched
    assert tried["io_uring_setup"] == [-1, "ENOSYS"]
    assert "Permission denied" in tried["child"]  # a child program inherits the filter
    assert tried["unix"] == "unix sockets still work"  # the worker's pipe keeps working
    assert not contacted(listener)


@pytest.mark.server
def test_every_worker_of_the_server_is_confined(site: Served) -> None:
    assert httpx.get(site.url + "sparql", params={"query": "ASK {}"}).status_code == 200
    workers = site.workers()
    assert workers
    for pid in workers:
        status = dict(
            line.split(":\t", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
        )
        assert status["NoNewPrivs"].strip() == "1"
        assert status["Seccomp"].strip() == "2"  # a filter is installed
        assert int(status["Seccomp_filters"]) >= 1
