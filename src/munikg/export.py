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
from pyld import jsonld

from munikg.errors import BadInput
from munikg.namespaces import GRAPH, PREFIXES, RDF


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
    """pyoxigraph writes expanded JSON-LD fast; pyLD compacts it with munikg's context, which
    the document carries inline so that it parses anywhere without fetching anything."""
    expanded = ox.serialize(quads, None, ox.RdfFormat.JSON_LD)
    assert expanded is not None
    document = json.loads(expanded)
    _types_as_keyword(document)
    compacted = jsonld.compact(document, context["@context"])
    return (json.dumps(compacted, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode()


def _types_as_keyword(node: Any) -> None:
    """Move rdf:type values to ``@type`` (the same triples; what JSON-LD readers expect)."""
    if isinstance(node, list):
        for item in node:
            _types_as_keyword(item)
    elif isinstance(node, dict):
        types = node.pop(RDF + "type", None)
        if types:
            node["@type"] = [t["@id"] for t in types]
        for value in node.values():
            _types_as_keyword(value)


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
