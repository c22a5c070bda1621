"""SHACL-SPARQL constraints evaluated once over a pyoxigraph store.

SHACL pre-binds ``$this`` to each focus node in turn. munikg's constraints bind ``$this``
through their own triple patterns, so running the query once with ``?this`` free yields the
violations of every focus node; the target then filters them (SHACL 1.0 §5.3 semantics).
"""

import pyoxigraph as ox

from munikg.namespaces import RDFS
from munikg.shapes import SparqlShape
from munikg.store import select
from munikg.violations import Violation


def focus_nodes(store: ox.Store, shape: SparqlShape) -> set[str]:
    """IRIs of the shape's focus nodes in the store's default graph."""
    found: set[str] = set()
    for cls in shape.target_classes:
        query = f"SELECT DISTINCT ?s WHERE {{ ?s a/<{RDFS}subClassOf>* <{cls}> }}"
        found.update(str(row["s"].value) for row in select(store, query))
    for predicate in shape.target_subjects_of:
        query = f"SELECT DISTINCT ?s WHERE {{ ?s <{predicate}> ?o }}"
        found.update(str(row["s"].value) for row in select(store, query))
    return found


def evaluate(store: ox.Store, shapes: list[SparqlShape]) -> list[Violation]:
    """Every violation of the SPARQL-based constraints in the store."""
    violations: list[Violation] = []
    for shape in shapes:
        focus = focus_nodes(store, shape)
        for row in select(store, shape.select):
            this = row["this"]
            if not isinstance(this, ox.NamedNode) or this.value not in focus:
                continue
            path = row["path"]  # an unbound variable reads as None
            violations.append(
                Violation(
                    focus=this,
                    path=path if isinstance(path, ox.NamedNode) else None,
                    value=row["value"],
                    messages=shape.messages,
                    shape=shape.shape,
                    component="SPARQLConstraintComponent",
                )
            )
    return violations
