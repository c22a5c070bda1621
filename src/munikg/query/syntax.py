"""Is a text a SPARQL query? The engine's own parser says (pyoxigraph has no parse call).

``Store.query`` parses the text, then refuses the two dataset options it was given together:
a valid text raises ``ValueError`` and an invalid one ``SyntaxError`` with the parser's line
and column, and nothing is evaluated.

>>> syntax_error("ASK {}") is None
True
>>> syntax_error("ASK {")  # doctest: +ELLIPSIS
'error at 1:6: ...'

When the engine refuses a text, :func:`explain` says why in a reader's terms where it can —
the commonest case being a prefix used and never declared, which the engine reports as an
unexpected token somewhere after it:

>>> text = "SELECT ?m WHERE {\\n  ?m a mk:Municipality }"
>>> print(explain(text, syntax_error(text) or ""))
prefix mk: is not declared (line 2, column 8); add PREFIX mk: <https://w3id.org/munikg/ontology#>
"""

import re

import pyoxigraph as ox

from munikg.namespaces import PREFIXES
from munikg.query.sparql_tree import nodes, parse, text_of

# the engine lists every character a name may start with; a reader needs the word
_CHARACTER_RANGES = re.compile(r"\['A' \.\.= 'Z'.*?\[_\]", re.DOTALL)

_PARSER = ox.Store()  # never holds data: the parse-only call evaluates nothing
_SERVICE = re.compile("service", re.IGNORECASE)  # also matches ſ and K variants: more, not less


def syntax_error(text: str, base_iri: str | None = None) -> str | None:
    """The engine's message if it cannot parse ``text`` as a query, else None."""
    try:
        _PARSER.query(
            text,
            base_iri=base_iri,
            use_default_graph_as_union=True,
            default_graph=[ox.DefaultGraph()],
        )
    except SyntaxError as error:
        return str(error)
    except ValueError:
        return None  # parsed; then the two dataset options were refused, as intended
    raise RuntimeError("pyoxigraph ran a query it was asked only to parse")


def explain(text: str, message: str) -> str:
    """The engine's ``message`` about ``text``, said plainly where munikg knows better: an
    undeclared prefix is named, with its declaration where munikg knows the namespace."""
    missing = undeclared_prefix(text)
    if missing is not None:
        prefix, line, column = missing
        known = PREFIXES.get(prefix)
        fix = f"; add PREFIX {prefix}: <{known}>" if known else ""
        return f"prefix {prefix}: is not declared (line {line}, column {column}){fix}"
    return _CHARACTER_RANGES.sub("a name", message)


def undeclared_prefix(text: str) -> tuple[str, int, int] | None:
    """The first prefixed name whose prefix ``text`` does not declare: (prefix, line, column)."""
    source = text.encode("utf-8")
    root = parse(text).root_node
    declared = {
        text_of(source, written).rstrip(":")
        for declaration in nodes(root, "prefix_declaration")
        for written in nodes(declaration, "namespace")
    }
    for name in nodes(root, "prefixed_name"):
        written = next(nodes(name, "namespace"), None)
        prefix = text_of(source, written).rstrip(":") if written is not None else ""
        if prefix not in declared:
            start_of_line = source.rfind(b"\n", 0, name.start_byte) + 1
            column = len(source[start_of_line : name.start_byte].decode("utf-8")) + 1
            return prefix, name.start_point[0] + 1, column
    return None


def service_position(text: str, base_iri: str | None = None) -> tuple[int, int] | None:
    """Where a ``SERVICE`` clause of ``text`` starts, as (line, column), if the engine would
    run one; None if it would not (none there, or the text is not valid SPARQL)."""
    found = list(_SERVICE.finditer(text))
    if not found or syntax_error(_changed(text, found), base_iri) is None:
        return None
    if syntax_error(text, base_iri) is not None:
        return None
    culprit = next(
        (m for m in found if syntax_error(_changed(text, [m]), base_iri) is not None), found[0]
    )
    line = text.count("\n", 0, culprit.start()) + 1
    return line, culprit.start() - (text.rfind("\n", 0, culprit.start()) + 1) + 1


def _changed(text: str, matches: list[re.Match[str]]) -> str:
    """``text`` with the last letter of each match changed to x (in its case)."""
    out: list[str] = []
    last = 0
    for match in matches:
        end = match.end() - 1
        out += (text[last:end], "X" if text[end].isupper() else "x")
        last = end + 1
    out.append(text[last:])
    return "".join(out)
