"""SHACL-SPARQL constraints (SHACL 1.0 §5): read from the shapes graph, refused where the
spec says a processor must fail, and run once over a pyoxigraph store where that is exact.

SHACL pre-binds ``$this`` to each focus node in turn. A query whose first graph pattern is a
triple block binding ``$this`` gives the same solutions when run once with ``?this`` free and
joined with the focus nodes (every later pattern and filter sees it bound), which is what makes
validation at a million triples take seconds. Any other query is not run here: it is one of
the shapes :mod:`munikg.shacl.support` hands to pySHACL, which pre-binds as the spec says.

>>> from rdflib import Graph
>>> g = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
...     ex:S sh:targetClass ex:C ; sh:sparql [ sh:select
...         "SELECT $this WHERE { $this <http://e/p> ?o MINUS { $this <http://e/q> ?o } }" ] .''')
>>> read(g)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
munikg.errors.BadInput: shape http://e/S: its SPARQL query uses MINUS, which SHACL-SPARQL ...
"""

from dataclasses import dataclass

import pyoxigraph as ox
import tree_sitter
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, SH
from rdflib.term import Node

from munikg.errors import BadInput
from munikg.query.sparql_tree import nodes, parse
from munikg.query.syntax import explain, service_position, syntax_error
from munikg.shacl.paths import is_true, shape_name, sparql_path
from munikg.shacl.targets import focus_nodes
from munikg.shacl.violations import Violation, severity_name
from munikg.store import select

PRE_BOUND = {"this", "shapesGraph", "currentShape", "value", "PATH"}
# Constructs SHACL-SPARQL 1.0 §5.3.1 forbids in a query with pre-bound variables
# (tree-sitter node type → what a curator reads).
FORBIDDEN = {
    "minus_graph_pattern": "MINUS",
    "inline_data": "VALUES",
    "values_clause": "VALUES",
}


@dataclass(frozen=True)
class SparqlConstraint:
    """One ``sh:sparql`` constraint of a shape, as the query munikg runs."""

    shape: Node  # the shape holding it (its sh:sourceShape)
    name: str  # for people: the shape's IRI, or the node shape holding it
    select: str
    messages: dict[str, str]
    severity: str
    runs_once: str | None  # None if it can run once over all focus nodes; else why not


def read(shapes: Graph) -> list[SparqlConstraint]:
    """Every active SPARQL constraint, each checked against §5.3.1 (raises
    :class:`BadInput` naming the shape where the spec says a processor must fail), once every
    query of the shapes graph — validators of SPARQL-based components too — has been."""
    check_validators(shapes)
    found = []
    for shape, constraint in sorted(shapes.subject_objects(SH.sparql)):
        if is_true(shapes.value(constraint, SH.deactivated)):
            continue
        name = shape_name(shapes, shape)
        text = shapes.value(constraint, SH.select)
        if text is None:
            raise BadInput(None, f"shape {name}: a SPARQL constraint without sh:select")
        path = shapes.value(shape, SH.path)
        query = prologue(shapes, constraint, name) + str(text)
        if path is not None:  # §5.3.1: $PATH is substituted by the shape's path
            query = query.replace("$PATH", sparql_path(shapes, path))
        refuse_forbidden(query, name)
        runs_once = why_not_once(query, path)
        severity = shapes.value(shape, SH.severity)
        found.append(
            SparqlConstraint(
                shape=shape,
                name=name,
                select=query,  # $this and ?this are one variable in SPARQL
                messages={
                    m.language or "en": str(m)
                    for m in shapes.objects(constraint, SH.message)
                    if isinstance(m, Literal)
                },
                severity=severity_name(str(severity) if severity is not None else None),
                runs_once=runs_once,
            )
        )
    return found


def check_validators(shapes: Graph) -> None:
    """Refuse what §5.3.1 forbids in the validators of SPARQL-based constraint components
    (§6.2): pySHACL runs them, in an engine that would follow a ``SERVICE``."""
    for component, validator in sorted(
        (c, v)
        for kind in (SH.validator, SH.nodeValidator, SH.propertyValidator)
        for c, v in shapes.subject_objects(kind)
    ):
        parameters = {
            str(path).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            for declared in shapes.objects(component, SH.parameter)
            for path in shapes.objects(declared, SH.path)
        }
        for text in (*shapes.objects(validator, SH.select), *shapes.objects(validator, SH.ask)):
            query = prologue(shapes, validator, str(component)) + str(text)
            refuse_forbidden(query, f"{component} (a validator)", PRE_BOUND | parameters)


def prologue(shapes: Graph, constraint: Node, name: str) -> str:
    """PREFIX lines of the constraint's ``sh:prefixes`` declarations (§5.2.1), and of the
    ontologies these ``owl:imports`` within the shapes graph (nothing is fetched)."""
    lines = []
    declarers: list[Node] = []
    todo = list(shapes.objects(constraint, SH.prefixes))
    while todo:
        node = todo.pop()
        if node not in declarers:
            declarers.append(node)
            todo.extend(shapes.objects(node, OWL.imports))
    for declarer in declarers:
        for declaration in shapes.objects(declarer, SH.declare):
            prefix = shapes.value(declaration, SH.prefix)
            namespace = shapes.value(declaration, SH.namespace)
            if prefix is None or namespace is None:
                raise BadInput(
                    None, f"shape {name}: a prefix declaration without sh:prefix and sh:namespace"
                )
            lines.append(f"PREFIX {prefix}: <{namespace}>\n")
    return "".join(lines)


