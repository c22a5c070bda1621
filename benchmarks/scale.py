"""The pipeline at scale, beside the alternatives a user would pick, measured in one run.

    python3 benchmarks/scale.py [--size 100k|1M|5M] [--seed 1] [--skip-rdflib]

Generates a synthetic graph (``munikg synth``) of the size asked, then measures, each step in a
child process of its own (wall seconds and peak RSS):

- build (parse, validate, load, write every artefact) vs raw pyoxigraph ``bulk_load`` of the
  same files vs rdflib parsing them into its in-memory store;
- full validation (``munikg validate``) and change-set validation of one new partnership file
  against the release;
- every canned query (default parameters): munikg (parameters checked and bound, rows converted)
  vs the same text on raw pyoxigraph (each row read as a tuple of its terms), warm: the best of
  three rounds of repeated runs (a round of at least 50 ms); rdflib's SPARQL engine on the same
  text, each query capped at 10 s (100k only unless asked);
- each export format vs raw pyoxigraph writing the same quads;
- ``/sparql`` throughput of ``munikg serve`` vs the Oxigraph server on the canned queries.

Writes benchmarks/out/scale-SIZE.json and prints a Markdown report. Reports; asserts nothing.
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}
FORMATS = ("ttl", "nt", "jsonld", "trig", "nq", "rdf")
RDFLIB_CAP = 10  # seconds per query on rdflib's engine: the default run stays under 2 minutes
STEPS = ("build", "raw", "validate", "queries", "exports", "sparql", "http")
PAGE = 500  # rows of a first page read in-process (munikg serve shows 100 a page)


def child(code: str, timeout: float = 3600) -> dict[str, Any]:
    """Run ``code`` in a fresh Python; it sets ``result`` (a dict); returns it with the
    child's wall seconds and peak RSS (MB)."""
    program = (
        "import json, resource, sys, time\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "result = {}\n"
        "_started = time.perf_counter()\n"
        + textwrap.dedent(code)
        + "\nresult.setdefault('seconds', round(time.perf_counter() - _started, 3))\n"
        "_peak = max(resource.getrusage(w).ru_maxrss for w in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))\n"
        "result['peak_rss_mb'] = round(_peak / 1024)\n"
        "print('@@' + json.dumps(result))\n"
    )
    try:
        done = subprocess.run(
            [sys.executable, "-c", program], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    for line in done.stdout.splitlines():
        if line.startswith("@@"):
            return dict(json.loads(line[2:]))
    return {"error": (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]}


def ratio(ours: dict[str, Any], theirs: dict[str, Any], key: str = "seconds") -> float | None:
    if key in ours and key in theirs and theirs[key]:
        return round(float(ours[key]) / float(theirs[key]), 2)
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="100k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip-rdflib", action="store_true", help="skip rdflib's parser/engine")
    parser.add_argument("--keep", type=Path, help="work in this directory and keep it")
    parser.add_argument(
        "--report", action="store_true", help="print the report of the last (or stopped) run"
    )
    parser.add_argument(
        "--steps",
        default=",".join(STEPS),
        help=f"the steps to run, comma-separated (default: all of {','.join(STEPS)})",
    )
    parser.add_argument(
        "--growth", action="store_true", help="print the growth table of the saved runs"
    )
    args = parser.parse_args()
    if args.growth:
        print(growth())
        return
    if args.report:
        saved = ROOT / "benchmarks" / "out" / f"scale-{args.size}.json"
        print(markdown(json.loads(saved.read_text())))
        return
    rdflib_too = not args.skip_rdflib and SIZES[args.size] <= 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        steps = set(args.steps.split(","))
        if steps - set(STEPS):
            parser.error(f"unknown steps: {', '.join(sorted(steps - set(STEPS)))}")
        report = run(work, SIZES[args.size], args.seed, rdflib_too, args.size, steps)
    print(markdown(report))


