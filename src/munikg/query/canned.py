"""Canned queries: ``queries/NAME.rq``, one question each, self-describing (design §7).

The comment header names the query and its parameters::

    # title: Swedish municipalities partnering Ukrainian municipalities on a cooperation area
    # title@sv: Svenska kommuner med ukrainska partnerkommuner inom ett samarbetsområde
    # description: … (and description@sv)
    # param: area iri scheme=https://w3id.org/munikg/id/concept/area default=water -- The area
    # param@sv: area -- Samarbetsområdet
    # column: swedish label=swedishLabel -- Swedish municipality
    # column@sv: swedish -- Svensk kommun
    # view: map

Each ``# column:`` gives a projected variable its title for people (and, with ``label=``, the
variable holding its label, shown in its place); ``# view:`` is the result view a reader sees
first (table, bar, timeline or map), as WDQS's ``#defaultView:``.

Parameter values are validated RDF terms, written where the parse puts the parameters'
variables (:mod:`munikg.query.binding`): the same text runs on pyoxigraph and on any SPARQL 1.1
endpoint. (pyoxigraph's own substitutions accept only projected variables.) Each query is cut
at its parameters and checked when it loads: bound with its defaults (or an example value of
each type), it must be a query the engine can parse.
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.query.binding import Template
from munikg.query.params import (
    ORDERED,
    TYPES,
    Param,
    ParameterError,
    check_bounds,
    example_term,
    is_short_name,
    to_term,
)
from munikg.query.syntax import syntax_error

REQUIRED_FIELDS = ("title", "title@sv", "description", "description@sv")
VIEWS = ("table", "bar", "timeline", "map")
# ``# index: labels``: the release answers the query from its label index
# (:mod:`munikg.query.search`), which needs a ``text`` string parameter and answers these.
INDEXES = {"labels": ("text", ("entity", "class", "rank"))}
_HEADER = re.compile(r"^#\s*([a-z]+(?:@[a-z]{2})?):\s?(.*)$")


@dataclass(frozen=True)
class Column:
    """A projected variable as people read it: its title by language and, if another
    variable holds its label, that variable's name."""

    name: str
    titles: dict[str, str]
    label: str | None = None

    def title(self, lang: str) -> str:
        return self.titles.get(lang) or self.titles["en"]


@dataclass
class CannedQuery:
    name: str
    path: Path
    text: str
    fields: dict[str, str]
    params: list[Param] = field(default_factory=list)
    template: Template = field(default=Template(("",), ()), repr=False, compare=False)
    columns: dict[str, Column] = field(default_factory=dict)

    def title(self, lang: str = "en") -> str:
        return self.fields.get(f"title@{lang}") or self.fields["title"]

    def description(self, lang: str = "en") -> str:
        return self.fields.get(f"description@{lang}") or self.fields["description"]

    @property
    def index(self) -> str | None:
        """The release index that answers the query (``# index: labels``), if any."""
        return self.fields.get("index")

    @property
    def view(self) -> str:
        """The result view shown first (``# view:``), else the table."""
        return self.fields.get("view", "table")

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(f"{self.name} has no parameter {name!r} (its parameters: {known})")

    def bind(self, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
        """The query with ``terms`` in place of their parameters (see :mod:`~.binding`)."""
        return self.template.fill(terms) if terms else self.text

    def terms(self, given: dict[str, str]) -> dict[str, ox.NamedNode | ox.Literal]:
        """Every parameter's term: given, else its default; a missing required one is an error."""
        for name in given:
            self.param(name)
        terms = {}
        for p in self.params:
            raw = given.get(p.name, p.default)
            if raw is None:
                if p.required:
                    raise ParameterError(
                        f"{self.name}: parameter {p.name} is required ({p.allowed()})"
                    )
                continue
            terms[p.name] = to_term(p, raw)
        check_bounds(self.params, terms)
        return terms


def header(text: str) -> Iterator[tuple[int, str, str]]:
    """Each ``# key: value`` line of the comment header opening ``text``, with its line
    number; other comments and blank lines are skipped, and the first other line ends it.

    >>> list(header("# title: t\\n# a comment\\n\\n# param@sv: x -- y\\nSELECT * {}\\n# title: no"))
    [(1, 'title', 't'), (4, 'param@sv', 'x -- y')]
    """
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line)
        if match:
            yield number, match.group(1), match.group(2)
        elif not (line.startswith("#") or not line.strip()):
            return


