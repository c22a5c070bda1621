"""Any data against any shapes, as a SHACL processor does (``munikg validate --shapes``): the
files as written — blank nodes, relative IRIs against each file's own location — not munikg's
curated inputs, and no release around them.

>>> import tempfile, pathlib
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "s.ttl").write_text('''@prefix sh: <http://www.w3.org/ns/shacl#> .
... <http://e/S> sh:targetNode <http://e/a> ;
...     sh:property [ sh:path <http://e/p> ; sh:minCount 1 ] .''')
>>> _ = (d / "d.ttl").write_text('<http://e/a> <http://e/q> 1 .')
>>> _, found = validate_files(d / "s.ttl", [d / "d.ttl"])
>>> [(v.focus.value, v.component, v.line) for v in found]
[('http://e/a', 'MinCountConstraintComponent', 1)]
"""

from pathlib import Path

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.shacl.shapes import Shapes, load_shapes, read_quads
from munikg.shacl.validate import Engine, rewritten, validate
from munikg.shacl.violations import Violation
from munikg.terms import rdflib_graph
from munikg.turtle import TurtleFile

NO_GRAPH = ox.NamedNode("urn:munikg:data")


def validate_files(
    shapes_path: Path, data_paths: list[Path], engine: Engine = Engine.auto
) -> tuple[Shapes, list[Violation]]:
    """The shapes read and the results of validating the merge of ``data_paths`` against
    them."""
    files = []
    for i, path in enumerate(data_paths):
        if not path.is_file():
            raise BadInput(path, "no such file")
        quads = read_quads(path)
        if len(data_paths) > 1:  # a label is the file's own: keep two files' _:b apart
            quads = [_apart(q, f"f{i}x") for q in quads]
        files.append(TurtleFile(path, NO_GRAPH, quads, text=path.read_text(encoding="utf-8")))
    same = [f for f in files if f.path.resolve() == shapes_path.resolve()]
    shapes = load_shapes(shapes_path, same[0].quads if same else None)
    return shapes, validate_quads(shapes, files, engine)


def validate_quads(
    shapes: Shapes, files: list[TurtleFile], engine: Engine = Engine.auto
) -> list[Violation]:
    """The results of validating the merge of ``files`` (parsed as written) against
    ``shapes``; a blank node of the data is the same node in the shapes where both come from
    one file."""
    everything = [q for f in files for q in f.quads]
    store = ox.Store()
    store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in everything)

    return validate(
        store,
        shapes,
        lambda: files,
        engine=engine,
        data=lambda: rdflib_graph(everything),
        unfaithful=rewritten(store, everything),
    )


def _apart(quad: ox.Quad, prefix: str) -> ox.Quad:
    def term(t: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> object:
        return ox.BlankNode(prefix + t.value) if isinstance(t, ox.BlankNode) else t

    return ox.Quad(term(quad.subject), quad.predicate, term(quad.object))  # type: ignore[arg-type]
