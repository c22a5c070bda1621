"""Load test of ``munikg serve`` against the Oxigraph server holding the same release.

    python3 benchmarks/serve_load.py [--clients 200] [--requests 10]

Loopback only and bounded: ``clients`` concurrent clients each send ``requests`` canned queries
(every canned query without a required parameter, default values bound, in turn) to the
SPARQL endpoint, with a 60 s timeout per request. Three targets, each a separate server
process on 127.0.0.1 over the same freshly built release:

- munikg serve (default settings, rate limit off — all clients share one address),
- munikg serve with its answer cache off (every request runs a query in a worker),
- the Oxigraph server (PyPI ``oxigraph``), the native alternative.

Reports errors, p50/p99 latency and throughput for each, and munikg's ratios to Oxigraph,
as a Markdown table on stdout and JSON in benchmarks/out/serve-load.json. Asserts nothing
about time: it reports.
"""

import argparse
import asyncio
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from munikg import __version__  # noqa: E402
from munikg.api import open_release  # noqa: E402
from munikg.inputs import Layout  # noqa: E402
from munikg.release import Release, build  # noqa: E402
from tests.servers import munikg_server, oxigraph_server  # noqa: E402


def canned_texts(dist: Path) -> list[str]:
    """Every canned query without a required parameter, its defaults bound."""
    kg = open_release(dist, ROOT / "queries")
    return [
        kg.prepare(name)
        for name, query in sorted(kg.queries.items())
        if not any(p.required for p in query.params)
    ]


async def client(
    http: httpx.AsyncClient, url: str, queries: list[str], offset: int, count: int
) -> tuple[list[float], int]:
    latencies: list[float] = []
    errors = 0
    for n in range(count):
        query = queries[(offset + n) % len(queries)]
        started = time.perf_counter()
        try:
            response = await http.post(
                url,
                data={"query": query},
                headers={"Accept": "application/sparql-results+json"},
            )
            ok = response.status_code == 200 and "results" in response.json()
        except (httpx.HTTPError, ValueError):
            ok = False
        latencies.append(time.perf_counter() - started)
        errors += not ok
    return latencies, errors


async def load(
    url: str, queries: list[str], clients: int, requests: int, warm: bool = True
) -> dict[str, Any]:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(limits=limits, timeout=60) as http:
        if warm:
            await client(http, url, queries, 0, len(queries))  # warm up: one of each
        started = time.perf_counter()
        runs = await asyncio.gather(
            *(client(http, url, queries, c, requests) for c in range(clients))
        )
        wall = time.perf_counter() - started
    latencies = sorted(t for run, _ in runs for t in run)
    errors = sum(e for _, e in runs)
    return {
        "requests": len(latencies),
        "errors": errors,
        "p50_ms": round(1000 * statistics.median(latencies), 2),
        "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))], 2),
        "throughput_rps": round(len(latencies) / wall, 1),
        "wall_s": round(wall, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=10, help="per client")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dist = work / "dist"
        build(Layout(ROOT / "ontology", ROOT / "data"), dist)
        queries = canned_texts(dist)
        results: dict[str, Any] = {}
        for name, options in (
            ("munikg serve", ()),
            ("munikg serve, cache off", ("--cache-entries", "0")),
        ):
            with munikg_server(dist, work, "--rate-limit", "0", *options) as served:
                results[name] = asyncio.run(
                    load(served.url + "sparql", queries, args.clients, args.requests)
                )
        with oxigraph_server(Release.open(dist).store, work) as url:
            results["Oxigraph server"] = asyncio.run(
                load(url, queries, args.clients, args.requests)
            )
    native = results["Oxigraph server"]
    for name in ("munikg serve", "munikg serve, cache off"):
        ours = results[name]
        ours["p50_ratio_to_oxigraph"] = round(ours["p50_ms"] / native["p50_ms"], 2)
        ours["throughput_ratio_to_oxigraph"] = round(
            ours["throughput_rps"] / native["throughput_rps"], 2
        )
    report = {
        "date": time.strftime("%Y-%m-%d"),
        "machine": (
            f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        ),
        "munikg": __version__,
        "clients": args.clients,
        "requests_per_client": args.requests,
        "queries": len(queries),
        "results": results,
    }
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "serve-load.json").write_text(json.dumps(report, indent=2) + "\n")
    print(
        f"{args.clients} clients × {args.requests} canned queries ({len(queries)} distinct), "
        f"{report['machine']}\n"
    )
    columns = ["target", "requests", "errors", "p50 ms", "p99 ms", "req/s"]
    columns += ["p50 ÷ Oxigraph", "req/s ÷ Oxigraph"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for name, r in results.items():
        print(
            f"| {name} | {r['requests']} | {r['errors']} | {r['p50_ms']} | {r['p99_ms']} | "
            f"{r['throughput_rps']} | {r.get('p50_ratio_to_oxigraph', 1.0)} | "
            f"{r.get('throughput_ratio_to_oxigraph', 1.0)} |"
        )


if __name__ == "__main__":
    main()
