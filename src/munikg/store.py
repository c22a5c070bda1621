"""Filling a pyoxigraph store the way every munikg query expects it.

Each source stays in its named graph (provenance), and the default graph holds the RDF merge
of all of them: each triple once, however many sources state it. pyoxigraph's
``use_default_graph_as_union`` is a bag (a triple stated in two graphs matches twice, so
COUNT and SUM double), so munikg never uses it; queries read the default graph.

>>> a, p = ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p")
>>> store = ox.Store()
>>> fill(store, [ox.Quad(a, p, a, ox.NamedNode("http://g/1")), ox.Quad(a, p, a, ox.NamedNode("http://g/2"))])
>>> len(list(store.query("SELECT * { ?s ?p ?o }")))
1
"""

from collections.abc import Iterable

import pyoxigraph as ox


def with_merge(quads: Iterable[ox.Quad]) -> list[ox.Quad]:
    """The quads followed by the default-graph merge of their triples."""
    named = list(quads)
    merged = dict.fromkeys(ox.Quad(q.subject, q.predicate, q.object) for q in named)
    return named + list(merged)


def select(store: ox.Store, query: str, graph: ox.NamedNode | None = None) -> ox.QuerySolutions:
    """The solutions of a SELECT over the default graph (the merge), or over one ``graph``."""
    solutions = store.query(query, default_graph=graph)
    if not isinstance(solutions, ox.QuerySolutions):
        raise TypeError("not a SELECT query")
    return solutions


def named_quads(store: ox.Store) -> list[ox.Quad]:
    """The quads of the store's named graphs (the default graph is only their merge)."""
    return [
        q
        for q in store.quads_for_pattern(None, None, None, None)
        if not isinstance(q.graph_name, ox.DefaultGraph)
    ]


def fill(store: ox.Store, quads: Iterable[ox.Quad]) -> None:
    """Add the named-graph quads and their merge to ``store``."""
    store.extend(with_merge(quads))


def around(
    store: ox.Store,
    quads: list[ox.Quad],
    excluded: set[str],
    whole: set[str],
    hops: int = 2,
) -> list[ox.Quad]:
    """The part of ``store`` that a change set (``quads``) is validated against: every
    named-graph statement about the IRIs the change set mentions, and about the IRIs those
    statements point to (``hops`` deep), plus the graphs in ``whole`` entire (the ontology and
    schemes: class hierarchy, concept schemes); graphs in ``excluded`` (replaced by the change
    set) are left out. The shapes look at a focus node, its values and their types, so this
    neighbourhood answers as the whole graph would, in time that does not grow with it.

    >>> g, a, b, c, p = (ox.NamedNode(f"http://e/{n}") for n in "gabcp")
    >>> store = ox.Store()
    >>> store.extend([ox.Quad(a, p, b, g), ox.Quad(b, p, c, g), ox.Quad(c, p, a, g)])
    >>> [q.object.value for q in around(store, [ox.Quad(a, p, a, g)], set(), set(), hops=1)]
    ['http://e/b']
    """
    found: dict[tuple[object, object, object, object], ox.Quad] = {}
    for graph in whole - excluded:
        for q in store.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
            found[(q.subject, q.predicate, q.object, q.graph_name)] = q
    frontier = {t for q in quads for t in (q.subject, q.object) if isinstance(t, ox.NamedNode)}
    seen: set[ox.NamedNode] = set()
    for _ in range(hops):
        reached: set[ox.NamedNode] = set()
        for node in frontier - seen:
            for q in store.quads_for_pattern(node, None, None, None):
                if isinstance(q.graph_name, ox.DefaultGraph) or q.graph_name.value in excluded:
                    continue
                found[(q.subject, q.predicate, q.object, q.graph_name)] = q
                if isinstance(q.object, ox.NamedNode):
                    reached.add(q.object)
        seen |= frontier
        frontier = reached
    return list(found.values())
