"""Every class of the release as a table of its instances, as Datasette shows a database
table: a column per property (titled with the ontology's label), facets over the columns
whose values come from a small set, sorting and pages. Partnerships get the columns a reader
asks of them (both sides, the partner's country, area, programme, goal, year, funder)
instead of their raw properties. A class's table is read once per release (it never changes).

Facet values are named in URLs by the last part of their IRI (``?country=ua&area=water``);
several values of one facet are alternatives, different facets all apply.
"""

import threading
from collections import Counter
from dataclasses import dataclass, field

import pyoxigraph as ox

from munikg.namespaces import LABEL_PROPERTIES, MK, PREFIXES, RDF
from munikg.query.params import ParameterError
from munikg.serve.labels import Labels
from munikg.terms import first_upper

ORG = PREFIXES["org"]
SCHEMA = PREFIXES["schema"]
SWEDEN = "https://w3id.org/munikg/id/country/se"
FACET_MOST = 80  # more distinct values than this: a column to read, not to narrow by
PAGE_SIZES = (25, 50, 100, 500)
Term = tuple[str, str]  # ("uri" | "literal", value)


@dataclass(frozen=True)
class BrowseColumn:
    key: str
    titles: dict[str, str]
    pattern: str  # a SPARQL group pattern binding ?v for each instance ?s
    facet: bool = True

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["en"]


PARTNERSHIP_COLUMNS = (
    BrowseColumn(
        "swedish",
        {"en": "Swedish side", "sv": "Svensk part"},
        f"?s <{ORG}hasMember> ?v . ?v <{MK}country> <{SWEDEN}>",
    ),
    BrowseColumn(
        "partner",
        {"en": "Partner", "sv": "Partner"},
        f"?s <{ORG}hasMember> ?v . ?v <{MK}country> ?c FILTER (?c != <{SWEDEN}>)",
    ),
    BrowseColumn(
        "country",
        {"en": "Country", "sv": "Land"},
        f"?s <{ORG}hasMember> ?m . ?m <{MK}country> ?v FILTER (?v != <{SWEDEN}>)",
    ),
    BrowseColumn(
        "area",
        {"en": "Cooperation area", "sv": "Samarbetsområde"},
        f"?s <{MK}cooperationArea>|<{MK}focus> ?v",
    ),
    BrowseColumn(
        "programme",
        {"en": "Programme or network", "sv": "Program eller nätverk"},
        f"?s <{MK}inProgramme> ?v",
    ),
    BrowseColumn("sdg", {"en": "SDG", "sv": "Globalt mål"}, f"?s <{MK}sdg> ?v"),
    BrowseColumn("year", {"en": "Year", "sv": "År"}, f"?s <{MK}year> ?v"),
    BrowseColumn(
        "period",
        {"en": "Period as stated", "sv": "Period som angiven"},
        f"?s <{MK}statedPeriod> ?v",
        facet=False,
    ),
    BrowseColumn(
        "funder",
        {"en": "Funder", "sv": "Finansiär"},
        f"?f <{SCHEMA}fundedItem> ?s ; <{SCHEMA}funder> ?v",
    ),
    BrowseColumn(
        "funding",
        {"en": "Funding as stated", "sv": "Finansiering som angiven"},
        f"?s <{MK}statedFunding> ?v",
        facet=False,
    ),
)
CURATED = {MK + "Partnership": PARTNERSHIP_COLUMNS}
SKIPPED = {RDF + "type", *LABEL_PROPERTIES}


@dataclass
class Row:
    iri: str
    values: dict[str, list[Term]] = field(default_factory=dict)


@dataclass
class ClassTable:
    """A class's instances with the values of each column, sorted by IRI."""

    iri: str
    columns: tuple[BrowseColumn, ...]
    rows: list[Row]
    facets: tuple[str, ...]  # the keys of the columns one may narrow by

    def column(self, key: str) -> BrowseColumn:
        for column in self.columns:
            if column.key == key:
                return column
        known = ", ".join(c.key for c in self.columns)
        raise ParameterError(f"no column {key!r} (columns: name, {known})")


def slug(term: Term) -> str:
    """How a value is named in a facet URL: an IRI by its last part, a literal as itself.

    >>> slug(("uri", "https://w3id.org/munikg/id/country/ua")), slug(("literal", "2024"))
    ('ua', '2024')
    """
    kind, value = term
    if kind == "uri":
        return value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return value


def _generic_columns(store: ox.Store, iri: str, labels: Labels) -> tuple[BrowseColumn, ...]:
    used = store.query(
        f"SELECT ?p (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{iri}> ; ?p ?o }} "
        "GROUP BY ?p ORDER BY DESC(?n) ?p"
    )
    columns: list[BrowseColumn] = []
    for row in used:  # type: ignore[union-attr]
        prop = row["p"].value
        if prop in SKIPPED:
            continue
        key = slug(("uri", prop))
        if any(c.key == key for c in columns):
            key = prop  # two namespaces' same local name: the full IRI tells them apart
        titles = {lang: first_upper(labels.get(prop, lang) or key) for lang in ("en", "sv")}
        columns.append(BrowseColumn(key, titles, f"?s <{prop}> ?v"))
    return tuple(columns)


