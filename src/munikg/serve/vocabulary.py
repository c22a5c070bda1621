"""What the editor completes, read once from the release: its prefixes, and every class and
property it defines or uses, with their labels in Swedish and English. Served as
``/editor/vocabulary.json``; entities are completed by ``/search.json`` instead (there may be
millions of them)."""

from typing import Any

import pyoxigraph as ox

from munikg.namespaces import PREFIXES, RDF, RDFS
from munikg.serve.labels import Labels

OWL = PREFIXES["owl"]
DEFINED = {
    OWL + "Class": "class",
    RDFS + "Class": "class",
    OWL + "ObjectProperty": "property",
    OWL + "DatatypeProperty": "property",
    OWL + "AnnotationProperty": "property",
    RDF + "Property": "property",
}
USED = {
    "class": "SELECT DISTINCT ?term WHERE { ?s a ?term }",
    "property": "SELECT DISTINCT ?term WHERE { ?s ?term ?o }",
}


def curie(iri: str) -> str | None:
    """``iri`` as prefix:local with the release's prefixes, if one fits a SPARQL local name.

    >>> curie("https://w3id.org/munikg/ontology#Partnership"), curie("http://e/x") is None
    ('mk:Partnership', True)
    """
    best = None
    for prefix, namespace in PREFIXES.items():
        local = iri[len(namespace) :]
        fits = iri.startswith(namespace) and local.replace("-", "").replace("_", "").isalnum()
        if fits and (best is None or len(namespace) > len(PREFIXES[best[0]])):
            best = (prefix, local)
    return f"{best[0]}:{best[1]}" if best else None


def vocabulary(store: ox.Store, labels: Labels) -> dict[str, Any]:
    kinds: dict[str, str] = {}
    for type_iri, kind in DEFINED.items():
        for quad in store.quads_for_pattern(
            None, ox.NamedNode(RDF + "type"), ox.NamedNode(type_iri)
        ):
            if isinstance(quad.subject, ox.NamedNode):
                kinds.setdefault(quad.subject.value, kind)
    for kind, query in USED.items():
        for row in store.query(query):  # type: ignore[union-attr]
            kinds.setdefault(row["term"].value, kind)
    terms = []
    for iri, kind in sorted(kinds.items()):
        name = curie(iri)
        if name is None:
            continue
        label = {lang: labels.get(iri, lang) for lang in ("sv", "en")}
        terms.append({"curie": name, "iri": iri, "kind": kind, "label": label})
    return {"prefixes": dict(sorted(PREFIXES.items())), "terms": terms}
