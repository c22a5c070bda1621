"""``locate``: the line of a triple in a hand-written Turtle file, as a person would find it.
The expected lines are counted by hand in the text below."""

import pyoxigraph as ox
import pytest

from munikg.namespaces import RDF
from munikg.shacl.locate import find_line, spellings

PREFIXES = {"ex": "http://e/", "schema": "https://schema.org/"}
TEXT = """\
@prefix ex: <http://e/> .
@prefix schema: <https://schema.org/> .

ex:a a ex:City ;
    schema:name "Karlskrona"@sv , "Karlskrona"@en ;
    ex:partner ex:b ,
        ex:c .

<http://e/b> a ex:City ;
    schema:name "Chortkiv" .

ex:c schema:name "Saldanha Bay" .
ex:d ex:note "ex:a schema:name" .
"""


def n(local: str) -> ox.NamedNode:
    return ox.NamedNode("http://e/" + local)


NAME = ox.NamedNode("https://schema.org/name")


@pytest.mark.parametrize(
    ("subject", "predicate", "value", "line"),
    [
        (n("a"), None, None, 4),  # the subject's block
        (n("a"), ox.NamedNode(RDF + "type"), n("City"), 4),  # written as "a"
        (n("a"), NAME, ox.Literal("Karlskrona", language="sv"), 5),
        (n("a"), n("partner"), n("b"), 6),
        (n("b"), None, None, 9),  # written as a full IRI
        (n("b"), NAME, ox.Literal("Chortkiv"), 10),
        (n("c"), NAME, None, 12),  # on the subject's own line
        (n("d"), n("note"), None, 13),
    ],
)
def test_the_line_a_reader_would_point_at(
    subject: ox.NamedNode, predicate: ox.NamedNode | None, value: ox.Literal | None, line: int
) -> None:
    assert find_line(TEXT, PREFIXES, subject, predicate, value) == line


def test_a_predicate_the_block_lacks_points_at_the_subject() -> None:
    assert find_line(TEXT, PREFIXES, n("b"), n("partner")) == 9


def test_a_quoted_name_is_not_the_subject() -> None:
    # line 13 mentions "ex:a schema:name" inside a string: a's name is still on line 5
    assert find_line(TEXT, PREFIXES, n("a"), NAME) == 5


def test_an_unknown_subject_has_no_line() -> None:
    assert find_line(TEXT, PREFIXES, n("zz")) is None


def test_spellings_follow_the_prefixes() -> None:
    assert spellings(n("a"), PREFIXES) == ["<http://e/a>", "ex:a"]
    assert spellings(ox.Literal("x"), PREFIXES) == ['"x"']
    assert "a" in spellings(ox.NamedNode(RDF + "type"), PREFIXES)