def parse(path: Path) -> CannedQuery:
    """Read one query file; a header that lacks a field or declares a bad parameter is bad input."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: dict[str, Param] = {}
    descriptions: dict[str, dict[str, str]] = {}
    columns: dict[str, Column] = {}
    for number, key, value in header(text):
        if key == "column" or key.startswith("column@"):
            column = _column(path, number, key, value, columns)
            columns[column.name] = column
        elif key == "param":
            param = declared_param(path, number, value)
            params[param.name] = param
            descriptions.setdefault(param.name, {})["en"] = _description(value)
        elif key.startswith("param@"):
            name = value.split()[0] if value.split() else ""
            if name not in params:
                raise BadInput(path, f"{key} for undeclared parameter {name!r}", number)
            descriptions[name][key.removeprefix("param@")] = _description(value)
        else:
            fields[key] = value.strip()
    for required in REQUIRED_FIELDS:
        if not fields.get(required):
            raise BadInput(path, f"the header lacks '# {required}:'")
    if fields.get("view", "table") not in VIEWS:
        raise BadInput(path, f"'# view: {fields['view']}' is not one of {', '.join(VIEWS)}")
    if "index" in fields:
        _check_index(path, fields["index"], params)
    final = [Param(**{**p.__dict__, "description": descriptions[p.name]}) for p in params.values()]
    for p in final:
        for bound in (p.minimum, p.maximum):
            if bound is not None and bound not in params:
                try:
                    to_term(p, bound)
                except ParameterError as error:
                    raise BadInput(path, f"min/max of {p.name}: {error}") from None
    template = Template.of(text, frozenset(params), path)
    query = CannedQuery(path.stem, path, text, fields, final, template, columns)
    _check_bound(query)
    return query


def _column(path: Path, line: int, key: str, value: str, columns: dict[str, Column]) -> Column:
    """``# column: NAME [label=VAR] -- Title`` (English), or ``# column@sv: NAME -- Titel``
    for a column declared above it."""
    head, sep, title = value.partition(" -- ")
    words = head.split()
    if not words or not sep or not title.strip():
        raise BadInput(path, f"'# {key}:' needs a variable and ' -- ' its title", line)
    name, options = words[0].lstrip("?"), words[1:]
    if key == "column":
        label = None
        for option in options:
            if not option.startswith("label="):
                raise BadInput(path, f"unknown column option {option!r}", line)
            label = option.removeprefix("label=").lstrip("?")
        return Column(name, {"en": title.strip()}, label)
    if name not in columns or options:
        raise BadInput(path, f"{key} for undeclared column {name!r}", line)
    known = columns[name]
    return Column(name, {**known.titles, key.removeprefix("column@"): title.strip()}, known.label)


def _check_bound(query: CannedQuery) -> None:
    """The query bound with its defaults (an example where none is given) must parse."""
    terms = {
        p.name: example_term(p)
        if not p.default or is_short_name(p, p.default)
        else to_term(p, p.default)
        for p in query.params
    }  # a short name is looked up in the graph asked, so an example stands in for it
    bound = query.bind(terms)
    error = syntax_error(bound)
    if error is not None:
        given = ", ".join(f"{name}={term}" for name, term in terms.items())
        raise BadInput(query.path, f"bound with {given}, the query does not parse: {error}")
    answer = ox.Store().query(bound)  # on no data: what the query projects, from its parse
    projected = {v.value for v in answer.variables} if hasattr(answer, "variables") else set()
    if query.index and [v.value for v in getattr(answer, "variables", ())] != list(
        INDEXES[query.index][1]
    ):
        wanted = ", ".join("?" + v for v in INDEXES[query.index][1])
        raise BadInput(query.path, f"# index: {query.index} answers {wanted}, in this order")
    for column in query.columns.values():
        for name in (column.name, column.label):
            if name is not None and name not in projected:
                raise BadInput(query.path, f"# column: ?{name} is not a projected variable")


def _check_index(path: Path, index: str, params: dict[str, Param]) -> None:
    if index not in INDEXES:
        raise BadInput(path, f"'# index: {index}' is not one of {', '.join(INDEXES)}")
    needed = INDEXES[index][0]
    if set(params) != {needed} or params[needed].type != "string":
        raise BadInput(path, f"# index: {index} takes one string parameter, {needed}")


def _description(value: str) -> str:
    return value.split(" -- ", 1)[1].strip() if " -- " in value else ""


def declared_param(path: Path, line: int, value: str) -> Param:
    """A ``# param:`` (or a mapping's ``# column:``) declaration: name, type, options."""
    words = value.split(" -- ", 1)[0].split()
    if len(words) < 2 or words[1] not in TYPES:
        raise BadInput(path, f"a param needs a name and a type ({', '.join(TYPES)})", line)
    options: dict[str, str] = {}
    required = False
    for word in words[2:]:
        if word == "required":
            required = True
        elif "=" in word:
            key, _, option = word.partition("=")
            options[key] = option
        else:
            raise BadInput(path, f"unknown param option {word!r}", line)
    unknown = set(options) - {"default", "scheme", "class", "namespace", "values", "min", "max"}
    if unknown:
        raise BadInput(path, f"unknown param option(s) {sorted(unknown)}", line)
    if ("min" in options or "max" in options) and words[1] not in ORDERED:
        raise BadInput(path, f"min and max are for {', '.join(ORDERED)} parameters", line)
    return Param(
        name=words[0],
        type=words[1],
        required=required,
        default=options.get("default"),
        scheme=options.get("scheme"),
        classes=tuple(options["class"].split("|")) if "class" in options else (),
        namespace=options.get("namespace"),
        values=tuple(options["values"].split("|")) if "values" in options else (),
        minimum=options.get("min"),
        maximum=options.get("max"),
    )


def find(queries: dict[str, CannedQuery], name: str) -> CannedQuery:
    """The query called ``name``, or an error listing the known ones."""
    if name not in queries:
        known = ", ".join(sorted(queries)) or "none"
        raise ParameterError(f"no canned query {name!r} (known: {known})")
    return queries[name]


def shipped() -> Path:
    """The canned queries munikg ships: inside the installed package (the wheel carries
    ``queries/`` as ``munikg/queries``), else the checkout's ``queries/`` (an editable install
    runs from ``src/``)."""
    package = Path(__file__).resolve().parent.parent
    bundled = package / "queries"
    return bundled if bundled.is_dir() else package.parent.parent / "queries"


def load(directory: Path | None = None) -> dict[str, CannedQuery]:
    """Every ``*.rq`` in ``directory`` (default: the queries munikg ships), by name."""
    directory = shipped() if directory is None else directory
    if not directory.is_dir():
        raise BadInput(directory, "no such directory")
    return {q.name: q for q in (parse(p) for p in sorted(directory.glob("*.rq")))}
