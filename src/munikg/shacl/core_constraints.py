"""SHACL Core compiled to SPARQL and run once per constraint over a pyoxigraph store.

pySHACL walks focus node by focus node in Python; at a million triples that takes minutes.
Here each constraint of each targeted shape becomes one SELECT over the whole store that
returns exactly its violations (SHACL 1.0 §4 defines every Core component by a condition on
value nodes, and each condition is a SPARQL filter). Shapes that other shapes point to
(``sh:node``, ``sh:or``, ``sh:qualifiedValueShape`` …) become a conformance expression
(``EXISTS``/``NOT EXISTS``) inlined where they are used. pySHACL stays in the tests as the
oracle: both engines must report the same results on every example under ``tests/shapes``.

The data a build validates has already passed :mod:`munikg.turtle`'s checks: no blank nodes
and no ill-typed XSD literals, so ``sh:datatype`` compares datatypes only.

>>> from rdflib import Graph
>>> shapes = Graph().parse(format="turtle", data='''
...     @prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <http://e/> .
...     ex:S a sh:NodeShape ; sh:targetClass ex:C ;
...         sh:property [ sh:path ex:name ; sh:minCount 1 ; sh:message "needs a name" ] .''')
>>> store = ox.Store()
>>> store.add(ox.Quad(ox.NamedNode("http://e/a"), RDF_TYPE, ox.NamedNode("http://e/C")))
>>> [(v.focus.value, v.component, v.message()) for v in evaluate(store, shapes)]
[('http://e/a', 'MinCountConstraintComponent', 'needs a name')]
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import count

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.collection import Collection
from rdflib.namespace import RDF, SH
from rdflib.term import Node

from munikg.errors import BadInput
from munikg.shacl.components import (
    COMPARISONS,
    COUNTS,
    NODE_KINDS,
    PAIR_COMPONENTS,
    PAIRS,
    QUALIFIED,
    SET_COMPONENTS,
    VALUE_COMPONENTS,
)
from munikg.shacl.paths import constant, is_true, shape_name, sparql_path
from munikg.shacl.targets import ClassHierarchy, focus_select, patterns, targeted_shapes
from munikg.shacl.violations import Violation, severity_name
from munikg.store import select

RDF_TYPE = ox.NamedNode(str(RDF.type))

_MAX_DEPTH = 16  # nested shapes deeper than this are taken to be recursive (SHACL leaves it open)


@dataclass(frozen=True)
class Check:
    """One constraint of one targeted shape as a query for its violations.

    The query selects ``?this`` and, where the component names one, ``?value``.
    """

    query: str
    reports_value: bool
    shape: str
    component: str
    path: ox.NamedNode | None
    messages: dict[str, str]
    severity: str
    source_shape: Node
    result_path: Node | None


@dataclass
class _Compiler:
    shapes: Graph
    store: ox.Store
    _names: Iterator[int] = field(default_factory=lambda: count())

    def __post_init__(self) -> None:
        self.hierarchy = ClassHierarchy(self.store)

    # ------------------------------------------------------------------ the shapes' parts

    def fresh(self) -> str:
        return f"?_{next(self._names)}"

    def one(self, shape: Node, parameter: URIRef) -> Node | None:
        return self.shapes.value(shape, parameter)

    def items(self, node: Node) -> list[Node]:
        return list(Collection(self.shapes, node))

    def messages(self, shape: Node) -> dict[str, str]:
        found: dict[str, str] = {}
        for m in self.shapes.objects(shape, SH.message):
            if isinstance(m, RdfLiteral):
                found.setdefault(m.language or "en", str(m))
        return found

    def where(self, shape: Node) -> str:
        return shape_name(self.shapes, shape)

    def active(self, shape: Node) -> bool:
        """A deactivated shape (SHACL 1.0 §2.1.5) is one every node conforms to."""
        return not is_true(self.one(shape, SH.deactivated))

    def path(self, node: Node) -> str:
        return sparql_path(self.shapes, node)

    def instance_of(self, v: str, cls: Node) -> str:
        """An expression: bound ``v`` is an instance of ``cls`` (a filter on its few types; a
        VALUES join here is a third slower)."""
        t = self.fresh()
        return f"EXISTS {{ {v} a {t} FILTER ({t} IN ({self.hierarchy.listed(cls, ', ')})) }}"

    def qualified_shape(self, shape: Node) -> Node:
        q = self.one(shape, SH.qualifiedValueShape)
        if q is None:
            raise BadInput(None, f"shape {self.where(shape)}: no sh:qualifiedValueShape")
        return q

    # ------------------------------------------------------------------ conditions

    def satisfies(self, v: str, parameter: URIRef, value: Node, shape: Node, depth: int) -> str:
        """A SPARQL expression: value node ``v`` meets ``parameter`` = ``value``."""
        if parameter == SH["class"]:
            return self.instance_of(v, value)
        if parameter == SH.datatype:
            return f"(isLiteral({v}) && DATATYPE({v}) = <{value}>)"
        if parameter == SH.nodeKind:
            return NODE_KINDS[value].format(v=v)  # type: ignore[index]
        if parameter in COMPARISONS:
            return f"COALESCE({v} {COMPARISONS[parameter]} {constant(value)}, false)"
        if parameter == SH.minLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) >= {int(value)})"  # type: ignore[call-overload]
        if parameter == SH.maxLength:
            return f"(!isBlank({v}) && STRLEN(STR({v})) <= {int(value)})"  # type: ignore[call-overload]
        if parameter == SH.pattern:
            flags = self.one(shape, SH.flags)
            extra = f", {constant(flags)}" if flags is not None else ""
            return f"(!isBlank({v}) && REGEX(STR({v}), {constant(value)}{extra}))"
        if parameter == SH.languageIn:
            tags = [f"langMatches(LANG({v}), {constant(t)})" for t in self.items(value)]
            return f"(isLiteral({v}) && ({' || '.join(tags) or 'false'}))"
        if parameter == SH["in"]:
            members = [f"sameTerm({v}, {constant(m)})" for m in self.items(value)]
            return "(" + (" || ".join(members) or "false") + ")"
        if parameter == SH.node:
            return self.conforms(v, value, depth + 1)
        if parameter == SH["not"]:
            return f"!{self.conforms(v, value, depth + 1)}"
        parts = [self.conforms(v, s, depth + 1) for s in self.items(value)]
        if parameter == SH["and"]:
            return "(" + (" && ".join(parts) or "true") + ")"
        if parameter == SH["or"]:
            return "(" + (" || ".join(parts) or "false") + ")"
        assert parameter == SH.xone
        return "(" + " + ".join([f"IF({p}, 1, 0)" for p in parts] or ["0"]) + " = 1)"

    def distinct(self, focus: str, path: str, n: int) -> tuple[list[str], str]:
        """``n`` value variables and a pattern binding them to ``n`` distinct values."""
        vs = [self.fresh() for _ in range(n)]
        unequal = [f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1 :]]
        pattern = " ".join(f"{focus} {path} {w} ." for w in vs)
        return vs, pattern + (f" FILTER ({' && '.join(unequal)})" if unequal else "")

    def set_holds(
        self, focus: str, path: str, parameter: URIRef, value: Node, shape: Node, depth: int
    ) -> str:
        """A SPARQL expression: ``focus``'s values on ``path`` meet a set-level constraint."""
        if parameter in COUNTS:
            n = int(value)  # type: ignore[call-overload]
            at_least = parameter in (SH.minCount, SH.qualifiedMinCount)
            needed = n if at_least else n + 1
            if at_least and n <= 0:
                return "true"
            vs, pattern = self.distinct(focus, path, needed)
            if parameter in QUALIFIED:
                q = self.qualified_shape(shape)
                pattern += "".join(f" FILTER ({self.conforms(w, q, depth + 1)})" for w in vs)
            return f"{'' if at_least else '!'}EXISTS {{ {pattern} }}"
        if parameter == SH.hasValue:
            return f"EXISTS {{ {focus} {path} {constant(value)} }}"
        if parameter == SH.uniqueLang:
            if not is_true(value):
                return "true"
            return f"NOT EXISTS {{ {self.lang_clash(focus, path, self.fresh(), self.fresh())} }}"
        w, o = self.fresh(), self.fresh()
        return f"NOT EXISTS {{ {self.pair_breach(focus, path, parameter, value, w, o)} }}"

    @staticmethod
    def lang_clash(focus: str, path: str, a: str, b: str) -> str:
        """A pattern: ``a`` and ``b`` are two values of one language (SHACL 1.0 §4.5.5)."""
        same = f"LCASE(LANG({a})) = LCASE(LANG({b}))"
        return f"{focus} {path} {a}, {b} FILTER (!sameTerm({a}, {b}) && LANG({a}) != '' && {same})"

    @staticmethod
    def pair_breach(focus: str, path: str, parameter: Node, other: Node, w: str, o: str) -> str:
        """A pattern: value ``w`` breaks a property-pair constraint (SHACL 1.0 §4.5)."""
        if parameter == SH.equals:
            return (
                f"{{ {focus} {path} {w} FILTER NOT EXISTS {{ {focus} <{other}> {w} }} }} UNION "
                f"{{ {focus} <{other}> {w} FILTER NOT EXISTS {{ {focus} {path} {w} }} }}"
            )
        if parameter == SH.disjoint:
            return f"{focus} {path} {w} . {focus} <{other}> {w}"
        test = PAIRS[parameter]  # type: ignore[index]
        return (
            f"{focus} {path} {w} . {focus} <{other}> {o} FILTER (!COALESCE({w} {test} {o}, false))"
        )

    def constraints(self, shape: Node) -> Iterator[tuple[URIRef, Node]]:
        if not self.active(shape):
            return
        for parameter, value in sorted(self.shapes.predicate_objects(shape)):
            if parameter in VALUE_COMPONENTS or parameter in SET_COMPONENTS:
                yield parameter, value  # type: ignore[misc]

    def conforms(self, v: str, shape: Node, depth: int) -> str:
        """A SPARQL expression: node ``v`` conforms to ``shape`` (node or property shape)."""
        if depth > _MAX_DEPTH:
            raise BadInput(None, f"shape {self.where(shape)} refers to itself")
        if not self.active(shape):
            return "true"
        parts: list[str] = []
        path = self.one(shape, SH.path)
        for parameter, value in self.constraints(shape):
            if path is None and parameter in SET_COMPONENTS:
                if parameter == SH.hasValue:  # on a node shape: the node is the value
                    parts.append(f"sameTerm({v}, {constant(value)})")
                continue
            if path is None:
                parts.append(self.satisfies(v, parameter, value, shape, depth))
            elif parameter in SET_COMPONENTS:
                parts.append(self.set_holds(v, self.path(path), parameter, value, shape, depth))
            else:
                w = self.fresh()
                ok = self.satisfies(w, parameter, value, shape, depth)
                parts.append(f"NOT EXISTS {{ {v} {self.path(path)} {w} FILTER (!{ok}) }}")
        for prop in self.shapes.objects(shape, SH.property):
            parts.append(self.conforms(v, prop, depth))
        return "(" + (" && ".join(parts) or "true") + ")"

    # ------------------------------------------------------------------ queries

    def checks(self, shape: Node, targets: set[str]) -> Iterator[Check]:
        """One check per constraint of ``shape`` over the focus nodes of ``targets``."""
        yield from self._checks(shape, f"{{ {focus_select(targets)} }}", self.one(shape, SH.path))

    def _checks(self, shape: Node, focus: str, path: Node | None) -> Iterator[Check]:
        severity = self.one(shape, SH.severity)
        base = {
            "shape": self.where(shape),
            "messages": self.messages(shape),
            "severity": severity_name(str(severity) if severity is not None else None),
            "path": ox.NamedNode(str(path)) if isinstance(path, URIRef) else None,
            "source_shape": shape,
            "result_path": path,
        }
        for parameter, value in self.constraints(shape):
            component = VALUE_COMPONENTS.get(parameter) or SET_COMPONENTS[parameter]
            if path is None:
                if parameter in SET_COMPONENTS:
                    if parameter != SH.hasValue:
                        continue  # cardinality etc. need a path; SHACL ignores them on node shapes
                    ok = f"sameTerm(?this, {constant(value)})"
                else:
                    ok = self.satisfies("?this", parameter, value, shape, 0)
                query = f"SELECT ?this (?this AS ?value) WHERE {{ {focus} FILTER (!{ok}) }}"
            elif parameter in SET_COMPONENTS:
                if parameter in COUNTS:
                    query = self.count_query(focus, self.path(path), parameter, value, shape)
                elif parameter == SH.uniqueLang:
                    query = self.unique_lang_query(focus, self.path(path), value)
                elif parameter in PAIR_COMPONENTS:
                    query = self.pair_query(focus, self.path(path), parameter, value)
                else:
                    ok = self.set_holds("?this", self.path(path), parameter, value, shape, 0)
                    query = f"SELECT ?this WHERE {{ {focus} FILTER (!{ok}) }}"
            else:
                ok = self.satisfies("?value", parameter, value, shape, 0)
                query = (
                    f"SELECT DISTINCT ?this ?value WHERE {{ {focus} ?this {self.path(path)} ?value "
                    f"FILTER (!{ok}) }}"
                )
            # on a node shape the value is the focus node, but sh:hasValue names no value
            # (SHACL 1.0 §4.8.3)
            reports = (path is None and parameter != SH.hasValue) or (
                path is not None and (parameter in VALUE_COMPONENTS or parameter in PAIR_COMPONENTS)
            )
            yield Check(query=query, reports_value=reports, component=component, **base)  # type: ignore[arg-type]

    def count_query(
        self, focus: str, path: str, parameter: URIRef, value: Node, shape: Node
    ) -> str:
        """Focus nodes with too few or too many (qualified) values: one grouped pass."""
        n = int(value)  # type: ignore[call-overload]
        test = "<" if parameter in (SH.minCount, SH.qualifiedMinCount) else ">"
        pattern = f"?this {path} ?v"
        if parameter in QUALIFIED:
            pattern += f" FILTER ({self.conforms('?v', self.qualified_shape(shape), 1)})"
        if test == "<":
            pattern = f"OPTIONAL {{ {pattern} }}"
        return (
            f"SELECT ?this WHERE {{ {focus} {pattern} }} "
            f"GROUP BY ?this HAVING (COUNT(DISTINCT ?v) {test} {n})"
        )

    def pair_query(self, focus: str, path: str, parameter: URIRef, other: Node) -> str:
        """Each value breaking a property-pair constraint, as ``?value``."""
        breach = self.pair_breach("?this", path, parameter, other, "?value", "?o")
        return f"SELECT DISTINCT ?this ?value WHERE {{ {focus} {breach} }}"

    def unique_lang_query(self, focus: str, path: str, value: Node) -> str:
        """A result per focus node and language used by two values or more."""
        if not is_true(value):
            return "SELECT ?this WHERE { FILTER (false) }"
        clash = self.lang_clash("?this", path, "?a", "?b")
        return f"SELECT DISTINCT ?this (LCASE(LANG(?a)) AS ?lang) WHERE {{ {focus} {clash} }}"


