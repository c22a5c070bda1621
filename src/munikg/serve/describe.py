"""What a linked-data page says about one IRI: read from the release store, labelled in the
reader's language, with external identifiers as links and the quotations behind statements.

Links to IRIs under munikg's base stay on this site (``/id/…``); other http(s) IRIs link out;
anything else (a ``javascript:`` IRI in a literal, say) is shown as text, never as a link.
"""

from dataclasses import dataclass, field

import pyoxigraph as ox

from munikg.namespaces import BASE, DCT, ID, ONTOLOGY, PROV, RDF, SKOS, WD
from munikg.serve.labels import Labels
from munikg.terms import short

DG = ox.DefaultGraph()
TYPE = RDF + "type"
RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT = RDF + "subject", RDF + "predicate", RDF + "object"
MK = ONTOLOGY + "#"
SCHEMA_URL = "http://schema.org/url"
INFERRED = ID + "concept/confidence/inferred"  # grade E: the editor's, never the source's

# Identifier properties: the system's name and, where one resolves codes, its URL pattern.
# Without a pattern a code links to the sources its statement cites.
IDENTIFIERS: dict[str, tuple[str, str | None]] = {
    MK + "kommunkod": ("SCB kommunkod", None),
    MK + "lanskod": ("SCB länskod", None),
    MK + "organisationsnummer": ("Organisationsnummer", None),
    MK + "katotth": ("KATOTTH", None),
    MK + "openaidId": ("Openaid", "https://openaid.se/contributions/{}"),
    MK + "iatiOrgId": ("IATI organisation", None),
    MK + "wikidata": ("Wikidata", None),
    MK + "sdg": ("UN SDG", None),
    MK + "geonamesId": ("GeoNames", "https://www.geonames.org/{}"),
    MK + "isoAlpha2": ("ISO 3166-1 alpha-2", None),
    MK + "isoAlpha3": ("ISO 3166-1 alpha-3", None),
    MK + "mdbCode": ("MDB (South Africa)", None),
    MK + "euTransparencyId": ("EU Transparency Register", None),
    MK + "crossrefFunderId": ("Crossref Funder ID", "https://doi.org/{}"),
    "http://www.w3.org/2002/07/owl#sameAs": ("owl:sameAs", None),
}


@dataclass
class Value:
    text: str
    href: str | None = None
    iri: str | None = None
    lang: str | None = None
    datatype: str | None = None


@dataclass
class Row:
    property: Value
    values: list[Value]


@dataclass
class Identifier:
    system: str
    value: Value


@dataclass
class Quotation:
    statement: list[Value]  # subject, predicate, object
    quotes: list[Value]
    sources: list[tuple[Value, str | None]]  # each page it stands on, with its address
    confidence: Value | None
    cited: list[str] = field(default_factory=list)
    note: Value | None = None  # the editor's reason, where the evidence is an inference
    inferred: bool = False  # an editor's inference, never to read as a stated fact


@dataclass
class Description:
    iri: str
    label: str
    types: list[Value]
    rows: list[Row]
    incoming: list[tuple[Value, Value]]
    identifiers: list[Identifier]
    quotations: list[Quotation]


def local_path(iri: str) -> str | None:
    """The site path that serves ``iri``, if it is munikg's own.

    >>> local_path("https://w3id.org/munikg/id/municipality/se-1080")
    '/id/municipality/se-1080'
    >>> local_path("https://w3id.org/munikg/ontology#Partnership")
    '/ontology#Partnership'
    >>> local_path("http://example.org/x") is None
    True
    """
    if iri.startswith(BASE):
        return "/" + iri[len(BASE) :]
    return None


def href(iri: str) -> str | None:
    """Where a link to ``iri`` goes: this site for munikg's IRIs, Wikidata's page for its
    entities, the IRI itself for other http(s) IRIs, nowhere for anything else."""
    if (path := local_path(iri)) is not None:
        return path
    if iri.startswith(WD):
        return "https://www.wikidata.org/wiki/" + iri[len(WD) :]
    if iri.startswith(("http://", "https://")):
        return iri
    return None


def known(store: ox.Store, iri: str) -> bool:
    """Whether the release says anything with ``iri`` as subject, object or graph name.

    >>> known(ox.Store(), "https://w3id.org/munikg/id/<script>")
    False
    """
    try:
        node = ox.NamedNode(iri)
    except ValueError:  # not an IRI at all: nothing is said about it
        return False
    for found in (
        store.quads_for_pattern(node, None, None, DG),
        store.quads_for_pattern(None, None, node, DG),
    ):
        if next(iter(found), None) is not None:
            return True
    return any(g.value == iri for g in store.named_graphs())


def quads_about(store: ox.Store, iri: str) -> list[ox.Quad]:
    """The document's triples: the IRI's own statements, those pointing at it, and the evidence
    nodes (quotation, source, confidence) for statements about it."""
    node = ox.NamedNode(iri)
    quads = list(store.quads_for_pattern(node, None, None, DG))
    quads += store.quads_for_pattern(None, None, node, DG)
    for evidence in _evidence_nodes(store, node):
        quads += store.quads_for_pattern(evidence, None, None, DG)
    unique = {(q.subject, q.predicate, q.object): q for q in quads}
    return sorted(unique.values(), key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))


