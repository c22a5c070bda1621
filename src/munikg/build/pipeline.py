"""Building a release: parse and check the inputs, validate them, write every artefact into a
private sibling of ``dist``, and swap it in by rename only when complete — so a failed build
leaves the previous release as it was, byte for byte (design §2, §9).
"""

import datetime as dt
import gc
import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from munikg import __version__
from munikg.artefacts import catalog, checksums, export, ontology_docs, void
from munikg.artefacts.checksums import sha256
from munikg.artefacts.citation import citation_cff
from munikg.artefacts.export import FORMATS
from munikg.build import parallel
from munikg.build.inputs import Layout, Progress, graphs_of, lines_file, load_inputs
from munikg.errors import MunikgError
from munikg.namespaces import BASE, MK, release_iri
from munikg.query import canned
from munikg.query.stored import write_index
from munikg.release import (
    ANSWERS_DIR,
    CATALOG_RDF,
    CATALOG_TTL,
    CITATION_FILE,
    CONTEXT_FILE,
    DOCS_FILE,
    LABELS_FILE,
    METADATA_FILE,
    QUERIES_DIR,
    SHAPES_FILE,
    STORE_DIR,
    VOID_FILE,
    read_context,
)
from munikg.shacl.shapes import load_shapes
from munikg.shacl.violations import Violation
from munikg.store import fill, select

# What a release is derived from: the documents munikg keeps a copy of (a page of a capture is
# part of its document; a register page is the source of single facts, not of the release).
_SOURCES = f"""SELECT ?s WHERE {{ ?s a <{MK}Source> ; <{MK}localCopy> []
  FILTER NOT EXISTS {{ ?s <http://purl.org/dc/terms/isPartOf> [] }} }} ORDER BY ?s"""
POOLED = 200_000  # triples from which the build's last phases run in a pool of processes
_GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"


class ValidationFailed(MunikgError):
    """The graph violates its shapes; nothing was released."""

    exit_code = 1

    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(f"{len(violations)} SHACL violation(s); the release was not written")
        self.violations = violations


