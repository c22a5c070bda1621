"""Moving RDF terms between pyoxigraph (store, SPARQL) and rdflib (graph API for reports)."""

from collections.abc import Iterable

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib import Literal as RdfLiteral
from rdflib.term import Node

from munikg.namespaces import PREFIXES, XSD

OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def to_rdflib(term: OxTerm) -> Node:
    """The rdflib form of a pyoxigraph term.

    >>> to_rdflib(ox.Literal("Falun", language="sv"))
    rdflib.term.Literal('Falun', lang='sv')
    """
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return RdfLiteral(term.value, lang=term.language)
    if term.datatype.value == XSD + "string":  # RDF 1.1's simple literal, as rdflib writes it
        return RdfLiteral(term.value)
    # normalize=False: rdflib would otherwise rewrite a lexical form ("01" → "1")
    return RdfLiteral(term.value, datatype=URIRef(term.datatype.value), normalize=False)


def rdflib_triple(quad: ox.Quad | ox.Triple) -> tuple[Node, Node, Node]:
    """A quad's triple in rdflib's terms (munikg's graphs hold no RDF-star triple terms)."""
    s, p, o = quad.subject, quad.predicate, quad.object
    if isinstance(s, ox.Triple) or isinstance(o, ox.Triple):
        raise TypeError(f"an RDF-star triple term in {quad}")
    return to_rdflib(s), URIRef(p.value), to_rdflib(o)


def rdflib_graph(quads: Iterable[ox.Quad]) -> Graph:
    """The triples of ``quads`` as an rdflib graph (for pySHACL and the shapes graph API)."""
    graph = Graph()
    for quad in quads:
        graph.add(rdflib_triple(quad))
    return graph


def to_ox(term: Node) -> OxTerm:
    """The pyoxigraph form of an rdflib term.

    >>> to_ox(URIRef("http://e/a"))
    <NamedNode value=http://e/a>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, RdfLiteral):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def iri(term: object) -> str:
    """The IRI of a named node, or the N-Triples form of any other term.

    >>> iri(ox.NamedNode("http://e/a"))
    'http://e/a'
    """
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def short(term: OxTerm | None) -> str:
    """A term as a person reads it: prefixed where a prefix fits.

    >>> short(ox.NamedNode("https://w3id.org/munikg/id/municipality/se-2080"))
    'municipality:se-2080'
    >>> short(ox.Literal("20800"))
    '"20800"'
    >>> short(ox.Literal("1080", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
    '"1080"^^xsd:integer'
    """
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        best = ""
        for prefix, namespace in PREFIXES.items():
            if term.value.startswith(namespace) and len(namespace) > len(PREFIXES.get(best, "")):
                best = prefix
        if best:
            return f"{best}:{term.value[len(PREFIXES[best]) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal) and not term.language:
        lexical = str(ox.Literal(term.value))  # quoted and escaped as in N-Triples
        if term.datatype.value == XSD + "string":
            return lexical
        return f"{lexical}^^{short(term.datatype)}"
    return str(term)


def first_upper(text: str) -> str:
    """Ontology labels are lower case (they read inside sentences); a heading starts upper.

    >>> first_upper("partnership"), first_upper("")
    ('Partnership', '')
    """
    return text[:1].upper() + text[1:]
