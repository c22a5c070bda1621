"""The harvest rules of dataportal.se (DIGG's DCAT-AP-SE harvesting guidance) that a release's
catalogue keeps or does not yet keep — the ones a publisher must supply are build options
(``--publisher-orgnr``, ``--contact-email``, ``--publisher-type``), never invented defaults —
and the mandatory and recommended properties DCAT-AP-SE 3.0.1 lists for its primary classes.

>>> [r.rule for r in check(Path("/nonexistent"))][:1]
['the catalogue is RDF/XML (catalog.rdf) and parses']
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from munikg.namespaces import LICENCE, PREFIXES, RDF
from munikg.release import CATALOG_RDF

DCAT = PREFIXES["dcat"]
DCT = PREFIXES["dcterms"]
VCARD = PREFIXES["vcard"]
PUBLISHER = re.compile(r"http://dataportal\.se/organisation/SE[0-9]{10}")


# DCAT-AP-SE 3.0.1 (DIGG, CC BY 4.0; https://docs.dataportal.se/dcat/3.0.1/en/), its class
# diagram of the "mandatory and recommended properties" of the primary classes. A class is found
# by its rdf:type or (agents, contact points) as the object of the property naming it. The
# contact point's e-mail is its own rule above, so it is not listed twice.
PROFILE = (
    ("catalogue", "a dcat:Catalog",
     "dcterms:title dcterms:description dcterms:license dcterms:issued dcterms:language "
     "dcterms:modified foaf:homepage dcat:themeTaxonomy dcterms:publisher dcat:dataset", ""),
    ("dataset", "a dcat:Dataset",
     "dcterms:title dcterms:description dcat:keyword dcat:theme dcterms:temporal dcterms:issued "
     "dcterms:accessRights dcterms:spatial dcterms:publisher dcat:contactPoint "
     "dcat:distribution", ""),
    ("distribution", "a dcat:Distribution",
     "dcat:accessURL dcterms:description dcat:mediaType dcatap:availability dcterms:license", ""),
    ("data service", "a dcat:DataService",
     "dcterms:title dcat:endpointURL dcat:endpointDescription dcterms:license "
     "dcterms:accessRights dcterms:publisher", ""),
    ("publisher", "object of dcterms:publisher", "foaf:name dcterms:type", " (--publisher-type)"),
    ("contact point", "object of dcat:contactPoint", "rdf:type vcard:fn", ""),
)  # fmt: skip
NAMESPACES = {**PREFIXES, "dcatap": "http://data.europa.eu/r5r/"}


def expand(curie: str) -> str:
    """The IRI of ``dcterms:license``."""
    prefix, _, local = curie.partition(":")
    return NAMESPACES[prefix] + local


@dataclass(frozen=True)
class Rule:
    rule: str
    kept: bool
    detail: str = ""


def check(release: Path) -> list[Rule]:
    """Every rule, kept or not, for the catalogue of the release in ``release``."""
    path = release / CATALOG_RDF
    try:
        quads = list(ox.parse(path=str(path), format=ox.RdfFormat.RDF_XML))
    except (OSError, SyntaxError) as error:
        return [Rule("the catalogue is RDF/XML (catalog.rdf) and parses", False, str(error))]
    rules = [Rule("the catalogue is RDF/XML (catalog.rdf) and parses", True)]
    blank = [
        q
        for q in quads
        if isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode)
    ]
    rules.append(Rule("no blank nodes", not blank, f"{len(blank)} statements" if blank else ""))
    relative = [
        t.value
        for q in quads
        for t in (q.subject, q.predicate, q.object)
        if isinstance(t, ox.NamedNode) and re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", t.value) is None
    ]
    rules.append(Rule("absolute IRIs", not relative, ", ".join(relative[:3])))

    def objects(predicate: str, subject: ox.NamedNode | None = None) -> list[str]:
        return [
            q.object.value
            for q in quads
            if q.predicate.value == predicate
            and (subject is None or q.subject == subject)
            and isinstance(q.object, ox.NamedNode)
        ]

    licences = set(objects(DCT + "license"))
    rules.append(
        Rule(
            f"one licence IRI, the canonical <{LICENCE}>",
            licences == {LICENCE},
            ", ".join(sorted(licences - {LICENCE})),
        )
    )
    datasets = [
        q.subject
        for q in quads
        if q.predicate.value == RDF + "type" and q.object.value == DCAT + "Dataset"
    ]
    publishers = set(objects(DCT + "publisher"))
    rules.append(
        Rule(
            "the publisher is http://dataportal.se/organisation/SE<orgnr> (--publisher-orgnr)",
            bool(publishers) and all(PUBLISHER.fullmatch(p) for p in publishers),
            ", ".join(sorted(publishers)),
        )
    )
    contacts = {
        c
        for d in datasets
        if isinstance(d, ox.NamedNode)
        for c in objects(DCAT + "contactPoint", d)
    }
    rules.append(
        Rule(
            "the contact point is not the publisher",
            bool(contacts) and not contacts & publishers,
        )
    )
    emails = {c: objects(VCARD + "hasEmail", ox.NamedNode(c)) for c in contacts}
    rules.append(
        Rule(
            "the contact point has an e-mail address (--contact-email)",
            bool(contacts) and all(emails.values()),
            ", ".join(e for found in emails.values() for e in found),
        )
    )
    return rules + profile(quads)


def profile(quads: list[ox.Quad]) -> list[Rule]:
    """One rule per DCAT-AP-SE primary class: each of its nodes has every listed property."""
    said = {(q.subject, q.predicate.value) for q in quads}
    rules = []
    for name, found_as, properties, hint in PROFILE:
        how, _, curie = found_as.rpartition(" ")
        iri = expand(curie)
        nodes: set[object]
        if how == "a":
            type_ = ox.NamedNode(iri)
            nodes = {
                q.subject for q in quads if q.predicate.value == RDF + "type" and q.object == type_
            }
        else:
            nodes = {q.object for q in quads if q.predicate.value == iri}
        named = sorted((n for n in nodes if isinstance(n, ox.NamedNode | ox.BlankNode)), key=str)
        missing = [
            f"{p} of <{n.value}>"
            for n in named
            for p in properties.split()
            if (n, expand(p)) not in said
        ]
        rules.append(
            Rule(
                f"every {name} has DCAT-AP-SE's mandatory and recommended properties{hint}",
                bool(named) and not missing,
                "; ".join(missing) if named else "none in the catalogue",
            )
        )
    return rules
