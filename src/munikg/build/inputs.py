"""Which files a build reads, and into which named graph each goes (design §2, §4).

The ontology directory holds the ontology (graph ``ontology``), the concept schemes (graph by
file stem) and the SHACL shapes (``shapes.ttl``, used to validate, never loaded as data). The
data directory holds one curated source per file, each its own named graph: Turtle, or a table
with its mapping (``NAME.csv`` + ``NAME.rq``).
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from munikg.artefacts.export import graph_lines
from munikg.build.tables import is_table, mapping_of, render
from munikg.errors import BadInput
from munikg.namespaces import XSD, graph_iri
from munikg.query.canned import shipped
from munikg.store import select
from munikg.turtle import TurtleFile, ill_typed, read_turtle

SHAPES_FILE = "shapes.ttl"
CONTEXT_FILE = "context.jsonld"

Progress = Callable[[str], None]
"""Told what a long step is doing; the CLI shows it."""


@dataclass(frozen=True)
class Layout:
    """Where the edited source files live."""

    ontology_dir: Path = Path("ontology")
    data_dir: Path = Path("data")
    queries_dir: Path | None = None  # None: the canned queries munikg ships

    @property
    def queries(self) -> Path:
        """The canned queries a release carries a copy of."""
        return self.queries_dir if self.queries_dir is not None else shipped()

    def named(self, path: Path) -> str:
        """``path`` as the release records it: by its place in the layout, not by how the
        command spelt it, so the version depends on content only."""
        for kind, directory in (
            ("ontology", self.ontology_dir),
            ("data", self.data_dir),
            ("queries", self.queries),
        ):
            if path.resolve().is_relative_to(directory.resolve()):
                return f"{kind}/{path.resolve().relative_to(directory.resolve()).as_posix()}"
        return path.name

    @property
    def shapes(self) -> Path:
        return self.ontology_dir / SHAPES_FILE

    @property
    def context(self) -> Path:
        """The JSON-LD context published with every release."""
        return self.ontology_dir / CONTEXT_FILE

    def edited_paths(self) -> list[Path]:
        """Every edited file a build reads as data — ontology, Turtle sources, tables and their
        mappings — in a stable order: what a release is built from."""
        for directory in (self.ontology_dir, self.data_dir):
            if not directory.is_dir():
                raise BadInput(directory, "no such directory")
        ontology = sorted(p for p in self.ontology_dir.glob("*.ttl") if p.name != SHAPES_FILE)
        data = sorted(p for p in self.data_dir.iterdir() if p.suffix == ".ttl" or is_table(p))
        if not data:
            raise BadInput(self.data_dir, "no data files (*.ttl, *.csv, *.tsv) in the directory")
        for needed in (self.shapes, self.context):
            if not needed.is_file():
                raise BadInput(needed, "no such file")
        stems: dict[str, Path] = {}
        for path in data:  # named here, not as the Turtle generated from a table
            if path.stem in stems:
                raise BadInput(path, f"its graph {path.stem!r} is also {stems[path.stem]}'s")
            stems[path.stem] = path
        tables = [p for p in data if is_table(p)]
        mappings = [mapping_of(t) for t in tables]
        for orphan in sorted(set(self.data_dir.glob("*.rq")) - set(mappings)):
            raise BadInput(orphan, "a mapping without its table (NAME.csv or NAME.tsv beside it)")
        return ontology + data + mappings

    def input_paths(self) -> list[Path]:
        """Every Turtle file a build loads, ontology first, in a stable order; a table is
        loaded as the Turtle its mapping makes of it (:mod:`munikg.build.tables`)."""
        return [as_turtle(p) for p in self.edited_paths() if p.suffix != ".rq"]


def as_turtle(path: Path) -> Path:
    """``path`` itself, or for a table the Turtle file generated from it."""
    return render(path) if is_table(path) else path


def graph_for(path: Path) -> ox.NamedNode:
    """The named graph of an input file.

    >>> graph_for(Path("ontology/munikg.ttl")).value
    'https://w3id.org/munikg/graph/ontology'
    >>> graph_for(Path("data/icld-partnerships.ttl")).value
    'https://w3id.org/munikg/graph/icld-partnerships'
    """
    name = "ontology" if path.name == "munikg.ttl" else path.stem
    return ox.NamedNode(graph_iri(name))


def graphs_of(paths: list[Path]) -> dict[Path, ox.NamedNode]:
    """Each input's named graph; two files may not claim the same one."""
    graphs: dict[Path, ox.NamedNode] = {}
    seen: dict[str, Path] = {}
    for path in paths:
        graph = graph_for(path)
        if graph.value in seen:
            raise BadInput(path, f"its graph <{graph.value}> is also {seen[graph.value]}'s")
        seen[graph.value] = path
        graphs[path] = graph
    return graphs


