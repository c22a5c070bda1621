"""Binding canned-query parameters where the parse puts their variables.

A bound query is the query its author would have written by hand with the values in place:
every occurrence of a parameter's variable becomes the value's term — in triple patterns,
FILTER, BIND and other expressions, HAVING, OPTIONAL, UNION, sub-selects, GRAPH — and where
the grammar wants a variable and not a term, the form the grammar allows there is written:
a projected ``?v`` becomes ``(TERM AS ?v)`` (so the answer keeps its column; in the innermost
select projecting it, which the selects around it then pass on), and
``GROUP BY ?v`` / ``ORDER BY ?v`` become ``(TERM)``. A position no value can take — an ``AS
?v`` target, a ``VALUES`` variable, ``BOUND(?v)`` — is refused when the queries load, naming
the file and line. Variables are found in the parse tree, so a ``?v`` inside a string, an IRI
or a comment is never touched; values are RDF terms built by pyoxigraph, never user text.

>>> t = Template.of("SELECT ?o WHERE { ?s ?p ?o }", frozenset({"o"}))
>>> t.fill({"o": ox.Literal('a" } #')})
'SELECT ("a\\\\" } #" AS ?o) WHERE { ?s ?p "a\\\\" } #" }'
>>> t.fill({})
'SELECT ?o WHERE { ?s ?p ?o }'
"""

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, NamedTuple

import pyoxigraph as ox
import tree_sitter

from munikg.errors import BadInput
from munikg.query.sparql_tree import first_error, nodes, parse, text_of

Form = Literal["term", "projected", "bracketed", "kept"]


class Slot(NamedTuple):
    name: str  # the parameter
    written: str  # the variable as written (``?v`` or ``$v``)
    form: Form


@dataclass(frozen=True)
class Template:
    """A query cut at its parameters' variables: binding joins strings."""

    pieces: tuple[str, ...]  # the text between slots
    slots: tuple[Slot, ...]

    @classmethod
    def of(cls, text: str, names: frozenset[str], path: Path | None = None) -> "Template":
        """Cut ``text`` at every variable named in ``names``; :class:`BadInput` (file and
        line) if the text cannot be read or a parameter stands where no value can."""
        source = text.encode("utf-8")
        root = parse(text).root_node
        error = first_error(root)
        if error is not None:
            raise BadInput(path, "the query is not valid SPARQL here", error.start_point[0] + 1)
        pieces: list[str] = []
        slots: list[Slot] = []
        last = 0
        for var in nodes(root, "var"):
            written = text_of(source, var)
            if written[1:] not in names:
                continue
            pieces.append(source[last : var.start_byte].decode("utf-8"))
            slots.append(Slot(written[1:], written, _form(var, written, path)))
            last = var.end_byte
        pieces.append(source[last:].decode("utf-8"))
        return cls(tuple(pieces), tuple(slots))

    def fill(self, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
        """The query with ``terms`` in place; a parameter without a term stays a variable."""
        out = [self.pieces[0]]
        for slot, piece in zip(self.slots, self.pieces[1:], strict=True):
            term = terms.get(slot.name)
            if term is None or slot.form == "kept":
                out.append(slot.written)
            elif slot.form == "projected":
                out.append(f"({term} AS {slot.written})")
            elif slot.form == "bracketed":
                out.append(f"({term})")
            else:
                out.append(str(term))
            out.append(piece)
        return "".join(out)


def _form(var: tree_sitter.Node, written: str, path: Path | None) -> Form:
    """How a value is written where ``var`` stands, or :class:`BadInput` if it cannot be."""
    parent = var.parent
    before = var.prev_sibling
    line = var.start_point[0] + 1

    def refuse(why: str) -> BadInput:
        return BadInput(path, f"parameter {written} {why}, where no value can stand", line)

    if before is not None and before.type == "AS":
        raise refuse(f"is assigned here (AS {written})")
    if parent is None:
        return "term"
    if parent.type == "data_block":
        raise refuse("is a VALUES variable")
    if parent.type == "build_in_function" and parent.children[0].type.upper() == "BOUND":
        raise refuse("is asked about by BOUND()")
    if parent.type == "select_clause":
        # a sub-select below projects it: the value is bound there, this projection passes it on
        return "kept" if _projected_below(parent, written[1:]) else "projected"
    if parent.type in {"group_condition", "order_condition"}:
        return "bracketed"
    return "term"


def _projected_below(select_clause: tree_sitter.Node, name: str) -> bool:
    """Whether a sub-select in the WHERE clause of ``select_clause``'s query projects ``name``."""
    query = select_clause.parent
    if query is None:
        return False
    where = next((c for c in query.children if c.type == "where_clause"), None)
    if where is None:
        return False
    for sub in nodes(where, "sub_select"):
        clause = next((c for c in sub.children if c.type == "select_clause"), None)
        projected = [c for c in clause.children if c.type == "var"] if clause else []
        if any(c.text is not None and c.text.decode()[1:] == name for c in projected):
            return True
        if clause is not None and _projected_below(clause, name):
            return True
    return False
