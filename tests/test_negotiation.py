"""Content and language negotiation (RFC 9110 §12.5.1 Accept, §12.5.4 Accept-Language), one
rule per test: the expected choice is the one the RFC's rules give, worked out by hand."""

import pytest

from munikg.serve.negotiation import (
    CSV,
    GRAPH_TYPES,
    HTML,
    JSONLD,
    NTRIPLES,
    RDFXML,
    SELECT_TYPES,
    SPARQL_JSON,
    SPARQL_XML,
    TSV,
    TURTLE,
    choose,
    language,
)


@pytest.mark.parametrize("accept", [None, "", "   "])
def test_no_accept_means_anything_and_the_first_offer_is_sent(accept: str | None) -> None:
    assert choose(accept, [TURTLE, HTML]) == TURTLE


def test_the_highest_q_wins_wherever_it_stands() -> None:
    assert choose("text/csv;q=0.5, application/sparql-results+json", SELECT_TYPES) == SPARQL_JSON
    assert choose("application/sparql-results+json;q=0.4, text/csv;q=0.9", SELECT_TYPES) == CSV


def test_equal_q_goes_to_the_servers_earlier_offer() -> None:
    # both at q=1: the header's order does not matter, the offers' order does
    assert choose("text/csv, application/sparql-results+xml", SELECT_TYPES) == SPARQL_XML
    assert choose("*/*", GRAPH_TYPES) == TURTLE


def test_a_more_specific_range_overrides_a_wider_one() -> None:
    # text/csv's own q (0.1) applies to it, not text/*'s
    assert choose("text/*, text/csv;q=0.1", [CSV, TSV]) == TSV
    assert choose("text/*;q=0.2, text/tab-separated-values", [CSV, TSV]) == TSV


def test_q_zero_means_not_acceptable() -> None:
    assert choose("text/html;q=0, */*", [HTML, TURTLE]) == TURTLE
    assert choose("text/turtle;q=0", [TURTLE]) is None
    assert choose("*/*;q=0", SELECT_TYPES) is None


def test_nothing_acceptable_is_none() -> None:
    assert choose("image/png", SELECT_TYPES) is None
    assert choose("text/turtle", SELECT_TYPES) is None


def test_media_types_are_case_insensitive_and_parameters_other_than_q_are_kept_apart() -> None:
    assert choose("TEXT/CSV", SELECT_TYPES) == CSV
    assert choose("text/turtle;charset=utf-8", GRAPH_TYPES) == TURTLE
    assert choose("application/ld+json ; q=0.9 , application/rdf+xml;q=0.8", GRAPH_TYPES) == JSONLD


def test_a_browsers_accept_gets_html() -> None:
    firefox = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    assert choose(firefox, [TURTLE, NTRIPLES, HTML]) == HTML


def test_older_names_of_the_same_formats_are_understood() -> None:
    assert choose("application/json", SELECT_TYPES) == SPARQL_JSON
    assert choose("application/x-turtle", GRAPH_TYPES) == TURTLE
    assert choose("application/rdf+xml", GRAPH_TYPES) == RDFXML


def test_an_unparseable_q_does_not_make_a_range_preferred() -> None:
    assert choose("text/csv;q=high, text/tab-separated-values;q=0.5", SELECT_TYPES) == TSV


@pytest.mark.parametrize(
    ("header", "chosen"),
    [
        (None, "en"),
        ("", "en"),
        ("sv", "sv"),
        ("sv-SE,sv;q=0.9,en;q=0.8", "sv"),
        ("SV-se", "sv"),
        ("en;q=0.5, sv;q=0.9", "sv"),
        ("de, fr;q=0.9, sv;q=0.5", "sv"),  # the first language munikg has, by weight
        ("sv;q=0, en", "en"),
        ("de, fr", "en"),  # none of ours: English
        ("en-GB, sv", "en"),
    ],
)
def test_the_language_is_the_readers_best_of_ours(header: str | None, chosen: str) -> None:
    assert language(header) == chosen
