"""Nodes of a shapes graph written as SPARQL: property paths (SHACL 1.0 §2.3.1) and constants.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''@prefix sh: <http://www.w3.org/ns/shacl#> .
...     <http://e/s> sh:path ( <http://e/p> [ sh:inversePath <http://e/q> ] ) .''')
>>> sparql_path(g, g.value(URIRef("http://e/s"), SH.path))
'(<http://e/p>/(^<http://e/q>))'
"""

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from munikg.errors import BadInput
from munikg.terms import to_ox

_UNARY = (
    (SH.inversePath, "^{}"),
    (SH.zeroOrMorePath, "{}*"),
    (SH.oneOrMorePath, "{}+"),
    (SH.zeroOrOnePath, "{}?"),
)


def sparql_path(shapes: Graph, node: Node) -> str:
    """The SHACL property path at ``node`` in SPARQL syntax."""
    if isinstance(node, URIRef):
        return f"<{node}>"
    if (node, RDF.first, None) in shapes:
        return "(" + "/".join(sparql_path(shapes, p) for p in Collection(shapes, node)) + ")"
    alternatives = shapes.value(node, SH.alternativePath)
    if alternatives is not None:
        items = Collection(shapes, alternatives)
        return "(" + "|".join(sparql_path(shapes, p) for p in items) + ")"
    for parameter, template in _UNARY:
        inner = shapes.value(node, parameter)
        if inner is not None:
            return "(" + template.format(sparql_path(shapes, inner)) + ")"
    raise BadInput(None, f"{_named(shapes, node)}: not a SHACL property path")


def is_true(node: Node | None) -> bool:
    """Whether a boolean parameter is ``true`` (the W3C suite holds ``"1"`` not to be).

    >>> from rdflib import Literal
    >>> one = Literal("1", datatype=XSD.boolean, normalize=False)  # as munikg reads shapes
    >>> is_true(one), is_true(Literal(True)), is_true(None)
    (False, True, False)
    """
    return (
        isinstance(node, Literal)
        and node.datatype == XSD.boolean
        and str(node) == "true"  # "1" is true in XSD, but SHACL names only true
    )


def constant(node: Node) -> str:
    """A constant of the shapes graph written as a SPARQL term."""
    if isinstance(node, BNode):
        raise BadInput(None, f"a blank node {node} where a constant is expected")
    return str(to_ox(node))


def shape_name(shapes: Graph, shape: Node) -> str:
    """The shape's IRI; for an inline property shape, the node shape that holds it (what a
    curator can find in the shapes file)."""
    while isinstance(shape, BNode):
        parent = shapes.value(None, SH.property, shape)
        if parent is None:
            break
        shape = parent
    return str(shape)


def _named(shapes: Graph, node: Node) -> str:
    """The shape whose path ``node`` is, by its IRI where it has one."""
    shape = next(shapes.subjects(SH.path, node), None)
    return f"shape {shape_name(shapes, shape)}" if shape is not None else f"path {node}"
