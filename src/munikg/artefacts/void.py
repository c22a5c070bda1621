"""The VoID description of a release (``void.ttl``): what it holds, where to get it, how it
links to the identifier systems researchers join on.

Counts come from SPARQL over the release store (default graph = the merge of all sources).
Every node has an IRI under the release's IRI: no blank nodes.
"""

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from munikg.artefacts.export import FORMATS
from munikg.namespaces import (
    DCT,
    GRAPH,
    ID,
    LICENCE,
    MK,
    PREFIXES,
    PROV,
    RDF,
    VOID,
    WD,
    XSD,
    release_iri,
)
from munikg.store import select

XSD_INT = ox.NamedNode(XSD + "integer")


@dataclass(frozen=True)
class LinkSystem:
    """An external identifier system: the predicates that link to it, and its home."""

    slug: str
    title: str
    target: str
    predicates: tuple[str, ...]
    objects_in: str | None = None  # count only objects in this namespace


# Linksets only where the links are RDF links (IRIs in another dataset). Codes such as SCB's
# kommunkod, KATOTTH or Openaid ids are literals — identifier properties, counted in the
# property partitions (mk:kommunkod, mk:katotth, mk:openaidId), not links.
LINK_SYSTEMS = (
    LinkSystem(
        "wikidata",
        "Wikidata",
        "http://www.wikidata.org/",
        (
            MK + "wikidata",
            "http://schema.org/areaServed",
            "http://www.w3.org/2002/07/owl#sameAs",
        ),
        WD,
    ),
    LinkSystem(
        "un-sdg", "UN Sustainable Development Goals", "http://metadata.un.org/sdg/", (MK + "sdg",)
    ),
)

# Entities: the things munikg names (IRIs under its id/ space), as VoID defines them.
ENTITIES = (
    f'SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s ?p ?o FILTER (STRSTARTS(STR(?s), "{ID}")) }}'
)

# (IRI segment, link property, key property, measure, query) of each VoID partition.
PARTITIONS = (
    (
        "class",
        "classPartition",
        "class",
        "entities",
        "SELECT ?x (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?x } GROUP BY ?x ORDER BY ?x",
    ),
    (
        "property",
        "propertyPartition",
        "property",
        "triples",
        "SELECT ?x (COUNT(*) AS ?n) WHERE { ?s ?x ?o } GROUP BY ?x ORDER BY ?x",
    ),
)

# Namespaces that are data, not vocabulary: munikg's entities, and the items it links to.
NOT_VOCABULARIES = {WD, "http://metadata.un.org/sdg/"}


def vocabularies(terms: Iterable[str]) -> list[str]:
    """The namespaces ``terms`` (the properties and classes used) come from (VoID §4.2).

    >>> vocabularies(["http://www.w3.org/ns/org#Membership", "http://www.wikidata.org/entity/Q1"])
    ['http://www.w3.org/ns/org#']
    """
    namespaces = sorted(
        (ns for ns in PREFIXES.values() if not ns.startswith(ID) and ns not in NOT_VOCABULARIES),
        key=len,
        reverse=True,
    )
    found = set()
    for term in terms:
        namespace = next((ns for ns in namespaces if term.startswith(ns)), None)
        if namespace is not None:
            found.add(namespace)
    return sorted(found)


def _count(store: ox.Store, query: str, graph: str | None = None) -> int:
    row = next(iter(select(store, query, ox.NamedNode(graph) if graph else None)))
    value = row["n"]
    return int(value.value) if value is not None else 0


def link_count(store: ox.Store, system: LinkSystem) -> int:
    values = " ".join(f"<{p}>" for p in system.predicates)
    namespace = f'FILTER (STRSTARTS(STR(?o), "{system.objects_in}"))' if system.objects_in else ""
    return _count(
        store, f"SELECT (COUNT(*) AS ?n) WHERE {{ VALUES ?p {{ {values} }} ?s ?p ?o {namespace} }}"
    )