class Saved(dict[str, Any]):
    """The report, rewritten to benchmarks/out/scale-SIZE.json after every step, so a long run
    that is stopped keeps what it measured."""

    def __init__(self, path: Path, **fields: Any) -> None:
        super().__init__(**fields)
        self.path = path
        path.parent.mkdir(exist_ok=True)

    def __setitem__(self, key: str, value: Any) -> None:
        super().__setitem__(key, value)
        self.path.write_text(json.dumps(self, indent=2) + "\n")


def run(
    work: Path, triples: int, seed: int, rdflib_too: bool, size: str, steps: set[str]
) -> dict[str, Any]:
    from munikg.build.inputs import Layout
    from munikg.synth import generate

    written = generate(triples, seed, work, Layout(ROOT / "ontology", ROOT / "data"))
    data, dist = work / "data", work / "dist"
    files = sorted(str(p) for p in data.glob("*.ttl")) + sorted(
        str(p) for p in (ROOT / "ontology").glob("*.ttl") if p.name != "shapes.ttl"
    )
    r = Saved(
        ROOT / "benchmarks" / "out" / f"scale-{size}.json",
        size=size,
        machine=f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        date=time.strftime("%Y-%m-%d"),
        synthetic_triples=written.triples,
    )
    r["build"] = child(f"""
        from pathlib import Path
        from munikg.build.inputs import Layout
        from munikg.build.pipeline import build
        marks = []  # (seconds since start, step): the build's own progress messages
        def progress(message):
            marks.append((time.perf_counter() - _started, message))
        meta = build(Layout(Path({str(ROOT / "ontology")!r}), Path({str(data)!r})), Path({str(dist)!r}), progress=progress)
        result['triples'] = meta['triples']
        def at(prefix):
            return next(t for t, m in marks if m.startswith(prefix))
        result['phases'] = {{
            'load': round(at('adding the release graph'), 3),
            'release graph and compaction': round(at('checking') - at('adding the release graph'), 3),
            'Turtle checks beside validation, VoID, documentation, label index, answers': round(at('writing munikg.nq') - at('checking'), 3),
            'write N-Quads and N-Triples': round(at('writing the other dumps') - at('writing munikg.nq'), 3),
            'the other dump formats': round(at('writing the DCAT') - at('writing the other dumps'), 3),
            'catalogue and metadata': round(time.perf_counter() - _started - at('writing the DCAT'), 3),
        }}
    """)
    if "raw" in steps:
        raw_loads(r, work, files)
    if rdflib_too and "raw" in steps:
        rdflib_parse(r, files)
    if "validate" in steps:
        validations(r, work, data, dist)
    if "queries" in steps:
        queries(r, work, dist)
        if rdflib_too:
            rdflib_queries(r, work, dist)
    if "exports" in steps:
        exports_of(r, work, dist)
    if "sparql" in steps:
        r["sparql"] = sparql_throughput(work, dist, rdflib_too)
    if "http" in steps:
        from benchmarks.http_compare import compare

        r["http"] = compare(dist, work / "http")
    return r


def raw_loads(r: dict[str, Any], work: Path, files: list[str]) -> None:
    r["raw_pyoxigraph_load"] = child(f"""
        import pyoxigraph as ox
        store = ox.Store({str(work / "raw-store")!r})
        for path in {files!r}:
            store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
        store.flush()
        result['quads'] = len(store)
    """)
    r["raw_pyoxigraph_load_named"] = child(f"""
        import pyoxigraph as ox
        from pathlib import Path
        from munikg.build.inputs import graph_for
        store = ox.Store({str(work / "raw-store-named")!r})
        for path in {files!r}:
            for graph in (graph_for(Path(path)), ox.DefaultGraph()):
                store.bulk_load(path=path, format=ox.RdfFormat.TURTLE, to_graph=graph)
        store.flush()
        result['quads'] = len(store)
    """)