def read_table(store: ox.Store, iri: str, labels: Labels) -> ClassTable:
    columns = CURATED.get(iri) or _generic_columns(store, iri, labels)
    rows = {
        r["s"].value: Row(r["s"].value)
        for r in store.query(f"SELECT DISTINCT ?s WHERE {{ ?s a <{iri}> }}")  # type: ignore[union-attr]
        if isinstance(r["s"], ox.NamedNode)
    }
    facets = []
    for column in columns:
        query = f"SELECT DISTINCT ?s ?v WHERE {{ ?s a <{iri}> . {column.pattern} }} ORDER BY ?v"
        seen: set[Term] = set()
        for r in store.query(query):  # type: ignore[union-attr]
            row = rows.get(r["s"].value)
            value = r["v"]
            if row is None or isinstance(value, ox.BlankNode):
                continue
            term: Term = ("uri" if isinstance(value, ox.NamedNode) else "literal", value.value)
            row.values.setdefault(column.key, []).append(term)
            seen.add(term)
        slugs = {slug(t) for t in seen}
        if column.facet and 1 < len(seen) <= FACET_MOST and len(slugs) == len(seen):
            facets.append(column.key)
    return ClassTable(iri, columns, [rows[k] for k in sorted(rows)], tuple(facets))


class Tables:
    """Each class's table, read on first request and kept (the release is immutable)."""

    def __init__(self, store: ox.Store, labels: Labels) -> None:
        self.store = store
        self.labels = labels
        self._tables: dict[str, ClassTable] = {}
        self._lock = threading.Lock()

    def get(self, iri: str) -> ClassTable:
        with self._lock:
            if iri not in self._tables:
                self._tables[iri] = read_table(self.store, iri, self.labels)
            return self._tables[iri]


@dataclass
class Facet:
    key: str
    title: str
    values: list[tuple[str, str, int, bool]]  # (slug, label, rows, chosen)


@dataclass
class View:
    """One page of a class table as asked: narrowed, sorted, paged, with its facets."""

    rows: list[Row]  # every row that passes the facets, in the order asked
    facets: list[Facet]
    chosen: dict[str, list[str]]
    sort: str
    descending: bool


def narrow(
    table: ClassTable,
    chosen: dict[str, list[str]],
    sort: str,
    name: "NameOf",
    lang: str,
) -> View:
    """The rows with every chosen facet value (alternatives within a facet), sorted by
    ``sort`` (a column key or ``name``; a leading ``-`` reverses), and each facet's counts
    among the rows the other facets leave."""
    for key in chosen:
        if key not in table.facets:
            table.column(key)  # an unknown column is named as such
            raise ParameterError(f"column {key!r} cannot narrow this table")
    descending = sort.startswith("-")
    sort_key = sort.removeprefix("-")
    if sort_key != "name":
        table.column(sort_key)

    def passes(row: Row, skip: str | None = None) -> bool:
        return all(
            any(slug(t) in wanted for t in row.values.get(key, ()))
            for key, wanted in chosen.items()
            if key != skip
        )

    facets = []
    for key in table.facets:
        counts: Counter[Term] = Counter()
        for row in table.rows:
            if passes(row, skip=key):
                counts.update(set(row.values.get(key, ())))
        values = [
            (slug(t), name(t, lang), n, slug(t) in chosen.get(key, []))
            for t, n in sorted(counts.items(), key=lambda item: (-item[1], name(item[0], lang)))
        ]
        facets.append(Facet(key, table.column(key).title(lang), values))
    rows = [row for row in table.rows if passes(row)]

    def order(row: Row) -> tuple[bool, str]:
        if sort_key == "name":
            return False, name(("uri", row.iri), lang).casefold()
        terms = row.values.get(sort_key, [])
        return not terms, min((name(t, lang).casefold() for t in terms), default="")

    rows.sort(key=order)
    if descending:  # rows without a value stay last
        present = [r for r in rows if not order(r)[0]]
        rows = present[::-1] + [r for r in rows if order(r)[0]]
    return View(rows, facets, chosen, sort_key, descending)


class NameOf:
    """A term's name for people: an IRI's label, a literal's text."""

    def __init__(self, labels: Labels) -> None:
        self.labels = labels

    def __call__(self, term: Term, lang: str) -> str:
        kind, value = term
        if kind == "uri":
            return self.labels.get(value, lang) or slug(term)
        return value


def class_iri(curie: str) -> str | None:
    """``mk:Partnership`` (a browse URL's last part) as an IRI, if its prefix is known.

    >>> class_iri("mk:Partnership"), class_iri("nope:X")
    ('https://w3id.org/munikg/ontology#Partnership', None)
    """
    prefix, sep, local = curie.partition(":")
    if not sep or prefix not in PREFIXES or not local:
        return None
    return PREFIXES[prefix] + local
