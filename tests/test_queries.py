"""Every canned query, run on the built release, against exact expected rows.

Expected rows are written from the source documents (000: SKR, 001: ICLD) and the reference
file, not from running the queries. IRIs are shown without the ``https://w3id.org/munikg/id/``
base; numbers as Python numbers.
"""

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from munikg.api import KnowledgeGraph
from munikg.query import canned
from munikg.query.backends import LocalGraph
from munikg.query.params import ParameterError
from munikg.release import Release

from .conftest import NETWORK_PARTNERSHIPS, ROOT

ID = "https://w3id.org/munikg/id/"
MK = "https://w3id.org/munikg/ontology#"
WD = "http://www.wikidata.org/entity/"
SDG = "http://metadata.un.org/sdg/"


@pytest.fixture(scope="module")
def kg(release: Release) -> KnowledgeGraph:
    return KnowledgeGraph(LocalGraph(release.store), canned.load(ROOT / "queries"))


def slim(value: Any) -> Any:
    if isinstance(value, str):
        for base, short in ((ID, ""), (MK, "mk:"), (WD, "wd:"), (SDG, "sdg:")):
            if value.startswith(base):
                return short + value[len(base) :]
    if isinstance(value, Decimal):
        return int(value) if value == int(value) else float(value)
    return value


def run(kg: KnowledgeGraph, name: str, **params: object) -> list[tuple[Any, ...]]:
    result = kg.query(name, **params)
    return [tuple(slim(row[v]) for v in result.variables) for row in result.values()]


def test_water_partnerships_with_ukraine_default(kg: KnowledgeGraph) -> None:
    # 001: Falun–Kolomyia focus "vattenförsörjning"; Ronneby–Ternopil "vattenhantering".
    assert run(kg, "partnerships-by-area") == [
        (
            "municipality/se-2080",
            "Falun Municipality",
            "municipality/ua-26080070000092582",
            "Kolomyia",
            "partnership/falun-kolomyia",
            "concept/area/water-supply",
            "Water supply",
        ),
        (
            "municipality/se-1081",
            "Ronneby Municipality",
            "municipality/ua-61040490000035010",
            "Ternopil",
            "partnership/ronneby-ternopil",
            "concept/area/water-management",
            "Water management",
        ),
    ]


def test_education_partnerships_in_swedish_and_other_countries(kg: KnowledgeGraph) -> None:
    # 001: "Samarbetsområde: Utbildning" for Karlskrona–Chortkiv and Lidingö–Slavuta;
    # "Area of Cooperation: Transformative education" for Karlskrona–Chortkiv.
    rows = run(kg, "partnerships-by-area", area="education", lang="sv")
    assert [(r[1], r[3], r[5], r[6]) for r in rows] == [
        ("Karlskrona kommun", "Chortkiv", "concept/area/education", "Utbildning"),
        (
            "Karlskrona kommun",
            "Chortkiv",
            "concept/area/transformative-education",
            "Transformativ utbildning",
        ),
        ("Lidingö stad", "Slavuta", "concept/area/education", "Utbildning"),
    ]
    # 001: Karlskrona–Saldanha Bay is about environment/climate, not education.
    assert run(kg, "partnerships-by-area", area="education", country="ZA") == []
    rows = run(kg, "partnerships-by-area", area="environment-and-climate-change", country="ZA")
    assert [(r[0], r[2]) for r in rows] == [("municipality/se-1080", "municipality/za-wc014")]


def test_partnerships_by_country(kg: KnowledgeGraph) -> None:
    rows = run(kg, "partnerships-by-country")
    assert [(r[1], r[4]) for r in rows] == [
        (label, "network/icld-democratic-resilience")
        for label in (
            "Falun–Kolomyia",
            "Karlskrona–Chortkiv",
            "Lidingö–Slavuta",
            "Ronneby–Ternopil",
            "Umeå–Kherson",
            "Växjö–Kalush",
        )
    ]
    assert run(kg, "partnerships-by-country", country="za") == [
        (
            "partnership/karlskrona-saldanha-bay",
            "Karlskrona–Saldanha Bay",
            "municipality/se-1080",
            "municipality/za-wc014",
            "network/icld-climate",
        ),
        (
            "partnership/karlskrona-tshwane",
            "Karlskrona–Tshwane",
            "municipality/se-1080",
            "organisation/za-tsh-district-south",
            None,
        ),
    ]


