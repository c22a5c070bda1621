"""Binding canned-query parameters: the bound query must ask what the query with the value
written in by hand asks — whatever the value holds, wherever the variable appears.

Each case runs on a small store whose answers are read off its four triples."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from munikg.errors import BadInput
from munikg.query.binding import Template

E = "http://e/"
TRICKY = 'x" } ; INSERT DATA { <http://e/a> <http://e/p> "y" } #'


@pytest.fixture(scope="module")
def store() -> ox.Store:
    store = ox.Store()
    a, b, p, q = (ox.NamedNode(E + n) for n in ("a", "b", "p", "q"))
    for s, pr, o in [
        (a, p, ox.Literal("water")),
        (b, p, ox.Literal("schools")),
        (b, p, ox.Literal(TRICKY)),
        (a, q, ox.Literal("2", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer"))),
    ]:
        store.add(ox.Quad(s, pr, o))
    return store


def bind(text: str, terms: dict[str, ox.NamedNode | ox.Literal]) -> str:
    return Template.of(text, frozenset(terms)).fill(terms)


def subjects(store: ox.Store, text: str) -> list[str]:
    solutions = store.query(text)
    assert isinstance(solutions, ox.QuerySolutions)
    return sorted(str(row[0].value) for row in solutions if row[0] is not None)


def test_a_value_is_one_term_whatever_it_holds(store: ox.Store) -> None:
    text = "SELECT ?s WHERE { ?s <http://e/p> ?o }"
    bound = bind(text, {"o": ox.Literal(TRICKY)})
    assert subjects(store, bound) == [E + "b"]
    assert len(store) == 4  # and nothing was written


def test_a_projected_parameter_is_bound_where_it_is_projected(store: ox.Store) -> None:
    bound = bind("SELECT ?o ?s WHERE { ?s <http://e/p> ?o }", {"o": ox.Literal("water")})
    solutions = store.query(bound)
    assert isinstance(solutions, ox.QuerySolutions)
    rows = [(row["o"], row["s"]) for row in solutions]
    assert rows == [(ox.Literal("water"), ox.NamedNode(E + "a"))]


def test_the_variable_in_a_string_an_iri_or_a_comment_is_left_alone(store: ox.Store) -> None:
    text = (
        "SELECT ?s WHERE {\n"
        "  # ?o in a comment\n"
        '  ?s <http://e/p> ?o FILTER(?o != "?o" && STR(<http://e/?o>) != "")\n'
        "}"
    )
    bound = bind(text, {"o": ox.Literal("schools")})
    assert "# ?o in a comment" in bound and '"?o"' in bound and "<http://e/?o>" in bound
    assert subjects(store, bound) == [E + "b"]


def test_a_longer_variable_sharing_the_name_is_not_bound(store: ox.Store) -> None:
    text = "SELECT ?s ?oLabel WHERE { ?s <http://e/p> ?o BIND(STR(?o) AS ?oLabel) }"
    bound = bind(text, {"o": ox.Literal("water")})
    solutions = store.query(bound)
    assert isinstance(solutions, ox.QuerySolutions)
    assert [(row["s"], row["oLabel"]) for row in solutions] == [
        (ox.NamedNode(E + "a"), ox.Literal("water"))
    ]


def test_dollar_variables_are_the_same_variables(store: ox.Store) -> None:
    bound = bind("SELECT ?s WHERE { ?s <http://e/q> $n }", {"n": ox.Literal(2)})
    assert subjects(store, bound) == [E + "a"]


def test_an_iri_parameter(store: ox.Store) -> None:
    bound = bind("SELECT ?o WHERE { ?s <http://e/p> ?o }", {"s": ox.NamedNode(E + "a")})
    solutions = store.query(bound)
    assert isinstance(solutions, ox.QuerySolutions)
    assert [row["o"] for row in solutions] == [ox.Literal("water")]


def test_no_terms_leaves_the_text_as_it_is() -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o }"
    assert bind(text, {}) == text


def test_a_query_without_the_word_where_is_bound_too(store: ox.Store) -> None:
    assert subjects(store, bind("SELECT ?s { ?s <http://e/p> ?o }", {"o": ox.Literal("x")})) == []
    water = bind("SELECT ?s { ?s <http://e/p> ?o }", {"o": ox.Literal("water")})
    assert subjects(store, water) == [E + "a"]


def test_a_parameter_projected_by_a_sub_select(store: ox.Store) -> None:
    text = "SELECT ?s WHERE { { SELECT ?s ?o WHERE { ?s <http://e/p> ?o } } }"
    assert subjects(store, bind(text, {"o": ox.Literal("water")})) == [E + "a"]


def test_a_parameter_in_having(store: ox.Store) -> None:
    text = "SELECT ?s WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > ?min)"  # a and b have two triples each
    assert subjects(store, bind(text, {"min": ox.Literal(1)})) == [E + "a", E + "b"]


def test_a_parameter_as_a_bind_target_is_refused_not_broken() -> None:
    # a variable a query assigns cannot also be given: saying so beats a syntax error later
    text = 'SELECT ?s WHERE { ?s <http://e/p> ?v BIND("water" AS ?o) FILTER(?v = ?o) }'
    with pytest.raises(BadInput, match=r"parameter \?o is assigned here"):
        bind(text, {"o": ox.Literal("water")})


# Each position kind, beside the query written by hand with the value in place: the bound text
# must parse and answer exactly as the hand-written one does (and as read off the store).
POSITIONS = [
    (  # FILTER
        "SELECT ?s WHERE { ?s <http://e/p> ?v FILTER(?v = ?o) }",
        'SELECT ?s WHERE { ?s <http://e/p> ?v FILTER(?v = "water") }',
        [E + "a"],
    ),
    (  # BIND expression
        'SELECT ?s WHERE { ?s <http://e/p> ?v BIND(CONCAT(?v, ?o) AS ?w) FILTER(?w = "water!") }',
        'SELECT ?s WHERE { ?s <http://e/p> ?v BIND(CONCAT(?v, "!") AS ?w) FILTER(?w = "water!") }',
        [E + "a"],
    ),
    (  # OPTIONAL, with a filter inside it
        "SELECT ?s WHERE { ?s <http://e/q> ?n OPTIONAL { ?s <http://e/p> ?v FILTER(?v = ?o) } "
        "FILTER(BOUND(?v)) }",
        'SELECT ?s WHERE { ?s <http://e/q> ?n OPTIONAL { ?s <http://e/p> ?v FILTER(?v = "water") } '
        "FILTER(BOUND(?v)) }",
        [E + "a"],
    ),
    (  # both branches of a UNION
        "SELECT ?s WHERE { { ?s <http://e/p> ?o } UNION { ?s <http://e/q> ?o } }",
        'SELECT ?s WHERE { { ?s <http://e/p> "water" } UNION { ?s <http://e/q> "water" } }',
        [E + "a"],
    ),
    (  # inside a VALUES block's neighbourhood: the VALUES variable is another one
        'SELECT ?s WHERE { VALUES ?v { "water" "schools" } ?s <http://e/p> ?v FILTER(?v != ?o) }',
        'SELECT ?s WHERE { VALUES ?v { "water" "schools" } ?s <http://e/p> ?v '
        'FILTER(?v != "water") }',
        [E + "b"],
    ),
    (  # a sub-select that projects it, and the outer query that uses it
        "SELECT ?s ?o WHERE { { SELECT ?s ?o WHERE { ?s <http://e/p> ?o } } }",
        'SELECT ?s ("water" AS ?o) WHERE { { SELECT ?s WHERE { ?s <http://e/p> "water" } } }',
        [E + "a"],
    ),
    (  # ORDER BY and GROUP BY take it as a bracketed expression
        "SELECT ?s WHERE { ?s <http://e/p> ?v } GROUP BY ?s ?o ORDER BY ?o ?s",
        'SELECT ?s WHERE { ?s <http://e/p> ?v } GROUP BY ?s ("water") ORDER BY ("water") ?s',
        [E + "a", E + "b"],
    ),
]


@pytest.mark.parametrize(("template", "by_hand", "expected"), POSITIONS)
def test_every_position_binds_as_written_by_hand(
    store: ox.Store, template: str, by_hand: str, expected: list[str]
) -> None:
    value = ox.Literal("!") if "CONCAT" in template else ox.Literal("water")
    bound = bind(template, {"o": value})
    assert subjects(store, bound) == subjects(store, by_hand) == expected


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("SELECT ?s WHERE { VALUES ?o { 1 2 } ?s ?p ?o }", "is a VALUES variable"),
        ("SELECT ?s WHERE { ?s ?p ?x\n FILTER(BOUND(?o)) }", "is asked about by BOUND"),
        ("SELECT (COUNT(*) AS ?o) WHERE { ?s ?p ?x }", "is assigned here"),
        ("SELECT ?s WHERE { ?s ?p ?x } GROUP BY (STR(?x) AS ?o)", "is assigned here"),
    ],
)
def test_positions_no_value_can_take_are_refused(text: str, why: str) -> None:
    with pytest.raises(BadInput, match=why):
        bind(text, {"o": ox.Literal("x")})


def test_a_refusal_names_the_file_and_line(tmp_path: Path) -> None:
    text = "SELECT ?s WHERE {\n  ?s ?p ?x\n  BIND(1 AS ?o)\n}"
    with pytest.raises(BadInput) as refused:
        Template.of(text, frozenset({"o"}), tmp_path / "q.rq")
    assert str(refused.value).startswith(f"{tmp_path / 'q.rq'}:3:")
