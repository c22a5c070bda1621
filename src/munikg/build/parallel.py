"""What a build does once the store is loaded, checked and closed, side by side: validation
and the release's files that read only the store or the two sorted dumps (the other dump
formats, VoID, the documentation, the label index, the stored answers). Each task runs in a
process of the pool (spawned, so no open store is inherited) and opens the store read-only, as
the server's workers do; on two cores the phase takes about half the sum of its tasks. A
violation found stops the tasks not yet started, and the build writes no release."""

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
from munikg.build.inputs import read_inputs
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


def index_labels(store: str, out: str, queries: str, answers: str) -> None:
    """The label index, and the stored answers of the canned queries it answers."""
    opened = ox.Store.read_only(store)
    labels = LabelIndex.build(opened, Path(out))
    chosen = {n: q for n, q in canned.load(Path(queries)).items() if q.index == "labels"}
    entries = store_answers(opened, chosen, Path(answers), index=False, labels=labels)
    (Path(answers) / ".part-labels.json").write_text(json.dumps(entries), encoding="utf-8")


def answer(store: str, queries: str, names: list[str], out: str, part: int) -> None:
    """The stored answers of the canned queries ``names``, and their entries of the index
    as ``.part-N.json`` (the caller merges the parts into one index)."""
    chosen = {n: q for n, q in canned.load(Path(queries)).items() if n in names}
    entries = store_answers(ox.Store.read_only(store), chosen, Path(out), index=False)
    (Path(out) / f".part-{part:03d}.json").write_text(json.dumps(entries), encoding="utf-8")


def check(store: str, shapes: str, paths: list[str]) -> list[Violation]:
    """The release's violations of its shapes, warnings aside (its files are parsed only
    to locate one)."""
    files = [Path(p) for p in paths]
    found = validate(
        ox.Store.read_only(store), load_shapes(Path(shapes)), lambda: read_inputs(files)
    )
    return [v for v in found if v.severity == "Violation"]


def run(
    tasks: list[Task], stop: Callable[[Any], bool] = lambda _: False, alone: bool = False
) -> list[Any]:
    """Each task's result, in order (None for a task not run). A result ``stop`` holds
    true cancels the tasks not yet started; a failure is raised. Either way every running
    task has ended first, so no process is left writing into the build. ``alone``: one
    after another in this process (a small release: starting the pool costs more)."""
    workers = 1 if alone else max(1, min(len(tasks), os.cpu_count() or 1))
    results: list[Any] = [None] * len(tasks)
    if workers == 1:
        for number, (function, args) in enumerate(tasks):
            results[number] = function(*args)
            if stop(results[number]):
                break
        return results
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn")) as pool:
        futures = {pool.submit(function, *args): n for n, (function, args) in enumerate(tasks)}
        try:
            for future in as_completed(futures):
                results[futures[future]] = future.result()
                if stop(results[futures[future]]):
                    break
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
    return results
