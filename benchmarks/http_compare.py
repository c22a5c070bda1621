"""Canned queries over HTTP, side by side: ``munikg serve`` against the Oxigraph server and
Virtuoso loaded with the same release, each started on 127.0.0.1 as the tests start them; and
the site's pages that show per-release figures.

    python3 benchmarks/http_compare.py --dist DIR [--repeat 5]

(``benchmarks/scale.py`` runs it on its synthetic release.) Each canned query with default
parameters is sent as its text, one request at a time: one request to warm, then the median
of ``--repeat``. munikg serves with its answer cache off (and a row limit above every answer,
as the others have none), so a stored answer is read from its
file and written out each time; Virtuoso is asked with ``default-graph-uri`` = the merge (its
own default graph is the union of every graph, see ``munikg publish``). Reports; asserts
nothing about time.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from munikg.api import open_release  # noqa: E402
from munikg.release import Release  # noqa: E402
from munikg.remote.publish import MERGE, PublishError, Target, publish  # noqa: E402
from tests.servers import VIRTUOSO_USER, munikg_server, oxigraph_server, virtuoso_server  # noqa: E402

JSON = {"Accept": "application/sparql-results+json"}
TIMEOUT = 120.0  # seconds one request may take before it counts as failed
PAGES = {
    "landing page": "/",
    "entity page": "/id/municipality/se-2080",
    "partnership picture (SVG)": "/partnerships.svg",
    "projects-with-funding, first page": "/queries/projects-with-funding",
    "projects-timeline, first page": "/queries/projects-timeline",
    "search-by-label form and answer": "/queries/search-by-label?text=vaxjo",
    "site search": "/search.json?q=vaxjo",
}


def canned_texts(dist: Path) -> dict[str, str]:
    kg = open_release(dist)
    return {
        name: kg.prepare(name)
        for name, query in sorted(kg.queries.items())
        if not any(p.required and p.default is None for p in query.params)
    }


def timed(
    client: httpx.Client, method: str, url: str, repeat: int, **kwargs: Any
) -> dict[str, Any]:
    """One warm-up request, then the median and best of ``repeat``."""
    times, rows = [], None
    for round_ in range(repeat + 1):
        started = time.perf_counter()
        try:
            response = client.request(method, url, timeout=TIMEOUT, **kwargs)
        except httpx.HTTPError as error:
            return {"error": type(error).__name__}
        took = 1000 * (time.perf_counter() - started)
        if response.status_code != 200:
            return {"error": f"HTTP {response.status_code}"}
        if round_ == 0:
            if "json" in response.headers.get("content-type", ""):
                body = response.json()
                rows = len(body["results"]["bindings"]) if "results" in body else None
            first = took
            continue
        times.append(took)
    return {
        "first_ms": round(first, 2),
        "median_ms": round(statistics.median(times), 2),
        "best_ms": round(min(times), 2),
        "rows": rows,
    }


def sparql(url: str, texts: dict[str, str], repeat: int, dataset: dict[str, str]) -> dict[str, Any]:
    with httpx.Client() as client:
        return {
            name: timed(client, "POST", url, repeat, data={"query": text, **dataset}, headers=JSON)
            for name, text in texts.items()
        }


def compare(dist: Path, work: Path, repeat: int = 5, virtuoso: bool = True) -> dict[str, Any]:
    texts = canned_texts(dist)
    found: dict[str, Any] = {}
    # every row, as the others give (the default row limit, 10 000, would cut the listings)
    options = (
        "--rate-limit",
        "0",
        "--time-limit",
        "120",
        "--cache-entries",
        "0",
        "--row-limit",
        "1000000",
    )
    started = time.perf_counter()
    (work / "munikg").mkdir(parents=True, exist_ok=True)
    with munikg_server(dist, work / "munikg", *options) as served:
        found["start_s"] = round(time.perf_counter() - started, 2)
        found["munikg serve"] = sparql(served.url + "sparql", texts, repeat, {})
        with httpx.Client(follow_redirects=True) as client:
            found["pages"] = {
                name: timed(client, "GET", served.url + path.lstrip("/"), repeat)
                for name, path in PAGES.items()
            }
    release = Release.open(dist)
    with oxigraph_server(release.store, work / "oxigraph") as url:
        found["Oxigraph server"] = sparql(url, texts, repeat, {})
    if not virtuoso:
        return found
    user, password = VIRTUOSO_USER
    with virtuoso_server(work / "virtuoso", buffers=340_000) as url:
        target = Target.from_url(url, user=user, password=password, digest=True)
        target.timeout = 3600
        loading = time.perf_counter()
        try:
            publish(release, target)
        except PublishError as error:  # reported, with what the others answered
            found["Virtuoso"] = {"error": f"not loaded: {error}"}
            return found
        found["virtuoso_load_s"] = round(time.perf_counter() - loading, 1)
        found["Virtuoso"] = sparql(url, texts, repeat, {"default-graph-uri": MERGE})
    return found


def markdown(found: dict[str, Any]) -> str:
    targets = ("munikg serve", "Oxigraph server", "Virtuoso")
    lines = [
        "| canned query (HTTP, median ms) | rows | munikg serve | Oxigraph server | Virtuoso "
        "| ÷ Oxigraph | ÷ Virtuoso |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, ours in found.get("munikg serve", {}).items():
        cells = [found.get(t, {}).get(name, {}) for t in targets]
        cells = [c if isinstance(c, dict) else {} for c in cells]
        shown = [str(c.get("median_ms", c.get("error", ""))) for c in cells]
        ratios = [
            str(round(ours["median_ms"] / c["median_ms"], 3))
            if "median_ms" in ours and c.get("median_ms")
            else ""
            for c in cells[1:]
        ]
        lines.append(
            f"| {name} | {ours.get('rows', '')} | {' | '.join(shown)} | {' | '.join(ratios)} |"
        )
    lines += ["", "| page (munikg serve) | first ms | median ms |", "|---|---|---|"]
    for name, page in found.get("pages", {}).items():
        lines.append(
            f"| {name} | {page.get('first_ms', page.get('error', ''))} | {page.get('median_ms', '')} |"
        )
    lines.append(
        f"\nmunikg serve started in {found.get('start_s')} s; Virtuoso loaded (munikg publish, "
        f"Graph Store Protocol) in {found.get('virtuoso_load_s')} s."
    )
    if "error" in found.get("Virtuoso", {}):
        lines.append(f"Virtuoso: {found['Virtuoso']['error']}")
    return "\n".join(lines)


def main() -> None:
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--skip-virtuoso", action="store_true", help="leave out Virtuoso")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        found = compare(args.dist, Path(tmp), args.repeat, not args.skip_virtuoso)
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "http-compare.json").write_text(json.dumps(found, indent=2) + "\n")
    print(markdown(found))


if __name__ == "__main__":
    main()
