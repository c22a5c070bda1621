"""Opening a release: the immutable, versioned output of ``munikg build``
(:mod:`munikg.build.pipeline`), read only.

A release directory holds the pyoxigraph store (``store/``), the dumps
(:mod:`munikg.artefacts.export`), the JSON-LD context, VoID, the DCAT catalogue, CITATION.cff, the
ontology documentation, the shapes it was validated with, ``release.json`` (version, date, triple
counts per graph, input and output checksums) and ``SHA256SUMS``. The names below are the one
registry of those files; everything that reads or writes one takes its name from here.
"""

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from munikg.errors import BadInput, NoRelease
from munikg.store import named_quads

STORE_DIR = "store"
DUMP_FILE = "munikg.trig"  # the release's dataset, every graph (FORMATS["trig"])
SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"
VOID_FILE = "void.ttl"
CITATION_FILE = "CITATION.cff"
CATALOG_TTL = "catalog.ttl"
CATALOG_RDF = "catalog.rdf"
DOCS_FILE = "ontology.%s.html"
METADATA_FILE = "release.json"
CHECKSUMS_FILE = "SHA256SUMS"
QUERIES_DIR = "queries"  # the canned queries the release was built with
LABELS_FILE = "labels.sqlite"  # the full-text index of labels (munikg.query.search)
ANSWERS_DIR = "answers"  # the canned queries' answers, stored (munikg.query.stored)


@dataclass
class Release:
    """An opened release: its metadata and its (read-only) store."""

    path: Path
    metadata: dict[str, Any]
    store: ox.Store

    @property
    def version(self) -> str:
        return str(self.metadata["version"])

    @classmethod
    def open(cls, path: Path) -> "Release":
        meta = path / METADATA_FILE
        if not meta.is_file():
            raise NoRelease(f"no release in {path}/ (run `munikg build` first)")
        metadata = json.loads(meta.read_text(encoding="utf-8"))
        return cls(path, metadata, ox.Store.read_only(str(path / STORE_DIR)))

    @property
    def queries(self) -> Path | None:
        """The release's own copy of its canned queries (None in a release built before it
        carried them)."""
        found = self.path / QUERIES_DIR
        return found if found.is_dir() else None

    def quads(self) -> list[ox.Quad]:
        """The quads of the named graphs (the default graph is their merge)."""
        return named_quads(self.store)


def read_context(path: Path) -> dict[str, Any]:
    """The JSON-LD context file; it must be a JSON object with an ``@context``."""
    try:
        context = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as error:
        raise BadInput(path, f"not JSON: {error.msg}", error.lineno, error.colno) from None
    if not isinstance(context, dict) or not isinstance(context.get("@context"), dict):
        raise BadInput(path, "a JSON-LD context file is an object with an @context object")
    return context
