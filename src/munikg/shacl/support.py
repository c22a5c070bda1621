"""Which shapes the compiled engine evaluates exactly, and why it does not evaluate the rest.

The compiler (:mod:`munikg.shacl.core_constraints`, :mod:`munikg.shacl.sparql_constraints`)
implements SHACL Core and SHACL-SPARQL constraints run once; it never answers for what it
does not check. Every targeted shape whose closure (its property shapes and every shape it
refers to) uses something outside that is named here with the reason, and validated by pySHACL
instead (or refused, with ``--engine compiled``).

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
...     ex:A sh:targetClass ex:C ; sh:property [ sh:path ex:p ; sh:minCount 1 ] .
...     ex:B sh:targetClass ex:C ; sh:closed true .''')
>>> {str(s): why for s, why in gaps(g, []).items()}
{'http://e/B': 'shape http://e/B uses sh:closed'}
"""

from rdflib import BNode, Graph
from rdflib.collection import Collection
from rdflib.namespace import SH
from rdflib.term import Node

from munikg.shacl.components import PAIR_COMPONENTS, PARAMETERS, SET_COMPONENTS, VALUE_COMPONENTS
from munikg.shacl.paths import is_true, shape_name
from munikg.shacl.sparql_constraints import SparqlConstraint
from munikg.shacl.targets import targeted_shapes

KNOWN = PARAMETERS | VALUE_COMPONENTS.keys() | SET_COMPONENTS.keys()
# shapes these parameters point to are validated as part of the shape using them
NESTED = (SH.node, SH["not"], SH.qualifiedValueShape, SH.property)
LISTS = (SH["and"], SH["or"], SH.xone)
# constants written into a query: a blank node has no SPARQL spelling
CONSTANTS = (SH.hasValue, SH.targetNode, SH.minInclusive, SH.maxInclusive)


def gaps(shapes: Graph, sparql: list[SparqlConstraint]) -> dict[Node, str]:
    """Each targeted shape the compiled engine cannot evaluate exactly, with the reason."""
    custom = {  # a component is what declares parameters, whatever class it is typed with
        parameter
        for declared in shapes.objects(None, SH.parameter)
        for parameter in shapes.objects(declared, SH.path)
    }
    slow = {c.shape: c.runs_once for c in sparql if c.runs_once is not None}
    found = {}
    for shape in sorted(targeted_shapes(shapes), key=str):
        for part in sorted(closure(shapes, shape), key=str):
            reason = _gap(shapes, part, part == shape, custom, slow)
            if reason is not None:
                found[shape] = reason
                break
    return found


def closure(shapes: Graph, shape: Node) -> set[Node]:
    """``shape`` and every shape it refers to, at any depth."""
    seen: set[Node] = set()
    todo = [shape]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.add(current)
        for parameter in NESTED:
            todo.extend(shapes.objects(current, parameter))
        for parameter in LISTS:
            for members in shapes.objects(current, parameter):
                todo.extend(Collection(shapes, members))
    return seen


def _gap(
    shapes: Graph, shape: Node, targeted: bool, custom: set[Node], slow: dict[Node, str]
) -> str | None:
    name = f"shape {shape_name(shapes, shape)}"
    path = shapes.value(shape, SH.path)
    for parameter in sorted(set(shapes.predicates(shape)), key=str):
        local = str(parameter).removeprefix(str(SH))
        if str(parameter).startswith(str(SH)) and parameter not in KNOWN:
            return f"{name} uses sh:{local}"
        if parameter in custom:
            return f"{name} uses {parameter}, a parameter of a SPARQL-based constraint component"
        if path is None and parameter in PAIR_COMPONENTS:
            return f"{name} uses sh:{local} on a node shape"
        if path is not None and parameter == SH.property:
            return f"{name} is a property shape with property shapes of its own"
    if is_true(shapes.value(shape, SH.qualifiedValueShapesDisjoint)):
        return f"{name} uses sh:qualifiedValueShapesDisjoint"
    if (shape, SH.sparql, None) in shapes and not targeted and path is None:
        return f"{name} has a SPARQL constraint and is reached only through another shape"
    if shape in slow:
        return f"{name}: {slow[shape]}"
    for parameter in CONSTANTS:
        if any(isinstance(v, BNode) for v in shapes.objects(shape, parameter)):
            return f"{name} gives a blank node as sh:{str(parameter).removeprefix(str(SH))}"
    for members in shapes.objects(shape, SH["in"]):
        if any(isinstance(m, BNode) for m in Collection(shapes, members)):
            return f"{name} lists a blank node in sh:in"
    return None
