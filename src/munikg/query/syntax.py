"""Is a text a SPARQL query? The engine's own parser says (pyoxigraph has no parse call).

``Store.query`` parses the text, then refuses the two dataset options it was given together:
a valid text raises ``ValueError`` and an invalid one ``SyntaxError`` with the parser's line
and column, and nothing is evaluated.

>>> syntax_error("ASK {}") is None
True
>>> syntax_error("ASK {")  # doctest: +ELLIPSIS
'error at 1:6: ...'
"""

import pyoxigraph as ox

_PARSER = ox.Store()  # never holds data: the parse-only call evaluates nothing


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
