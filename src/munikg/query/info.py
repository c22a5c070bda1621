"""What a release holds: counts per class and per graph, version, sources (``munikg info``)."""

from typing import Any

import pyoxigraph as ox

from munikg.namespaces import MK, RDFS
from munikg.release import Release
from munikg.store import select
from munikg.terms import short

CLASS_COUNTS = """
SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?class }
GROUP BY ?class ORDER BY ?class
"""

SOURCES = f"""
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <http://schema.org/>
SELECT ?source ?label ?issued ?url ?copy WHERE {{
  ?source a <{MK}Source> ; <{RDFS}label> ?label ; <{MK}localCopy> ?copy .
  FILTER (LANG(?label) = "en")
  FILTER NOT EXISTS {{ ?source dcterms:isPartOf [] }}  # the documents, not their pages
  OPTIONAL {{ ?source dcterms:issued ?issued }}
  OPTIONAL {{ ?source schema:url ?url }}
}} ORDER BY ?source
"""


def _value(solution: ox.QuerySolution, name: str) -> str | None:
    term = solution[name]
    return None if term is None else str(term.value)


def class_counts(store: ox.Store) -> dict[str, int]:
    """Instances of each class (by IRI), in the order of the IRIs."""
    return {
        row["class"].value: int(row["n"].value)
        for row in select(store, CLASS_COUNTS)
        if isinstance(row["class"], ox.NamedNode)
    }


def summarise(release: Release, counts: dict[str, int] | None = None) -> dict[str, Any]:
    """A JSON-ready summary of the release (``counts``: its :func:`class_counts`, if
    already counted)."""
    store = release.store
    counted = class_counts(store) if counts is None else counts
    classes = {short(ox.NamedNode(iri)): n for iri, n in counted.items()}
    sources = [
        {k: _value(row, k) for k in ("source", "label", "issued", "url", "copy")}
        for row in select(store, SOURCES)
    ]
    meta = release.metadata
    return {
        "release": meta["release"],
        "version": meta["version"],
        "date": meta["date"],
        "triples": meta["triples"],
        "graphs": meta["graphs"],
        "classes": classes,
        "sources": sources,
    }