def build(
    layout: Layout,
    dist: Path,
    version: str | None = None,
    progress: Progress = lambda _: None,
    base_url: str = BASE,
    publisher: catalog.Publisher | None = None,
) -> dict[str, Any]:
    """Parse, validate and write a release to ``dist``; return its metadata.

    Raises :class:`munikg.errors.BadInput` (exit 2) or :class:`ValidationFailed` (exit 1)
    before anything in ``dist`` is touched.
    """
    paths = layout.input_paths()
    graphs_of(paths)  # two files claiming one graph is bad input, before any work
    progress(f"reading shapes {layout.shapes}")
    load_shapes(layout.shapes)  # bad shapes are bad input, before any work
    queries = sorted(canned.load(layout.queries).values(), key=lambda q: q.name)  # checked now
    read = [*layout.edited_paths(), layout.shapes, layout.context, *(q.path for q in queries)]
    inputs = {layout.named(p): sha256(p) for p in read}
    # the identity of a release: what it is built from and the options that change its bytes
    publisher = publisher or catalog.Publisher()
    options = {"base_url": base_url, **publisher.as_options()}
    identity = {"inputs": inputs, "options": options}
    digest = hashlib.sha256(json.dumps(identity, sort_keys=True).encode()).hexdigest()
    version = version or f"{__version__}+{digest[:12]}"
    dist = dist.resolve()
    dist.parent.mkdir(parents=True, exist_ok=True)
    # Everything is built in a private sibling, so bad input or a violation leaves ``dist``
    # as it was.
    tmp = Path(tempfile.mkdtemp(prefix=f".{dist.name}.tmp-", dir=dist.parent))
    tmp.chmod(0o755)  # mkdtemp makes it private; a release is for everyone to read
    try:
        # Loaded once, into the release's own store, and checked there; then closed, and
        # validated read-only beside the writing of the files made from it (an in-memory
        # copy validates 1.6× faster but doubled the load and held ~0.65 GB per million
        # triples). A failure leaves the store in ``tmp``, which is removed.
        store = ox.Store(str(tmp / STORE_DIR))
        load_inputs(store, paths, progress, check=False)  # checked below, beside validation
        progress("adding the release graph")
        sources = [str(row["s"].value) for row in select(store, _SOURCES)]
        fill(store, void.release_graph(version, base_url, sources))
        store.flush()
        # Compacted once: every later reader opens it read-only, and RocksDB never compacts a
        # read-only store (at 1M triples validation took 44 s on it as loaded, 20 s after the
        # 1.5 s this takes; the server's queries read it the same way).
        progress("compacting the store")
        store.optimize()
        small = len(store) < 2 * POOLED  # the pool's processes cost ~1 s to start
        del store
        gc.collect()  # closed: from here on every reader opens it read-only
        (tmp / QUERIES_DIR).mkdir()
        for query in queries:  # the questions this release was built and checked with
            shutil.copyfile(query.path, tmp / QUERIES_DIR / query.path.name)
        # The checks keep each curated file's sorted lines, which the dumps are made of: the
        # store canonicalises literals ("6.0" of xsd:decimal is held as "6"), and a
        # publisher's dumps carry the curated lexical forms (issue 16).
        lines = tmp / ".lines"
        lines.mkdir()
        progress(
            f"checking nodes and literals, validating against {layout.shapes}, beside "
            "VoID, the documentation, the label index and the stored answers"
        )
        store_path = str(tmp / STORE_DIR)
        graphs_by_path = graphs_of(paths)
        checks: list[parallel.Task] = [
            (parallel.check_input, (store_path, str(path), graph.value, str(lines_file(lines, n))))
            for n, (path, graph) in enumerate(graphs_by_path.items())
        ]
        validation: parallel.Task = (
            parallel.check,
            (store_path, str(layout.shapes), [str(p) for p in paths]),
        )
        # The checks first: a bad file is what is raised, whatever validation makes of it.
        tasks = [*checks, validation, *_from_the_store(tmp, version, base_url, queries)]
        violations = parallel.run(tasks, alone=small)[len(checks)]
        if violations:
            raise ValidationFailed(violations)
        curated = {g: lines_file(lines, n) for n, g in enumerate(graphs_by_path.values())}
        store = ox.Store.read_only(store_path)
        context = read_context(layout.context)
        shutil.copyfile(layout.context, tmp / CONTEXT_FILE)
        for statements in (FORMATS["nq"], FORMATS["nt"]):  # the named graphs, then the merge
            progress(f"writing {statements.file}")
            with (tmp / statements.file).open("wb") as out:
                export.write_statements(store, statements.dataset, out, written=curated)
        shutil.rmtree(lines)
        graphs = {str(row["g"].value): int(row["n"].value) for row in select(store, _GRAPH_SIZES)}
        progress("writing the other dumps from them")
        conversions: list[parallel.Task] = []
        for fmt in ("jsonld", "trig", "rdf", "ttl"):  # longest first
            source = FORMATS["nq" if FORMATS[fmt].dataset else "nt"].file
            written = (str(tmp / source), fmt, context, str(tmp / FORMATS[fmt].file))
            conversions.append((parallel.convert, written))
        parallel.run(conversions, alone=small)
        merged: dict[str, Any] = {}
        for part in sorted((tmp / ANSWERS_DIR).glob(".part-*.json")):
            merged.update(json.loads(part.read_text(encoding="utf-8")))
            part.unlink()
        write_index(tmp / ANSWERS_DIR, merged)
        date = _release_date()
        progress("writing the DCAT catalogue")
        entries = catalog.catalog_description(store, tmp, version, date, base_url, publisher)
        entries.sort(key=export.quad_key)
        (tmp / CATALOG_TTL).write_bytes(export.serialize(entries, FORMATS["ttl"]))
        (tmp / CATALOG_RDF).write_bytes(export.serialize(entries, FORMATS["rdf"]))
        del store
        gc.collect()  # the store's files must be closed before the directory is renamed
        shutil.copyfile(layout.shapes, tmp / SHAPES_FILE)
        (tmp / CITATION_FILE).write_text(citation_cff(version, date), encoding="utf-8")
        metadata = {
            "release": release_iri(version),
            "version": version,
            "date": date,
            "base_url": base_url,
            "munikg": __version__,
            "triples": sum(graphs.values()),
            "graphs": graphs,
            "inputs": inputs,
            "inputs_sha256": digest,
            # every file written so far (release.json and SHA256SUMS come next)
            "files": {p.as_posix(): sha256(tmp / p) for p in checksums.covered(tmp)},
        }
        (tmp / METADATA_FILE).write_text(
            json.dumps(metadata, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
            encoding="utf-8",
        )
        checksums.write(tmp)
        progress(f"swapping the release into {dist}")
        _swap(tmp, dist)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return metadata


def _from_the_store(
    tmp: Path, version: str, base_url: str, queries: list[canned.CannedQuery]
) -> list[parallel.Task]:
    """The release files made from the closed store alone, longest first: the stored answers
    in a few parts (each writes its index of them beside; the label index answers its own)."""
    store = str(tmp / STORE_DIR)
    names = [q.name for q in queries if not q.index]
    parts = max(2, 2 * (os.cpu_count() or 1))
    tasks: list[parallel.Task] = [
        (
            parallel.answer,
            (store, str(tmp / QUERIES_DIR), names[n::parts], str(tmp / ANSWERS_DIR), f"{n:03d}"),
        )
        for n in range(parts)
    ]
    tasks.append((parallel.describe, (store, version, base_url, str(tmp / VOID_FILE))))
    indexed = [q.name for q in queries if q.index]  # answered by the label index
    labels = (
        store,
        str(tmp / LABELS_FILE),
        str(tmp / QUERIES_DIR),
        indexed,
        str(tmp / ANSWERS_DIR),
    )
    tasks.append((parallel.index_labels, labels))
    pages = {lang: str(tmp / (DOCS_FILE % lang)) for lang in ontology_docs.LANGUAGES}
    tasks.append((parallel.document, (store, version, pages)))
    return tasks


def _release_date() -> str:
    """Today (UTC), or the reproducible-builds SOURCE_DATE_EPOCH when it is set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.UTC) if epoch else dt.datetime.now(dt.UTC)
    return moment.date().isoformat()


def _swap(new: Path, dist: Path) -> None:
    """Put ``new`` at ``dist``; the old release is moved aside first and removed last."""
    old = None
    if dist.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dist.name}.old-", dir=dist.parent))
        os.rename(dist, old / "release")
    try:
        os.rename(new, dist)
    except BaseException:
        if old is not None:
            os.rename(old / "release", dist)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
