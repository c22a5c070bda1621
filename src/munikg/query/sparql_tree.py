"""SPARQL parse trees with positions (tree-sitter's SPARQL grammar), for munikg's own query
files and for explaining an error the engine has already found.

Never used to decide whether a request may run: that is the engine's parser
(:mod:`munikg.query.syntax`); a second grammar deciding it is where this project's worst
defects were. Every text built from a tree here is parsed by the engine before it runs.
"""

import functools
import warnings
from collections.abc import Iterator

import tree_sitter
import tree_sitter_sparql


@functools.cache
def _parser() -> tree_sitter.Parser:
    with warnings.catch_warnings():  # the grammar package hands over its language as an int
        warnings.simplefilter("ignore", DeprecationWarning)
        language = tree_sitter.Language(tree_sitter_sparql.language())
    return tree_sitter.Parser(language)


def parse(text: str) -> tree_sitter.Tree:
    """The parse tree of ``text`` (byte offsets are into its UTF-8 encoding)."""
    return _parser().parse(text.encode("utf-8"))


def nodes(node: tree_sitter.Node, kind: str) -> Iterator[tree_sitter.Node]:
    """Every node of ``kind`` under ``node``, in text order (not inside one of the same kind)."""
    if node.type == kind:
        yield node
        return
    for child in node.children:
        yield from nodes(child, kind)


def first_error(node: tree_sitter.Node) -> tree_sitter.Node | None:
    """The first node the grammar could not read, if any."""
    if node.type == "ERROR" or node.is_missing:
        return node
    for child in node.children:
        if child.has_error:
            return first_error(child)
    return None


def text_of(source: bytes, node: tree_sitter.Node) -> str:
    return source[node.start_byte : node.end_byte].decode("utf-8")
