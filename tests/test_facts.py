"""Facts a researcher asks of the graph, queried with SPARQL over the built release.

Every expected answer here was written by reading the source documents in data/sources/
(000: SKR, "SKR:s arbete med Ukraina"; 001: ICLD's partnership pages) and the reference file,
not by running the code.
"""

from munikg.release import Release

from .conftest import rows

SE = "https://w3id.org/munikg/id/municipality/se-"
UA = "https://w3id.org/munikg/id/municipality/ua-"


def test_swedish_municipalities_partnering_ukrainian_cities_on_water(release: Release) -> None:
    # 001: Falun–Kolomyia "Fokus ... på vattenförsörjning och avfallshantering";
    # Ronneby–Ternopil "förbättrar vattenhantering". No other partnership mentions water.
    found = rows(
        release.store,
        """
        SELECT DISTINCT ?swedish ?ukrainian WHERE {
          ?p a mk:Partnership ; org:hasMember ?swedish , ?ukrainian ; (mk:cooperationArea|mk:focus) ?a .
          ?a skos:broader* area:water .
          ?swedish mk:country id:country\\/se . ?ukrainian mk:country id:country\\/ua .
        } ORDER BY ?swedish""",
    )
    assert found == [
        (SE + "1081", UA + "61040490000035010"),  # Ronneby – Ternopil
        (SE + "2080", UA + "26080070000092582"),  # Falun – Kolomyia
    ]


def test_education_includes_its_narrower_area(release: Release) -> None:
    # 001: Karlskrona–Chortkiv and Lidingö–Slavuta have "Samarbetsområde: Utbildning";
    # Karlskrona–Chortkiv's English page says "Transformative education".
    found = rows(
        release.store,
        """
        SELECT DISTINCT ?label WHERE {
          ?p a mk:Partnership ; mk:cooperationArea ?a ; rdfs:label ?label .
          ?a skos:broader* area:education . FILTER (LANG(?label) = "sv")
        } ORDER BY ?label""",
    )
    assert found == [("Karlskrona–Chortkiv",), ("Lidingö–Slavuta",)]


def test_partners_of_karlskrona(release: Release) -> None:
    # 001: Karlskrona's partners are Chortkiv, Saldanha Bay Local Municipality and
    # Tshwane Municipality District south.
    found = rows(
        release.store,
        f"""
        SELECT ?partner WHERE {{
          ?p a mk:Partnership ; org:hasMember <{SE}1080> , ?partner .
          FILTER (?partner != <{SE}1080>)
        }} ORDER BY ?partner""",
    )
    assert found == [
        ("https://w3id.org/munikg/id/municipality/ua-61060430000094264",),
        ("https://w3id.org/munikg/id/municipality/za-wc014",),
        ("https://w3id.org/munikg/id/organisation/za-tsh-district-south",),
    ]


def test_sdgs_of_a_partnership(release: Release) -> None:
    # 001: Karlskrona–Chortkiv's own page lists 16 and 4; Karlskrona–Saldanha Bay's pages list
    # 13. The network article's tags (16, 17) are the article's: no partnership takes them.
    def goals(slug: str) -> list[tuple[str | None, ...]]:
        return rows(
            release.store,
            f"""SELECT ?n WHERE {{ id:partnership\\/{slug} mk:sdg ?g . ?g skos:notation ?n }}
                ORDER BY xsd:integer(?n)""",
        )

    assert goals("karlskrona-chortkiv") == [("4",), ("16",)]
    assert goals("karlskrona-saldanha-bay") == [("13",)]
    for slug in ("falun-kolomyia", "lidingo-slavuta", "ronneby-ternopil", "umea-kherson"):
        assert goals(slug) == []  # no page of its own states a goal


def test_partnerships_serving_sdg_16(release: Release) -> None:
    # 001: only Karlskrona–Chortkiv's own page states goal 16 for a partnership; the network
    # itself serves 16 (its article's tags, and the network pages).
    found = rows(
        release.store,
        """SELECT ?p WHERE { ?p a mk:Partnership ; mk:sdg <http://metadata.un.org/sdg/16> }
           ORDER BY ?p""",
    )
    slugs = [p.rsplit("/", 1)[1] for (p,) in found if p]
    assert slugs == ["karlskrona-chortkiv"]


