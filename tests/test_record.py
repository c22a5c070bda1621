"""The ICLD record (issue 19) as built from its tables, against the reference table read
straight from its Markdown (:mod:`tests.record_table`): every row, page, code and goal the
table states is in the graph, and nothing the table does not state is counted."""

from collections import Counter

import pytest

from munikg.release import Release

from . import record_table
from .conftest import rows

REF = record_table.read()
ID = "https://w3id.org/munikg/id/"
RECORD = "https://w3id.org/munikg/graph/record-"


def src(file: str) -> str:
    return f"{ID}source/{file}"


def test_the_reference_counts_are_those_of_its_own_tables() -> None:
    # the oracle is read right: its tables hold as many rows as its Counts table says
    assert len(REF.partnerships) == int(REF.counts["partnerships (Table 1)"]) == 79
    assert len(REF.partners) == int(REF.counts["foreign partners in Table 1 (Table 4)"]) == 79
    assert len(REF.municipalities) == 48
    assert len(REF.register) == 121
    assert len(REF.rounds) == 40


def test_every_table_1_row_is_a_partnership_of_the_record(full_release: Release) -> None:
    built = rows(
        full_release.store,
        f"""SELECT DISTINCT ?p WHERE {{ GRAPH <{RECORD}partnerships> {{ ?p a mk:Partnership }} }}""",
    )
    assert sorted(p for (p,) in built) == sorted(
        f"{ID}partnership/{r['id']}" for r in REF.partnerships
    )


def test_each_row_stands_on_every_page_its_sources_cell_names(full_release: Release) -> None:
    built: dict[str, set[str]] = {}
    for p, page in rows(
        full_release.store,
        f"""SELECT ?p ?page WHERE {{ GRAPH <{RECORD}partnerships> {{
              ?p a mk:Partnership ; prov:wasDerivedFrom ?page }} }}""",
    ):
        assert p is not None and page is not None
        built.setdefault(p, set()).add(page)
    for row in REF.partnerships:
        cited = {
            src(record_table.file_of(REF.register, k))
            for k in record_table.keys(row["sources (stated date)"])
        }
        assert cited, row["id"]
        assert cited <= built[f"{ID}partnership/{row['id']}"], row["id"]


def test_every_register_page_is_a_source_with_its_address(full_release: Release) -> None:
    built = dict(
        rows(
            full_release.store,
            f"""SELECT ?key ?url WHERE {{ GRAPH <{RECORD}pages> {{
                  ?s a mk:Source ; skos:notation ?key ; schema:url ?url }} }}""",
        )
    )
    assert {k: built.get(k) for k in REF.register} == {k: r["URL"] for k, r in REF.register.items()}


def test_a_partnerships_goals_in_the_record_are_those_its_row_states(full_release: Release) -> None:
    built: dict[str, set[int]] = {}
    for p, goal in rows(
        full_release.store,
        f"""SELECT ?p ?goal WHERE {{ GRAPH <{RECORD}statements> {{ ?p mk:sdg ?goal }} }}""",
    ):
        assert p is not None and goal is not None
        built.setdefault(p.rsplit("/", 1)[1], set()).add(int(goal.rsplit("/", 1)[1]))
    stated = {r["id"]: record_table.sdgs(r["SDGs"]) for r in REF.partnerships}
    assert built == {k: v for k, v in stated.items() if v}
    assert sum(len(v) for v in built.values()) == 4 * 1 + 3 * 2 + 1 * 3  # eight rows state goals


def test_each_municipality_of_table_3_is_a_party_to_its_rows(full_release: Release) -> None:
    members = set(
        rows(
            full_release.store,
            f"""SELECT ?p ?m WHERE {{ GRAPH <{RECORD}statements> {{ ?p org:hasMember ?m }} }}""",
        )
    )
    for row in REF.municipalities:
        code = row["SCB kommunkod (se.csv `shortcode`)"][:4]
        for partnership in row["rows in Table 1"].split(";"):
            pair = (f"{ID}partnership/{partnership.strip()}", f"{ID}municipality/se-{code}")
            assert pair in members, (row["official name (se.csv `name`)"], partnership)


def test_each_municipality_has_its_code_name_and_organisation_number(full_release: Release) -> None:
    built = {
        m: (label, number)
        for m, label, number in rows(
            full_release.store,
            # in any graph: a seed names some of them (Falun, Umeå …) and the record does not repeat it
            """SELECT ?m ?label ?number WHERE {
                  ?m a mk:Municipality ; rdfs:label ?label ; mk:organisationsnummer ?number
                  FILTER (LANG(?label) = "sv") }""",
        )
    }
    for row in REF.municipalities:
        iri = f"{ID}municipality/se-{row['SCB kommunkod (se.csv `shortcode`)'][:4]}"
        assert built[iri] == (
            row["official name (se.csv `name`)"],
            row["organisationsnummer (se.csv `org_id`)"],
        )