def read_inputs(paths: list[Path], progress: Progress = lambda _: None) -> list[TurtleFile]:
    """Parse every input into Python quads (for change sets and for locating violations)."""
    files = []
    for path, graph in graphs_of([as_turtle(p) for p in paths]).items():
        progress(f"parsing {path}")
        files.append(read_turtle(path, graph))
    return files


def load_inputs(
    store: ox.Store, paths: list[Path], progress: Progress = lambda _: None, check: bool = True
) -> None:
    """Load every input into its named graph of ``store`` and into the default graph, which,
    being a set, becomes their merge (see :mod:`munikg.store`).

    pyoxigraph's bulk loader parses in Rust, and no Python quad is built: at a million
    triples this is what keeps a build near raw pyoxigraph's speed and memory. The checks of
    :func:`munikg.turtle.read_turtle` are then made on the store (``check=False`` skips them
    for files already checked); a file that fails one is read again by it, so the error names
    the file and line exactly as it would.
    """
    graphs = graphs_of(paths)
    for path, graph in graphs.items():
        progress(f"loading {path}")
        try:
            for target in (graph, ox.DefaultGraph()):
                store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE, to_graph=target)
        except (SyntaxError, OSError, ValueError):
            read_turtle(path, graph)  # raises BadInput with the line
            raise
    if not check:
        return
    progress("checking nodes and literals")
    loaded = {g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)}
    faulty = {g.value for g in graphs.values()} - loaded  # empty, or no triples
    faulty.update(str(row["g"].value) for row in select(store, _BLANK_NODES))
    for row in select(store, _TYPED_LITERALS):
        literal = row["o"]
        if ill_typed(literal.value, literal.datatype.value):
            faulty.add(str(row["g"].value))
    for path, graph in graphs.items():
        if graph.value in faulty:
            read_turtle(path, graph)  # raises BadInput naming the line
    for path, graph in graphs.items():
        check_as_written(store, path, graph)


def check_as_written(store: ox.Store, path: Path, graph: ox.NamedNode) -> None:
    """Raise :class:`BadInput` where the store does not hold ``path``'s statements as terms
    of the same datatypes, one for one. The store keeps a value's canonical form: ``12.0`` of
    xsd:decimal as ``12`` is harmless (the dumps are written from the file, and SHACL compares
    the value), but ``"5"^^xsd:int`` held as an xsd:integer would be validated as one, and
    ``12.0`` beside ``12.00`` would be held once."""
    lines = {
        "file": set(graph_lines(store, graph, path)),
        "store": set(graph_lines(store, graph, None)),
    }
    if len(lines["file"]) != len(lines["store"]):
        raise BadInput(
            path,
            f"{len(lines['file']) - len(lines['store'])} statements differ only in how a "
            "literal is written (e.g. 12.0 and 12.00 of xsd:decimal for one subject and "
            "property); the store keeps one of them: write one",
        )
    scratch = ox.Store()
    for q in ox.parse(b"".join(sorted(lines["file"] - lines["store"])), ox.RdfFormat.N_TRIPLES):
        if not isinstance(q.object, ox.Literal):
            continue
        scratch.add(ox.Quad(q.subject, q.predicate, q.object))
        held = next(iter(scratch.quads_for_pattern(q.subject, q.predicate, None))).object
        scratch.clear()
        if isinstance(held, ox.Literal) and held.datatype != q.object.datatype:
            raise BadInput(
                path,
                f"{q.object} is held by the store as {held}, losing its datatype, so it "
                "could not be validated as written: write it as the latter",
            )


_BLANK_NODES = """SELECT DISTINCT ?g WHERE {
    GRAPH ?g { ?s ?p ?o } FILTER (isBlank(?s) || isBlank(?o)) }"""
_TYPED_LITERALS = f"""SELECT DISTINCT ?g ?o WHERE {{
    GRAPH ?g {{ ?s ?p ?o }}
    FILTER (isLiteral(?o) && DATATYPE(?o) != <{XSD}string> && STRSTARTS(STR(DATATYPE(?o)), "{XSD}"))
}}"""
