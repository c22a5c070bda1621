"""The ontology documentation pages: one per language, clean of the other language,
concept schemes nested, every value escaped, well-formed."""

import re
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from munikg.artefacts import ontology_docs
from munikg.release import Release

VOID_ELEMENTS = {"meta", "br", "img", "link", "hr", "input"}


class TagBalance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID_ELEMENTS:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)


def labels(release: Release, lang: str) -> dict[str, str]:
    query = f"""SELECT ?t ?l WHERE {{ ?t a ?k ; <http://www.w3.org/2000/01/rdf-schema#label> ?l .
        VALUES ?k {{ <http://www.w3.org/2002/07/owl#Class> <http://www.w3.org/2002/07/owl#ObjectProperty>
                     <http://www.w3.org/2002/07/owl#DatatypeProperty> }}
        FILTER (LANG(?l) = "{lang}") }}"""
    return {row["t"].value: row["l"].value for row in release.store.query(query)}  # type: ignore[union-attr]


@pytest.mark.parametrize(("lang", "other"), [("sv", "en"), ("en", "sv")])
def test_each_page_is_in_one_language(release: Release, lang: str, other: str) -> None:
    page = (release.path / f"ontology.{lang}.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    headings = set(re.findall(r"<h3>([^<]*)</h3>", page))
    mine, theirs = labels(release, lang), labels(release, other)
    assert len(mine) >= 30
    assert set(mine.values()) <= headings
    assert not {theirs[t] for t in theirs if theirs[t] != mine.get(t)} & headings
    # the only element in the other language is the link to the other page
    assert page.count(f'lang="{other}"') == 1


def test_the_area_scheme_nests_water_supply_under_water(release: Release) -> None:
    page = (release.path / "ontology.sv.html").read_text(encoding="utf-8")
    water = page.index('<li id="water">')
    supply = page.index('<li id="water-supply">')
    management = page.index('<li id="water-management">')
    end_of_water = page.index('<li id="', management + 1)
    assert water < supply < management < end_of_water
    assert "<strong>Vattenförsörjning</strong>" in page and "<strong>Vatten</strong>" in page


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_pages_are_well_formed(release: Release, lang: str) -> None:
    checker = TagBalance()
    checker.feed((release.path / f"ontology.{lang}.html").read_text(encoding="utf-8"))
    assert checker.errors == [] and checker.stack == []


ONTOLOGY_GRAPH = ox.NamedNode("https://w3id.org/munikg/graph/ontology")


def test_values_are_escaped() -> None:
    store = ox.Store()
    term = ox.NamedNode("https://w3id.org/munikg/ontology#Evil")
    store.add(
        ox.Quad(
            term,
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode("http://www.w3.org/2002/07/owl#Class"),
            ONTOLOGY_GRAPH,
        )
    )
    store.add(
        ox.Quad(
            term,
            ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label"),
            ox.Literal('<script>alert("x")</script>', language="en"),
            ONTOLOGY_GRAPH,  # the pages read the ontology's graph, as a release has it
        )
    )
    page = ontology_docs.html_page(store, "en", "0")
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
