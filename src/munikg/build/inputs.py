"""Which files a build reads, and into which named graph each goes (design §2, §4).

The ontology directory holds the ontology (graph ``ontology``), the concept schemes (graph by
file stem) and the SHACL shapes (``shapes.ttl``, used to validate, never loaded as data). The
data directory holds one curated source per file, each its own named graph: Turtle, or a table
with its mapping (``NAME.csv`` + ``NAME.rq``).
"""

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from munikg.build.tables import is_table, mapping_of, render
from munikg.errors import BadInput
from munikg.namespaces import XSD, graph_iri
from munikg.query.canned import shipped
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
    store: ox.Store,
    paths: list[Path],
    progress: Progress = lambda _: None,
    check: bool = True,
) -> None:
    """Load every input into its named graph of ``store`` and into the default graph, which,
    being a set, becomes their merge (see :mod:`munikg.store`).

    pyoxigraph's bulk loader parses in Rust, and no Python quad is built: at a million
    triples this is what keeps a build near raw pyoxigraph's speed and memory. The checks of
    :func:`munikg.turtle.read_turtle` are then made file by file, on one more parse of each
    (``check=False`` skips them for files already checked); a file that fails one is read
    again by it, so the error names the file and line exactly as it would. (A build makes
    the same checks beside validation, keeping the lines for the dumps: see
    :mod:`munikg.build.parallel`.)
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
    for path, graph in graphs.items():
        checked_lines(store, path, graph)


def lines_file(directory: Path, number: int) -> Path:
    """Where a build keeps the sorted lines of its ``number``-th input, for the dumps
    (:func:`munikg.artefacts.export.write_statements`), which then parse nothing again."""
    return directory / f"{number:05d}.nt"


def checked_lines(store: ox.Store, path: Path, graph: ox.NamedNode) -> list[bytes]:
    """``path``'s statements as sorted, distinct N-Triples lines, once checked: some
    triples, no blank node, no ill-typed literal (else :func:`read_turtle` names the line),
    and held by the store as written (:func:`check_as_written`)."""
    if next(iter(store.quads_for_pattern(None, None, None, graph)), None) is None:
        read_turtle(path, graph)  # empty, or no triples: raises BadInput naming the file
    quads = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
    for quad in quads:
        subject, value = quad.subject, quad.object
        if (
            type(subject) is ox.BlankNode
            or type(value) is ox.BlankNode
            or (type(value) is ox.Literal and ill_typed(value.value, value.datatype.value))
        ):
            read_turtle(path, graph)  # raises BadInput naming the line
            break
    check_as_written(store, path, graph, quads)
    with tempfile.TemporaryFile() as dumped:  # read back as lines: never one huge string
        ox.serialize(quads, dumped, format=ox.RdfFormat.N_TRIPLES)
        del quads
        dumped.seek(0)
        return sorted(set(dumped.readlines()))


def check_as_written(
    store: ox.Store, path: Path, graph: ox.NamedNode, quads: list[ox.Quad]
) -> None:
    """Raise :class:`BadInput` where the store does not hold ``path``'s statements (its
    parsed ``quads``) as terms of the same datatypes, one for one. The store keeps a value's
    canonical form: ``12.0`` of xsd:decimal as ``12`` is harmless (the dumps are written from
    the file, and SHACL compares the value), but ``"5"^^xsd:int`` held as an xsd:integer would
    be validated as one, and ``12.0`` beside ``12.00`` would be held once.

    Only a typed literal can be held otherwise, so only the values of a subject and property
    with one are compared: the file's against the store's.
    """
    typed = {
        (q.subject, q.predicate)
        for q in quads
        if type(q.object) is ox.Literal and q.object.datatype.value not in _AS_WRITTEN
    }
    values: dict[tuple[ox.NamedNode, ox.NamedNode], set[ox.Literal | ox.NamedNode]] = {}
    for q in quads:
        if (q.subject, q.predicate) in typed:
            values.setdefault((q.subject, q.predicate), set()).add(q.object)  # type: ignore[arg-type]
    lost = 0
    for (subject, predicate), written in values.items():
        held = [q.object for q in store.quads_for_pattern(subject, predicate, None, graph)]
        lost += len(written) - len(held)
        kinds = {o.datatype for o in held if isinstance(o, ox.Literal)}
        for value in sorted(written, key=str):
            if isinstance(value, ox.Literal) and value.datatype not in kinds:
                kept = [o for o in held if isinstance(o, ox.Literal) and o.value == value.value]
                shown = (kept or held or ["nothing"])[0]
                raise BadInput(
                    path,
                    f"{value} is held by the store as {shown}, losing its datatype, so it "
                    "could not be validated as written: write it as the latter",
                )
    if lost:
        raise BadInput(
            path,
            f"{lost} statements differ only in how a literal is written (e.g. 12.0 and 12.00 "
            "of xsd:decimal for one subject and property); the store keeps one of them: "
            "write one",
        )


# Literals the store holds exactly as written: strings, language-tagged or not.
_AS_WRITTEN = {XSD + "string", "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"}
