"""What a build does once the store is loaded and closed, side by side: each input's Turtle
checks, validation, and the release's files made from the store alone (VoID, the
documentation, the label index, the stored answers); then the other dump formats from the two
sorted dumps. Each task runs in a process of a pool the size of the machine's cores (spawned,
so no open store is inherited) and opens the store read-only, as the server's workers do; on
two cores a phase takes about half the sum of its tasks. A task that fails (a bad input file)
stops those not yet started, and the build writes no release."""

import json
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from multiprocessing import get_context
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from munikg.artefacts import export, ontology_docs, void
from munikg.artefacts.export import FORMATS
from munikg.build.answers import store_answers
from munikg.build.inputs import checked_lines, read_inputs
from munikg.query import canned
from munikg.query.search import LabelIndex
from munikg.shacl.shapes import load_shapes
from munikg.shacl.validate import validate
from munikg.shacl.violations import Violation

Task = tuple[Callable[..., Any], tuple[Any, ...]]


def convert(statements: str, fmt: str, context: dict[str, Any], out: str) -> None:
    """A dump in ``fmt`` from the sorted N-Quads or N-Triples file."""
    with Path(out).open("wb") as written:
        export.write_format(Path(statements), FORMATS[fmt], context, written)


def describe(store: str, version: str, base_url: str, out: str) -> None:
    """VoID of the release."""
    found = void.void_description(ox.Store.read_only(store), version, base_url)
    Path(out).write_bytes(export.serialize(sorted(found, key=export.quad_key), FORMATS["ttl"]))


def document(store: str, version: str, outs: dict[str, str]) -> None:
    """The ontology's documentation, a page per language."""
    opened = ox.Store.read_only(store)
    for lang, out in outs.items():
        Path(out).write_text(ontology_docs.html_page(opened, lang, version), encoding="utf-8")


def index_labels(store: str, out: str, queries: str, names: list[str], answers: str) -> None:
    """The label index, and the stored answers of the canned queries ``names`` it answers."""
    labels = LabelIndex.build(ox.Store.read_only(store), Path(out))
    answer(store, queries, names, answers, "labels", labels)


def answer(
    store: str,
    queries: str,
    names: list[str],
    out: str,
    part: str,
    labels: LabelIndex | None = None,
) -> None:
    """The stored answers of the canned queries ``names``, and their entries of the index
    as ``.part-PART.json`` (the caller merges the parts into one index)."""
    chosen = {n: q for n, q in canned.load(Path(queries)).items() if n in names}
    opened = ox.Store.read_only(store)
    entries = store_answers(opened, chosen, Path(out), index=False, labels=labels)
    (Path(out) / f".part-{part}.json").write_text(json.dumps(entries), encoding="utf-8")


def check_input(store: str, path: str, graph: str, lines: str) -> None:
    """An input's Turtle checks (:func:`munikg.build.inputs.checked_lines`); its sorted lines
    kept in ``lines`` for the dumps."""
    written = checked_lines(ox.Store.read_only(store), Path(path), ox.NamedNode(graph))
    Path(lines).write_bytes(b"".join(written))


def check(store: str, shapes: str, paths: list[str]) -> list[Violation]:
    """The release's violations of its shapes, warnings aside (its files are parsed only
    to locate one)."""
    files = [Path(p) for p in paths]
    found = validate(
        ox.Store.read_only(store), load_shapes(Path(shapes)), lambda: read_inputs(files)
    )
    return [v for v in found if v.severity == "Violation"]


def run(tasks: list[Task], alone: bool = False) -> list[Any]:
    """Each task's result, in order. A task that fails cancels those not yet started, and
    the first failure in the tasks' order is raised once every running task has ended, so
    no process is left writing into the build. ``alone``: one after another in this
    process (a small release: starting the pool costs more than it saves)."""
    workers = 1 if alone else max(1, min(len(tasks), os.cpu_count() or 1))
    if workers == 1:
        return [function(*args) for function, args in tasks]
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = [pool.submit(function, *args) for function, args in tasks]
        try:
            for future in as_completed(futures):
                if future.exception() is not None:
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    for future in futures:
        if not future.cancelled() and future.exception() is not None:
            raise future.exception()  # type: ignore[misc]
    return [future.result() for future in futures]
