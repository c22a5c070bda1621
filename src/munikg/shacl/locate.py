"""Finding the line of a triple in a hand-written Turtle file, so a report can say file:line.

Turtle has no positions per triple once parsed, so this reads the text the way a person
would: find the block whose subject is the focus node, then the line in it that names the
predicate (and the value, when there is one). It is a best effort: a line is returned only
when the subject is found.
"""

import re

import pyoxigraph as ox

from munikg.namespaces import RDF


def spellings(
    term: ox.NamedNode | ox.BlankNode | ox.Literal, prefixes: dict[str, str]
) -> list[str]:
    """The ways ``term`` can be written in a Turtle file with ``prefixes``.

    >>> spellings(ox.NamedNode("http://e/a"), {"ex": "http://e/"})
    ['<http://e/a>', 'ex:a']
    >>> spellings(ox.NamedNode(RDF + "type"), {})
    ['<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>', 'a']
    """
    if isinstance(term, ox.Literal):
        return [f'"{term.value}"']
    if isinstance(term, ox.BlankNode):
        return [f"_:{term.value}"]
    found = [f"<{term.value}>"]
    for prefix, namespace in prefixes.items():
        if term.value.startswith(namespace):
            found.append(f"{prefix}:{term.value[len(namespace) :]}")
    if term.value == RDF + "type":
        found.append("a")
    return found


def _mentions(line: str, words: list[str]) -> bool:
    return any(re.search(rf"(^|[\s;,(]){re.escape(w)}($|[\s;,.)])", line) for w in words)


def find_line(
    text: str,
    prefixes: dict[str, str],
    subject: ox.NamedNode | ox.BlankNode,
    predicate: ox.NamedNode | None = None,
    value: ox.NamedNode | ox.BlankNode | ox.Literal | None = None,
) -> int | None:
    """1-based line of the triple (or of the subject's block), or None if not found.

    >>> text = "@prefix ex: <http://e/> .\\nex:a ex:p ex:b ;\\n    ex:q 1 .\\nex:c ex:q 1 ."
    >>> find_line(text, {"ex": "http://e/"}, ox.NamedNode("http://e/a"), ox.NamedNode("http://e/q"))
    3
    >>> find_line(text, {"ex": "http://e/"}, ox.NamedNode("http://e/c"))
    4
    """
    lines = text.splitlines()
    names = spellings(subject, prefixes)
    starts = [i for i, line in enumerate(lines) if line.split(" ", 1)[0] in names]
    if not starts:
        return None
    if predicate is None:
        return starts[0] + 1
    predicate_names = spellings(predicate, prefixes)
    value_names = spellings(value, prefixes) if value is not None else []
    fallback = None
    for start in starts:
        for i in range(start, len(lines)):
            line = lines[i]
            if i > start and lines[i - 1].rstrip().endswith(" ."):
                break  # the block ended
            if _mentions(
                line if i > start else line[len(line.split(" ", 1)[0]) :], predicate_names
            ):
                if not value_names or any(v in line for v in value_names):
                    return i + 1
                fallback = fallback or i + 1
    return fallback or starts[0] + 1
