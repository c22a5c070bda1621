"""Change-set validation against the release: the neighbourhood of the change set (statements
about what it mentions, two hops, the ontology and schemes whole) must judge as the whole graph
would — a value's type, a concept's scheme and a quoted statement held in the release count."""

from pathlib import Path

import pytest

from tests.conftest import munikg

HEAD = """@prefix area: <https://w3id.org/munikg/id/concept/area/> .
@prefix ev: <https://w3id.org/munikg/id/evidence/> .
@prefix mk: <https://w3id.org/munikg/ontology#> .
@prefix municipality: <https://w3id.org/munikg/id/municipality/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix partnership: <https://w3id.org/munikg/id/partnership/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix src: <https://w3id.org/munikg/id/source/> .
@prefix theme: <https://w3id.org/munikg/id/concept/theme/> .
"""
PARTNERSHIP = """partnership:falun-umea a mk:Partnership ;
    rdfs:label "Falun–Umeå"@sv , "Falun–Umeå"@en ;
    org:hasMember municipality:se-2080 , municipality:se-2480 ;
    mk:cooperationArea {area} ;
    prov:wasDerivedFrom src:icld-partnerships .
"""


def check(project: Path, tmp_path: Path, body: str) -> tuple[int, str]:
    change = tmp_path / "change.ttl"
    change.write_text(HEAD + body, encoding="utf-8")
    done = munikg("validate", str(change), "--format", "json", cwd=project)
    return done.returncode, done.stdout + done.stderr


def test_a_partnership_of_released_municipalities_conforms(
    built_project: Path, tmp_path: Path
) -> None:
    code, output = check(built_project, tmp_path, PARTNERSHIP.format(area="area:water-supply"))
    assert code == 0, output


def test_a_concept_outside_the_area_scheme_is_caught(built_project: Path, tmp_path: Path) -> None:
    # a concept of the theme scheme, which the schemes graph (in the context) says is no area
    code, output = check(
        built_project,
        tmp_path,
        PARTNERSHIP.format(area="theme:child-rights-and-youth-participation"),
    )
    assert code == 1 and "cooperationArea" in output


def test_evidence_for_a_statement_the_release_holds_conforms(
    built_project: Path, tmp_path: Path
) -> None:
    # the release holds: partnership:falun-kolomyia org:hasMember municipality:se-2080 (document 001)
    body = """ev:new-quote a mk:Evidence ;
    rdf:subject partnership:falun-kolomyia ; rdf:predicate org:hasMember ; rdf:object municipality:se-2080 ;
    prov:value "Falun och Kolomyia"@sv ; prov:wasQuotedFrom src:icld-partnerships .
"""
    code, output = check(built_project, tmp_path, body)
    assert code == 0, output


@pytest.mark.parametrize("member", ["municipality:se-2480", "municipality:se-9999"])
def test_evidence_for_a_statement_nobody_makes_is_caught(
    built_project: Path, tmp_path: Path, member: str
) -> None:
    body = f"""ev:new-quote a mk:Evidence ;
    rdf:subject partnership:falun-kolomyia ; rdf:predicate org:hasMember ; rdf:object {member} ;
    prov:value "Falun och Umeå"@sv ; prov:wasQuotedFrom src:icld-partnerships .
"""
    code, output = check(built_project, tmp_path, body)
    assert code == 1 and "EvidenceStatementShape" in output