def _evidence_nodes(store: ox.Store, node: ox.NamedNode) -> list[ox.NamedNode | ox.BlankNode]:
    found = []
    for role in (RDF_SUBJECT, RDF_OBJECT):
        for quad in store.quads_for_pattern(None, ox.NamedNode(role), node, DG):
            if isinstance(quad.subject, ox.NamedNode | ox.BlankNode):
                found.append(quad.subject)
    return list(dict.fromkeys(found))


class Describer:
    def __init__(self, store: ox.Store, labels: Labels, lang: str) -> None:
        self.store = store
        self.labels = labels
        self.lang = lang

    def value(self, term: object) -> Value:
        if isinstance(term, ox.NamedNode):
            label = self.labels.get(term.value, self.lang) or short(term)
            return Value(label, href(term.value), term.value)
        if isinstance(term, ox.Literal):
            datatype = term.datatype.value
            shown = None if term.language or datatype.endswith("#string") else short(term.datatype)
            return Value(term.value, None, None, term.language, shown)
        return Value(str(term))

    def _objects(self, subject: ox.NamedNode | ox.BlankNode, prop: str) -> list[object]:
        return [
            q.object for q in self.store.quads_for_pattern(subject, ox.NamedNode(prop), None, DG)
        ]

    def describe(self, iri: str) -> Description:
        node = ox.NamedNode(iri)
        by_property: dict[str, list[object]] = {}
        for quad in self.store.quads_for_pattern(node, None, None, DG):
            by_property.setdefault(quad.predicate.value, []).append(quad.object)
        types = [self.value(t) for t in by_property.pop(TYPE, [])]
        identifiers = [
            Identifier(system, self._identifier(node, prop, term, pattern))
            for prop, (system, pattern) in IDENTIFIERS.items()
            for term in sorted(by_property.pop(prop, []), key=str)
        ]
        rows = [
            Row(self.value(ox.NamedNode(prop)), self._sorted(terms))
            for prop, terms in by_property.items()
        ]
        rows.sort(key=lambda r: r.property.text.lower())
        incoming = [
            (self.value(q.subject), self.value(q.predicate))
            for q in self.store.quads_for_pattern(None, None, node, DG)
            if q.predicate.value not in {RDF_SUBJECT, RDF_OBJECT}
        ]
        incoming.sort(key=lambda pair: (pair[1].text.lower(), pair[0].text.lower()))
        quotations = [self._quotation(e) for e in _evidence_nodes(self.store, node)]
        quotations.sort(key=lambda q: (not q.quotes, [v.text for v in q.statement]))
        label = self.labels.get(iri, self.lang) or short(node)
        return Description(iri, label, types, rows, incoming, identifiers, quotations)

    def _sorted(self, terms: list[object]) -> list[Value]:
        values = [self.value(t) for t in terms]
        # The reader's language first, then the rest, each alphabetically.
        return sorted(values, key=lambda v: (v.lang not in {None, self.lang}, v.text.lower()))

    def _identifier(
        self, node: ox.NamedNode, prop: str, term: object, pattern: str | None
    ) -> Value:
        value = self.value(term)
        if isinstance(term, ox.NamedNode):
            value.text = term.value.removeprefix(WD)
            return value
        if pattern:
            value.href = pattern.format(value.text)
        else:
            cited = self._cited(node, prop, term)
            value.href = cited[0] if cited else None
        return value

    def _cited(self, node: ox.NamedNode, prop: str, term: object) -> list[str]:
        """The URLs cited (dcterms:source) by the evidence for one statement."""
        urls = []
        for quad in self.store.quads_for_pattern(None, ox.NamedNode(RDF_SUBJECT), node, DG):
            evidence = quad.subject
            if not isinstance(evidence, ox.NamedNode | ox.BlankNode):
                continue
            if self._objects(evidence, RDF_PREDICATE) == [ox.NamedNode(prop)] and self._objects(
                evidence, RDF_OBJECT
            ) == [term]:
                urls += [
                    link
                    for o in self._objects(evidence, DCT + "source")
                    if isinstance(o, ox.NamedNode) and (link := href(o.value))
                ]
        return sorted(urls)

    def _quotation(self, evidence: ox.NamedNode | ox.BlankNode) -> Quotation:
        def one(prop: str) -> object | None:
            found = self._objects(evidence, prop)
            return found[0] if found else None

        statement = [
            self.value(t)
            for t in (one(RDF_SUBJECT), one(RDF_PREDICATE), one(RDF_OBJECT))
            if t is not None
        ]
        quotes = self._sorted(self._objects(evidence, PROV + "value"))
        sources = []
        for source in self._objects(evidence, PROV + "wasQuotedFrom") or self._objects(
            evidence, PROV + "wasDerivedFrom"
        ):
            urls = self._objects(source, SCHEMA_URL) if isinstance(source, ox.NamedNode) else []
            url = href(urls[0].value) if urls and isinstance(urls[0], ox.NamedNode) else None
            sources.append((self.value(source), url))
        sources.sort(key=lambda s: s[0].text)
        confidence = one(MK + "confidence")
        cited = sorted(
            link
            for o in self._objects(evidence, DCT + "source")
            if isinstance(o, ox.NamedNode) and (link := href(o.value))
        )
        notes = self._sorted(self._objects(evidence, SKOS + "editorialNote"))
        return Quotation(
            statement,
            quotes,
            sources,
            self.value(confidence) if confidence is not None else None,
            cited,
            notes[0] if notes else None,
            confidence == ox.NamedNode(INFERRED),
        )
