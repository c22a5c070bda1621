"""Validation at scale and on the W3C SHACL suite, measured in one run.

    python3 benchmarks/validation.py [--size 100k|1M|5M] [--seed 1]

- the build's validation step on a synthetic graph (``munikg synth``): the inputs loaded as the
  build loads them, then ``validate`` timed alone, with the engine the default chooses
  (compiled: munikg's shapes have no gaps), and pySHACL on the same store for comparison
  (10k only unless asked: 274 s at 100k);
- the 120 W3C SHACL tests through each engine: seconds and outcomes.

Prints a Markdown report. Reports; asserts nothing.
"""

import argparse
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from munikg.build.inputs import Layout, load_inputs, read_inputs  # noqa: E402
from munikg.shacl.shapes import load_shapes  # noqa: E402
from munikg.shacl.validate import Engine, validate  # noqa: E402
from tests.test_w3c_shacl import CASES, outcome  # noqa: E402

SIZES = {"10k": 10_000, "100k": 100_000, "1M": 1_000_000, "5M": 5_000_000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=SIZES, default="100k")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pyshacl", action="store_true", help="time pySHACL at any size")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as work:
        out = Path(work)
        subprocess.run(
            [sys.executable, "-m", "munikg", "synth", "--triples", str(SIZES[args.size]),
             "--seed", str(args.seed), "--out", str(out)],
            check=True, capture_output=True, cwd=ROOT,
        )  # fmt: skip
        layout = Layout(ROOT / "ontology", out / "data")
        paths = layout.input_paths()
        store = ox.Store()
        load_inputs(store, paths)
        shapes = load_shapes(layout.shapes)
        print(f"## Validation at {args.size} ({len(store)} quads with the merge)\n")
        print("| engine | seconds | results |\n|---|---|---|")
        engines = [Engine.auto]
        if args.pyshacl or args.size == "10k":  # pySHACL: 274 s at 100k
            engines.append(Engine.pyshacl)
        times = {}
        for engine in engines:
            started = time.perf_counter()
            found = validate(store, shapes, lambda: read_inputs(paths), engine=engine)
            times[engine] = time.perf_counter() - started
            print(f"| {engine.value} | {times[engine]:.2f} | {len(found)} |")
        if Engine.pyshacl in times:
            ratio = times[Engine.pyshacl] / times[Engine.auto]
            print(f"\npySHACL / default: {ratio:.1f}×")
    print("\n## W3C SHACL test suite (120 tests)\n")
    print("| engine | seconds | outcomes |\n|---|---|---|")
    for engine in Engine:
        started = time.perf_counter()
        counts = Counter(outcome(case, engine) for case in CASES)
        elapsed = time.perf_counter() - started
        print(f"| {engine.value} | {elapsed:.2f} | {dict(sorted(counts.items()))} |")


if __name__ == "__main__":
    main()
