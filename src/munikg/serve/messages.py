"""What a query answers (solutions, a boolean, triples, or a failure) and how an answer is
written in a SPARQL results or RDF format, with its truncation flagged in a header and, where
the format has room, in the body.

>>> import json
>>> body, headers = encode(Solutions(["n"], [], True), "application/sparql-results+json", 0, "")
>>> json.loads(body)["munikg"], headers[TRUNCATED_HEADER]
({'truncated': True, 'rowLimit': 0}, 'true; rows=0')
"""

from collections.abc import Iterator
from dataclasses import dataclass

from munikg.query.results import Cell, OutputFormat, format_boolean, format_chunks
from munikg.query.stored import Listing

TRUNCATED_HEADER = "Munikg-Truncated"
RESULT_FORMATS = {
    "application/sparql-results+json": OutputFormat.json,
    "application/sparql-results+xml": OutputFormat.xml,
    "text/csv": OutputFormat.csv,
    "text/tab-separated-values": OutputFormat.tsv,
}


@dataclass(frozen=True)
class Solutions:
    variables: list[str]
    rows: list[tuple[Cell | None, ...]]
    truncated: bool


@dataclass(frozen=True)
class Boolean:
    value: bool


@dataclass(frozen=True)
class Triples:
    data: bytes  # already serialized, in the media type the job asked for
    count: int
    truncated: bool


@dataclass(frozen=True)
class Failure:
    """A query not answered: refused, not valid SPARQL, failed, or wanted in no format it has."""

    status: int  # the HTTP status that says so: 400, or 406
    message: str


@dataclass(frozen=True)
class Encoded:
    """An answer written out: its bytes and the headers that describe them."""

    body: bytes
    headers: dict[str, str]


Outcome = Solutions | Boolean | Triples | Failure | Encoded


def solution_chunks(
    outcome: Solutions | Listing, media: str, row_limit: int, note: str, truncated: bool = False
) -> tuple[Iterator[str], dict[str, str]]:
    """A SELECT answer in ``media`` as chunks to stream (:func:`format_chunks`), and its
    headers: a truncated one (``outcome.truncated``, or ``truncated`` for a listing) says so
    in a header and links ``note`` from the body."""
    headers = {"Content-Type": f"{media}; charset=utf-8"}
    links: tuple[str, ...] = ()
    extra = None
    if isinstance(outcome, Solutions):
        truncated, rows = outcome.truncated, iter(outcome.rows)
    else:
        rows = outcome.rows()
    if truncated:
        links = (note,)
        extra = {"munikg": {"truncated": True, "rowLimit": row_limit}}
        headers[TRUNCATED_HEADER] = f"true; rows={row_limit}"
    chunks = format_chunks(outcome.variables, rows, RESULT_FORMATS[media], links, extra)
    return chunks, headers


def encode(
    outcome: Solutions | Boolean | Triples, media: str, row_limit: int, note: str
) -> tuple[bytes, dict[str, str]]:
    """The answer's bytes in ``media``, and its headers; ``note`` is the URL a truncated
    answer links to."""
    headers = {"Content-Type": f"{media}; charset=utf-8"}
    if isinstance(outcome, Boolean):
        fmt = RESULT_FORMATS.get(media, OutputFormat.json)
        return format_boolean(outcome.value, fmt).encode("utf-8"), headers
    if isinstance(outcome, Solutions):
        chunks, headers = solution_chunks(outcome, media, row_limit, note)
        return "".join(chunks).encode("utf-8"), headers
    data = outcome.data
    if outcome.truncated:
        headers[TRUNCATED_HEADER] = f"true; triples={row_limit}"
        warning = f"truncated: the first {row_limit} triples of a longer answer ({note})"
        if media in {"text/turtle", "application/n-triples"}:
            data = f"# {warning}\n".encode() + data
        elif media == "application/rdf+xml":
            data = data.replace(b"?>\n", f"?>\n<!-- {warning} -->\n".encode(), 1)
    return data, headers