def test_what_sida_funds_through_salar_international(release: Release) -> None:
    # 000: 250 million SEK 2014–2024 went "via SALAR International", all Sida-funded; DSP and
    # DSP II are SALAR International's. Reference: DSP phase 1 62 979 743 SEK (openaid,
    # 2014–2020; SALAR with SKL International), Polaris SEK 250 million (June 2024 – May 2028,
    # implemented by SALAR International). PROSTO and the MSW pre-study: amount unknown. WM4U
    # is Avfall Sverige's and SALAR's (SKR), not SALAR International's.
    found = rows(
        release.store,
        """
        SELECT DISTINCT ?item ?value ?currency ?start ?end WHERE {
          ?f a mk:Funding ; schema:funder id:organisation\\/sida ; schema:fundedItem ?item .
          { ?f mk:recipient id:organisation\\/salar-international }
          UNION { ?item mk:implementer id:organisation\\/salar-international }
          OPTIONAL { ?f schema:amount [ schema:value ?value ; schema:currency ?currency ] }
          OPTIONAL { ?f schema:startDate ?start } OPTIONAL { ?f schema:endDate ?end }
        } ORDER BY ?item""",
    )
    by_item = {item.rsplit("/", 1)[1]: rest for item, *rest in found if item}
    assert by_item == {
        "dsp": [None, None, None, None],
        "dsp-1": ["62979743", "SEK", "2014", "2020"],
        "dsp-2": ["87845726", "SEK", "2019", "2024"],
        "msw-pre-study": [None, None, None, None],
        "polaris": ["250000000", "SEK", "2024-06", "2028-05"],
        "prosto": [None, None, None, None],
        "salar-international-ukraine": ["250000000", "SEK", "2014", "2024"],
    }


def test_total_sida_funding_with_known_amounts(release: Release) -> None:
    # 250 000 000 (2014–2024 total, 000) is a total over projects and must not be added to
    # the per-contribution amounts; the per-project sum is 62 979 743 + 87 845 726 + 250 000 000.
    (total,) = rows(
        release.store,
        """
        SELECT (SUM(?v) AS ?total) WHERE {
          ?f schema:funder id:organisation\\/sida ; schema:fundedItem ?item ;
             schema:amount/schema:value ?v .
          ?item a mk:Project .
        }""",
    )
    assert float(total[0] or 0) == 62_979_743 + 87_845_726 + 250_000_000


def test_subsidiary(release: Release) -> None:
    # 000: "Dels via dotterföretaget SALAR International"; "Europarådets kongress ... (CLRAE)".
    found = rows(
        release.store,
        "SELECT ?child ?parent WHERE { ?child org:subOrganizationOf ?parent } ORDER BY ?child",
    )
    assert [(c.rsplit("/", 1)[1], p.rsplit("/", 1)[1]) for c, p in found if c and p] == [
        ("clrae", "council-of-europe"),
        ("salar-international", "skr"),
    ]


def test_quoted_sentence_behind_a_figure(release: Release) -> None:
    found = rows(
        release.store,
        """
        SELECT ?quote ?source WHERE {
          ?amount schema:value 250000000.0 .
          id:funding\\/sida-salar-international-ukraine-2014-2024 schema:amount ?amount .
          ?ev rdf:subject ?amount ; rdf:predicate schema:value ; prov:value ?quote ;
              prov:wasQuotedFrom ?source .
        }""",
    )
    assert found == [
        (
            "Via SALAR International har totalt 250 miljoner kronor gått till projekt i Ukraina "
            "under perioden 2014-2024.",
            "https://w3id.org/munikg/id/source/skr-ukraine-2024",
        )
    ]