def void_description(store: ox.Store, version: str, base_url: str) -> list[ox.Quad]:
    """The VoID triples of the release in ``store``."""
    release = release_iri(version)
    base = base_url.rstrip("/") + "/"
    triples: list[tuple[str, str, ox.NamedNode | ox.Literal]] = []

    def add(s: str, p: str, o: ox.NamedNode | ox.Literal) -> None:
        triples.append((s, p, o))

    def count(n: int) -> ox.Literal:
        return ox.Literal(str(n), datatype=XSD_INT)

    add(release, RDF + "type", ox.NamedNode(VOID + "Dataset"))
    add(
        release,
        DCT + "title",
        ox.Literal("munikg: Swedish municipal international cooperation", language="en"),
    )
    add(
        release,
        DCT + "title",
        ox.Literal("munikg: svenska kommuners internationella samarbete", language="sv"),
    )
    add(release, DCT + "license", ox.NamedNode(LICENCE))
    add(release, DCT + "hasVersion", ox.Literal(version))
    add(release, VOID + "uriSpace", ox.Literal(ID))
    add(release, VOID + "sparqlEndpoint", ox.NamedNode(base + "sparql"))
    for fmt in FORMATS.values():
        add(release, VOID + "dataDump", ox.NamedNode(base + "download/" + fmt.file))
    add(
        release,
        VOID + "triples",
        count(_count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")),
    )
    add(
        release,
        VOID + "entities",
        count(_count(store, ENTITIES)),
    )
    add(
        release,
        VOID + "distinctSubjects",
        count(_count(store, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }")),
    )
    add(
        release,
        VOID + "properties",
        count(_count(store, "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }")),
    )
    add(
        release,
        VOID + "classes",
        count(_count(store, "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }")),
    )

    used: list[str] = []  # the classes and properties, for void:vocabulary
    for segment, link, key, measure, query in PARTITIONS:
        for row in select(store, query):
            used.append(row["x"].value)
            partition = f"{release}/{segment}/{_slug(row['x'].value)}"
            add(release, VOID + link, ox.NamedNode(partition))
            add(partition, VOID + key, row["x"])
            add(partition, VOID + measure, count(int(row["n"].value)))
    for namespace in vocabularies(used):
        add(release, VOID + "vocabulary", ox.NamedNode(namespace))

    for graph in sorted(g.value for g in store.named_graphs() if isinstance(g, ox.NamedNode)):
        add(release, VOID + "subset", ox.NamedNode(graph))
        add(graph, RDF + "type", ox.NamedNode(VOID + "Dataset"))
        add(graph, DCT + "title", ox.Literal(graph.removeprefix(GRAPH)))
        add(
            graph,
            VOID + "triples",
            count(_count(store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph)),
        )

    for system in LINK_SYSTEMS:
        linkset = f"{release}/linkset/{system.slug}"
        add(release, VOID + "subset", ox.NamedNode(linkset))
        add(linkset, RDF + "type", ox.NamedNode(VOID + "Linkset"))
        add(linkset, DCT + "title", ox.Literal(system.title, language="en"))
        add(linkset, VOID + "subjectsTarget", ox.NamedNode(release))
        add(linkset, VOID + "objectsTarget", ox.NamedNode(system.target))
        for predicate in system.predicates:
            add(linkset, VOID + "linkPredicate", ox.NamedNode(predicate))
        add(linkset, VOID + "triples", count(link_count(store, system)))
        add(system.target, RDF + "type", ox.NamedNode(VOID + "Dataset"))
        add(system.target, DCT + "title", ox.Literal(system.title, language="en"))
    return [ox.Quad(ox.NamedNode(s), ox.NamedNode(p), o) for s, p, o in triples]


def _slug(iri: str) -> str:
    """A readable path segment for a class or property IRI: prefix-local.

    >>> _slug("https://w3id.org/munikg/ontology#Partnership")
    'mk-Partnership'
    """
    best = max(
        (p for p, ns in PREFIXES.items() if iri.startswith(ns)),
        key=lambda p: len(PREFIXES[p]),
        default=None,
    )
    if best is None:
        return "".join(c if c.isalnum() else "-" for c in iri)
    return f"{best}-{iri[len(PREFIXES[best]) :]}"


def release_graph(version: str, base_url: str, sources: list[str]) -> list[ox.Quad]:
    """The ``graph/release`` named graph every dump carries: which release this is, and the
    sources it is derived from.

    No date: dumps of the same inputs stay byte-identical whatever day they are built.
    """
    release = ox.NamedNode(release_iri(version))
    graph = ox.NamedNode(GRAPH + "release")
    base = base_url.rstrip("/") + "/"
    triples: list[tuple[str, ox.NamedNode | ox.Literal]] = [
        (RDF + "type", ox.NamedNode(VOID + "Dataset")),
        (
            DCT + "title",
            ox.Literal("munikg: Swedish municipal international cooperation", language="en"),
        ),
        (
            DCT + "title",
            ox.Literal("munikg: svenska kommuners internationella samarbete", language="sv"),
        ),
        (DCT + "hasVersion", ox.Literal(version)),
        (DCT + "license", ox.NamedNode(LICENCE)),
        (VOID + "uriSpace", ox.Literal(ID)),
        ("http://www.w3.org/2000/01/rdf-schema#seeAlso", ox.NamedNode(base + "download/void.ttl")),
        (
            "http://www.w3.org/2000/01/rdf-schema#seeAlso",
            ox.NamedNode(base + "download/context.jsonld"),
        ),
    ]
    triples += [(PROV + "wasDerivedFrom", ox.NamedNode(s)) for s in sorted(sources)]
    return [ox.Quad(release, ox.NamedNode(p), o, graph) for p, o in triples]
