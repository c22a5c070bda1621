"""Sharing the endpoint between clients, tried against real servers: one client's slow queries
do not stall another's, a client's query time a minute is bounded, a query whose client has
gone is stopped at once, and a query that needs too much memory is stopped with a clear 503.

Clients are told apart by source address: the victim speaks from 127.0.0.1 and the flooder
from 127.0.0.2 (all of 127/8 is loopback on Linux).
"""

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from munikg.release import Release
from tests.servers import Served, munikg_server

pytestmark = pytest.mark.server

# The slow query: four unbound triple patterns, far more rows than any limit allows.
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
# The memory hog: every pair of triples, sorted.
HOG = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f LIMIT 1"


def flooder() -> httpx.Client:
    return httpx.Client(transport=httpx.HTTPTransport(local_address="127.0.0.2"), timeout=60)


@pytest.fixture(scope="module")
def shared(release: Release, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """Two workers, one per client at most, a 3 s time limit and no rate limit."""
    options = ("--workers", "2", "--client-share", "1", "--time-limit", "3")
    workdir = tmp_path_factory.mktemp("shared")
    with munikg_server(release.path, workdir, *options, "--rate-limit", "0") as served:
        yield served


def test_a_flood_of_slow_queries_does_not_stall_another_client(shared: Served) -> None:
    ended: list[float] = []

    def slow() -> None:
        with flooder() as client:
            client.get(shared.url + "sparql", params={"query": SLOW})
            ended.append(time.monotonic())

    threads = [threading.Thread(target=slow) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)  # the flood holds its share and queues the rest
    answered = []
    for n in range(5):
        response = httpx.get(shared.url + "sparql", params={"query": f"ASK {{}} # {n}"})
        assert response.status_code == 200 and response.json()["boolean"] is True
        answered.append(time.monotonic())
    for thread in threads:
        thread.join(timeout=60)
    # every ASK was answered while the flooder's first slow query still ran (it runs 3 s)
    assert ended and max(answered) < min(ended)


def test_a_client_that_spends_its_budget_is_told_when_to_return(
    release: Release, tmp_path: Path
) -> None:
    options = ("--time-limit", "1", "--client-budget", "2", "--rate-limit", "0")
    with munikg_server(release.path, tmp_path, *options) as served, flooder() as client:
        statuses = []
        for _ in range(5):
            response = client.get(served.url + "sparql", params={"query": SLOW})
            statuses.append(response.status_code)
            if response.status_code == 429:
                assert int(response.headers["retry-after"]) >= 1
                assert "2 s of query time a minute" in response.text
                break
        assert statuses[0] == 503 and statuses[-1] == 429, statuses
        # a client cannot escape its budget by naming itself someone else
        spoofed = client.get(
            served.url + "sparql",
            params={"query": "ASK {}"},
            headers={"X-Forwarded-For": "192.0.2.7"},
        )
        assert spoofed.status_code == 429
        other = httpx.get(served.url + "sparql", params={"query": "ASK {}"})
        assert other.status_code == 200  # another client is not charged


def test_behind_a_trusted_proxy_clients_are_told_apart_by_x_forwarded_for(
    release: Release, tmp_path: Path
) -> None:
    options = ("--time-limit", "1", "--client-budget", "1", "--rate-limit", "0")
    with (
        munikg_server(release.path, tmp_path, *options, "--trust-proxy", "127.0.0.2") as served,
        flooder() as proxy,
    ):

        def ask(reader: str, query: str) -> httpx.Response:
            headers = {"X-Forwarded-For": reader}
            return proxy.get(served.url + "sparql", params={"query": query}, headers=headers)

        assert ask("192.0.2.1", SLOW).status_code == 503  # 1 s spent: the budget is gone
        for _ in range(3):
            if ask("192.0.2.1", SLOW).status_code == 429:
                break
        else:
            pytest.fail("the first reader was never told to wait")
        assert ask("192.0.2.2", "ASK {}").status_code == 200  # another reader, same proxy


def test_a_query_whose_client_has_gone_is_stopped_at_once(release: Release, tmp_path: Path) -> None:
    options = ("--workers", "1", "--time-limit", "60", "--rate-limit", "0")
    with munikg_server(release.path, tmp_path, *options) as served:
        (before,) = served.workers()
        port = int(served.url.rsplit(":", 1)[1].strip("/"))
        body = SLOW.encode()
        with socket.create_connection(("127.0.0.1", port)) as connection:
            connection.sendall(
                b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/sparql-query\r\n"
                + f"Content-Length: {len(body)}\r\n\r\n".encode()
                + body
            )
            time.sleep(1.0)  # the query is running
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and served.workers() in ({before}, set()):
            time.sleep(0.1)
        # replaced within 20 s of the client leaving, long before the 60 s limit
        assert served.workers() not in ({before}, set()), "the worker was not replaced"
        response = httpx.get(served.url + "sparql", params={"query": "ASK {}"}, timeout=30)
        assert response.status_code == 200


def test_a_query_over_the_memory_limit_is_stopped(release: Release, tmp_path: Path) -> None:
    options = ("--memory-limit", "200", "--time-limit", "30", "--workers", "1")
    with munikg_server(release.path, tmp_path, *options, "--rate-limit", "0") as served:
        (before,) = served.workers()
        response = httpx.get(served.url + "sparql", params={"query": HOG}, timeout=60)
        assert response.status_code == 503, response.text
        assert "200 MB of memory" in response.text and "stopped" in response.text
        assert int(response.headers["retry-after"]) >= 1
        after = httpx.get(served.url + "sparql", params={"query": "ASK {}"}, timeout=30)
        assert after.status_code == 200
        assert served.workers() != {before}