def refuse_forbidden(query: str, name: str, pre_bound: set[str] = PRE_BOUND) -> None:
    """Raise :class:`BadInput` for what §5.3.1 forbids, and for ``SERVICE``: validating never
    reaches the network, whatever a shapes file says."""
    query = query.replace("$PATH", "<urn:munikg:path>")
    error = syntax_error(query)
    if error is not None:
        raise BadInput(None, f"shape {name}: its SPARQL query: {explain(query, error)}")
    if service_position(query) is not None:
        raise BadInput(
            None,
            f"shape {name}: its SPARQL query uses SERVICE; validation never queries other services",
        )
    tree = parse(query).root_node
    if any(v.text == b"$shapesGraph" or v.text == b"?shapesGraph" for v in _vars(tree)):
        raise BadInput(
            None,
            f"shape {name}: its SPARQL query reads $shapesGraph, which munikg does not support",
        )
    for sub in nodes(tree, "sub_select"):
        # §5.3.1: a nested SELECT must project $this and the pre-bound variables it uses,
        # by name (W3C pre-binding-006 and unsupported-sparql-004 fail; pre-binding-007 not)
        clause = next(nodes(sub, "select_clause"), None)
        named = {v.text.decode()[1:] for v in _vars(clause) if v.text} if clause else set()
        used = {v.text.decode()[1:] for v in _vars(sub) if v.text} & pre_bound
        if not ({"this"} | used) <= named:
            raise BadInput(
                None,
                f"shape {name}: its SPARQL query has a nested SELECT that does not project "
                "the pre-bound variables (§5.3.1)",
            )
    for kind, what in FORBIDDEN.items():
        if next(nodes(tree, kind), None) is not None:
            raise BadInput(
                None,
                f"shape {name}: its SPARQL query uses {what}, which SHACL-SPARQL does not allow "
                "(§5.3.1)",
            )
    for bind in nodes(tree, "bind"):
        target = bind.children[-2] if len(bind.children) >= 2 else None
        if (
            target is not None
            and target.type == "var"
            and target.text is not None
            and target.text.decode()[1:] in pre_bound
        ):
            raise BadInput(
                None,
                f"shape {name}: its SPARQL query assigns the pre-bound variable "
                f"{target.text.decode()} (§5.3.1)",
            )


def why_not_once(query: str, path: Node | None) -> str | None:
    """None if running ``query`` once with ``?this`` free is exact (see the module's
    docstring); else why it is not."""
    if path is not None:
        return "a SPARQL constraint of a property shape"
    tree = parse(query).root_node
    variables = {v.text.decode()[1:] for v in nodes(tree, "var") if v.text is not None}
    if variables & {"shapesGraph", "currentShape"}:
        return "its SPARQL query reads $shapesGraph or $currentShape"
    where = next(nodes(tree, "where_clause"), None)
    group = next(nodes(where, "group_graph_pattern"), None) if where is not None else None
    parts = [c for c in group.children if c.type not in ("{", "}", ".")] if group else []
    first = next((c for c in parts if c.type != "filter"), None)
    binds_this = (
        first is not None
        and first.type == "triples_block"
        and any(v.text is not None and v.text.decode()[1:] == "this" for v in _vars(first))
    )
    if not binds_this:
        return "its SPARQL query does not bind $this by its first triple pattern"
    selected = next(nodes(tree, "select_clause"), None)
    projected = selected is not None and (
        b"*" in (selected.text or b"")
        or any(v.text is not None and v.text.decode()[1:] == "this" for v in _vars(selected))
    )
    return None if projected else "its SPARQL query does not select $this"


def _vars(node: tree_sitter.Node) -> list[tree_sitter.Node]:
    return list(nodes(node, "var"))


def evaluate(
    store: ox.Store, shapes: Graph, constraints: list[SparqlConstraint]
) -> list[Violation]:
    """Every violation of the SPARQL constraints that run once, in the store."""
    violations: list[Violation] = []
    for constraint in constraints:
        if constraint.runs_once is not None:
            continue
        focus = focus_nodes(store, shapes, constraint.shape)
        for row in select(store, constraint.select):
            this = row["this"]
            if this not in focus:
                continue
            path, value = row["path"], row["value"]  # an unbound variable reads as None
            violations.append(
                Violation(
                    focus=this,
                    path=path if isinstance(path, ox.NamedNode) else None,
                    value=value if value is not None else this,
                    messages=constraint.messages,
                    shape=constraint.name,
                    component="SPARQLConstraintComponent",
                    severity=constraint.severity,
                    source_shape=constraint.shape,
                    result_path=URIRef(path.value) if isinstance(path, ox.NamedNode) else None,
                )
            )
    return violations
