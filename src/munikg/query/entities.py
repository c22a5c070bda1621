"""Short names for entities: ``sida``, ``se-1080`` or ``karlskrona-chortkiv`` stand for the
entity whose munikg IRI ends so, looked up in the graph being asked, among the classes the
parameter allows. Ambiguity is an error, never a guess."""

from munikg.namespaces import ID, RDF, RDFS
from munikg.query.backends import Graph
from munikg.query.params import Param, ParameterError

# The kinds of things munikg names under its ``id/`` namespace that a question can be about.
KINDS = (
    "municipality",
    "organisation",
    "network",
    "programme",
    "project",
    "partnership",
    "person",
    "place",
    "source",
    "country",
)


def resolve(graph: Graph, param: Param, raw: str) -> str:
    """The IRI of the one entity called ``raw`` in ``graph``, as ``param`` allows."""
    slug = raw.strip()
    candidates = [f"<{ID}{kind}/{slug}>" for kind in KINDS]
    if param.namespace and not param.namespace.startswith(ID):
        candidates.append(f"<{param.namespace}{slug}>")
    if param.classes:
        allowed = " ".join(f"<{c}>" for c in param.classes)
        typed = f"?e <{RDF}type>/<{RDFS}subClassOf>* ?class VALUES ?class {{ {allowed} }}"
    else:
        typed = f"?e <{RDF}type> ?class"
    query = f"SELECT DISTINCT ?e WHERE {{ VALUES ?e {{ {' '.join(candidates)} }} {typed} }}"
    found = sorted(str(c.value) for row in graph.select(query).rows if (c := row["e"]))
    if len(found) == 1:
        return found[0]
    if not found:
        raise ParameterError(f"parameter {param.name}: nothing called {slug!r} ({param.allowed()})")
    raise ParameterError(
        f"parameter {param.name}: {slug!r} could be {' or '.join(found)}; give the full IRI"
    )