def test_partnerships_by_sdg(kg: KnowledgeGraph) -> None:
    # 001: goal 16 on a partnership's own page: Karlskrona–Chortkiv's only (the network
    # article's tags are the article's)
    assert [r[1] for r in run(kg, "partnerships-by-sdg")] == ["Karlskrona–Chortkiv"]
    assert run(kg, "partnerships-by-sdg", goal=13) == [
        ("partnership/karlskrona-saldanha-bay", "Karlskrona–Saldanha Bay", "sdg:13")
    ]
    assert run(kg, "partnerships-by-sdg", goal="4", lang="sv") == [
        ("partnership/karlskrona-chortkiv", "Karlskrona–Chortkiv", "sdg:4")
    ]


def test_partnerships_by_programme(kg: KnowledgeGraph) -> None:
    assert len(run(kg, "partnerships-by-programme")) == 6
    assert run(kg, "partnerships-by-programme", programme="icld-climate") == [
        ("partnership/karlskrona-saldanha-bay", "Karlskrona–Saldanha Bay")
    ]
    with pytest.raises(ParameterError, match=r"parameter programme: <.*organisation/skr> is not"):
        kg.query("partnerships-by-programme", programme=ID + "organisation/skr")


def test_partners_of_municipality(kg: KnowledgeGraph) -> None:
    assert run(kg, "partners-of-municipality") == [
        (
            "municipality/ua-61060430000094264",
            "Chortkiv",
            "country/ua",
            "partnership/karlskrona-chortkiv",
        ),
        (
            "municipality/za-wc014",
            "Saldanha Bay Local Municipality",
            "country/za",
            "partnership/karlskrona-saldanha-bay",
        ),
        (
            "organisation/za-tsh-district-south",
            "Tshwane Municipality District South",
            "country/za",
            "partnership/karlskrona-tshwane",
        ),
    ]
    assert run(kg, "partners-of-municipality", municipality="se-2080", lang="sv") == [
        (
            "municipality/ua-26080070000092582",
            "Kolomyia",
            "country/ua",
            "partnership/falun-kolomyia",
        )
    ]


def test_sdgs_of_partnership(kg: KnowledgeGraph) -> None:
    rows = run(kg, "sdgs-of-partnership")
    assert [(r[1], r[2].split(".")[0]) for r in rows] == [("4", "Goal 4"), ("16", "Goal 16")]
    assert run(kg, "sdgs-of-partnership", lang="sv") == [
        ("sdg:4", "4", "God utbildning för alla"),
        ("sdg:16", "16", "Fredliga och inkluderande samhällen"),
    ]
    assert run(kg, "sdgs-of-partnership", partnership="karlskrona-saldanha-bay", lang="sv") == [
        ("sdg:13", "13", "Bekämpa klimatförändringarna")
    ]


def test_projects_with_funding(kg: KnowledgeGraph) -> None:
    rows = run(kg, "projects-with-funding")
    simplified = [
        (r[0], r[2], sorted(slim(i) for i in r[3].split()), r[4], r[5], r[6], r[7]) for r in rows
    ]
    salar, avfall, skr = (
        "organisation/salar-international",
        "organisation/avfall-sverige",
        "organisation/skr",
    )
    sida = "organisation/sida"
    assert simplified == [
        ("project/dsp", sida, [salar], None, None, None, None),
        ("project/dsp-1", sida, [salar, skr], 62979743, "SEK", "2014", "2020"),
        ("project/dsp-2", sida, [salar], 87845726, "SEK", "2019", "2024"),
        ("project/msw-pre-study", sida, [avfall, salar], None, None, "2023-09", "2024-03"),
        ("project/polaris", sida, [salar], 250000000, "SEK", "2024-06", "2028-05"),
        ("project/prosto", sida, [salar], None, None, "2021-07", "2024-05"),
        (
            "project/wm4u",
            sida,
            [avfall, skr],
            None,
            None,
            "2024",
            "2027",
        ),  # "Avfall Sverige and SALAR"
    ]


def test_funding_totals_by_funder(kg: KnowledgeGraph) -> None:
    # Sida: 250 MSEK 2014–2024 programme total (000) + PROSTO, DSP, MSW (000) + DSP 1, DSP II,
    # WM4U, Polaris, ICLD core support (reference) = 9 fundings, 4 with amounts; project
    # amounts 62 979 743 + 87 845 726 + 250 000 000. ICLD: the six network grants, no amounts.
    assert run(kg, "funding-totals-by-funder") == [
        ("organisation/icld", 6, 0, 0),
        ("organisation/sida", 9, 4, 400825469),
    ]


