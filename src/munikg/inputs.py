"""Which files a build reads, and into which named graph each goes (design §2, §4).

The ontology directory holds the ontology (graph ``ontology``), the concept schemes (graph by
file stem) and the SHACL shapes (``shapes.ttl``, used to validate, never loaded as data). The
data directory holds one curated Turtle file per source, each its own named graph.
"""

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.namespaces import graph_iri
from munikg.turtle import TurtleFile, read_turtle

SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"

Progress = Callable[[str], None]
"""Told what a long step is doing; the CLI shows it."""


@dataclass(frozen=True)
class Layout:
    """Where the edited source files live."""

    ontology_dir: Path = Path("ontology")
    data_dir: Path = Path("data")

    @property
    def shapes(self) -> Path:
        return self.ontology_dir / SHAPES_FILE

    @property
    def context(self) -> Path:
        """The JSON-LD context published with every release."""
        return self.ontology_dir / CONTEXT_FILE

    def input_paths(self) -> list[Path]:
        """Every Turtle file a build loads, ontology first, in a stable order."""
        for directory in (self.ontology_dir, self.data_dir):
            if not directory.is_dir():
                raise BadInput(directory, "no such directory")
        ontology = sorted(p for p in self.ontology_dir.glob("*.ttl") if p.name != SHAPES_FILE)
        data = sorted(self.data_dir.glob("*.ttl"))
        if not data:
            raise BadInput(self.data_dir, "no data files (*.ttl) in the data directory")
        for needed in (self.shapes, self.context):
            if not needed.is_file():
                raise BadInput(needed, "no such file")
        return ontology + data


def graph_for(path: Path) -> ox.NamedNode:
    """The named graph of an input file.

    >>> graph_for(Path("ontology/munikg.ttl")).value
    'https://w3id.org/munikg/graph/ontology'
    >>> graph_for(Path("data/icld-partnerships.ttl")).value
    'https://w3id.org/munikg/graph/icld-partnerships'
    """
    name = "ontology" if path.name == "munikg.ttl" else path.stem
    return ox.NamedNode(graph_iri(name))


def read_inputs(paths: list[Path], progress: Progress = lambda _: None) -> list[TurtleFile]:
    """Parse every input; two files may not claim the same named graph."""
    files: list[TurtleFile] = []
    seen: dict[str, Path] = {}
    for path in paths:
        graph = graph_for(path)
        if graph.value in seen:
            raise BadInput(path, f"its graph <{graph.value}> is also {seen[graph.value]}'s")
        seen[graph.value] = path
        progress(f"parsing {path}")
        files.append(read_turtle(path, graph))
    return files


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
