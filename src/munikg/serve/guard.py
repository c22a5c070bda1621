"""Whether the read-only endpoint may run a query text, decided by the engine that would run it.

A second lexer or grammar beside the engine's is where this endpoint's worst defects were: where
the two read a text differently, the guard approves one query and the engine runs another (a
``#`` after an escaped IRI character hid a ``SERVICE`` from the old lexer; a ``#`` comment that
a carriage return ends, as it does for Oxigraph, hides one from tree-sitter's SPARQL grammar).
So every decision here is the engine's own parser's, asked through pyoxigraph:

- **syntax**: ``Store.query`` parses the text, then refuses the two dataset options it was given
  together, so a valid text raises ``ValueError`` and an invalid one ``SyntaxError`` with the
  parser's line and column: a parse that evaluates nothing
  (:func:`munikg.query.syntax.syntax_error`, shared with the canned queries' load check). A text run
  for real is parsed by the engine anyway, so :func:`check` leaves syntax errors to it.
- **SERVICE**: a ``SERVICE`` clause needs its keyword spelt out in the text (Oxigraph reads
  ``\\u`` escapes only inside IRIs and strings, SPARQL 1.2's rule, which :func:`check_engine`
  confirms): a text without those letters needs no look at all. Where they occur, every
  occurrence is changed (``service`` → ``servicx``) and the engine parses the text again:
  letters inside a string, IRI, comment, variable or name leave a valid query valid, while the
  keyword becomes a word no grammar accepts. So a valid text whose changed copy the engine
  refuses would run a ``SERVICE``, and is refused, naming the line and column.
- **form and dataset**: not guessed at all. The worker reads the form from what the engine
  returns, and a ``FROM`` naming a graph the release lacks is an empty graph, as the SPARQL 1.1
  Protocol says (Oxigraph never fetches one). Updates never reach a query parser.

Nesting is bounded before the engine sees a text (:func:`check_bounds`): the parser and the
evaluator recurse per level. The bound counts brackets and negations in the raw text, an upper
bound of the real nesting unless a string or IRI holds closing brackets; the worker's stack is
sized for the largest request anyway (:mod:`munikg.serve.executor`), so no text can overflow it.

>>> check("ASK {}")
>>> check("SELECT * WHERE { ?s <http://e/service> 'customer service' }")
>>> check("SELECT * { ?s ?p ?o } # service")
>>> check("SELECT * { SERVICE <http://h/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
munikg.serve.guard.Refused: SERVICE is not allowed here (line 1, column 12): ...
>>> check("SELECT * {\\n#\\r SERVICE <http://h/> { ?s ?p ?o } }")  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
munikg.serve.guard.Refused: SERVICE is not allowed here (line 2, column 4): ...
>>> check("ASK {")  # not valid SPARQL, but nothing to refuse: the engine will say why
"""

import re

from munikg.errors import MunikgError
from munikg.query.syntax import service_position, syntax_error

MAX_NESTING = 64  # brackets of any kind, open at once; real queries stay far below
MAX_NEGATIONS = 64  # "!" in a row; each is a level of recursion in the engine
_BRACKETS = re.compile(r"[^\[\](){}]+")
_NEGATIONS = re.compile(r"!(?:\s*!)*")


class Refused(MunikgError):
    """A query this endpoint will not run (answered 400, naming what was refused)."""


def check(text: str, base_iri: str | None = None) -> None:
    """Raise :class:`Refused` if the endpoint may not run ``text`` (relative IRIs resolving
    against ``base_iri``, as they will when it runs)."""
    check_bounds(text)
    position = service_position(text, base_iri)
    if position is not None:
        line, column = position
        raise Refused(
            f"SERVICE is not allowed here (line {line}, column {column}): this endpoint "
            "answers from its own release and never queries other services"
        )


def check_bounds(text: str) -> None:
    """Refuse a text nested deeper than the engine should be asked to recurse.

    >>> check_bounds("SELECT * WHERE " + "{" * 65 + "}" * 65)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    munikg.serve.guard.Refused: The query nests brackets 65 deep; ...
    """
    depth = deepest = 0
    opening = text.count("(") + text.count("[") + text.count("{")
    for bracket in _BRACKETS.sub("", text) if opening > MAX_NESTING else "":
        depth = depth + 1 if bracket in "([{" else max(0, depth - 1)
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise Refused(
            f"The query nests brackets {deepest} deep; this endpoint accepts at most {MAX_NESTING}."
        )
    negations = 0
    if text.count("!") > MAX_NEGATIONS:
        negations = max(m.group().count("!") for m in _NEGATIONS.finditer(text))
    if negations > MAX_NEGATIONS:
        raise Refused(
            f"The query has {negations} '!' in a row; this endpoint accepts at most "
            f"{MAX_NEGATIONS}."
        )


def check_engine() -> None:
    """Confirm the engine still behaves as the guard relies on; a worker that starts with a
    pyoxigraph where it does not refuses to serve."""
    if syntax_error("ASK {") is None or syntax_error("ASK {}") is not None:
        raise RuntimeError("pyoxigraph no longer parses without evaluating; the guard is blind")
    if syntax_error("S\\u0045LECT * {}") is None or syntax_error("ASK { ?\\u0061 ?b ?c }") is None:
        raise RuntimeError(
            "pyoxigraph now reads \\u escapes outside IRIs and strings; the SERVICE check "
            "must decode them first"
        )
