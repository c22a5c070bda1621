"""Every quote in the data occurs verbatim in its source's local copy (design §5)."""

import re

import pytest

from munikg.release import Release

from .conftest import ROOT, rows


def folded(text: str) -> str:
    """The captures' line breaks and indents are layout: compare with whitespace folded."""
    return re.sub(r"\s+", " ", text).strip()


def quotes(release: Release) -> list[tuple[str | None, ...]]:
    return rows(
        release.store,
        """SELECT ?evidence ?quote ?copy WHERE {
             ?evidence prov:value ?quote ; prov:wasQuotedFrom/mk:localCopy ?copy }""",
    )


def test_there_are_quotes_from_both_seeds(release: Release) -> None:
    copies = {copy for _, _, copy in quotes(release)}
    assert copies == {
        "data/sources/000_96fc8c0c78671960.txt",
        "data/sources/001_8131c218d5c68057.txt",
    }


def test_every_quote_occurs_verbatim_in_its_source(release: Release) -> None:
    missing = []
    texts: dict[str, str] = {}
    for evidence, quote, copy in quotes(release):
        assert quote and copy
        text = texts.setdefault(copy, folded((ROOT / copy).read_text(encoding="utf-8")))
        if folded(quote) not in text:
            missing.append(f"{evidence}: {quote[:80]}")
    assert not missing, "quotes not found in their source:\n" + "\n".join(missing)


def test_every_local_copy_exists(release: Release) -> None:
    for (copy,) in rows(release.store, "SELECT DISTINCT ?c WHERE { ?s mk:localCopy ?c }"):
        assert copy and (ROOT / copy).is_file(), copy


@pytest.mark.parametrize(
    "quote",
    ["Sverige företräds av elva ledamöter i Regionkommittén", "närmare 300 servicekontor"],
)
def test_the_check_catches_a_quote_that_is_not_there(quote: str) -> None:
    text = folded((ROOT / "data/sources/000_96fc8c0c78671960.txt").read_text(encoding="utf-8"))
    assert folded(quote) not in text


# Document 001's six pages, each starting at its heading (read off the capture by hand).
PAGES_OF_001 = [
    ("Med demokrati som motståndskraft", "icld-demokrati-som-motstandskraft-2024-02-23"),
    (
        "Klimat och ungdomsdelaktighet i Karlskronas nya partnerskap",
        "icld-karlskrona-saldanha-bay-article",
    ),
    ("Karlskrona and Saldanha Bay, South Africa", "icld-karlskrona-saldanha-bay-partnership"),
    ("Karlskrona and Chortkiv, Ukraina", "icld-karlskrona-chortkiv-partnership"),
    ("The School Compass – Finalization", "icld-karlskrona-tshwane-school-compass"),
    ("Youth Policy (based on the LUPP Survey)", "icld-karlskrona-tshwane-lupp"),
]


def test_every_quote_of_document_001_cites_the_page_it_stands_on(release: Release) -> None:
    text = folded((ROOT / "data/sources/001_8131c218d5c68057.txt").read_text(encoding="utf-8"))
    starts = [(text.index(heading), slug) for heading, slug in PAGES_OF_001]
    assert starts == sorted(starts)
    cited = rows(
        release.store,
        """SELECT ?evidence ?quote ?page WHERE { ?evidence prov:value ?quote ;
             prov:wasQuotedFrom ?page . ?page mk:localCopy "data/sources/001_8131c218d5c68057.txt" }""",
    )
    assert len(cited) > 60
    wrong = []
    for evidence, quote, page in cited:
        assert evidence and quote and page
        at = text.index(folded(quote))  # the first page that has it (one quote is on two)
        stands_on = [slug for start, slug in starts if start <= at][-1]
        if page.rsplit("/", 1)[1] != stands_on:
            wrong.append(f"{evidence} cites {page}, stands on {stands_on}")
    assert not wrong, "\n".join(wrong)
    pages = {p.rsplit("/", 1)[1] for _, _, p in cited if p}
    assert pages == {slug for _, slug in PAGES_OF_001}
