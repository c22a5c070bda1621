"""Query results in one shape whatever engine produced them, and their output formats.

A cell is an RDF term as the SPARQL 1.1 JSON results format describes it; local (pyoxigraph)
and remote (SPARQLWrapper) results are converted to it, so both print, compare and convert
to Python values the same way.
"""

import csv
import io
import itertools
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from munikg.namespaces import XSD


class Cell(NamedTuple):
    """One RDF term of a result row. (A named tuple: made for every cell of every answer, it
    costs half what a frozen dataclass does.)"""

    kind: str  # "uri", "literal" or "bnode"
    value: str
    lang: str | None = None
    datatype: str | None = None  # None for plain xsd:string and language-tagged strings

    def python(self) -> Any:
        """A Python value: int, Decimal, float, bool or str.

        >>> Cell("literal", "62979743", datatype=XSD + "integer").python()
        62979743
        """
        if self.kind != "literal" or self.datatype is None:
            return self.value
        local = self.datatype.removeprefix(XSD)
        if local in {"integer", "int", "long", "short", "nonNegativeInteger", "positiveInteger"}:
            return int(self.value)
        if local == "decimal":
            return Decimal(self.value)
        if local in {"double", "float"}:
            return float(self.value)
        if local == "boolean":
            return self.value in {"true", "1"}
        return self.value

    def json(self) -> dict[str, str]:
        """The SPARQL 1.1 JSON form."""
        out = {"type": self.kind, "value": self.value}
        if self.lang:
            out["xml:lang"] = self.lang
        if self.datatype:
            out["datatype"] = self.datatype
        return out


def from_ox(term: ox.NamedNode | ox.Literal | ox.BlankNode | None) -> Cell | None:
    # Exact type tests, commonest first: this runs for every cell of every local answer.
    if type(term) is ox.NamedNode:
        return Cell("uri", term.value)
    if type(term) is ox.Literal:
        if lang := term.language:
            return Cell("literal", term.value, lang)
        datatype = term.datatype.value
        return Cell("literal", term.value, None, None if datatype == _STRING else datatype)
    if term is None:
        return None
    if type(term) is ox.BlankNode:
        return Cell("bnode", term.value)
    raise TypeError(f"unexpected term {term!r}")


def rows_of(solutions: Iterable[ox.QuerySolution]) -> Iterator[tuple[Cell | None, ...]]:
    """Each pyoxigraph solution as cells, in the order of its variables.

    A term met before gives the cell made for it then: terms repeat down a column (funders,
    currencies, years, languages), and making a cell costs more than finding it.

    >>> store = ox.Store()
    >>> next(rows_of(store.query("SELECT ?a ?b WHERE { VALUES (?a ?b) { (<http://e/x> UNDEF) } }")))
    (Cell(kind='uri', value='http://e/x', lang=None, datatype=None), None)
    """
    made: dict[ox.NamedNode | ox.Literal | ox.BlankNode | None, Cell | None] = {}
    for solution in solutions:
        row: list[Cell | None] = []
        for term in solution:
            cell = made.get(term, _UNMADE)
            if cell is _UNMADE:
                cell = made[term] = from_ox(term)
            row.append(cell)
        yield tuple(row)


_STRING = XSD + "string"
_UNMADE = Cell("unmade", "")


def from_json(binding: dict[str, str]) -> Cell:
    """From a SPARQL 1.1 JSON results binding (SPARQLWrapper's ``convert()``)."""
    kind = "literal" if binding["type"] == "typed-literal" else binding["type"]
    datatype = binding.get("datatype")
    if datatype == XSD + "string":
        datatype = None
    return Cell(kind, binding["value"], binding.get("xml:lang"), datatype)


