"""The canned queries the ICLD record makes answerable, on the full release. Expected answers
are read off the reference table (:mod:`tests.record_table`) and, for the seeds, off
document 001; never off a run."""

from collections import defaultdict
from typing import Any

import pytest

from munikg.api import KnowledgeGraph, LocalGraph
from munikg.query import canned
from munikg.release import Release

from . import record_table
from .conftest import ROOT
from .test_queries import run

REF = record_table.read()
SE = "municipality/se-"
# Document 001's partnerships that the record has no row for (its introduction says so):
# Växjö–Kalush (Ukraine) and Karlskrona–Tshwane (South Africa).
SEED_ONLY = {"vaxjo-kalush": ("0780", "UA"), "karlskrona-tshwane": ("1080", "ZA")}


@pytest.fixture(scope="module")
def kg(full_release: Release) -> KnowledgeGraph:
    return KnowledgeGraph(LocalGraph(full_release.store), canned.load(ROOT / "queries"))


def countries_by_municipality() -> dict[str, set[str]]:
    """Each Table 3 municipality's partner countries, from Table 4's rows, with the seeds'."""
    country_of_row: dict[str, set[str]] = defaultdict(set)
    for partner in REF.partners:
        for row in record_table.rows_of(partner):
            country_of_row[row].add(record_table.partner_country(partner))
    found: dict[str, set[str]] = defaultdict(set)
    for municipality in REF.municipalities:
        for row in record_table.rows_of(municipality):
            found[SE + record_table.kommunkod(municipality)] |= country_of_row[row]
    for code, country in SEED_ONLY.values():
        found[SE + code].add(country)
    return found


@pytest.mark.parametrize("least", [2, 3])
def test_municipalities_with_partners_in_several_countries(kg: KnowledgeGraph, least: int) -> None:
    answer = run(kg, "municipalities-in-several-countries", min=least)
    built: dict[str, set[str]] = defaultdict(set)
    for municipality, _, _, _, code in answer:
        if municipality.startswith(SE):  # the table counts a region once where the graph keeps two
            built[municipality].add(code)
    expected = {m: c for m, c in countries_by_municipality().items() if len(c) >= least}
    assert built == expected
    per: dict[tuple[str, int], set[str]] = defaultdict(set)
    for r in answer:
        per[(r[0], r[2])].add(r[4])
    assert all(count == len(codes) >= least for (_, count), codes in per.items())
    assert [r[2] for r in answer] == sorted((r[2] for r in answer), reverse=True)


def test_karlskronas_partners_over_time(kg: KnowledgeGraph) -> None:
    (karlskrona,) = [m for m in REF.municipalities if record_table.kommunkod(m) == "1080"]
    expected = {f"partnership/{r}" for r in record_table.rows_of(karlskrona)} | {
        "partnership/karlskrona-tshwane"
    }
    answer = run(kg, "partners-over-time")  # default: Karlskrona
    assert {r[3] for r in answer} == expected
    assert all(r[0] != SE + "1080" for r in answer)  # never its own partner


def test_partners_over_time_gives_the_years_the_pages_give(kg: KnowledgeGraph) -> None:
    # Table 1, horby-karasburg: "started 2009 with Sida support …; 2009–2015, ended [S025]"
    (horby,) = [m for m in REF.municipalities if "horby-karasburg" in record_table.rows_of(m)]
    answer = run(kg, "partners-over-time", municipality="se-" + record_table.kommunkod(horby))
    years = {r[3]: (r[4], r[5]) for r in answer}
    assert years["partnership/horby-karasburg"] == ("2009", "2015")
    # earliest first; a partnership no page dates comes last
    firsts = [r[4] for r in answer]
    dated = [f for f in firsts if f is not None]
    assert dated == sorted(dated) and firsts[: len(dated)] == dated


def test_partnerships_per_country_and_year(kg: KnowledgeGraph) -> None:
    counts = {(r[0], r[2]): r[3] for r in run(kg, "partnerships-per-country-and-year")}
    # Table 1: vaxjo-jb-marks and goteborg-nelson-mandela-bay are new in the round reported
    # 30 Jan 2018 (S005); no other South African row is dated 2018
    assert counts[("country/za", "2018")] == 2
    # Kenya 2017: vasterbotten-homa-bay (since 2017), umea-kajiado (began early 2017),
    # norrkoping-uasin-gishu (2017–2019)
    assert counts[("country/ke", "2017")] == 3
    assert ("country/se", "2018") not in counts


def test_grant_rounds_and_their_totals(kg: KnowledgeGraph) -> None:
    answer = run(kg, "grant-rounds")
    by_date = {r[2]: r for r in answer if r[2] is not None}
    # Table 1, arvika-mois-bridge: "round: over 16 MSEK for 18 projects", granted 3 June 2019
    june_2019 = by_date["2019-06-03"]
    assert (june_2019[5], june_2019[6], june_2019[7]) == (16000000, "more-than", 18)
    dates = [r[2] for r in answer if r[2] is not None]
    assert dates == sorted(dates)


def test_funding_per_municipality_by_year(kg: KnowledgeGraph) -> None:
    answer = {(r[0], r[2]): r[3:] for r in run(kg, "funding-per-municipality-by-year")}
    # Table 1, vasternorrland-mombasa: "300 000 for the 2019 broadening project [S106]"
    assert answer[("region/se-22", "2019")] == (1, 1, 300000)
    # hoor-kopychyntsi: "250 000 granted for the pre-study/analysis [S023]", no year given;
    # Höör's other row (hoor-luderitz) states no amount
    (hoor,) = [m for m in REF.municipalities if "hoor-kopychyntsi" in record_table.rows_of(m)]
    assert {r["id"] for r in REF.partnerships if r["id"] in record_table.rows_of(hoor)} == {
        "hoor-kopychyntsi",
        "hoor-luderitz",
    }
    _, with_amount, total = answer[(SE + record_table.kommunkod(hoor), None)]
    assert (with_amount, total) == (1, 250000)


def test_networks_and_their_members(kg: KnowledgeGraph) -> None:
    answer = run(kg, "network-members")
    resilience = {r[5] for r in answer if r[0] == "network/icld-democratic-resilience"}
    # every Table 1 row whose programme cell names the network, and document 001's six
    stated = {
        f"partnership/{r['id']}"
        for r in REF.partnerships
        if "network for democratic resilience" in r["programme or network"]
    }
    assert stated <= resilience
    assert "partnership/vaxjo-kalush" in resilience
    members = {r[2] for r in answer if r[0] == "network/icld-democratic-resilience"}
    assert SE + "1080" in members and "municipality/ua-61060430000094264" in members  # Chortkiv


def test_stated_aims_are_quoted(kg: KnowledgeGraph) -> None:
    answer: list[tuple[Any, ...]] = run(kg, "stated-aims")
    subjects = {r[0] for r in answer}
    # issue 19's list, read off documents 000 and 001
    assert subjects == {
        "partnership/umea-kherson",
        "partnership/lidingo-slavuta",
        "partnership/vaxjo-kalush",
        "partnership/karlskrona-chortkiv",
        "partnership/karlskrona-saldanha-bay",
        "organisation/cor-ukraine-working-group",
        "project/dsp",
    }
    umea = [r for r in answer if r[0] == "partnership/umea-kherson"]
    assert len(umea) == 2 and all("jämställd" in r[4] for r in umea)
    assert all(r[5].startswith("source/") for r in answer)
