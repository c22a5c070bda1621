"""Dumps of a release in the standard RDF formats, byte-for-byte reproducible (design §9).

Dataset formats (TriG, N-Quads) hold the named graphs, one per source. Graph formats
(Turtle, N-Triples, RDF/XML) hold the default graph — the merge of all sources, each triple
once — or one named graph. Statements are sorted and written by pyoxigraph (fast at a
million triples); the prefix declarations, which it writes in its own hash order, are sorted
here so that a file depends on nothing but its content.
"""

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.namespaces import GRAPH, PREFIXES, RDF, XSD

XSD_STRING = XSD + "string"


@dataclass(frozen=True)
class Format:
    name: str
    rdf: ox.RdfFormat
    file: str
    media_type: str
    dataset: bool


FORMATS = {
    f.name: f
    for f in (
        Format("trig", ox.RdfFormat.TRIG, "munikg.trig", "application/trig", True),
        Format("nq", ox.RdfFormat.N_QUADS, "munikg.nq", "application/n-quads", True),
        Format("ttl", ox.RdfFormat.TURTLE, "munikg.ttl", "text/turtle", False),
        Format("nt", ox.RdfFormat.N_TRIPLES, "munikg.nt", "application/n-triples", False),
        Format("rdf", ox.RdfFormat.RDF_XML, "munikg.rdf", "application/rdf+xml", False),
        Format("jsonld", ox.RdfFormat.JSON_LD, "munikg.jsonld", "application/ld+json", True),
    )
}


def quad_key(q: ox.Quad) -> tuple[str, str, str, str]:
    """Sort order of dumps: graph, subject, predicate, object, as N-Quads terms."""
    return (str(q.graph_name), str(q.subject), str(q.predicate), str(q.object))


def graph_names(store: ox.Store) -> list[str]:
    """The short names of the store's named graphs (``icld-partnerships``, …)."""
    return sorted(
        g.value.removeprefix(GRAPH) for g in store.named_graphs() if isinstance(g, ox.NamedNode)
    )


def select(store: ox.Store, fmt: Format, graph: str | None = None) -> list[ox.Quad]:
    """The sorted quads a dump in ``fmt`` holds: all named graphs or the merge, or one graph."""
    if graph is not None:
        if graph not in graph_names(store):
            known = ", ".join(graph_names(store))
            raise BadInput(None, f"no graph {graph!r} in the release (graphs: {known})")
        source: ox.NamedNode | ox.DefaultGraph | None = ox.NamedNode(GRAPH + graph)
    else:
        source = None if fmt.dataset else ox.DefaultGraph()
    quads = (
        q
        for q in store.quads_for_pattern(None, None, None, source)
        if fmt.dataset != isinstance(q.graph_name, ox.DefaultGraph) or graph is not None
    )
    if fmt.dataset:
        return sorted(quads, key=quad_key)
    return sorted((ox.Quad(q.subject, q.predicate, q.object) for q in quads), key=quad_key)


def serialize(
    quads: Iterable[ox.Quad], fmt: Format, context: dict[str, Any] | None = None
) -> bytes:
    """``quads`` in ``fmt`` with munikg's prefixes, declarations in a fixed order.

    JSON-LD is compacted with ``context`` (the release's ``context.jsonld``).
    """
    if fmt.rdf == ox.RdfFormat.JSON_LD:
        if context is None:
            raise ValueError("JSON-LD needs the release's context")
        return compact_jsonld(quads, context)
    if fmt.dataset:
        text = ox.serialize(quads, None, fmt.rdf, prefixes=PREFIXES)
    else:
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in quads)
        text = ox.serialize(triples, None, fmt.rdf, prefixes=PREFIXES)
    assert text is not None  # no output given: the bytes are returned
    if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        lines = text.split(b"\n")
        head = 0
        while head < len(lines) and lines[head].startswith(b"@prefix "):
            head += 1
        return b"\n".join(sorted(lines[:head]) + lines[head:])
    if fmt.rdf == ox.RdfFormat.RDF_XML:
        return _sort_xmlns(text)
    return text