@dataclass
class Result:
    """The answer to a SELECT: its variables and rows."""

    variables: list[str]
    rows: list[dict[str, Cell | None]]

    def values(self) -> list[dict[str, Any]]:
        """Rows as dicts of plain Python values (None where unbound)."""
        return [
            {v: (c.python() if (c := row.get(v)) is not None else None) for v in self.variables}
            for row in self.rows
        ]

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of :meth:`values` (pandas is optional, not a dependency)."""
        import pandas

        return pandas.DataFrame(self.values(), columns=self.variables)


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    xml = "xml"


SPARQL_RESULTS_NS = "http://www.w3.org/2005/sparql-results#"


def format_result(
    result: Result,
    fmt: OutputFormat,
    links: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
) -> str:
    """Machine formats: SPARQL 1.1 JSON and XML (``links`` go in their head; JSON also takes
    ``extra`` members), JSON Lines of plain values, CSV and TSV (each line ended as its
    specification says). JSON is written compact: Python's fast encoder does not indent.

    >>> rows = [{"x": Cell("literal", "a\\rb"), "y": Cell("bnode", "b0")}]
    >>> format_result(Result(["x", "y"], rows), OutputFormat.csv)
    'x,y\\r\\n"a\\rb",_:b0\\r\\n'
    """
    rows = ([row.get(v) for v in result.variables] for row in result.rows)
    return "".join(format_chunks(result.variables, rows, fmt, links, extra))


def format_chunks(
    variables: list[str],
    rows: Iterable[Sequence[Cell | None]],
    fmt: OutputFormat,
    links: tuple[str, ...] = (),
    extra: dict[str, Any] | None = None,
    size: int = 500,
) -> Iterator[str]:
    """:func:`format_result` of rows given in the order of ``variables``, written a chunk of
    ``size`` rows at a time, so an answer of any length streams (the chunks joined are the
    whole answer, byte for byte).

    >>> chunks = format_chunks(["n"], ([Cell("literal", str(n))] for n in range(3)),
    ...                        OutputFormat.json, size=2)
    >>> list(chunks)  # doctest: +NORMALIZE_WHITESPACE
    ['{"head": {"vars": ["n"]}, "results": {"bindings": [',
     '{"n": {"type": "literal", "value": "0"}}, {"n": {"type": "literal", "value": "1"}}',
     ', {"n": {"type": "literal", "value": "2"}}', ']}}']
    """
    batches = _batches(rows, size)
    if fmt is OutputFormat.xml:
        yield _xml_head(variables, links)
        for batch in batches:
            yield "".join(_xml_result(variables, row) for row in batch)
        yield "  </results>\n</sparql>\n"
    elif fmt is OutputFormat.json:
        head: dict[str, list[str]] = {"vars": variables}
        if links:
            head["link"] = list(links)
        # json.dumps of the whole document, written in pieces (its separators are ", ", ": ")
        yield '{"head": ' + json.dumps(head, ensure_ascii=False) + ', "results": {"bindings": ['
        separator = ""
        for batch in batches:
            bindings = (
                {v: c.json() for v, c in zip(variables, row, strict=True) if c is not None}
                for row in batch
            )
            yield separator + ", ".join(json.dumps(b, ensure_ascii=False) for b in bindings)
            separator = ", "
        tail = json.dumps(extra, ensure_ascii=False)[1:-1] if extra else ""
        yield "]}" + (", " + tail if tail else "") + "}"
    elif fmt is OutputFormat.jsonl:
        separator = ""
        for batch in batches:
            values = (
                {
                    v: (c.python() if c is not None else None)
                    for v, c in zip(variables, row, strict=True)
                }
                for row in batch
            )
            yield separator + "\n".join(
                json.dumps(value, ensure_ascii=False, default=str) for value in values
            )
            separator = "\n"
    elif fmt is OutputFormat.tsv:
        yield "\t".join("?" + v for v in variables) + "\n"
        for batch in batches:
            yield "".join("\t".join(_tsv(c) for c in row) + "\n" for row in batch)
    else:
        buffer = io.StringIO()
        # RFC 4180 lines end in CRLF; the writer then also quotes a field holding a bare CR.
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerow(variables)
        for batch in batches:
            writer.writerows([_csv(c) for c in row] for row in batch)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
        yield buffer.getvalue()


def _batches(
    rows: Iterable[Sequence[Cell | None]], size: int
) -> Iterator[list[Sequence[Cell | None]]]:
    iterator = iter(rows)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def _csv(cell: Cell | None) -> str:
    """SPARQL 1.1 CSV: an IRI or a literal's lexical form as it is, a blank node as ``_:label``,
    nothing for an unbound variable."""
    if cell is None:
        return ""
    return f"_:{cell.value}" if cell.kind == "bnode" else cell.value


def _tsv(cell: Cell | None) -> str:
    """SPARQL 1.1 TSV: terms in Turtle syntax (tab, newline and return escaped in literals)."""
    if cell is None:
        return ""
    if cell.kind == "uri":
        return f"<{cell.value}>"
    if cell.kind == "bnode":
        return f"_:{cell.value}"
    return str(
        ox.Literal(cell.value, language=cell.lang)
        if cell.lang
        else ox.Literal(cell.value, datatype=ox.NamedNode(cell.datatype or XSD + "string"))
    )


def format_boolean(value: bool, fmt: OutputFormat) -> str:
    """An ASK answer in SPARQL 1.1 JSON or XML; in CSV or TSV (which the W3C formats define
    for SELECT only) the word alone on its line, as Oxigraph writes it.

    >>> format_boolean(True, OutputFormat.json)
    '{"head": {}, "boolean": true}'
    >>> format_boolean(False, OutputFormat.csv)
    'false\\r\\n'
    """
    word = "true" if value else "false"
    if fmt is OutputFormat.csv:
        return word + "\r\n"
    if fmt is OutputFormat.tsv:
        return word + "\n"
    if fmt is OutputFormat.xml:
        return (
            f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n  <head/>\n'
            f"  <boolean>{'true' if value else 'false'}</boolean>\n</sparql>\n"
        )
    return json.dumps({"head": {}, "boolean": value})


def _xml_head(variables: list[str], links: tuple[str, ...]) -> str:
    """SPARQL Query Results XML Format (second edition): up to the first result."""
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{SPARQL_RESULTS_NS}">\n  <head>']
    out += [f"    <variable name={quoteattr(v)}/>" for v in variables]
    out += [f"    <link href={quoteattr(link)}/>" for link in links]
    out.append("  </head>\n  <results>\n")
    return "\n".join(out)


def _xml_result(variables: list[str], row: Sequence[Cell | None]) -> str:
    out = ["    <result>"]
    for name, cell in zip(variables, row, strict=True):
        if cell is None:
            continue
        if cell.kind == "uri":
            term = f"<uri>{escape(cell.value)}</uri>"
        elif cell.kind == "bnode":
            term = f"<bnode>{escape(cell.value)}</bnode>"
        else:
            attrs = f" xml:lang={quoteattr(cell.lang)}" if cell.lang else ""
            if cell.datatype:
                attrs += f" datatype={quoteattr(cell.datatype)}"
            term = f"<literal{attrs}>{escape(cell.value)}</literal>"
        out.append(f"      <binding name={quoteattr(name)}>{term}</binding>")
    out.append("    </result>\n")
    return "\n".join(out)
