"""Query results in one shape whatever engine produced them, and their output formats.

A cell is an RDF term as the SPARQL 1.1 JSON results format describes it; local (pyoxigraph)
and remote (SPARQLWrapper) results are converted to it, so both print, compare and convert
to Python values the same way.
"""

import csv
import io
import json
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

import pyoxigraph as ox

from munikg.namespaces import XSD


@dataclass(frozen=True)
class Cell:
    """One RDF term of a result row."""

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


def from_ox(term: object) -> Cell | None:
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return Cell("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("bnode", term.value)
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        plain = term.language or datatype == XSD + "string"
        return Cell("literal", term.value, term.language, None if plain else datatype)
    raise TypeError(f"unexpected term {term!r}")


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


def render(result: Result, fmt: OutputFormat) -> str:
    """Machine formats: SPARQL 1.1 JSON, JSON Lines of plain values, CSV and TSV."""
    if fmt is OutputFormat.json:
        return json.dumps(
            {
                "head": {"vars": result.variables},
                "results": {
                    "bindings": [
                        {v: c.json() for v, c in row.items() if c is not None}
                        for row in result.rows
                    ]
                },
            },
            ensure_ascii=False,
            indent=2,
        )
    if fmt is OutputFormat.jsonl:
        return "\n".join(
            json.dumps(row, ensure_ascii=False, default=str) for row in result.values()
        )
    if fmt is OutputFormat.tsv:
        lines = ["\t".join("?" + v for v in result.variables)]
        for row in result.rows:
            lines.append("\t".join(_tsv(row.get(v)) for v in result.variables))
        return "\n".join(lines)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(result.variables)
    for row in result.rows:
        writer.writerow(["" if (c := row.get(v)) is None else c.value for v in result.variables])
    return buffer.getvalue().rstrip("\n")


def _tsv(cell: Cell | None) -> str:
    """SPARQL 1.1 TSV: terms in Turtle syntax."""
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
