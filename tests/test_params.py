"""Typed parameters: what each type accepts as a user types it, and what it refuses (with the
parameter's name and what it allows). Expectations from the XSD lexical spaces and ISO 3166."""

import pyoxigraph as ox
import pytest

from munikg.namespaces import XSD
from munikg.query.params import COUNTRY, Param, ParameterError, to_term

AREA = "https://w3id.org/munikg/id/concept/area"


def typed(value: str, datatype: str) -> ox.Literal:
    return ox.Literal(value, datatype=ox.NamedNode(XSD + datatype))


@pytest.mark.parametrize(
    ("param", "raw", "term"),
    [
        (Param("n", "integer"), "12", typed("12", "integer")),
        (Param("n", "integer"), "-3", typed("-3", "integer")),
        (Param("x", "decimal"), "0.5", typed("0.5", "decimal")),
        (Param("x", "decimal"), ".5", typed(".5", "decimal")),
        (Param("d", "date"), "2024-02-29", typed("2024-02-29", "date")),  # a leap day
        (Param("y", "year"), "2014", typed("2014", "gYear")),
        (Param("s", "string"), 'a "quoted" } text', ox.Literal('a "quoted" } text')),
        (Param("l", "langstring"), "vatten@sv", ox.Literal("vatten", language="sv")),
        (Param("l", "langstring"), "water@EN-gb", ox.Literal("water", language="en-gb")),
        (Param("c", "country"), "UA", ox.NamedNode(COUNTRY + "ua")),
        (Param("c", "country"), "se", ox.NamedNode(COUNTRY + "se")),
        (Param("i", "iri"), "https://e.org/x", ox.NamedNode("https://e.org/x")),
        (Param("i", "iri"), " <https://e.org/x> ", ox.NamedNode("https://e.org/x")),
        (Param("a", "iri", scheme=AREA), "water", ox.NamedNode(AREA + "/water")),
        (Param("m", "iri", namespace="http://e/m/"), "se-1080", ox.NamedNode("http://e/m/se-1080")),
        (Param("f", "string", values=("csv", "json")), "json", ox.Literal("json")),
    ],
)
def test_accepted_values_become_their_terms(
    param: Param, raw: str, term: ox.NamedNode | ox.Literal
) -> None:
    assert to_term(param, raw) == term


@pytest.mark.parametrize(
    ("param", "raw"),
    [
        (Param("n", "integer"), "12 }"),
        (Param("n", "integer"), "1.5"),
        (Param("n", "integer"), ""),
        (Param("x", "decimal"), "1e3"),  # a double, not a decimal
        (Param("d", "date"), "2023-02-29"),  # no such day
        (Param("d", "date"), "2024-2-1"),
        (Param("y", "year"), "24"),
        (Param("l", "langstring"), "vatten"),  # no tag
        (Param("c", "country"), "UKR"),  # alpha-3
        (Param("i", "iri"), "water"),  # a slug with nowhere to put it
        (Param("i", "iri"), "https://e.org/a b"),
        (Param("i", "iri"), "https://e.org/>} DROP ALL"),
        (Param("a", "iri", scheme=AREA), "Water Supply"),
        (Param("f", "string", values=("csv", "json")), "xml"),
    ],
)
def test_refused_values_name_the_parameter_and_what_it_allows(param: Param, raw: str) -> None:
    with pytest.raises(ParameterError) as refused:
        to_term(param, raw)
    message = str(refused.value)
    assert message.startswith(f"parameter {param.name}: ")
    assert repr(raw) in message and param.allowed() in message


def test_allowed_says_the_choices() -> None:
    assert "one of: csv, json" in Param("f", "string", values=("csv", "json")).allowed()
    assert AREA in Param("a", "iri", scheme=AREA).allowed()
