"""Dumps of a release in the standard RDF formats, byte-for-byte reproducible (design §9).

Dataset formats (TriG, N-Quads) hold the named graphs, one per source. Graph formats
(Turtle, N-Triples, RDF/XML) hold the default graph — the merge of all sources, each triple
once — or one named graph. Statements are sorted and written by pyoxigraph (fast at a
million triples); the prefix declarations, which it writes in its own hash order, are sorted
here so that a file depends on nothing but its content.
"""

import contextlib
import heapq
import io
import json
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.namespaces import GRAPH, PREFIXES, RDF, XSD
from munikg.release import DUMP_FILE

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
        Format("trig", ox.RdfFormat.TRIG, DUMP_FILE, "application/trig", True),
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


def check_graph(store: ox.Store, graph: str) -> None:
    """An unknown graph name is bad input naming the known ones."""
    known = graph_names(store)
    if graph not in known:
        raise BadInput(None, f"no graph {graph!r} in the release (graphs: {', '.join(known)})")


def dump(
    release: Path, fmt: Format, context: dict[str, Any], out: IO[bytes], graph: str | None = None
) -> None:
    """The release in ``release`` (all named graphs, or the merge) or one ``graph`` in
    ``fmt``, sorted, to ``out`` — read from the release's own dumps, which hold the literals
    as curated (the store holds their canonical forms). Check the graph with
    :func:`check_graph` first."""
    if graph is None:
        with (release / fmt.file).open("rb") as whole:
            shutil.copyfileobj(whole, out)
        return
    suffix = f" <{GRAPH + graph}> .\n".encode()
    with (release / FORMATS["nq"].file).open("rb") as quads:
        lines = [line for line in quads if line.endswith(suffix)]
    if not fmt.dataset:
        lines = [line[: -len(suffix)] + b" .\n" for line in lines]
    if fmt.rdf in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
        out.writelines(lines)
        return
    with tempfile.NamedTemporaryFile(suffix=".nq") as statements:
        statements.writelines(lines)
        statements.flush()
        write_format(Path(statements.name), fmt, context, out)


def write_statements(
    store: ox.Store,
    dataset: bool,
    out: IO[bytes],
    graph: str | None = None,
    written: dict[ox.NamedNode, Path] | None = None,
) -> None:
    """N-Quads of every named graph (``dataset``) or N-Triples of the merge, or either of one
    ``graph``, sorted by :func:`quad_key`, to ``out``.

    A graph in ``written`` is read from its file of sorted, distinct N-Triples lines, made
    from the curated file by the build's checks (:func:`munikg.build.inputs.load_inputs`), so
    its literals keep their lexical forms (the store holds ``12.0`` of xsd:decimal as ``12``,
    ``"5"^^xsd:int`` as an xsd:integer); any other is dumped by pyoxigraph. Lines sort as
    bytes: that is the order of :func:`quad_key`, as terms compare left to right and no term's
    N-Triples form is a prefix of another's followed by a space. No Python quad is kept, and
    the merge is a streamed merge of the graphs' sorted lines, each triple once.
    """
    written = written or {}
    if graph is not None:
        check_graph(store, graph)
        sources = [ox.NamedNode(GRAPH + graph)]
    else:
        sources = sorted((g for g in store.named_graphs() if isinstance(g, ox.NamedNode)), key=str)
    with contextlib.ExitStack() as files:
        sorted_files: list[IO[bytes]] = []
        for source in sources:
            if source in written:
                sorted_files.append(files.enter_context(written[source].open("rb")))
                continue
            dumped = files.enter_context(tempfile.TemporaryFile())
            dumped.writelines(graph_lines(store, source))
            dumped.seek(0)
            sorted_files.append(dumped)
        if dataset:
            for source, lines in zip(sources, sorted_files, strict=True):
                suffix = f"{source} .\n".encode()
                out.writelines(line[:-2] + suffix for line in lines)
            return
        previous = None
        for line in heapq.merge(*sorted_files):  # the merge: each triple once
            if line != previous:
                out.write(line)
                previous = line


def graph_lines(store: ox.Store, graph: ox.NamedNode) -> list[bytes]:
    """The sorted, distinct N-Triples lines of ``graph`` as the store holds it."""
    with tempfile.TemporaryFile() as dumped:  # read back as lines: never one huge string
        store.dump(dumped, format=ox.RdfFormat.N_TRIPLES, from_graph=graph)
        dumped.seek(0)
        lines = sorted(set(dumped.readlines()))
    return lines


def write_format(statements: Path, fmt: Format, context: dict[str, Any], out: IO[bytes]) -> None:
    """A file of sorted N-Quads (dataset formats) or N-Triples (graph formats) written in
    ``fmt`` to ``out``, streamed. (The statements file is already the N-Quads or N-Triples.)"""
    syntax = ox.RdfFormat.N_QUADS if fmt.dataset else ox.RdfFormat.N_TRIPLES
    _write(ox.parse(path=str(statements), format=syntax), fmt, context, out)


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
    out = io.BytesIO()
    _write(quads, fmt, context, out)
    return out.getvalue()


