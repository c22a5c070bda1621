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
