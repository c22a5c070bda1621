"""Load test of ``munikg serve`` against the Oxigraph server holding the same release.

    python3 benchmarks/serve_load.py [--clients 200] [--requests 10] [--seconds 10] [--flood 4]

Loopback only and bounded (every request has a timeout; every phase a fixed length). Each
target is a separate server process on 127.0.0.1 over the same freshly built release:

- munikg serve — for throughput with its per-client limits lifted (``--rate-limit 0
  --client-budget 0 --client-share`` all workers, ``--client-queue`` all clients: the load
  generator is one address standing for many readers), with the answer cache (default) and
  without;
- the Oxigraph server (PyPI ``oxigraph``), the native alternative: as it comes for throughput,
  and with ``--timeout-s`` (munikg's time limit) for the flood, where slow queries must end.

Three measurements, side by side in one run:

1. **Throughput, Python client**: ``clients`` concurrent httpx clients each send ``requests``
   queries by POST. *Ad-hoc*: every request a different SELECT text (nothing can be cached);
   *canned*: the canned queries without required parameters, in turn (repeats).
2. **Throughput, wrk** (if ``wrk`` is on PATH; ``apt-get install wrk``): the same two
   workloads by GET for ``seconds`` with ``clients`` connections. A C client costs far less
   than the Python one, so this is closer to what the servers can do on the cores they share
   with the load generator.
3. **A victim under a flood**: with munikg's *default* limits (rate limit off only), a
   flooder at 127.0.0.2 keeps ``flood`` slow queries (issue 14's four-pattern COUNT) in flight
   for ``seconds`` while a victim at 127.0.0.1 sends ``ASK {}`` one after another; the
   victim's p50/p99 with and without the flood, and what the flooder got.

Prints Markdown tables and writes JSON to benchmarks/out/serve-load.json. Asserts nothing
about time: it reports.
"""

import argparse
import asyncio
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from munikg import __version__  # noqa: E402
from munikg.api import open_release  # noqa: E402
from munikg.build.inputs import Layout  # noqa: E402
from munikg.build.pipeline import build  # noqa: E402
from munikg.release import Release  # noqa: E402
from tests.servers import munikg_server, oxigraph_server  # noqa: E402

TIME_LIMIT = 10  # munikg's default, given to Oxigraph too
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}


def adhoc(n: int) -> str:
    """The ``n``-th ad-hoc query: a page of labels, its text unique to ``n``."""
    return f"SELECT ?s ?o WHERE {{ ?s {LABEL} ?o }} LIMIT 10 OFFSET {n % 300} # {n}"


def canned_texts(dist: Path) -> list[str]:
    """Every canned query without a required parameter, its defaults bound."""
    kg = open_release(dist, ROOT / "queries")
    return [
        kg.prepare(name)
        for name, query in sorted(kg.queries.items())
        if not any(p.required for p in query.params)
    ]


def percentiles(latencies: list[float]) -> dict[str, float]:
    """p50, p99 and the slowest of ``latencies`` (seconds), in milliseconds."""
    ordered = sorted(latencies)
    return {
        "p50_ms": round(1000 * statistics.median(ordered), 2),
        "p99_ms": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 2),
        "max_ms": round(1000 * ordered[-1], 2),
    }


def summary(latencies: list[float], errors: int, wall: float) -> dict[str, Any]:
    spread = percentiles(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": spread["p50_ms"],
        "p99_ms": spread["p99_ms"],
        "throughput_rps": round(len(latencies) / wall, 1),
    }


async def python_load(url: str, texts: list[str], clients: int, requests: int) -> dict[str, Any]:
    """``clients`` concurrent clients, ``requests`` each, texts taken in turn."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:

        async def one(c: int) -> tuple[list[float], int]:
            latencies, errors = [], 0
            for n in range(requests):
                text = texts[(c * requests + n) % len(texts)]
                started = time.perf_counter()
                try:
                    response = await http.post(url, data={"query": text}, headers=JSON_RESULTS)
                    ok = response.status_code == 200 and "results" in response.json()
                except (httpx.HTTPError, ValueError):
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok
            return latencies, errors

        for text in texts[: min(len(texts), 50)]:  # warm up: the first few once
            await http.post(url, data={"query": text}, headers=JSON_RESULTS)
        started = time.perf_counter()
        runs = await asyncio.gather(*(one(c) for c in range(clients)))
        wall = time.perf_counter() - started
    return summary([t for run, _ in runs for t in run], sum(e for _, e in runs), wall)


WRK_SCRIPT = """-- written by benchmarks/serve_load.py
local texts = {%s}
local counter = 0
local function encode(s)
  return (s:gsub("[^%%w%%-_%%.~]", function(c) return string.format("%%%%%%02X", string.byte(c)) end))