def _write(
    quads: Iterable[ox.Quad], fmt: Format, context: dict[str, Any] | None, out: IO[bytes]
) -> None:
    if fmt.rdf == ox.RdfFormat.JSON_LD:
        if context is None:
            raise ValueError("JSON-LD needs the release's context")
        for chunk in jsonld_chunks(quads, context):  # sorted: by write_format, or by serialize
            out.write(chunk.encode())
        return
    with tempfile.TemporaryFile() as written:
        ox.serialize(quads, written, fmt.rdf, prefixes=PREFIXES)
        written.seek(0)
        # The declarations open the file: only its head is read, fixed and copied.
        head = written.read(_HEAD_BYTES)
        while not _declarations_end(head, fmt) and (more := written.read(_HEAD_BYTES)):
            head += more
        if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            out.write(_sort_prefixes(head))
        elif fmt.rdf == ox.RdfFormat.RDF_XML:
            out.write(_sort_xmlns(head))
        else:
            out.write(head)
        shutil.copyfileobj(written, out)


_HEAD_BYTES = 1 << 16


def _declarations_end(head: bytes, fmt: Format) -> bool:
    """Whether ``head`` holds all of the file's namespace declarations."""
    if fmt.rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return any(not line.startswith(b"@prefix ") for line in head.split(b"\n")[:-1])
    if fmt.rdf == ox.RdfFormat.RDF_XML:
        return re.search(rb"<rdf:RDF[^>]*>", head) is not None
    return True


def _sort_prefixes(head: bytes) -> bytes:
    """Sort the ``@prefix`` lines that open a Turtle or TriG file.

    >>> _sort_prefixes(b"@prefix b: <http://b/> .\\n@prefix a: <http://a/> .\\n\\n<x>")
    b'@prefix a: <http://a/> .\\n@prefix b: <http://b/> .\\n\\n<x>'
    """
    lines = head.split(b"\n")
    n = 0
    while n < len(lines) and lines[n].startswith(b"@prefix "):
        n += 1
    return b"\n".join(sorted(lines[:n]) + lines[n:])


def jsonld_chunks(quads: Iterable[ox.Quad], context: dict[str, Any]) -> Iterator[str]:
    """Compacted JSON-LD with munikg's context, a node (or a named graph) at a time; the
    context is carried inline so the document parses anywhere without fetching anything.

    Written directly from the quads: the context is munikg's own and simple (prefixes, and
    terms for a property with IRI values, ``"@type": "@id"``, or with literal values), so
    compaction is a lookup per property and value. (pyLD's general compaction algorithm took
    minutes at a million triples; its expansion of this output is tested to give the quads.)

    >>> s, p = ox.NamedNode("https://w3id.org/munikg/id/x"), ox.NamedNode("http://e/p")
    >>> ctx = {"@context": {"id": "https://w3id.org/munikg/id/", "p": {"@id": "http://e/p"}}}
    >>> quads = [ox.Quad(s, p, ox.Literal("a", language="sv"))]
    >>> print("".join(jsonld_chunks(quads, ctx)))
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
    yield _json({"@context": context["@context"]}, 0)[:-2] + ",\n "
    opened = False  # whether the document's "@graph" has an item yet
    inner: list[str] = []  # the text of each node of the named graph being read
    graph: str | None = None
    subject: object = None
    entries: dict[str, list[Any]] = {}

    def node() -> str:
        found: dict[str, Any] = {"@id": compactor.node_id(subject)}
        found.update((k, v[0] if len(v) == 1 else v) for k, v in entries.items())
        entries.clear()
        return _json(found, 4 if graph else 2)

    def named() -> str:
        name = json.dumps(compactor.iri(graph or ""), ensure_ascii=False)
        nodes = ",\n".join(inner)
        inner.clear()
        return f'  {{\n   "@graph": [\n{nodes}\n   ],\n   "@id": {name}\n  }}'

    # Sorted input brings each graph, and each subject in it, together: a node is written as
    # soon as the next begins, so the document is never held, as text or as Python objects.
    for quad in chain(quads, [None]):
        g = None if quad is None else _graph_name(quad)
        if quad is None or g != graph or quad.subject != subject:
            item = None
            if subject is not None:
                if graph:
                    inner.append(node())
                else:
                    item = node()
            if (quad is None or g != graph) and graph:
                item = named()
            if item is not None:
                yield (",\n" if opened else '"@graph": [\n') + item
                opened = True
            if quad is None:
                break
            graph, subject = g, quad.subject
        key, value = compactor.entry(quad.predicate.value, quad.object)
        entries.setdefault(key, []).append(value)
    yield "\n ]\n}\n" if opened else '"@graph": []\n}\n'


def _graph_name(quad: ox.Quad) -> str:
    """The quad's graph IRI; "" for the default graph."""
    return "" if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value


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
