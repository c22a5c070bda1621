"""Short names for every entity parameter, looked up in the graph asked, among the classes
the parameter allows; an unknown or ambiguous name is an error naming the parameter.
Expected values from reference/identifiers.md (Sida: organisationsnummer 202100-4789, IATI
publisher SE-0) and document 001 (Karlskrona is municipality 1080)."""

import pytest

from munikg.api import KnowledgeGraph, open_release
from munikg.namespaces import ID
from munikg.query.entities import resolve
from munikg.query.params import Param, ParameterError
from munikg.release import Release
from tests.conftest import ROOT, munikg


@pytest.fixture(scope="module")
def kg(release: Release) -> KnowledgeGraph:
    return open_release(release.path, ROOT / "queries")


def test_an_organisations_short_name_where_municipalities_were_assumed(kg: KnowledgeGraph) -> None:
    values = {row["value"] for row in kg.query("identifiers-of-entity", entity="sida").values()}
    assert {"202100-4789", "SE-0"} <= values


def test_every_entity_parameter_takes_a_short_name(kg: KnowledgeGraph) -> None:
    by_iri = kg.query("evidence-for-entity", entity=ID + "municipality/se-1080").rows
    by_name = kg.query("evidence-for-entity", entity="se-1080").rows
    assert by_name == by_iri and by_iri


def test_a_class_narrows_the_lookup(kg: KnowledgeGraph) -> None:
    partnership = Param("p", "iri", classes=("https://w3id.org/munikg/ontology#Partnership",))
    found = resolve(kg.graph, partnership, "karlskrona-chortkiv")
    assert found == ID + "partnership/karlskrona-chortkiv"
    with pytest.raises(ParameterError, match="nothing called 'se-1080'"):
        resolve(kg.graph, partnership, "se-1080")  # a municipality, not a partnership


def test_an_unknown_name_is_an_error_naming_the_parameter(release: Release) -> None:
    done = munikg(
        "query", "run", "evidence-for-entity", "-p", "entity=nonesuch",
        "--dist", str(release.path), cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 2 and "parameter entity: nothing called 'nonesuch'" in done.stderr
