"""Tabular curation: a source kept as a table, ``data/NAME.csv`` (or ``.tsv``), with its mapping
``data/NAME.rq`` beside it, becomes the graph ``NAME`` (design §2).

The mapping is a SPARQL CONSTRUCT query — the tarql convention: each column is a variable —
evaluated by the project's own engine, so a mapping is written and checked like any query. Its
comment header declares the columns, with the types of canned-query parameters
(:mod:`munikg.query.params`) and two table options::

    # title: ICLD partnerships, from the reference table
    # column: id string required -- the partnership's slug
    # column: swedish iri required separator=; namespace=https://w3id.org/munikg/id/municipality/
    # column: theme string lang=en

A cell is read as its column declares (an error names file, line and column); an empty cell
is unbound. A row binds the query by inline ``VALUES`` data opening its WHERE group (found by
a parse), so every pattern, BIND and FILTER after it sees the row: one solution per
combination of the row's list cells (``separator=``), terms written by pyoxigraph. The
triples are written as Turtle, one per line, sorted, each ending with the table line it came
from (``# from data/NAME.csv:LINE``), so the build, the dumps and every report read the
table's graph as they read a hand-written file, and a violation is traced back to its
row (:func:`munikg.turtle.origin`).

>>> import tempfile
>>> d = Path(tempfile.mkdtemp())
>>> _ = (d / "t.csv").write_text("id,label\\nfalun,Falun\\n", encoding="utf-8")
>>> _ = (d / "t.rq").write_text(
...     "# title: t\\n# column: id string required\\n# column: label string lang=sv\\n"
...     "PREFIX ex: <http://example.org/>\\n"
...     "CONSTRUCT { ?s ex:label ?label } WHERE { BIND(IRI(CONCAT(STR(ex:), ?id)) AS ?s) }\\n",
...     encoding="utf-8")
>>> print(render(d / "t.csv").read_text(encoding="utf-8"), end="")  # doctest: +ELLIPSIS
# Generated from .../t.csv by its mapping .../t.rq; edit those, not this file.
@prefix ex: <http://example.org/> .
ex:falun ex:label "Falun"@sv . # from .../t.csv:2
"""

import atexit
import csv
import functools
import hashlib
import itertools
import math
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from munikg.errors import BadInput, read_utf8
from munikg.query.canned import declared_param, header
from munikg.query.params import Param, ParameterError, check_bounds, to_term
from munikg.query.sparql_tree import first_error, nodes, parse, text_of
from munikg.query.syntax import syntax_error
from munikg.turtle import ORIGIN_MARK

SUFFIXES = {".csv": ",", ".tsv": "\t"}
MAX_SOLUTIONS = 10_000  # per row: list cells multiply, and a runaway row should say so
_PATH = re.compile(r"[a-z0-9][a-z0-9-]*(/[a-z0-9][a-z0-9-]*)+")
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")

Term = ox.NamedNode | ox.Literal
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_XSD_STRING = ox.NamedNode("http://www.w3.org/2001/XMLSchema#string")


@dataclass(frozen=True)
class Column:
    """A declared column: a typed parameter, and how its cells are written."""

    param: Param
    separator: str | None = None  # a list cell: one value per piece
    lang: str | None = None  # a string column's language tag


@dataclass(frozen=True)
class Mapping:
    path: Path
    text: str
    title: str
    columns: dict[str, Column]
    prefixes: dict[str, str]
    opening: int  # the character after the WHERE group's "{": where a row's VALUES go


def is_table(path: Path) -> bool:
    return path.suffix in SUFFIXES


def mapping_of(table: Path) -> Path:
    return table.with_suffix(".rq")


