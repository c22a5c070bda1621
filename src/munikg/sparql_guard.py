"""What a SPARQL request may do on munikg's read-only endpoint, decided before it runs.

pyoxigraph evaluates ``SERVICE`` over HTTP if asked, and a ``FROM`` clause may name any IRI, so
the text is inspected first (design §8): a lexer sets comments, strings and IRIs aside, and
the keywords left over say what the request is. An update, a ``SERVICE`` or a ``LOAD`` is
refused; a dataset clause may name only graphs the release holds. Syntax errors are left to
the parser, which reports them with their position.

>>> inspect("PREFIX g: <https://w3id.org/munikg/graph/> ASK FROM g:a {}", {"https://w3id.org/munikg/graph/a"})
Inspection(form='ASK', default_graphs=('https://w3id.org/munikg/graph/a',), named_graphs=())
>>> inspect("SELECT * { SERVICE <http://h/> { ?s ?p ?o } }", set())  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
munikg.sparql_guard.Refused: SERVICE is not allowed here: ...
"""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urljoin

from munikg.errors import MunikgError

QUERY_FORMS = ("SELECT", "CONSTRUCT", "DESCRIBE", "ASK")
UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)

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


class Refused(MunikgError):
    """A request this endpoint will not run (answered 400, naming what was refused)."""


@dataclass(frozen=True)
class Inspection:
    """What a query is: its form and the graphs its own dataset clauses name."""

    form: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in {"space", "comment"}:
            yield kind, match.group()


def inspect(text: str, graphs: set[str], base: str = "") -> Inspection:
    """The query's form and dataset, or :class:`Refused` if it would write, call out or name a
    graph outside ``graphs``; relative IRIs resolve against ``base``. A text the lexer cannot
    place is left to the parser."""
    tokens = list(_tokens(text))
    words = [value.upper() for kind, value in tokens if kind == "word"]
    if "SERVICE" in words:
        raise Refused(
            "SERVICE is not allowed here: this endpoint answers from its own release "
            "and never queries other services"
        )
    if "LOAD" in words:
        raise Refused("LOAD is not allowed here: this endpoint is read-only")
    prefixes: dict[str, str] = {}
    form = ""
    i = 0
    while i < len(tokens):  # the prologue: BASE and PREFIX declarations
        kind, value = tokens[i]
        keyword = value.upper() if kind == "word" else ""
        if keyword == "BASE" and i + 1 < len(tokens):
            base = urljoin(base, tokens[i + 1][1][1:-1])
            i += 2
        elif keyword == "PREFIX" and i + 2 < len(tokens):
            prefixes[tokens[i + 1][1].rstrip(":")] = urljoin(base, tokens[i + 2][1][1:-1])
            i += 3
        else:
            form = keyword
            break
    if form in UPDATE_KEYWORDS:
        raise Refused(
            f"SPARQL Update ({form}) is not accepted: this endpoint is read-only. "
            "Publish changes as a new release (munikg build)."
        )
    default: list[str] = []
    named: list[str] = []
    for n, (kind, value) in enumerate(tokens):
        if kind != "word" or value.upper() != "FROM":
            continue
        rest = tokens[n + 1 : n + 3]
        is_named = bool(rest) and rest[0][0] == "word" and rest[0][1].upper() == "NAMED"
        target = rest[1] if is_named and len(rest) > 1 else (rest[0] if rest else None)
        if target is None:
            continue
        graph = _resolve(target, prefixes, base)
        if graph is None:
            continue
        (named if is_named else default).append(graph)
    for graph in default + named:
        if graph not in graphs:
            raise Refused(outside(graph))
    return Inspection(form, tuple(default), tuple(named))


def outside(graph: str) -> str:
    """The message for a dataset that names a graph the release does not hold."""
    return (
        f"<{graph}> is not a graph of this release; a dataset may name only its own graphs "
        "(see the service description at /sparql)"
    )


def _resolve(token: tuple[str, str], prefixes: dict[str, str], base: str) -> str | None:
    kind, value = token
    if kind == "iri":
        return urljoin(base, value[1:-1]) if base else value[1:-1]
    if kind == "pname":
        prefix, _, local = value.partition(":")
        if prefix in prefixes:
            return prefixes[prefix] + re.sub(r"\\(.)", r"\1", local)
    return None