def test_funded_by(kg: KnowledgeGraph) -> None:
    salar = "organisation/salar-international"
    assert run(kg, "funded-by") == [
        ("organisation/icld", "organisation/icld", None, None, None, "2026-12-31"),
        # 000: the money went "via SALAR International"; the reference names no recipient
        # for DSP 1, DSP II, WM4U or Polaris
        ("programme/salar-international-ukraine", salar, 250000000, "SEK", "2014", "2024"),
        ("project/dsp", salar, None, None, None, None),
        ("project/dsp-1", None, 62979743, "SEK", "2014", "2020"),
        ("project/dsp-2", None, 87845726, "SEK", "2019", "2024"),
        ("project/msw-pre-study", salar, None, None, None, None),
        ("project/polaris", None, 250000000, "SEK", "2024-06", "2028-05"),
        ("project/prosto", salar, None, None, None, None),
        ("project/wm4u", None, None, None, None, None),
    ]
    assert [r[0] for r in run(kg, "funded-by", funder="icld")] == [
        f"partnership/{p}" for p in NETWORK_PARTNERSHIPS
    ]


def test_organisation_relations(kg: KnowledgeGraph) -> None:
    assert run(kg, "organisation-relations") == [
        ("member of", "organisation/clrae"),
        ("member of", "organisation/cor"),
        ("parent of", "organisation/salar-international"),
    ]
    assert run(kg, "organisation-relations", organisation="salar-international") == [
        ("member of", "network/cor-alliance-ukraine"),
        ("runs", "network/united4ukraine"),
        ("runs", "programme/salar-international-ukraine"),
        ("subsidiary of", "organisation/skr"),
    ]


def test_memberships(kg: KnowledgeGraph) -> None:
    assert run(kg, "memberships") == [
        (
            "organisation/salar-international",
            "network/cor-alliance-ukraine",
            "concept/role/participant",
            "participant",
        ),
        ("organisation/skr", "organisation/clrae", "concept/role/member", "member"),
        ("organisation/skr", "organisation/cor", "concept/role/member", "member"),
    ]


def test_contacts(kg: KnowledgeGraph) -> None:
    assert run(kg, "contacts", lang="sv") == [
        ("Emelie Marcus", "source/skr-ukraine-2024", "informationsansvarig"),
        ("Håkan Eriksson", "municipality/se-1080", "ledamot i kommunfullmäktige"),
        ("Håkan Eriksson", "partnership/karlskrona-saldanha-bay", "deltagare"),
        ("Johan Lilja", "organisation/icld", "generalsekreterare"),
    ]
    assert [r[2] for r in run(kg, "contacts")][-1] == "secretary-general"


def test_project_results(kg: KnowledgeGraph) -> None:
    rows = run(kg, "project-results")
    assert [(r[0], r[1], r[2], r[4].rsplit("/", 1)[1]) for r in rows] == [
        (162, "exact", "municipalities", "reference"),
        (1055, "exact", "service centres", "reference"),
        (1318, "exact", "service centres", "reference"),
        (2500, "approximately", "staff", "reference"),
        (3000000, "approximately", "inhabitants", "reference"),
        (150, "more-than", "municipalities", "skr-ukraine-2024"),
        (200, "nearly", "service offices", "skr-ukraine-2024"),
        (2700000, "more-than", "people", "skr-ukraine-2024"),
    ]
    # DSP II's page gives the reform's 1 476 hromadas and 136 raions: figures stated on it,
    # not results of the project
    assert run(kg, "project-results", project="dsp-2") == []


def test_evidence_for_entity(kg: KnowledgeGraph) -> None:
    with pytest.raises(ParameterError, match="parameter entity is required"):
        kg.query("evidence-for-entity")
    assert run(
        kg, "evidence-for-entity", entity=ID + "amount/sida-salar-international-ukraine-2014-2024"
    ) == [
        (
            "http://schema.org/value",
            250000000,
            "Via SALAR International har totalt 250 miljoner kronor gått till projekt i Ukraina under perioden 2014-2024.",
            None,
            "source/skr-ukraine-2024",
        ),
    ]
    assert run(kg, "evidence-for-entity", entity=ID + "membership/johan-lilja-icld") == [
        (
            "http://www.w3.org/ns/org#role",
            "concept/role/secretary-general",
            "säger Johan Lilja, generalsekreterare ICLD.",
            None,
            "source/icld-demokrati-som-motstandskraft-2024-02-23",  # the network article
        ),
    ]


