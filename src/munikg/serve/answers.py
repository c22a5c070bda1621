"""An answer as people read it: columns with titles in their language (a query's ``# column:``
lines), an IRI shown as its label and linked, a label column folded into the IRI it labels,
literals without datatype noise; and the same table as a JSON data block the result views
(table, bar chart, timeline, map) draw from in the browser.

>>> answer = Solutions(["n", "year"], [(Cell("literal", "3", datatype=XSD + "integer"),
...                                     Cell("literal", "2024", datatype=XSD + "gYear"))], False)
>>> t = people_table(answer, {}, lambda iri: None, {}, "en")
>>> [c.title for c in t.columns], t.rows[0][0].number, t.rows[0][1].date, t.rows[0][1].text
(['n', 'year'], 3.0, '2024', '2024')
"""

import json
from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from munikg.namespaces import MK, XSD
from munikg.query.canned import Column
from munikg.query.params import COUNTRY
from munikg.query.results import Cell
from munikg.serve.describe import href
from munikg.serve.messages import Solutions
from munikg.terms import short

NUMBERS = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long")}
DATES = {XSD + t for t in ("date", "dateTime", "gYear", "gYearMonth")}


@dataclass(frozen=True)
class Shown:
    """One cell as shown: its text, where it links, the IRI it stands for (shown on hover),
    and what the views need: a number, an ISO date, the country it is in."""

    text: str
    href: str | None = None
    iri: str | None = None
    number: float | None = None
    date: str | None = None
    country: str | None = None

    def data(self) -> dict[str, object]:
        """The cell in the data block: only what it has, in short keys."""
        full = {
            "t": self.text,
            "h": self.href,
            "i": self.iri,
            "n": self.number,
            "d": self.date,
            "c": self.country,
        }
        return {k: v for k, v in full.items() if v is not None}


@dataclass(frozen=True)
class ShownColumn:
    name: str
    title: str


@dataclass(frozen=True)
class PeopleTable:
    columns: list[ShownColumn]
    rows: list[list[Shown | None]]
    truncated: bool
    view: str = "table"

    def data_block(self) -> str:
        """The answer as JSON safe inside ``<script type="application/json">``."""
        block = {
            "view": self.view,
            "columns": [{"name": c.name, "title": c.title} for c in self.columns],
            "rows": [[cell.data() if cell else None for cell in row] for row in self.rows],
        }
        return json.dumps(block, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")


def countries_of(store: ox.Store) -> dict[str, str]:
    """Each entity's country (ISO 3166-1 alpha-2, lower case), and each country's own."""
    found = {}
    for quad in store.quads_for_pattern(None, ox.NamedNode(MK + "country"), None, None):
        subject, country = quad.subject, quad.object
        if not isinstance(subject, ox.NamedNode) or not isinstance(country, ox.NamedNode):
            continue
        if country.value.startswith(COUNTRY):
            found[subject.value] = country.value[len(COUNTRY) :]
    for iri in set(found.values()):
        found[COUNTRY + iri] = iri
    return found


def people_table(
    solutions: Solutions,
    columns: dict[str, Column],
    label: Callable[[str], str | None],
    countries: dict[str, str],
    lang: str,
    view: str = "table",
) -> PeopleTable:
    """``solutions`` for people: declared titles (else the variable's name), each ``label=``
    column folded into the column it labels."""
    folded = {c.label: c.name for c in columns.values() if c.label in solutions.variables}
    index = {name: n for n, name in enumerate(solutions.variables)}
    shown = [v for v in solutions.variables if v not in folded]
    heads = [ShownColumn(v, columns[v].title(lang) if v in columns else v) for v in shown]
    rows = []
    for row in solutions.rows:
        cells: list[Shown | None] = []
        for name in shown:
            cell = row[index[name]]
            labelled = columns.get(name)
            given = (
                row[index[labelled.label]]
                if labelled and labelled.label and labelled.label in index
                else None
            )
            cells.append(_shown(cell, given.value if given else None, label, countries))
        rows.append(cells)
    return PeopleTable(heads, rows, solutions.truncated, view)


def _shown(
    cell: Cell | None,
    given: str | None,
    label: Callable[[str], str | None],
    countries: dict[str, str],
) -> Shown | None:
    if cell is None:
        return Shown(given) if given else None
    if cell.kind == "uri":
        text = given or label(cell.value) or short(ox.NamedNode(cell.value))
        return Shown(text, href(cell.value), cell.value, country=countries.get(cell.value))
    if cell.kind == "bnode":
        return Shown(given or "")
    if cell.datatype in NUMBERS:
        try:
            number = float(cell.value)
        except ValueError:
            number = None
        return Shown(cell.value, number=number)
    if cell.datatype in DATES:
        return Shown(cell.value, date=cell.value[:10])
    return Shown(cell.value)
