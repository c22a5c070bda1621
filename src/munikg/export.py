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


def dump(store: ox.Store, fmt: Format, context: dict[str, Any], graph: str | None = None) -> bytes:
    """The release (all named graphs, or the merge) or one ``graph`` in ``fmt``, sorted."""
    return render(sorted_statements(store, fmt.dataset, graph), fmt, context)


def sorted_statements(store: ox.Store, dataset: bool, graph: str | None = None) -> bytes:
    """N-Quads of every named graph (``dataset``) or N-Triples of the merge, or either of one
    ``graph``, sorted by :func:`quad_key`.

    Each graph is dumped by pyoxigraph as N-Triples and its lines sorted as bytes: that is the
    order of :func:`quad_key`, as terms compare left to right and no term's N-Triples form is a
    prefix of another's followed by a space. No Python quad is built (at a million triples a
    sorted list of them took gigabytes and most of the build).
    """
    if graph is not None:
        if graph not in graph_names(store):
            known = ", ".join(graph_names(store))
            raise BadInput(None, f"no graph {graph!r} in the release (graphs: {known})")
        sources: list[ox.NamedNode | ox.DefaultGraph] = [ox.NamedNode(GRAPH + graph)]
    elif dataset:
        sources = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=str)
    else:
        sources = [ox.DefaultGraph()]

    def lines(source: ox.NamedNode | ox.DefaultGraph) -> list[bytes]:
        text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=source)
        assert text is not None
        found = text.splitlines(keepends=True)
        del text  # a million triples: hundreds of megabytes, twice over until it goes
        found.sort()
        return found

    if not dataset:
        return b"".join(lines(sources[0]))
    return b"".join(line[:-2] + f"{g} .\n".encode() for g in sources for line in lines(g))


def render(statements: bytes, fmt: Format, context: dict[str, Any]) -> bytes:
    """Sorted N-Quads (dataset formats) or N-Triples (graph formats) written in ``fmt``."""
    if fmt.rdf in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        return statements
    syntax = ox.RdfFormat.N_QUADS if fmt.dataset else ox.RdfFormat.N_TRIPLES
    return _write(ox.parse(statements, syntax), fmt, context)


def serialize(
    quads: Iterable[ox.Quad], fmt: Format, context: dict[str, Any] | None = None
) -> bytes:
    """``quads`` in ``fmt`` with munikg's prefixes, declarations in a fixed order.

    JSON-LD is compacted with ``context`` (the release's ``context.jsonld``).
    """
    if not fmt.dataset:  # a graph format: whatever graph the quads came from, they are triples
        quads = (ox.Quad(q.subject, q.predicate, q.object) for q in quads)
    if fmt.rdf == ox.RdfFormat.JSON_LD:  # nodes are written whole, so subjects must be together
        quads = sorted(quads, key=quad_key)
    return _write(quads, fmt, context)


def _write(quads: Iterable[ox.Quad], fmt: Format, context: dict[str, Any] | None) -> bytes:
    if fmt.rdf == ox.RdfFormat.JSON_LD:
        if context is None:
            raise ValueError("JSON-LD needs the release's context")
        return compact_jsonld(quads, context)  # sorted: by render, or by serialize
    text = ox.serialize(quads, None, fmt.rdf, prefixes=PREFIXES)
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
    top: list[str] = []  # the text of each item of the document's "@graph", in order
    inner: list[str] = []  # the text of each node of the named graph being read
    graph: str | None = None
    subject: object = None
    entries: dict[str, list[Any]] = {}

    def close_node() -> None:
        if subject is None:
            return
        node: dict[str, Any] = {"@id": compactor.node_id(subject)}
        node.update((k, v[0] if len(v) == 1 else v) for k, v in entries.items())
        (inner if graph else top).append(_json(node, 4 if graph else 2))
        entries.clear()

    def close_graph() -> None:
        if graph:
            name = json.dumps(compactor.iri(graph), ensure_ascii=False)
            nodes = ",\n".join(inner)
            top.append(f'  {{\n   "@graph": [\n{nodes}\n   ],\n   "@id": {name}\n  }}')
            inner.clear()

    # Sorted input brings each graph, and each subject in it, together: a node is written as
    # soon as the next begins, so the document is never held as Python objects.
    for quad in quads:
        g = "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
        if g != graph or quad.subject != subject:
            close_node()
            if g != graph:
                close_graph()
                graph = g
            subject = quad.subject
        key, value = compactor.entry(quad.predicate.value, quad.object)
        entries.setdefault(key, []).append(value)
    close_node()
    close_graph()
    head = _json({"@context": context["@context"]}, 0)[:-2]
    body = ",\n".join(top)
    tail = f'"@graph": [\n{body}\n ]' if top else '"@graph": []'
    return f"{head},\n {tail}\n}}\n".encode()


def _json(value: Any, depth: int) -> str:
    """``value`` as ``json.dumps(indent=1, sort_keys=True)`` writes it ``depth`` levels deep."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    return " " * depth + text.replace("\n", "\n" + " " * depth) if depth else text


_HEAD = 24  # IRIs are matched to namespaces by their first characters, then in full


class _Compactor:
    """IRIs to compact IRIs by the context's prefixes, properties to its terms."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.prefixes = sorted(
            ((k, v) for k, v in context.items() if isinstance(v, str) and not k.startswith("@")),
            key=lambda kv: (-len(kv[1]), kv[0]),
        )
        self._by_head: dict[str, list[tuple[str, str]]] = {}
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
        head = iri[:_HEAD]
        candidates = self._by_head.get(head)
        if candidates is None:  # only namespaces that can prefix an IRI starting with ``head``
            candidates = self._by_head[head] = [
                (name, ns)
                for name, ns in self.prefixes
                if (ns.startswith(head) if len(ns) >= len(head) else head.startswith(ns))
            ]
        for name, namespace in candidates:
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