def rdflib_parse(r: dict[str, Any], files: list[str]) -> None:
    r["rdflib_parse"] = child(f"""
        import rdflib
        graph = rdflib.Graph()
        for path in {files!r}:
            graph.parse(path, format="turtle")
        result['triples'] = len(graph)
    """)


def validations(r: dict[str, Any], work: Path, data: Path, dist: Path) -> None:
    r["validate_full"] = child(f"""
        import subprocess, sys
        done = subprocess.run([sys.executable, '-m', 'munikg', 'validate', '--data', {str(data)!r},
            '--ontology', {str(ROOT / "ontology")!r}, '--dist', {str(dist)!r}], capture_output=True, text=True)
        result['exit'] = done.returncode
    """)
    change = work / "change.ttl"
    change.write_text(
        (data / "synthetic-0001.ttl").read_text(encoding="utf-8").split("\n\n")[0]
        + "\n\npartnership:synthetic-new a mk:Partnership ;\n"
        '    rdfs:label "Nytt partnerskap"@sv , "New partnership"@en ;\n'
        "    org:hasMember municipality:se-3000 , municipality:se-3001 ;\n"
        "    prov:wasDerivedFrom src:synthetic-0001 .\n",
        encoding="utf-8",
    )
    r["validate_change"] = child(f"""
        import subprocess, sys
        done = subprocess.run([sys.executable, '-m', 'munikg', 'validate', {str(change)!r},
            '--data', {str(data)!r}, '--ontology', {str(ROOT / "ontology")!r}, '--dist', {str(dist)!r}],
            capture_output=True, text=True)
        result['exit'] = done.returncode
        result['output'] = done.stdout[-300:] + done.stderr[-300:]
    """)


def queries(r: dict[str, Any], work: Path, dist: Path) -> None:
    r["queries"] = child(f"""
        import time
        from pathlib import Path
        import pyoxigraph as ox
        from munikg.api import open_release
        kg = open_release(Path({str(dist)!r}), Path({str(ROOT / "queries")!r}))
        store = kg.graph.store
        out = {{}}
        for name, query in sorted(kg.queries.items()):
            if any(p.required for p in query.params):
                continue
            text = kg.prepare(name)
            rows = kg.query(name).rows  # once, cold: the rounds below compare warm runs
            held = kg.at_hand(name, text, {{}}) is not None  # stored, or the label index's
            def ours(): kg.query(name)
            def page(): list(kg.at_hand(name, text, {{}}).rows(0, {PAGE})) if held else kg.query(name).rows[:{PAGE}]
            def raw(): [tuple(s) for s in store.query(text)]
            best = {{}}
            for run in (ours, page, raw):
                t = time.perf_counter(); run(); once = time.perf_counter() - t
                reps = max(1, min(1000, int(0.05 / max(once, 1e-6))))  # a round of >= 50 ms
                best[run] = float('inf')
                for _ in range(3):
                    t = time.perf_counter()
                    for _ in range(reps): run()
                    best[run] = min(best[run], (time.perf_counter() - t) / reps)
            out[name] = {{'rows': len(rows), 'held': held, 'munikg_ms': round(1000 * best[ours], 3),
                         'first_page_ms': round(1000 * best[page], 3), 'pyoxigraph_ms': round(1000 * best[raw], 3)}}
            Path({str(work / "queries")!r}).mkdir(exist_ok=True)
            Path({str(work / "queries")!r}, name + '.rq').write_text(text)
        result['queries'] = out
    """)


