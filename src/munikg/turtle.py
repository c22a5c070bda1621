"""Reading one curated Turtle file: the checks that make a bad file a clear error.

A file is read as UTF-8, parsed by pyoxigraph (whose errors carry line and column), and
rejected if it is empty, holds a blank node (published data names every node) or a literal
whose lexical form does not fit its XSD datatype.
"""

import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from rdflib import Literal as RdfLiteral
from rdflib import URIRef

from munikg.errors import BadInput, read_utf8
from munikg.namespaces import XSD

# rdflib logs a traceback for every ill-typed literal it meets; munikg reports them itself.
logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)

# rdflib does not check these lexical forms (it has no Python value for them).
_PATTERNS = {
    XSD + "gYear": re.compile(r"^-?[0-9]{4,}(Z|[+-][0-9]{2}:[0-9]{2})?$"),
    XSD + "gYearMonth": re.compile(r"^-?[0-9]{4,}-(0[1-9]|1[0-2])(Z|[+-][0-9]{2}:[0-9]{2})?$"),
}
_BLANK = re.compile(r"(^|[\s;,(])(_:[A-Za-z0-9]|\[)")

ORIGIN_MARK = " # from "
"""How a generated Turtle line names the table line it came from (:mod:`munikg.build.tables`)."""
_ORIGIN = re.compile(re.escape(ORIGIN_MARK) + r"(.+):([0-9]+)$")


@dataclass
class TurtleFile:
    """A parsed input file: its quads in its named graph, its prefixes and its text."""

    path: Path
    graph: ox.NamedNode
    quads: list[ox.Quad]
    prefixes: dict[str, str] = field(default_factory=dict)
    text: str = ""


def read_turtle(path: Path, graph: ox.NamedNode) -> TurtleFile:
    """Parse ``path`` into ``graph``; raise :class:`BadInput` naming file and line on any fault.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "bad.ttl"
    >>> _ = p.write_text('@prefix ex: <http://e/> .\\nex:a ex:p 1 .\\nex:a ex:q "x .\\n')
    >>> read_turtle(p, ox.NamedNode("http://g/"))
    Traceback (most recent call last):
    ...
    munikg.errors.BadInput: ...bad.ttl:3:11: Turtle syntax error: Unexpected end of file
    """
    text = read_utf8(path)
    if not text.strip():
        raise BadInput(path, "the file is empty")
    parser = ox.parse(text, ox.RdfFormat.TURTLE, without_named_graphs=True)
    triples = parse_or_explain(path, parser)
    if not triples:
        raise BadInput(path, "the file holds no triples")
    quads = []
    for t in triples:
        if isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode):
            match = _BLANK.search(text)
            raise BadInput(
                path,
                "blank node: every node of published data needs an IRI",
                text[: match.start()].count("\n") + 1 if match else None,
            )
        if isinstance(t.object, ox.Literal):
            _check_literal(path, text, t.object)
        quads.append(ox.Quad(t.subject, t.predicate, t.object, graph))
    return TurtleFile(path, graph, quads, dict(parser.prefixes), text)


def parse_or_explain(path: Path, parser: ox.QuadParser) -> list[ox.Quad]:
    """All of ``parser``'s triples, or :class:`BadInput` with the line and column of the fault."""
    try:
        return list(parser)
    except SyntaxError as error:
        message = str(error.msg).split(": ", 1)[-1]
        raise BadInput(
            path, f"Turtle syntax error: {message}", line=error.lineno, column=error.offset
        ) from None


def _check_literal(path: Path, text: str, literal: ox.Literal) -> None:
    if ill_typed(literal.value, literal.datatype.value):
        position = text.find(f'"{literal.value}"')
        line = text[:position].count("\n") + 1 if position >= 0 else None
        name = literal.datatype.value.removeprefix(XSD)
        raise BadInput(path, f'"{literal.value}" is not a valid xsd:{name}', line=line)


@lru_cache(maxsize=1 << 16)
def ill_typed(value: str, datatype: str) -> bool:
    """Whether ``value`` is outside the lexical space of XSD ``datatype`` (other datatypes:
    never). Cached: a big graph repeats its years, dates and amounts.

    >>> ill_typed("2024-13", XSD + "gYearMonth"), ill_typed("12.50", XSD + "decimal")
    (True, False)
    """
    if not datatype.startswith(XSD) or datatype == XSD + "string":
        return False
    pattern = _PATTERNS.get(datatype)
    if pattern:
        return not pattern.match(value)
    return bool(RdfLiteral(value, datatype=URIRef(datatype)).ill_typed)


def origin(text: str, line: int) -> tuple[str, int] | None:
    """The table file and line a generated Turtle line came from, if it came from one.

    >>> origin("ex:a ex:p 1 . # from data/t.csv:7", 1)
    ('data/t.csv', 7)
    >>> origin("ex:a ex:p 1 .", 1) is None
    True
    """
    lines = text.splitlines()
    if not 0 < line <= len(lines):
        return None
    match = _ORIGIN.search(lines[line - 1])
    return (match.group(1), int(match.group(2))) if match else None
