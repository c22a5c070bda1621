"""The closed set a canned query's parameter draws from, read from the graph: the values a
form offers and the build answers ahead (:mod:`munikg.query.stored`)."""

from dataclasses import dataclass

import pyoxigraph as ox

from munikg.namespaces import MK, RDFS, SKOS
from munikg.query.params import Param


@dataclass(frozen=True)
class Choice:
    value: str  # as the parameter takes it: a listed value, a concept's slug, a code, an IRI
    node: ox.NamedNode | None  # the term it stands for in the graph (None: a listed value)


def choices(store: ox.Store, param: Param) -> list[Choice] | None:
    """Every value ``param`` may take, in the order of their values; None where the set is
    not closed (a free string, a number, any IRI)."""
    if param.values:
        return [Choice(v, None) for v in param.values]
    if param.scheme:
        query = f"SELECT DISTINCT ?v WHERE {{ ?v <{SKOS}inScheme> <{param.scheme}> }}"
    elif param.type == "country":
        query = f"SELECT DISTINCT ?v ?code WHERE {{ ?v a <{MK}Country> ; <{MK}isoAlpha2> ?code }}"
    elif param.classes:
        union = " UNION ".join(f"{{ ?v a/<{RDFS}subClassOf>* <{c}> }}" for c in param.classes)
        query = f"SELECT DISTINCT ?v WHERE {{ {union} }}"
    else:
        return None
    found = []
    for row in store.query(query):  # type: ignore[union-attr]
        node = row["v"]
        if not isinstance(node, ox.NamedNode):
            continue
        if param.type == "country":
            value = row["code"].value
        elif param.scheme and node.value.startswith(param.scheme + "/"):
            value = node.value[len(param.scheme) + 1 :]
        else:
            value = node.value
        found.append(Choice(value, node))
    return sorted(found, key=lambda c: c.value)