def rdflib_queries(r: dict[str, Any], work: Path, dist: Path) -> None:
    r["rdflib_queries"] = child(
        f"""
        import rdflib, signal, time
        from pathlib import Path
        class Slow(Exception): pass
        def stop(*_): raise Slow()
        signal.signal(signal.SIGALRM, stop)
        graph = rdflib.Dataset()
        graph.default_union = False
        graph.parse({str(dist / "munikg.nq")!r}, format="nquads")
        merge = rdflib.Graph()
        merge.parse({str(dist / "munikg.nt")!r}, format="nt")
        for triple in merge:
            graph.default_graph.add(triple)
        out = {{}}
        for query in sorted(Path({str(work / "queries")!r}).glob('*.rq')):
            signal.alarm({RDFLIB_CAP})
            t = time.perf_counter()
            try:
                n = len(list(graph.query(query.read_text())))
                out[query.stem] = {{'ms': round(1000 * (time.perf_counter() - t), 1), 'rows': n}}
            except Slow:
                out[query.stem] = {{'error': 'over {RDFLIB_CAP} s'}}
            except Exception as error:
                out[query.stem] = {{'error': type(error).__name__}}
            finally:
                signal.alarm(0)
        result['queries'] = out
        """
    )


def exports_of(r: dict[str, Any], work: Path, dist: Path) -> None:
    exports: dict[str, Any] = {}
    for fmt in FORMATS:
        exports[fmt] = {
            "munikg": child(f"""
                import subprocess, sys
                done = subprocess.run([sys.executable, '-m', 'munikg', 'export', '--format', {fmt!r},
                    '--dist', {str(dist)!r}, '--out', {str(work / ("export." + fmt))!r}], capture_output=True)
                result['exit'] = done.returncode
            """),
            "pyoxigraph": child(f"""
                import pyoxigraph as ox
                store = ox.Store.read_only({str(dist / "store")!r})
                fmt = {{'ttl': ox.RdfFormat.TURTLE, 'nt': ox.RdfFormat.N_TRIPLES, 'jsonld': ox.RdfFormat.JSON_LD,
                        'trig': ox.RdfFormat.TRIG, 'nq': ox.RdfFormat.N_QUADS, 'rdf': ox.RdfFormat.RDF_XML}}[{fmt!r}]
                if fmt in (ox.RdfFormat.TRIG, ox.RdfFormat.N_QUADS, ox.RdfFormat.JSON_LD):
                    quads = store.quads_for_pattern(None, None, None, None)
                    ox.serialize((q for q in quads if q.graph_name != ox.DefaultGraph()), {str(work / "raw-export")!r}, fmt)
                else:
                    ox.serialize((ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())), {str(work / "raw-export")!r}, fmt)
            """),
        }
    r["exports"] = exports


def sparql_throughput(work: Path, dist: Path, rdflib_too: bool) -> dict[str, Any]:
    import asyncio

    from benchmarks.serve_load import canned_texts, python_load
    from munikg.release import Release
    from tests.servers import munikg_server, oxigraph_server

    queries = canned_texts(dist)
    found: dict[str, Any] = {}
    with munikg_server(dist, work, "--rate-limit", "0", "--time-limit", "60") as served:
        found["munikg serve"] = asyncio.run(python_load(served.url + "sparql", queries, 50, 5))
    with munikg_server(
        dist, work, "--rate-limit", "0", "--time-limit", "60", "--cache-entries", "0"
    ) as served:
        found["munikg serve, cache off"] = asyncio.run(
            python_load(served.url + "sparql", queries, 50, 5)
        )
    with oxigraph_server(Release.open(dist).store, work / "oxigraph") as url:
        found["Oxigraph server"] = asyncio.run(python_load(url, queries, 50, 5))
    if rdflib_too:
        found["rdflib-endpoint (5 clients × 1)"] = rdflib_endpoint_throughput(dist, queries)
    return found


