"""SHACL-SPARQL constraints evaluated once over a pyoxigraph store.

SHACL pre-binds ``$this`` to each focus node in turn. munikg's constraints bind ``$this``
through their own triple patterns, so running the query once with ``?this`` free yields the
violations of every focus node; the shape's targets, read as the SHACL Core checks read them
(:func:`munikg.shacl.targets.focus_nodes`), then filter them (SHACL 1.0 §5.3 semantics).
"""

import pyoxigraph as ox

from munikg.shacl.shapes import Shapes
from munikg.shacl.targets import focus_nodes
from munikg.shacl.violations import Violation
from munikg.store import select


def evaluate(store: ox.Store, shapes: Shapes) -> list[Violation]:
    """Every violation of the SPARQL-based constraints in the store."""
    violations: list[Violation] = []
    for shape in shapes.sparql:
        focus = focus_nodes(store, shapes.core, shape.shape)
        for row in select(store, shape.select):
            this = row["this"]
            if not isinstance(this, ox.NamedNode) or this not in focus:
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
