"""HTTP content and language negotiation (RFC 9110 §12): which representation, which language.

>>> choose("text/html,application/xhtml+xml,*/*;q=0.8", ["text/turtle", "text/html"])
'text/html'
>>> choose("application/sparql-results+json;q=0.5, text/csv", SELECT_TYPES)
'text/csv'
>>> choose("image/png", SELECT_TYPES) is None
True
>>> language("sv-SE,sv;q=0.9,en;q=0.8")
'sv'
"""

import functools
from dataclasses import dataclass

SPARQL_JSON = "application/sparql-results+json"
SPARQL_XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
JSONLD = "application/ld+json"
RDFXML = "application/rdf+xml"
HTML = "text/html"

SELECT_TYPES = [SPARQL_JSON, SPARQL_XML, CSV, TSV]
ASK_TYPES = [SPARQL_JSON, SPARQL_XML, CSV, TSV]
GRAPH_TYPES = [TURTLE, NTRIPLES, JSONLD, RDFXML]

# ``format=`` values a person can type, and the file extensions of documents.
SHORT_NAMES = {
    "json": SPARQL_JSON,
    "srj": SPARQL_JSON,
    "xml": SPARQL_XML,
    "srx": SPARQL_XML,
    "csv": CSV,
    "tsv": TSV,
    "ttl": TURTLE,
    "turtle": TURTLE,
    "nt": NTRIPLES,
    "ntriples": NTRIPLES,
    "jsonld": JSONLD,
    "json-ld": JSONLD,
    "rdf": RDFXML,
    "rdfxml": RDFXML,
    "html": HTML,
}
EXTENSIONS = {"html": HTML, "ttl": TURTLE, "nt": NTRIPLES, "jsonld": JSONLD, "rdf": RDFXML}
# Some clients ask for older names of the same formats.
ALIASES = {
    "application/json": SPARQL_JSON,
    "application/xml": SPARQL_XML,
    "text/xml": SPARQL_XML,
    "application/x-turtle": TURTLE,
    "text/plain": NTRIPLES,
    "application/xhtml+xml": HTML,
}
LANGUAGES = ("en", "sv")


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media: str) -> bool:
        main, _, sub = media.partition("/")
        return self.type in {"*", main} and self.subtype in {"*", sub}

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _ranges(header: str) -> list[_Range]:
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = ALIASES.get(fields[0].lower(), fields[0].lower())
        if "/" not in media:
            continue
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        main, _, sub = media.partition("/")
        ranges.append(_Range(main, sub, q, order))
    return ranges


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offer the client prefers (ties go to the earlier offer), or None if it accepts
    none. No ``Accept`` header means anything: the first offer."""
    if not accept or not accept.strip():
        return offers[0]
    return _choose(accept, tuple(offers))


@functools.lru_cache(maxsize=1024)  # clients send a few Accept headers, over and over
def _choose(accept: str, offers: tuple[str, ...]) -> str | None:
    ranges = _ranges(accept)
    best: tuple[float, int, int] | None = None
    chosen = None
    for index, offer in enumerate(offers):
        matching = [r for r in ranges if r.matches(offer)]
        if not matching:
            continue
        most_specific = max(matching, key=lambda r: (r.specificity, -r.order))
        if most_specific.q <= 0:
            continue
        key = (most_specific.q, most_specific.specificity, -index)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen


def language(accept_language: str | None) -> str:
    """The first of munikg's languages the reader accepts; English when none is named."""
    if not accept_language:
        return LANGUAGES[0]
    weighted = []
    for order, part in enumerate(accept_language.split(",")):
        tag, _, param = part.strip().partition(";")
        q = 1.0
        if param.strip().startswith("q="):
            try:
                q = float(param.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and q > 0:
            weighted.append((-q, order, primary))
    return min(weighted)[2] if weighted else LANGUAGES[0]