def test_identifiers_of_entity(kg: KnowledgeGraph) -> None:
    assert run(kg, "identifiers-of-entity") == [
        ("http://schema.org/areaServed", "wd:Q26509", "C"),
        ("mk:kommunkod", "2080", "A"),
        ("mk:organisationsnummer", "212000-2221", "A"),
    ]
    assert run(kg, "identifiers-of-entity", entity=ID + "country/ua") == [
        ("mk:geonamesId", "690791", "B"),
        ("mk:isoAlpha2", "UA", "A"),
        ("mk:isoAlpha3", "UKR", "A"),
        ("mk:wikidata", "wd:Q212", "A"),
    ]


def test_projects_timeline(kg: KnowledgeGraph) -> None:
    assert [
        (r[0], r[2], r[3] or (r[4] and f"planned {r[4]}")) for r in run(kg, "projects-timeline")
    ] == [
        ("project/dsp-1", "2014-09", "planned 2019-12"),
        ("project/dsp-2", "2019", "2024"),
        ("project/prosto", "2021-07", "2024-05"),
        ("project/clrae-multilevel-governance-ukraine", "2023-01", None),
        ("project/msw-pre-study", "2023-09", "2024-03"),
        ("project/wm4u", "2024", "2027"),
        ("project/polaris", "2024-06", "2028-05"),
    ]


def test_projects_in_period(kg: KnowledgeGraph) -> None:
    assert [r[0] for r in run(kg, "projects-in-period")] == [
        "project/dsp-2",
        "project/prosto",
        "project/clrae-multilevel-governance-ukraine",
        "project/msw-pre-study",
        "project/wm4u",
        "project/polaris",
    ]
    assert run(kg, "projects-in-period", **{"from": 2014, "to": 2016}) == [
        ("project/dsp-1", "2014-09", None, "2019-12")  # its planned end
    ]
    with pytest.raises(ParameterError, match="parameter to: '24' is not a year YYYY"):
        kg.query("projects-in-period", to="24")


def test_projects_of_partnership(kg: KnowledgeGraph) -> None:
    assert run(kg, "projects-of-partnership") == [
        (
            "project/karlskrona-tshwane-school-compass",
            "The School Compass – Finalization of a municipal comparison",
            "concept/area/inclusive-leadership-and-governance",
        ),
        (
            "project/karlskrona-tshwane-youth-policy",
            "Youth Policy (based on the LUPP Survey)",
            "concept/area/social-care-and-wellbeing",
        ),
    ]
    assert [
        r[0] for r in run(kg, "projects-of-partnership", partnership="karlskrona-saldanha-bay")
    ] == ["project/karlskrona-saldanha-bay-inception-phase"]


def test_swedish_municipality_codes(kg: KnowledgeGraph) -> None:
    # Reference §2a.
    assert [r[2:] for r in run(kg, "swedish-municipality-codes")] == [
        ("0186", "212000-0191", "01"),
        ("0780", "212000-0662", "07"),
        ("1080", "212000-0829", "10"),
        ("1081", "212000-0837", "10"),
        ("2080", "212000-2221", "20"),
        ("2480", "212000-2627", "24"),
    ]


def test_ukrainian_partner_communities(kg: KnowledgeGraph) -> None:
    # Reference §3.
    assert [r[1:] for r in run(kg, "ukrainian-partner-communities")] == [
        ("Kalush", "Калуш", "UA26060170000091466", "UA26000000000069363", "wd:Q146453"),
        ("Kolomyia", "Коломия", "UA26080070000092582", "UA26000000000069363", "wd:Q52193"),
        ("Ternopil", "Тернопіль", "UA61040490000035010", "UA61000000000060328", "wd:Q156743"),
        ("Chortkiv", "Чортків", "UA61060430000094264", "UA61000000000060328", "wd:Q148473"),
        ("Kherson", "Херсон", "UA65100150000057191", "UA65000000000030969", "wd:Q156732"),
        ("Slavuta", "Славута", "UA68060270000042174", "UA68000000000099709", "wd:Q856018"),
    ]


