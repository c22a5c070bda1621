"""Load throughput of ``munikg publish`` into the Oxigraph server and Virtuoso.

    python3 benchmarks/publish_load.py [--dist DIR] [--batch 1000]

Starts each store on 127.0.0.1 with a new database (as the tests do), publishes the release
(built afresh unless ``--dist`` names one) and reports triples loaded, seconds and triples/s,
by Graph Store HTTP Protocol and by SPARQL Update (``--gsp none`` forces the latter). Reports;
asserts nothing about time.
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from munikg.build.inputs import Layout  # noqa: E402
from munikg.build.pipeline import build  # noqa: E402
from munikg.release import Release  # noqa: E402
from munikg.remote.publish import PublishError, Target, publish  # noqa: E402
from tests.servers import VIRTUOSO_USER, oxigraph_store, virtuoso_server  # noqa: E402


def measure(release: Release, target: Target, batch: int) -> dict[str, Any]:
    started = time.monotonic()
    try:
        report = publish(release, target, batch=batch)
    except PublishError as error:
        return {
            "method": "refused",
            "triples": 0,
            "load_s": 0,
            "triples_per_s": 0,
            "error": str(error),
        }
    return {
        "method": report.method,
        "triples": report.loaded,
        "load_s": round(report.seconds, 2),
        "triples_per_s": round(report.throughput),
        "total_s": round(time.monotonic() - started, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path)
    parser.add_argument("--batch", type=int, default=1000)
    args = parser.parse_args()
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        dist = args.dist or work / "dist"
        if args.dist is None:
            build(Layout(ROOT / "ontology", ROOT / "data"), dist)
        release = Release.open(dist)
        for gsp in (True, False):
            how = "GSP" if gsp else "Update"
            with oxigraph_store(work / f"ox-{how}") as url:
                target = Target.from_url(url)
                target.gsp_url = target.gsp_url if gsp else None
                results[f"Oxigraph server, {how}"] = measure(release, target, args.batch)
            user, password = VIRTUOSO_USER
            with virtuoso_server(work / f"virtuoso-{how}") as url:
                target = Target.from_url(url, user=user, password=password, digest=True)
                target.gsp_url = target.gsp_url if gsp else None
                results[f"Virtuoso, {how}"] = measure(release, target, args.batch)
    print("| store | method | triples | load s | triples/s |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        print(f"| {name} | {r['method']} | {r['triples']} | {r['load_s']} | {r['triples_per_s']} |")
    for name, r in results.items():
        if "error" in r:
            print(f"\n{name}: {r['error'][:300]}")
    out = ROOT / "benchmarks" / "out"
    out.mkdir(exist_ok=True)
    (out / "publish-load.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