def compile_checks(
    shapes: Graph, store: ox.Store, skip: frozenset[Node] = frozenset()
) -> list[Check]:
    """A check per constraint of every active shape with a target, but those in ``skip`` (the
    class hierarchy is read from ``store``, as SHACL reads it from the data graph).

    A property shape shared by several node shapes (``mksh:labelSv``) is checked once, over
    the focus nodes of all of them, and each violation reported once. Which shapes this
    compiler evaluates exactly is :mod:`munikg.shacl.support`'s call; the rest are skipped.
    """
    compiler = _Compiler(shapes, store)
    focus_of: dict[Node, set[str]] = {}
    for shape in targeted_shapes(shapes):
        if shape in skip or not compiler.active(shape):
            continue
        targets = patterns(shapes, compiler.hierarchy, shape)
        focus_of.setdefault(shape, set()).update(targets)
        for prop in shapes.objects(shape, SH.property):
            focus_of.setdefault(prop, set()).update(targets)
    found: list[Check] = []
    for shape, targets in sorted(focus_of.items()):
        found.extend(compiler.checks(shape, targets))
    return found


def evaluate(
    store: ox.Store, shapes: Graph, skip: frozenset[Node] = frozenset()
) -> list[Violation]:
    """Every SHACL Core violation in the store's default graph, but of the shapes in ``skip``."""
    violations: list[Violation] = []
    for check in compile_checks(shapes, store, skip):
        for row in select(store, check.query):
            violations.append(
                Violation(
                    focus=row["this"],
                    path=check.path,
                    value=row["value"] if check.reports_value else None,
                    messages=check.messages,
                    shape=check.shape,
                    component=check.component,
                    severity=check.severity,
                    source_shape=check.source_shape,
                    result_path=check.result_path,
                )
            )
    return violations