def test_cooperation_areas(kg: KnowledgeGraph) -> None:
    # Partnerships and projects naming each area or a narrower one (001, 000, reference):
    # water: Falun–Kolomyia (supply), Ronneby–Ternopil (management); waste: Falun–Kolomyia,
    # the MSW pre-study, WM4U; education: Karlskrona–Chortkiv, Lidingö–Slavuta, DSP's and the
    # School Compass's focus; decentralisation: DSP, CLRAE's project, Polaris; …
    uses = {r[0].rsplit("/", 1)[1]: (r[2], r[3]) for r in run(kg, "cooperation-areas")}
    broader = "concept/area/technical-services-and-infrastructure"
    assert uses == {
        "technical-services-and-infrastructure": (None, 4),
        "water": (broader, 2),
        "water-supply": ("concept/area/water", 1),
        "water-management": ("concept/area/water", 1),
        "waste-management": (broader, 3),
        "education": (None, 4),
        "transformative-education": ("concept/area/education", 1),
        "urban-planning": (None, 1),
        "inclusive-leadership-and-governance": (None, 2),
        "environment-and-climate-change": (None, 2),
        "social-care-and-wellbeing": (None, 1),
        "decentralisation-and-local-democracy": (None, 3),
        "public-service-accessibility": (None, 1),
        "crisis-preparedness": (None, 2),
    }


def test_sources(kg: KnowledgeGraph) -> None:
    rows = run(kg, "sources")
    # the three documents, the record's table and its 121 pages and two code files, and five
    # pages of document 001 besides the network article (which is the record's S041)
    assert len(rows) == 3 + 1 + 121 + 2 + 5
    documents = [
        "source/icld-partnerships",
        "source/reference-identifiers",
        "source/skr-ukraine-2024",
    ]
    rows = [r for r in rows if r[0] in documents]
    assert [r[:5] for r in rows] == [
        (
            "source/icld-partnerships",
            "ICLD: partnerskap med Ukraina och Karlskronas partnerskap",
            None,
            "https://icld.se/?partner_country=ukraine",
            "data/sources/001_8131c218d5c68057.txt",
        ),
        (
            "source/reference-identifiers",
            "Reference identifiers and facts for munikg",
            None,
            None,
            "data/sources/reference-identifiers.md",
        ),
        (
            "source/skr-ukraine-2024",
            "SKR:s arbete med Ukraina",
            "2024-02-27",
            "https://webbutik.skr.se/skr/demokratiledningstyrning/euinternationellt/internationellasamarbeten/skrsarbetemedukraina.79396.html",
            "data/sources/000_96fc8c0c78671960.txt",
        ),
    ]
    assert all(r[5] > 10 for r in rows)  # each document carries many facts


def test_overview(kg: KnowledgeGraph) -> None:
    counts = dict(run(kg, "overview"))
    # 001: 8 partnerships; 6 Swedish + 6 Ukrainian + 2 South African municipalities;
    # 3 people (Lilja, Eriksson, Marcus); networks: democratic resilience, climate, the CoR
    # alliance, United4Ukraine; programmes: ICLD's and SALAR International's; 4 goals.
    assert {
        k: counts[k]
        for k in (
            "mk:Partnership",
            "mk:Municipality",
            "mk:Network",
            "mk:Programme",
            "mk:Country",
            "mk:Source",
        )
    } == {
        "mk:Partnership": 8,
        "mk:Municipality": 14,
        "mk:Network": 4,
        "mk:Programme": 2,
        "mk:Country": 3,
        "mk:Source": 3 + 1 + 121 + 2 + 5,  # as in test_sources
    }
    assert counts["http://schema.org/Person"] == 3
    assert counts["sdg:ontology#Goal"] == 4


def test_search_by_label_ranks_the_name_itself_first(kg: KnowledgeGraph) -> None:
    # The hromada is labelled "Kolomyia" (rank 0); the partnership "Falun–Kolomyia" and
    # ICLD's grant to it hold the name (rank 2); a row for each class of an entity.
    rows = run(kg, "search-by-label")
    first = [r for r in rows if r[2] == 0]
    assert rows[: len(first)] == first
    assert ("municipality/ua-26080070000092582", "mk:Municipality", 0) in first
    assert {r[0] for r in first} == {"municipality/ua-26080070000092582"}
    assert {"funding/icld-falun-kolomyia", "partnership/falun-kolomyia"} <= {
        entity for entity, _cls, rank in rows[len(first) :] if rank == 2
    }
    # The hromada (Херсон, rank 0) and its oblast (Херсонська область, rank 1).
    found = sorted({(r[0], r[2]) for r in run(kg, "search-by-label", text="херсон")})
    assert found == [("municipality/ua-65100150000057191", 0), ("place/ua-65000000000030969", 1)]