def test_stated_results_of_prosto(release: Release) -> None:
    # 000 (SKR, Feb 2024): "närmare 200 servicekontor"; "Mer än 2,7 miljoner personer bor i de
    # över 150 kommuner". Reference §7 (final conference, A): 162 municipalities (~3 million
    # inhabitants), ~2500 staff trained, service centres grew from 1055 to 1318.
    found = rows(
        release.store,
        """
        SELECT ?graph ?value ?qualifier ?unit WHERE {
          id:project\\/prosto mk:result ?r .
          ?r schema:value ?value ; mk:valueQualifier/skos:notation ?qualifier ; schema:unitText ?unit .
          FILTER (LANG(?unit) = "en")
          GRAPH ?graph { ?r a mk:StatedFigure }
        } ORDER BY ?graph ?value""",
    )
    assert [(g.rsplit("/", 1)[1], float(v), q, u) for g, v, q, u in found if g and v] == [
        ("reference", 162, "exact", "municipalities"),
        ("reference", 1055, "exact", "service centres"),
        ("reference", 1318, "exact", "service centres"),
        ("reference", 2500, "approximately", "staff"),
        ("reference", 3_000_000, "approximately", "inhabitants"),
        ("skr-ukraine-2024", 150, "more-than", "municipalities"),
        ("skr-ukraine-2024", 200, "nearly", "service offices"),
        ("skr-ukraine-2024", 2_700_000, "more-than", "people"),
    ]


def test_waste_pre_study_implementers_and_end(release: Release) -> None:
    # 000: "Tillsammans med Avfall Sverige undersöker SALAR International ...";
    # "En förstudie pågår fram till mars 2024". Reference: started September 2023.
    found = rows(
        release.store,
        """SELECT ?who ?start ?end WHERE { id:project\\/msw-pre-study mk:implementer ?who ;
           schema:startDate ?start ; schema:endDate ?end } ORDER BY ?who""",
    )
    assert [(w.rsplit("/", 1)[1], s, e) for w, s, e in found if w] == [
        ("avfall-sverige", "2023-09", "2024-03"),
        ("salar-international", "2023-09", "2024-03"),
    ]


def test_partnership_with_two_projects(release: Release) -> None:
    # 001: Karlskrona and Tshwane: "The School Compass" and "Youth Policy (based on the LUPP Survey)".
    found = rows(
        release.store,
        """SELECT ?label WHERE { ?p mk:partnershipOf id:partnership\\/karlskrona-tshwane ;
           rdfs:label ?label FILTER (LANG(?label) = "en") } ORDER BY ?label""",
    )
    assert found == [
        ("The School Compass – Finalization of a municipal comparison",),
        ("Youth Policy (based on the LUPP Survey)",),
    ]


def test_official_identifiers_of_a_swedish_municipality(release: Release) -> None:
    # Reference §2a: Lidingö stad, kommunkod 0186, organisationsnummer 212000-0191, Stockholms län.
    found = rows(
        release.store,
        f"""SELECT ?code ?orgnr ?lan WHERE {{ <{SE}0186> mk:kommunkod ?code ;
            mk:organisationsnummer ?orgnr ; schema:location/mk:lanskod ?lan }}""",
    )
    assert found == [("0186", "212000-0191", "01")]


def test_ukrainian_community_code_and_cyrillic_name(release: Release) -> None:
    # Reference §3: Cherson/Kherson, Херсон, hromada code UA65100150000057191, city QID Q156732.
    found = rows(
        release.store,
        f"""SELECT ?code ?uk ?city WHERE {{ <{UA}65100150000057191> mk:katotth ?code ;
            rdfs:label ?uk ; schema:areaServed ?city FILTER (LANG(?uk) = "uk") }}""",
    )
    assert found == [("UA65100150000057191", "Херсон", "http://www.wikidata.org/entity/Q156732")]


def test_memberships_in_international_bodies(release: Release) -> None:
    # 000: "SKR är medlem i flera internationella organisationer" (CoR, CLRAE sections);
    # "SALAR International medverkar i Alliansen".
    found = rows(
        release.store,
        """SELECT ?member ?organisation ?role WHERE { ?m a org:Membership ; org:member ?member ;
           org:organization ?organisation ; org:role/skos:notation ?role .
           ?member a ?kind . FILTER (?kind != <http://schema.org/Person>) } ORDER BY ?organisation""",
    )
    assert [(m.rsplit("/", 1)[1], o.rsplit("/", 1)[1], r) for m, o, r in found if m and o] == [
        ("salar-international", "cor-alliance-ukraine", "participant"),
        ("skr", "clrae", "member"),
        ("skr", "cor", "member"),
    ]