def rdflib_endpoint_throughput(dist: Path, queries: list[str]) -> dict[str, Any]:
    """rdflib-endpoint (rdflib's parser, store and SPARQL engine behind FastAPI) serving the
    release's TriG; a light load, as each of its answers takes up to the 60 s timeout."""
    import asyncio
    import shutil
    import subprocess

    from benchmarks.serve_load import python_load
    from tests.servers import _stop, free_port, wait_for

    binary = shutil.which("rdflib-endpoint")
    if binary is None:
        return {"error": "not installed (pip install '.[bench]')"}
    port = free_port()
    process = subprocess.Popen(
        [binary, "serve", str(dist / "munikg.trig"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/"  # its SPARQL endpoint is the root path
        wait_for(url + "?query=ASK%7B%7D", process, seconds=900)
        # no warm-up round: it would be every query once, in turn, at up to 60 s each
        return asyncio.run(python_load(url, queries, 5, 1, warm=False))
    except RuntimeError as error:
        return {"error": str(error)}
    finally:
        _stop(process)


def markdown(r: dict[str, Any]) -> str:
    lines = [
        f"## {r['size']} ({r['synthetic_triples']} synthetic triples; "
        f"{r.get('build', {}).get('triples', '?')} in the release) — {r['machine']}, {r['date']}",
        "",
        "| step | munikg s | peak MB | alternative | its s | its MB | ratio |",
        "|---|---|---|---|---|---|---|",
    ]

    def row(step: str, ours: dict[str, Any], name: str, theirs: dict[str, Any] | None) -> None:
        theirs = theirs or {}
        lines.append(
            f"| {step} | {ours.get('seconds', ours.get('error'))} | {ours.get('peak_rss_mb', '')} | "
            f"{name} | {theirs.get('seconds', theirs.get('error', ''))} | "
            f"{theirs.get('peak_rss_mb', '')} | {ratio(ours, theirs) or ''} |"
        )

    r = {"build": {}, "validate_full": {}, "validate_change": {}, "exports": {}, **r}
    r.setdefault("raw_pyoxigraph_load", {})
    r.setdefault("raw_pyoxigraph_load_named", {})
    row("build (everything)", r["build"], "raw pyoxigraph bulk load", r["raw_pyoxigraph_load"])
    phases = r["build"].get("phases", {})
    load = {"seconds": phases.get("load", phases.get("load and check", 0))}
    if phases:
        row(
            "build: load" if "load" in phases else "build: load and check",
            load,
            "raw pyoxigraph bulk load",
            r["raw_pyoxigraph_load"],
        )
        row(
            "build: load, as above",
            load,
            "raw bulk load, same layout (named graphs + merge)",
            r["raw_pyoxigraph_load_named"],
        )
        serial = phases.get("check", phases.get("release graph and compaction"))
        if serial is not None:  # the Turtle checks now run beside validation, off this path
            checked = {"seconds": round(phases["load"] + serial, 3)}
            row(
                "build: load and what must follow it before the pool (checks or compaction)",
                checked,
                "raw bulk load, same layout (named graphs + merge)",
                r["raw_pyoxigraph_load_named"],
            )
        for name, seconds in phases.items():
            if name != "load":
                row(f"build: {name}", {"seconds": seconds}, "", None)
    if "rdflib_parse" in r:
        row("(parse only)", r["raw_pyoxigraph_load"], "rdflib parse", r["rdflib_parse"])
    row("full validation", r["validate_full"], "", None)
    row("change-set validation", r["validate_change"], "", None)
    for fmt, pair in r["exports"].items():
        row(f"export {fmt}", pair["munikg"], "raw pyoxigraph", pair["pyoxigraph"])
    lines += [
        "",
        "| canned query | rows | from the release | munikg ms (whole) | first page ms "
        f"({PAGE} rows) | pyoxigraph ms | ratio | rdflib ms |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, q in r.get("queries", {}).get("queries", {}).items():
        other = r.get("rdflib_queries", {}).get("queries", {}).get(name, {})
        lines.append(
            f"| {name} | {q['rows']} | {'yes' if q.get('held') else ''} | {q['munikg_ms']} | "
            f"{q.get('first_page_ms', '')} | {q['pyoxigraph_ms']} | "
            f"{round(q['munikg_ms'] / q['pyoxigraph_ms'], 2) if q['pyoxigraph_ms'] else ''} | "
            f"{other.get('ms', other.get('error', ''))} |"
        )
    lines += [
        "",
        "| /sparql (50 clients × 5) | errors | p50 ms | p99 ms | req/s |",
        "|---|---|---|---|---|",
    ]
    for name, s in r.get("sparql", {}).items():
        if "error" in s:
            lines.append(f"| {name} | {s['error']} | | | |")
            continue
        lines.append(
            f"| {name} | {s['errors']} | {s['p50_ms']} | {s['p99_ms']} | {s['throughput_rps']} |"
        )
    if "http" in r:
        from benchmarks.http_compare import markdown as http_markdown

        lines += ["", http_markdown(r["http"])]
    return "\n".join(lines)


GROWN = ("100k", "1M", "5M")


def growth() -> str:
    """The issue's figures at each saved size, side by side."""
    runs = {}
    for size in GROWN:
        saved = ROOT / "benchmarks" / "out" / f"scale-{size}.json"
        if saved.is_file():
            runs[size] = json.loads(saved.read_text())

    def query(name: str, key: str) -> list[Any]:
        return [
            r.get("queries", {}).get("queries", {}).get(name, {}).get(key, "")
            for r in runs.values()
        ]

    def page(name: str, key: str) -> list[Any]:
        return [
            r.get("http", {}).get("pages", {}).get(name, {}).get(key, "") for r in runs.values()
        ]

    def build_ratio(r: dict[str, Any], named: bool, checked: bool) -> Any:
        phases = r.get("build", {}).get("phases", {})
        raw = r.get("raw_pyoxigraph_load_named" if named else "raw_pyoxigraph_load", {})
        serial = phases.get("check", phases.get("release graph and compaction", 0))
        ours = phases.get("load", 0) + serial if checked else r["build"].get("seconds")
        return round(ours / raw["seconds"], 2) if raw.get("seconds") and ours else ""

    figures: list[tuple[str, list[Any]]] = [
        ("triples in the release", [r.get("build", {}).get("triples", "") for r in runs.values()]),
        ("search-by-label ms (label index)", query("search-by-label", "munikg_ms")),
        ("search-by-label ms, its SPARQL on pyoxigraph", query("search-by-label", "pyoxigraph_ms")),
    ]
    for name in ("projects-with-funding", "projects-timeline"):
        figures += [
            (f"{name}: rows", query(name, "rows")),
            (f"{name}: first page ms ({PAGE} rows, stored)", query(name, "first_page_ms")),
            (f"{name}: whole answer ms (stored)", query(name, "munikg_ms")),
            (f"{name}: pyoxigraph ms", query(name, "pyoxigraph_ms")),
        ]
    for name in ("funding-totals-by-funder", "sources", "overview"):
        figures += [
            (f"{name} ms (stored)", query(name, "munikg_ms")),
            (f"{name}: pyoxigraph ms", query(name, "pyoxigraph_ms")),
        ]
    figures += [
        ("build s", [r.get("build", {}).get("seconds", "") for r in runs.values()]),
        (
            "raw pyoxigraph bulk load s",
            [r.get("raw_pyoxigraph_load", {}).get("seconds", "") for r in runs.values()],
        ),
        (
            "build (everything) ÷ raw bulk load",
            [build_ratio(r, False, False) for r in runs.values()],
        ),
        (
            "build: load + compaction (the checks run beside validation) ÷ raw load, same layout",
            [build_ratio(r, True, True) for r in runs.values()],
        ),
    ]
    for name in (
        "landing page",
        "entity page",
        "partnership picture (SVG)",
        "projects-with-funding, first page",
        "site search",
    ):
        figures += [
            (f"HTTP {name}: first request ms", page(name, "first_ms")),
            (f"HTTP {name}: then, median ms", page(name, "median_ms")),
        ]
    lines = ["| figure | " + " | ".join(runs) + " |", "|---|" + "---|" * len(runs)]
    lines += [
        f"| {name} | " + " | ".join(str(v) for v in values) + " |" for name, values in figures
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