def compact_jsonld(quads: Iterable[ox.Quad], context: dict[str, Any]) -> bytes:
    """Compacted JSON-LD with munikg's context, carried inline so the document parses anywhere
    without fetching anything.

    Written directly from the quads: the context is munikg's own and simple (prefixes, and
    terms for a property with IRI values, ``"@type": "@id"``, or with literal values), so
    compaction is a lookup per property and value. (pyLD's general compaction algorithm took
    minutes at a million triples; its expansion of this output is tested to give the quads.)

    >>> s, p = ox.NamedNode("https://w3id.org/munikg/id/x"), ox.NamedNode("http://e/p")
    >>> ctx = {"@context": {"id": "https://w3id.org/munikg/id/", "p": {"@id": "http://e/p"}}}
    >>> print(compact_jsonld([ox.Quad(s, p, ox.Literal("a", language="sv"))], ctx).decode())
    {
     "@context": {
      "id": "https://w3id.org/munikg/id/",
      "p": {
       "@id": "http://e/p"
      }
     },
     "@graph": [
      {
       "@id": "id:x",
       "p": {
        "@language": "sv",
        "@value": "a"
       }
      }
     ]
    }
    <BLANKLINE>
    """
    compactor = _Compactor(context["@context"])
    graphs: dict[str, dict[str, dict[str, list[Any]]]] = {}
    for quad in quads:
        graph = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        node = graphs.setdefault(graph, {}).setdefault(compactor.node_id(quad.subject), {})
        key, value = compactor.entry(quad.predicate.value, quad.object)
        node.setdefault(key, []).append(value)
    top: list[Any] = []
    for graph, nodes in graphs.items():
        objects = [
            {"@id": node, **{k: v[0] if len(v) == 1 else v for k, v in entries.items()}}
            for node, entries in nodes.items()
        ]
        if graph:
            top.append({"@id": compactor.iri(graph), "@graph": objects})
        else:
            top.extend(objects)
    document = {"@context": context["@context"], "@graph": top}
    return (json.dumps(document, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


class _Compactor:
    """IRIs to compact IRIs by the context's prefixes, properties to its terms."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(
            ((k, v) for k, v in context.items() if isinstance(v, str) and not k.startswith("@")),
            key=lambda kv: (-len(kv[1]), kv[0]),
        )
        self.for_iris: dict[str, str] = {}  # property IRI -> term whose values are IRIs
        self.for_literals: dict[str, str] = {}  # property IRI -> term with plain values
        for term, definition in sorted(context.items()):
            if not isinstance(definition, dict) or set(definition) - {"@id", "@type"}:
                continue
            iri = self.expand(definition["@id"])
            if definition.get("@type") == "@id":
                self.for_iris.setdefault(iri, term)
            elif "@type" not in definition:
                self.for_literals.setdefault(iri, term)

    def expand(self, value: str) -> str:
        prefix, _, suffix = value.partition(":")
        for name, namespace in self.prefixes:
            if name == prefix and not suffix.startswith("//"):
                return namespace + suffix
        return value

    def iri(self, iri: str) -> str:
        """The shortest compact IRI for ``iri`` (longest namespace), else ``iri`` itself."""
        for name, namespace in self.prefixes:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                suffix = iri[len(namespace) :]
                if not suffix.startswith("//"):
                    return f"{name}:{suffix}"
        return iri

    def node_id(self, term: object) -> str:
        if isinstance(term, ox.BlankNode):
            return f"_:{term.value}"
        assert isinstance(term, ox.NamedNode)
        return self.iri(term.value)

    def entry(self, predicate: str, value: object) -> tuple[str, Any]:
        """The key and the compacted value of one statement."""
        if predicate == RDF + "type" and isinstance(value, ox.NamedNode):
            return "@type", self.iri(value.value)
        if isinstance(value, ox.NamedNode | ox.BlankNode):
            node = self.node_id(value)
            if predicate in self.for_iris:
                return self.for_iris[predicate], node
            return self.iri(predicate), {"@id": node}
        assert isinstance(value, ox.Literal)
        key = self.for_literals.get(predicate) or self.iri(predicate)
        if value.language:
            return key, {"@language": value.language, "@value": value.value}
        if value.datatype.value == XSD_STRING:
            return key, value.value
        return key, {"@type": self.iri(value.datatype.value), "@value": value.value}


def _sort_xmlns(text: bytes) -> bytes:
    """Sort the namespace declarations of the rdf:RDF root element.

    >>> _sort_xmlns(b'<?xml version="1.0"?>\\n<rdf:RDF xmlns:b="http://b/" xmlns:a="http://a/">')
    b'<?xml version="1.0"?>\\n<rdf:RDF xmlns:a="http://a/" xmlns:b="http://b/">'
    """
    match = re.search(rb"<rdf:RDF((?:\s+xmlns:[\w.-]+=\"[^\"]*\")+)\s*>", text)
    if match is None:
        return text
    declarations = sorted(re.findall(rb'xmlns:[\w.-]+="[^"]*"', match.group(1)))
    root = b"<rdf:RDF " + b" ".join(declarations) + b">"
    return text[: match.start()] + root + text[match.end() :]