def test_named_contact_persons_in_their_roles(release: Release) -> None:
    # 001: "Johan Lilja, generalsekreterare ICLD"; "Håkan Eriksson, deltagare i partnerskapet och
    # ledamot i kommunfullmäktige Karlskrona kommun". 000: "Informationsansvarig • Emelie Marcus".
    found = rows(
        release.store,
        """SELECT ?name ?role WHERE { ?m org:member ?p ; org:role/skos:notation ?role .
           ?p a schema:Person ; rdfs:label ?name } ORDER BY ?name ?role""",
    )
    assert found == [
        ("Håkan Eriksson", "municipal-council-member"),
        ("Håkan Eriksson", "participant"),
        ("Johan Lilja", "secretary-general"),
    ]
    (contact,) = rows(
        release.store,
        "SELECT ?name WHERE { ?s schema:accountablePerson/rdfs:label ?name }",
    )
    assert contact == ("Emelie Marcus",)


def test_publication_date_of_the_skr_source(release: Release) -> None:
    # 000: "Publicerad 27 februari 2024".
    found = rows(
        release.store, "SELECT ?d WHERE { id:source\\/skr-ukraine-2024 dcterms:issued ?d }"
    )
    assert found == [("2024-02-27",)]


def test_uncertain_wikidata_links_are_not_identity(release: Release) -> None:
    # Reference §2b: the QIDs paired with Swedish municipalities are towns (confidence C):
    # never owl:sameAs. Q26509 (Falun) is linked as the town the municipality serves.
    assert rows(release.store, f"SELECT ?x WHERE {{ <{SE}2080> owl:sameAs ?x }}") == []
    found = rows(
        release.store,
        f"""SELECT ?grade WHERE {{ ?ev rdf:subject <{SE}2080> ; rdf:predicate schema:areaServed ;
            rdf:object <http://www.wikidata.org/entity/Q26509> ; mk:confidence/skos:notation ?grade }}""",
    )
    assert found == [("C",)]


def test_six_partnerships_in_the_network_for_democratic_resilience(release: Release) -> None:
    # 001: "har nu sex svenska kommuner inlett sitt partnerskapsamarbete med en ukrainsk motsvarighet".
    (row,) = rows(
        release.store,
        """SELECT (COUNT(?p) AS ?n) ?stated WHERE {
             ?p mk:inProgramme id:network\\/icld-democratic-resilience .
             id:network\\/icld-democratic-resilience mk:statedFigure/schema:value ?stated
           } GROUP BY ?stated""",
    )
    assert row == ("6", "6")


def test_icld_programme_in_2024(release: Release) -> None:
    # Reference §7 (ICLD "About us", A): in 2024, 111 projects in 21 countries, about 40 Swedish
    # municipalities and regions in 57 partnerships.
    found = rows(
        release.store,
        """SELECT ?value ?qualifier ?unit WHERE {
             id:programme\\/icld-municipal-partnerships mk:statedFigure ?f .
             ?f schema:value ?value ; mk:valueQualifier/skos:notation ?qualifier ; schema:unitText ?unit
             FILTER (LANG(?unit) = "en") } ORDER BY ?value""",
    )
    assert [(float(v), q, u) for v, q, u in found if v] == [
        (20, "approximately", "Swedish municipalities and regions"),  # 000: "Ett tjugotal"
        (21, "exact", "countries"),
        (40, "approximately", "Swedish municipalities and regions"),
        (57, "exact", "partnerships"),
        (111, "exact", "projects"),
    ]


def test_dsp_phase_one_implementers_and_period(release: Release) -> None:
    # Reference §7 (sklinternational.se, A): "SALAR with subsidiary SKL International",
    # inception Sep 2014, planned to end Dec 2019.
    found = rows(
        release.store,
        """SELECT ?who ?start ?end WHERE { id:project\\/dsp-1 mk:implementer ?who ;
           schema:startDate ?start ; mk:plannedEndDate ?end } ORDER BY ?who""",
    )
    # planned, not stated as its end
    assert rows(release.store, "SELECT ?e WHERE { id:project\\/dsp-1 schema:endDate ?e }") == []
    assert [(w.rsplit("/", 1)[1], s, e) for w, s, e in found if w] == [
        ("salar-international", "2014-09", "2019-12"),
        ("skr", "2014-09", "2019-12"),
    ]