def read_mapping(path: Path) -> Mapping:
    """The mapping's header and query; bad input names the file and line."""
    if not path.is_file():
        raise BadInput(path, "no such file: a table needs its mapping beside it")
    text = path.read_text(encoding="utf-8")
    title = ""
    columns: dict[str, Column] = {}
    for number, key, value in header(text):
        if key == "title":
            title = value.strip()
        elif key == "column":
            column = _column(path, number, value)
            if column.param.name in columns:
                raise BadInput(path, f"column {column.param.name!r} is declared twice", number)
            columns[column.param.name] = column
    if not title:
        raise BadInput(path, "the header lacks '# title:'")
    if not columns:
        raise BadInput(path, "the header declares no '# column:'")
    source = text.encode("utf-8")
    root = parse(text).root_node
    error = first_error(root)
    if error is not None:
        raise BadInput(path, "the mapping is not valid SPARQL here", error.start_point[0] + 1)
    construct = next(nodes(root, "construct_query"), None)
    where = (
        next((c for c in construct.children if c.type == "where_clause"), None)
        if construct
        else None
    )
    group = (
        next((c for c in where.children if c.type == "group_graph_pattern"), None)
        if where
        else None
    )
    if group is None:
        raise BadInput(path, "a mapping is a CONSTRUCT query with a WHERE group")
    message = syntax_error(text)
    if message is not None:
        raise BadInput(path, f"the mapping does not parse: {message}")
    prefixes = {}
    for declaration in nodes(root, "prefix_declaration"):
        words = text_of(source, declaration).split(None, 2)
        if len(words) == 3 and words[2].startswith("<") and words[2].endswith(">"):
            prefixes[words[1].rstrip(":")] = words[2][1:-1]
    opening = len(source[: group.children[0].end_byte].decode("utf-8"))
    return Mapping(path, text, title, columns, prefixes, opening)


def _column(path: Path, line: int, value: str) -> Column:
    head, described, description = value.partition(" -- ")
    options = {}
    kept = []
    for word in head.split():
        key, sep, option = word.partition("=")
        if sep and key in ("separator", "lang"):
            options[key] = option
        else:
            kept.append(word)
    param = declared_param(path, line, " ".join(kept) + (f" -- {description}" if described else ""))
    if param.default is not None:
        raise BadInput(path, "a column has no default: an empty cell is unbound", line)
    for bound in (param.minimum, param.maximum):
        if bound is not None:
            try:
                to_term(param, bound)  # a value: a row is read alone, so never another column
            except ParameterError as error:
                raise BadInput(path, f"min/max of {param.name}: {error}", line) from None
    if "separator" in options and not options["separator"]:
        raise BadInput(path, "separator= needs a character", line)
    if "lang" in options and (
        param.type != "string" or not re.fullmatch(r"[a-z]{2,3}", options["lang"])
    ):
        raise BadInput(path, "lang= is a language code (sv, en, uk) of a string column", line)
    return Column(param, options.get("separator"), options.get("lang"))


@dataclass(frozen=True)
class Row:
    line: int  # the table line it starts on
    cells: dict[str, list[Term]]  # empty: unbound


def read_rows(table: Path, mapping: Mapping) -> list[Row]:
    """Every row of ``table``, each cell read as its column declares."""
    text = read_utf8(table).removeprefix("\ufeff")  # a spreadsheet's byte-order mark
    reader = csv.reader(text.splitlines(keepends=True), delimiter=SUFFIXES[table.suffix])
    try:
        header = next(reader)
    except StopIteration:
        raise BadInput(table, "empty: a table starts with a header row") from None
    header = [h.strip() for h in header]
    for number, name in enumerate(header, 1):
        if name not in mapping.columns:
            raise BadInput(table, f"column {name!r} is not declared in {mapping.path}", 1, number)
    for name in mapping.columns:
        if name not in header:
            raise BadInput(
                table, f"the header lacks column {name!r} ({mapping.path} declares it)", 1
            )
    if len(set(header)) != len(header):
        raise BadInput(table, "a column name is repeated in the header", 1)
    rows = []
    start = reader.line_num + 1
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise BadInput(table, f"not CSV here: {error}", reader.line_num) from None
        if not any(v.strip() for v in values):
            start = reader.line_num + 1
            continue
        if len(values) != len(header):
            raise BadInput(table, f"{len(values)} cells where the header has {len(header)}", start)
        cells = {
            name: _cell(table, start, number, mapping.columns[name], value)
            for number, (name, value) in enumerate(zip(header, values, strict=True), 1)
        }
        rows.append(Row(start, cells))
        start = reader.line_num + 1
    return rows


def _cell(table: Path, line: int, number: int, column: Column, value: str) -> list[Term]:
    param = column.param
    text = value.strip()
    pieces = [text] if column.separator is None else text.split(column.separator)
    pieces = [p.strip() for p in pieces if p.strip()]
    if not pieces and param.required:
        raise BadInput(table, f"column {param.name} is required: the cell is empty", line, number)
    terms: list[Term] = []
    for piece in pieces:
        try:
            if column.lang:
                term: Term = ox.Literal(piece, language=column.lang)
            elif param.type == "iri" and param.namespace and _PATH.fullmatch(piece):
                term = to_term(param, param.namespace + piece)  # a path below the namespace
            else:
                term = to_term(param, piece)
            check_bounds([param], {param.name: term})
        except ParameterError:
            raise BadInput(
                table, f"column {param.name}: {piece!r} is not {param.allowed()}", line, number
            ) from None
        terms.append(term)
    return terms