end
request = function()
  counter = counter + 1
  local text
  if #texts == 0 then
    text = "SELECT ?s ?o WHERE { ?s %s ?o } LIMIT 10 OFFSET " .. (counter %% 300) .. " # w" .. counter
  else
    text = texts[(counter %% #texts) + 1]
  end
  return wrk.format("GET", wrk.path .. "?query=" .. encode(text),
    { ["Accept"] = "application/sparql-results+json" })
end
"""


def wrk_load(url: str, texts: list[str], clients: int, seconds: int, work: Path) -> dict[str, Any]:
    """``wrk`` with ``clients`` connections for ``seconds``: ad-hoc texts if ``texts`` is
    empty (a counter makes each unique), else ``texts`` in turn."""
    script = work / "load.lua"
    # JSON strings without \\u escapes are Lua strings (UTF-8 bytes pass through)
    listed = ", ".join(json.dumps(t, ensure_ascii=False) for t in texts)
    script.write_text(WRK_SCRIPT % (listed, LABEL))
    command = ["wrk", "-t1", f"-c{clients}", f"-d{seconds}s", "--latency", "--timeout", "30s"]
    done = subprocess.run(
        [*command, "-s", str(script), url], capture_output=True, text=True, timeout=seconds + 60
    )
    out = done.stdout
    if done.returncode != 0 or str(script) in out + done.stderr:  # a script error: wrk would
        raise RuntimeError(f"wrk failed: {out}{done.stderr}")  # send bare GETs and report them

    def number(pattern: str) -> float:
        found = re.search(pattern, out)
        return float(found.group(1)) if found else 0.0

    def ms(pattern: str) -> float:
        found = re.search(pattern + r"\s+([\d.]+)(us|ms|s)\b", out)
        if not found:
            return 0.0
        scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[found.group(2)]
        return round(float(found.group(1)) * scale, 2)

    errors = number(r"Non-2xx or 3xx responses: (\d+)")
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {
        "requests": int(number(r"(\d+) requests in")),
        "errors": int(errors),
        "socket_errors": socket_errors.group(1) if socket_errors else "",
        "p50_ms": ms(r"50%"),
        "p99_ms": ms(r"99%"),
        "throughput_rps": number(r"Requests/sec:\s+([\d.]+)"),
    }


async def victim_under_flood(url: str, flood: int, seconds: float) -> dict[str, Any]:
    """The victim's ``ASK {}`` latencies for ``seconds``, alone and then while a flooder at
    127.0.0.2 keeps ``flood`` slow queries in flight."""

    async def victim(http: httpx.AsyncClient, until: float) -> list[float]:
        latencies = []
        while time.monotonic() < until:
            started = time.perf_counter()
            response = await http.get(url, params={"query": "ASK {}"}, headers=JSON_RESULTS)
            latencies.append(time.perf_counter() - started)
            if response.status_code != 200:
                latencies[-1] = float("inf")
        return latencies

    def described(latencies: list[float]) -> dict[str, Any]:
        failed = sum(1 for t in latencies if t == float("inf"))
        return {"asks": len(latencies), "failed": failed, **percentiles(latencies)}

    flooder = httpx.AsyncHTTPTransport(local_address="127.0.0.2")
    statuses: Counter[str] = Counter()
    async with (
        httpx.AsyncClient(timeout=3 * TIME_LIMIT + 30) as http,
        httpx.AsyncClient(
            transport=flooder,
            timeout=3 * TIME_LIMIT + 30,
            limits=httpx.Limits(max_connections=flood),
        ) as flood_http,
    ):
        alone = await victim(http, time.monotonic() + seconds / 2)
        until = time.monotonic() + seconds

        async def slow() -> None:
            while time.monotonic() < until:
                try:
                    response = await flood_http.get(url, params={"query": SLOW})
                    statuses[str(response.status_code)] += 1
                    if response.status_code == 429:  # told to wait: as a polite client would
                        wait = float(response.headers.get("retry-after", "1"))
                        await asyncio.sleep(min(wait, max(0.0, until - time.monotonic())))
                except httpx.HTTPError as error:
                    statuses[type(error).__name__] += 1

        flooders = [asyncio.create_task(slow()) for _ in range(flood)]
        await asyncio.sleep(0.5)  # the flood is running
        during = await victim(http, until)
        await asyncio.gather(*flooders)
    return {"alone": described(alone), "flooded": described(during), "flooder": statuses}


@contextmanager
def munikg_at(dist: Path, work: Path, *options: str) -> Iterator[str]:
    with munikg_server(dist, work, "--rate-limit", "0", *options) as served:
        yield served.url + "sparql"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=10, help="per Python client")
    parser.add_argument("--seconds", type=int, default=10, help="per wrk run and flood")
    parser.add_argument("--flood", type=int, default=4, help="slow queries kept in flight")
    args = parser.parse_args()
    has_wrk = shutil.which("wrk") is not None
    workers = 2 * (os.cpu_count() or 1)
    unlimited = ("--client-budget", "0", "--client-share", str(workers))
    unlimited += ("--client-queue", str(args.clients))
    throughput: dict[str, dict[str, Any]] = {}
    flooded: dict[str, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dist = work / "dist"
        build(Layout(ROOT / "ontology", ROOT / "data"), dist)
        canned = canned_texts(dist)
        texts = [adhoc(n) for n in range(args.clients * args.requests + 50)]

        def measure(name: str, url: str, workloads: tuple[str, ...]) -> None:
            for workload in workloads:
                chosen = texts if workload == "ad-hoc" else canned
                runs = {
                    "python": asyncio.run(python_load(url, chosen, args.clients, args.requests))
                }
                if has_wrk:
                    listed = [] if workload == "ad-hoc" else canned
                    runs["wrk"] = wrk_load(url, listed, args.clients, args.seconds, work)
                throughput[f"{name} | {workload}"] = runs

        both = ("ad-hoc", "canned")
        with munikg_at(dist, work, *unlimited) as url:
            measure("munikg serve", url, both)
        with munikg_at(dist, work, *unlimited, "--cache-entries", "0") as url:
            measure("munikg serve, cache off", url, both)
        store = Release.open(dist).store
        with oxigraph_server(store, work / "ox") as url:
            measure("Oxigraph server", url, both)
        # --timeout-s only here: it starts a thread per query that lives as long as the limit,
        # and under wrk's load the server ran out of threads and died.
        timeout = ("--timeout-s", str(TIME_LIMIT))
        with oxigraph_server(store, work / "ox-timeout", *timeout) as url:
            flooded["Oxigraph server --timeout-s"] = asyncio.run(
                victim_under_flood(url, args.flood, args.seconds)
            )
        with munikg_at(dist, work) as url:  # default limits
            flooded["munikg serve (defaults)"] = asyncio.run(
                victim_under_flood(url, args.flood, args.seconds)
            )
    for key, runs in throughput.items():
        name, workload = key.split(" | ")
        native = throughput[f"Oxigraph server | {workload}"]
        for client, run in runs.items():
            run["ratio_to_oxigraph"] = round(
                run["throughput_rps"] / max(native[client]["throughput_rps"], 0.1), 2
            )
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "munikg": __version__,
        "clients": args.clients,
        "requests_per_client": args.requests,
        "seconds": args.seconds,
        "flood": args.flood,
        "canned_queries": len(canned),
        "throughput": throughput,
        "victim": flooded,
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "serve-load.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"{report['machine']}; {args.clients} clients; wrk {args.seconds} s\n")
    print(
        "| target | workload | client | requests | errors | p50 ms | p99 ms | req/s | ÷ Oxigraph |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for key, runs in throughput.items():
        name, workload = key.split(" | ")
        for client, r in runs.items():
            print(
                f"| {name} | {workload} | {client} | {r['requests']} | {r['errors']} | "
                f"{r['p50_ms']} | {r['p99_ms']} | {r['throughput_rps']} | "
                f"{r['ratio_to_oxigraph']} |"
            )
    print(f"\nVictim `ASK {{}}` while {args.flood} slow queries are kept in flight:\n")
    print(
        "| target | alone p50 / p99 ms | flooded p50 / p99 / max ms | asks (failed) | flooder got |"
    )
    print("|---|---|---|---|---|")
    for name, r in flooded.items():
        a, f = r["alone"], r["flooded"]
        got = ", ".join(f"{k}×{v}" for k, v in sorted(r["flooder"].items()))
        print(
            f"| {name} | {a['p50_ms']} / {a['p99_ms']} | {f['p50_ms']} / {f['p99_ms']} / "
            f"{f['max_ms']} | {f['asks']} ({f['failed']}) | {got} |"
        )


if __name__ == "__main__":
    main()
