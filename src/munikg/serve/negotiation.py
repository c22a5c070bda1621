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
import re
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
# Generic or older names a client may ask by, and the offers each stands for: JSON-LD and
# SPARQL JSON results are both JSON, RDF/XML and SPARQL XML results both XML. (``text/plain``
# is not N-Triples' name: that is ``application/n-triples``.)
ALIASES = {
    "application/json": (SPARQL_JSON, JSONLD),
    "application/xml": (SPARQL_XML, RDFXML),
    "text/xml": (SPARQL_XML, RDFXML),
    "application/x-turtle": (TURTLE,),
    "application/xhtml+xml": (HTML,),
}

# RFC 9110 §12.5.1 and §5.6: Accept = #( media-range [ weight ] ), a media-range being
# type "/" subtype (or a "*" wildcard) with parameters; weight = OWS ";" OWS "q=" qvalue.
_TOKEN = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_PARAMETER = rf'{_TOKEN}=(?:{_TOKEN}|"(?:[^"\\]|\\.)*")'
_MEDIA_RANGE = re.compile(
    rf"(?:\*/\*|{_TOKEN}/\*|{_TOKEN}/{_TOKEN})(?:[ \t]*;[ \t]*{_PARAMETER})*", re.ASCII
)
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")
LANGUAGES = ("en", "sv")


def malformed(accept: str) -> str | None:
    """Why an ``Accept`` header breaks RFC 9110's grammar, or None if it does not (a client
    that sends one gets 400, not a guess).

    >>> malformed("text/html, application/xhtml+xml;q=0.9, */*;q=0.8") is None
    True
    >>> malformed("text/turtle;q=high")
    "'text/turtle;q=high': q must be a number from 0 to 1 with at most three decimals"
    >>> malformed("turtle")
    "'turtle': not a media range (type/subtype)"
    """
    for element in accept.split(","):
        element = element.strip(" \t")
        if not element:
            continue  # the list syntax allows empty elements
        if _MEDIA_RANGE.fullmatch(element) is None:
            return f"{element!r}: not a media range (type/subtype)"
        for parameter in element.split(";")[1:]:
            name, _, value = parameter.strip(" \t").partition("=")
            if name.lower() == "q" and _QVALUE.fullmatch(value) is None:
                return f"{element!r}: q must be a number from 0 to 1 with at most three decimals"
    return None


@dataclass(frozen=True)
class _Range:
    type: str
    subtype: str
    q: float
    order: int

    def matches(self, media: str) -> bool:
        if media in ALIASES.get(f"{self.type}/{self.subtype}", ()):
            return True
        main, _, sub = media.partition("/")
        return self.type in {"*", main} and self.subtype in {"*", sub}

    @property
    def specificity(self) -> int:
        return (self.type != "*") + (self.subtype != "*")


def _ranges(header: str) -> list[_Range]:
    ranges = []
    for order, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media = fields[0].lower()
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