def test_a_region_code_is_asserted_only_where_the_table_does_not_grade_it_c(
    full_release: Release,
) -> None:
    coded = {
        (p, code)
        for p, code in rows(
            full_release.store,
            f"""SELECT ?p ?code WHERE {{ GRAPH <{RECORD}statements> {{ ?p org:hasMember ?r }}
                  ?r a mk:Region ; mk:lanskod ?code }}""",
        )
    }
    for row in REF.bodies:
        code = row["länskod (se.csv `shortcode`)"][:2]
        for partnership in row["rows in Table 1"].split(";"):
            pair = (f"{ID}partnership/{partnership.strip()}", code)
            if row["code conf."] == "C":  # "verify before asserting": the body stands uncoded
                assert pair not in coded, row["Swedish side as named in Table 1"]
            elif code.isdigit():
                assert pair in coded, row["Swedish side as named in Table 1"]


def test_the_foreign_partners_are_the_79_of_table_4_in_their_countries(
    full_release: Release,
) -> None:
    built = rows(
        full_release.store,
        f"""SELECT DISTINCT ?m ?code WHERE {{
              GRAPH <{RECORD}statements> {{ ?p org:hasMember ?m }}
              OPTIONAL {{ ?m mk:country/mk:isoAlpha2 ?code }}
              FILTER (!BOUND(?code) || ?code != "SE") }}""",
    )
    assert len({m for m, _ in built}) == len(REF.partners)
    # countries as the table states them; "(C: XX by the name)" is a grade-C reading, kept
    expected = Counter(record_table.partner_country(row) for row in REF.partners)
    assert Counter(code for _, code in built) == expected
    assert len(expected) == int(REF.counts["partner countries (Table 1)"])


def test_every_table_2_row_is_a_dated_fact_on_its_pages(full_release: Release) -> None:
    built: dict[str, tuple[str, set[str]]] = {}
    for r, note, page in rows(
        full_release.store,
        f"""SELECT ?r ?note ?page WHERE {{ GRAPH <{RECORD}rounds> {{
              ?r a ?class ; mk:dateNote ?note ; prov:wasDerivedFrom ?page
              VALUES ?class {{ mk:GrantRound mk:ProgrammeFact }} }} }}""",
    ):
        assert r is not None and note is not None and page is not None
        built.setdefault(r, (note, set()))[1].add(page)
    assert len(built) == len(REF.rounds)
    expected = Counter(
        (
            row["date as stated"],
            frozenset(
                src(record_table.file_of(REF.register, k))
                for k in record_table.keys(row["source(s)"])
            ),
        )
        for row in REF.rounds
    )
    assert Counter((note, frozenset(pages)) for note, pages in built.values()) == expected


@pytest.mark.parametrize("key", ["S041", "S061", "S110"])
def test_a_page_cited_by_the_table_is_one_source_of_its_own(
    full_release: Release, key: str
) -> None:
    # one source per page: the page's own IRI carries its address, not a shared capture
    file = record_table.file_of(REF.register, key)
    assert rows(
        full_release.store, f"SELECT ?url WHERE {{ <{src(file)}> a mk:Source ; schema:url ?url }}"
    ) == [(REF.register[key]["URL"],)]


def test_intentions_and_twin_towns_are_kept_apart_from_partnerships(full_release: Release) -> None:
    # Sections 2 and 3: "Keep these out of mk:Partnership"; each with its page
    built = rows(
        full_release.store,
        f"""SELECT ?r ?class ?page WHERE {{ GRAPH <{RECORD}relations> {{
              ?r a ?class ; prov:wasDerivedFrom ?page
              VALUES ?class {{ mk:Intention mk:TwinTownRelation }} }}
              FILTER NOT EXISTS {{ ?r a mk:Partnership }} }}""",
    )
    classes = {r: c for r, c, _ in built if r and c}
    kinds = Counter(c.rsplit("#", 1)[1] for c in classes.values())
    assert kinds == {"Intention": len(REF.intentions), "TwinTownRelation": len(REF.relations)}
    assert (len(REF.intentions), len(REF.relations)) == (
        int(REF.counts["intentions, not partnerships (section 2)"]),
        int(REF.counts["other relations (section 3)"]),
    )
    pages = {p for _, _, p in built}
    cited = {
        src(record_table.file_of(REF.register, k))
        for row in [*REF.intentions, *REF.relations]
        for k in record_table.keys(row["source"] if "source" in row else row["source(s)"])
    }
    assert pages == cited
