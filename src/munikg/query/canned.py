"""Canned queries: ``queries/NAME.rq``, one question each, self-describing (design §7).

The comment header names the query and its parameters::

    # title: Swedish municipalities partnering Ukrainian municipalities on a cooperation area
    # title@sv: Svenska kommuner med ukrainska partnerkommuner inom ett samarbetsområde
    # description: … (and description@sv)
    # param: area iri scheme=https://w3id.org/munikg/id/concept/area default=water -- The area
    # param@sv: area -- Samarbetsområdet

Parameter values are validated RDF terms, written in place of their variables in the query's
WHERE group and bound by a ``VALUES`` block at its head: the same text runs on pyoxigraph and on
any SPARQL 1.1 endpoint. (pyoxigraph's own substitutions accept only projected variables.)
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from munikg.errors import BadInput
from munikg.query.params import TYPES, Param, ParameterError, to_term

REQUIRED_FIELDS = ("title", "title@sv", "description", "description@sv")
_HEADER = re.compile(r"^#\s*([a-z]+(?:@[a-z]{2})?):\s?(.*)$")
_WHERE = re.compile(r"\bWHERE\s*\{", re.IGNORECASE)
# Tokens of the project's own query files, enough to find their parameter variables and the
# WHERE group's braces. (Never used on request text: the endpoint's guard asks the engine.)
TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n\r]|\\.)*'|"(?:[^"\\\n\r]|\\.)*")
  | (?P<var>[?$]\w+)
  | (?P<pname>(?:[^\W\d_][\w.-]*)?:(?:[\w:%\\-]|\.(?=[\w:%\\-]))*)
  | (?P<word>[^\W\d]\w*)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass
class CannedQuery:
    name: str
    path: Path
    text: str
    fields: dict[str, str]
    params: list[Param] = field(default_factory=list)
    _template: "Template | None" = field(default=None, repr=False, compare=False)

    def title(self, lang: str = "en") -> str:
        return self.fields.get(f"title@{lang}") or self.fields["title"]

    def description(self, lang: str = "en") -> str:
        return self.fields.get(f"description@{lang}") or self.fields["description"]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "none"
        raise ParameterError(f"{self.name} has no parameter {name!r} (its parameters: {known})")

    def bind(self, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
        """The query with ``terms`` bound (see :func:`bind`), from a template cut once."""
        if not terms:
            return self.text
        if self._template is None:
            self._template = Template.of(self.text, frozenset(p.name for p in self.params))
        return self._template.fill(terms)

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
        return terms


def bind(text: str, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """``text`` with ``terms`` written in place of their variables inside the WHERE group; a
    parameter the query also uses outside it (in SELECT, ORDER BY…) is bound there by a
    ``VALUES`` block opening the group.

    In place rather than only joined from a VALUES row: the value is then seen everywhere in
    the group, also in a FILTER inside an OPTIONAL, where Virtuoso 7.2 does not see variables
    bound outside it (and mis-evaluates some queries that open with VALUES).

    >>> bind("SELECT ?x WHERE { ?x ?p ?o }", {"o": ox.Literal('a" } #')})
    'SELECT ?x WHERE { ?x ?p "a\\\\" } #" }'
    >>> bind("SELECT ?o WHERE { ?x ?p ?o }", {"o": ox.Literal("b")})
    'SELECT ?o WHERE { VALUES (?o) { ("b") } ?x ?p "b" }'
    """
    if not terms:
        return text
    return Template.of(text, frozenset(terms)).fill(terms)


@dataclass(frozen=True)
class Template:
    """A query cut at the parameter variables of its WHERE group, so that binding values joins
    strings instead of reading the query again (reading it was most of a sub-millisecond query).
    """

    head: str  # up to and including the group's opening brace
    pieces: tuple[str, ...]  # the group's text between parameter variables
    slots: tuple[str, ...]  # the variable (as written) between two pieces
    outside: frozenset[str]  # variables the query also uses outside the group

    @classmethod
    def of(cls, text: str, names: frozenset[str]) -> "Template":
        match = _WHERE.search(_body(text))
        if match is None:
            raise BadInput(None, "a parameterised query needs an explicit WHERE { … }")
        offset = len(text) - len(_body(text)) + match.end()
        group = text[offset:]
        pieces, slots = [], []
        depth, last, end = 1, 0, len(group)
        for token in TOKEN.finditer(group):  # strings, IRIs and comments are tokens of their own
            kind, value = token.lastgroup, token.group()
            if kind == "other" and value in "{}":
                depth += 1 if value == "{" else -1
                if depth == 0:
                    end = token.start()
                    break
            elif kind == "var" and value[1:] in names:
                pieces.append(group[last : token.start()])
                slots.append(value)
                last = token.end()
        pieces.append(group[last:])
        outside = _variables(text[:offset]) | _variables(group[end:])
        return cls(text[:offset], tuple(pieces), tuple(slots), frozenset(outside) & names)

    def fill(self, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
        out = [self.head]
        kept = {name: term for name, term in terms.items() if name in self.outside}
        if kept:
            names = " ".join(f"?{n}" for n in kept)
            row = " ".join(str(t) for t in kept.values())
            out.append(f" VALUES ({names}) {{ ({row}) }}")
        for piece, slot in zip(self.pieces, self.slots, strict=False):
            term = terms.get(slot[1:])
            out += (piece, slot if term is None else str(term))
        out.append(self.pieces[-1])
        return "".join(out)


def _variables(text: str) -> set[str]:
    return {m.group()[1:] for m in TOKEN.finditer(text) if m.lastgroup == "var"}


def _body(text: str) -> str:
    """The query after its comment header (a header may say "where {")."""
    lines = text.splitlines(keepends=True)
    i = 0
    while i < len(lines) and (lines[i].startswith("#") or not lines[i].strip()):
        i += 1
    return "".join(lines[i:])


def parse(path: Path) -> CannedQuery:
    """Read one query file; a header that lacks a field or declares a bad parameter is bad input."""
    text = path.read_text(encoding="utf-8")
    fields: dict[str, str] = {}
    params: dict[str, Param] = {}
    descriptions: dict[str, dict[str, str]] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = _HEADER.match(line)
        if not match:
            if line.startswith("#") or not line.strip():
                continue
            break
        key, value = match.groups()
        if key == "param":
            param = _param(path, number, value)
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
    final = [Param(**{**p.__dict__, "description": descriptions[p.name]}) for p in params.values()]
    return CannedQuery(path.stem, path, text, fields, final)


def _description(value: str) -> str:
    return value.split(" -- ", 1)[1].strip() if " -- " in value else ""


def _param(path: Path, line: int, value: str) -> Param:
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
    unknown = set(options) - {"default", "scheme", "class", "namespace", "values"}
    if unknown:
        raise BadInput(path, f"unknown param option(s) {sorted(unknown)}", line)
    return Param(
        name=words[0],
        type=words[1],
        required=required,
        default=options.get("default"),
        scheme=options.get("scheme"),
        classes=tuple(options["class"].split("|")) if "class" in options else (),
        namespace=options.get("namespace"),
        values=tuple(options["values"].split("|")) if "values" in options else (),
    )


def find(queries: dict[str, CannedQuery], name: str) -> CannedQuery:
    """The query called ``name``, or an error listing the known ones."""
    if name not in queries:
        known = ", ".join(sorted(queries)) or "none"
        raise ParameterError(f"no canned query {name!r} (known: {known})")
    return queries[name]


def load(directory: Path) -> dict[str, CannedQuery]:
    """Every ``*.rq`` in ``directory``, by name."""
    if not directory.is_dir():
        raise BadInput(directory, "no such directory")
    return {q.name: q for q in (parse(p) for p in sorted(directory.glob("*.rq")))}