def test_search_by_label_ignores_case_and_diacritics(kg: KnowledgeGraph) -> None:
    # Växjö kommun (document 001's Växjö–Kalush): written without its dots, or in capitals.
    for text in ("vaxjo", "VÄXJÖ", "Vaxjö"):
        entities = {r[0] for r in run(kg, "search-by-label", text=text)}
        assert "municipality/se-0780" in entities, text
    assert run(kg, "search-by-label", text="KOLOMYIA") == run(kg, "search-by-label")


INJECTIONS = [
    '" } ; DROP ALL #',
    'x" . ?s ?p ?o } #',
    "<http://e/x>",
    "a\nb } UNION { ?s ?p ?o }",
    "' } #",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_injection_through_a_string_is_only_a_string(kg: KnowledgeGraph, text: str) -> None:
    # Bound as a literal: matches no label, changes nothing, raises nothing.
    assert run(kg, "search-by-label", text=text) == []
    assert len(run(kg, "search-by-label")) == len(run(kg, "search-by-label", text="kolomyia"))


@pytest.mark.parametrize(
    ("name", "params", "message"),
    [
        (
            "partnerships-by-area",
            {"area": "water> } #"},
            "parameter area: 'water> } #' is not an IRI",
        ),
        ("partnerships-by-area", {"area": "<http://e/x> . ?s ?p ?o"}, "is not an IRI"),
        (
            "partnerships-by-area",
            {"area": "http://e/x"},
            "parameter area: <http://e/x> is not an IRI — a concept of",
        ),
        ("partnerships-by-area", {"area": ID + "organisation/skr"}, "is not an IRI — a concept of"),
        ("partnerships-by-area", {"country": "SE\n}"}, "is not an ISO 3166-1 alpha-2 country code"),
        (
            "partnerships-by-area",
            {"country": "NO"},
            "parameter country: <" + ID + "country/no> is not",
        ),
        ("partnerships-by-area", {"lang": "de"}, "one of: sv, en"),
        (
            "partnerships-by-area",
            {"colour": "red"},
            "has no parameter 'colour' (its parameters: area, country, lang)",
        ),
        ("partnerships-by-sdg", {"goal": "16 } #"}, "is not an integer"),
        ("no-such-query", {}, "no canned query 'no-such-query'"),
    ],
)
def test_bad_parameters_are_clear_errors(
    kg: KnowledgeGraph, name: str, params: dict[str, str], message: str
) -> None:
    with pytest.raises(ParameterError, match=re.escape(message)):
        kg.query(name, **params)


def test_every_query_is_tested() -> None:
    names = set(canned.load(ROOT / "queries"))
    assert len(names) >= 20
    # here, or (the record's questions) in test_record_queries.py, on the full release
    source = "".join(
        (Path(__file__).parent / name).read_text(encoding="utf-8")
        for name in ("test_queries.py", "test_record_queries.py")
    )
    called = set(re.findall(r'(?:run\(kg, |kg\.query\()"([a-z0-9-]+)"', source))
    assert names <= called, names - called


@pytest.mark.parametrize(
    ("name", "column", "english", "swedish"),
    [
        # Labels as the sources give them (001, 000) and the schemes' Swedish labels.
        ("memberships", 3, "participant", "deltagare"),  # SALAR International in the Alliance
        ("swedish-municipality-codes", 1, "Lidingö Municipality", "Lidingö stad"),
        (
            "projects-timeline",
            1,
            "DSP phase 1: Support to Decentralization in Ukraine",
            "DSP fas 1: Stöd till decentralisering i Ukraina",
        ),
        (
            "projects-with-funding",
            1,
            "The Decentralization Support Project (DSP)",
            "The Decentralization Support Project (DSP)",
        ),
        ("cooperation-areas", 1, "Crisis preparedness", "Krisberedskap"),
        ("partnerships-by-country", 1, "Falun–Kolomyia", "Falun–Kolomyia"),
    ],
)
def test_label_language_parameter(
    kg: KnowledgeGraph, name: str, column: int, english: str, swedish: str
) -> None:
    assert run(kg, name)[0][column] == english
    assert run(kg, name, lang="sv")[0][column] == swedish