def triples(table: Path, mapping: Mapping) -> list[tuple[ox.Triple, int]]:
    """Each triple the mapping makes of ``table``, with the line of the first row that makes it."""
    names = list(mapping.columns)
    store = ox.Store()  # empty: a mapping reads only what its rows bind
    made: dict[ox.Triple, int] = {}
    for row in read_rows(table, mapping):
        choices: list[list[Term | None]] = [[*row.cells[n]] or [None] for n in names]
        count = math.prod(len(c) for c in choices)
        if count > MAX_SOLUTIONS:
            raise BadInput(table, f"the row's list cells make {count} combinations", row.line)
        data = " ".join(
            "(" + " ".join("UNDEF" if t is None else str(t) for t in combo) + ")"
            for combo in itertools.product(*choices)
        )
        variables = " ".join(f"?{n}" for n in names)
        at = mapping.opening
        query = f"{mapping.text[:at]} VALUES ({variables}) {{ {data} }} {mapping.text[at:]}"
        try:
            result = store.query(query)
        except (SyntaxError, ValueError, OSError) as error:
            raise BadInput(mapping.path, f"evaluating {table}:{row.line}: {error}") from None
        for triple in result:  # type: ignore[union-attr]
            if any(isinstance(t, ox.BlankNode) for t in (triple.subject, triple.object)):
                raise BadInput(
                    mapping.path, f"makes a blank node from {table}:{row.line}: give it an IRI"
                )
            made.setdefault(triple, row.line)
    return sorted(made.items(), key=lambda item: str(item[0]))


def write_turtle(table: Path, mapping: Mapping, out: Path) -> None:
    """The table's triples as Turtle: prefixed, sorted, one a line, each with its origin."""
    lines = [f"# Generated from {table} by its mapping {mapping.path}; edit those, not this file."]
    lines += [f"@prefix {p}: <{iri}> ." for p, iri in sorted(mapping.prefixes.items())]
    written = []
    for triple, line in triples(table, mapping):
        terms = [
            _written(t, mapping.prefixes) for t in (triple.subject, triple.predicate, triple.object)
        ]
        if triple.predicate == _RDF_TYPE:
            terms[1] = "a"
        written.append(f"{' '.join(terms)} .{ORIGIN_MARK}{table}:{line}")
    lines += sorted(written)  # as a reader sees them, so a diff of two renderings reads well
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _written(
    term: ox.NamedNode | ox.Literal | ox.BlankNode | ox.Triple, prefixes: dict[str, str]
) -> str:
    if isinstance(term, ox.NamedNode):
        best = max(
            (p for p, iri in prefixes.items() if term.value.startswith(iri)),
            key=lambda p: len(prefixes[p]),
            default=None,
        )
        if best is not None:
            local = term.value[len(prefixes[best]) :]
            if local == "" or _LOCAL.fullmatch(local):
                return f"{best}:{local}"
    if isinstance(term, ox.Literal) and term.language is None and term.datatype != _XSD_STRING:
        quoted = str(ox.Literal(term.value))  # the lexical form as written, escapes and all
        return f"{quoted}^^{_written(term.datatype, prefixes)}"
    return str(term)


_RENDERED: dict[str, Path] = {}  # content digest: its Turtle file


@functools.cache
def _scratch() -> Path:
    directory = Path(tempfile.mkdtemp(prefix="munikg-tables-"))
    atexit.register(shutil.rmtree, directory, ignore_errors=True)
    return directory


def render(table: Path) -> Path:
    """The Turtle file of ``table`` (generated once per content, in a scratch directory that
    goes when the process ends; never beside the edited sources)."""
    mapping_path = mapping_of(table)
    mapping = read_mapping(mapping_path)
    if not table.is_file():
        raise BadInput(table, "no such file")
    digest = hashlib.sha256(
        str(table).encode() + b"\0" + table.read_bytes() + b"\0" + mapping.text.encode()
    ).hexdigest()[:20]
    if digest not in _RENDERED:
        out = _scratch() / digest / f"{table.stem}.ttl"
        out.parent.mkdir(parents=True, exist_ok=True)
        write_turtle(table, mapping, out)
        _RENDERED[digest] = out
    return _RENDERED[digest]
