"""The catalogue held to dataportal.se's harvest rules (DIGG's DCAT-AP-SE guidance, as issue 21
lists them): RDF/XML at one URL, absolute IRIs, no blank nodes, the canonical licence, the
publisher's IRI form, a contact point apart from the publisher and with an e-mail address.
What only a publisher knows is a build option; ``munikg check-catalog`` says what is missing."""

import shutil
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph
from rdflib.namespace import SH

from munikg.artefacts.harvest import check
from munikg.release import Release
from tests.conftest import munikg

SHAPES = Path(__file__).parent / "dcat-ap-3.0.1"
DCT = "http://purl.org/dc/terms/"
# Karlskrona kommun, as a publisher would give itself: its organisation number from
# reference/identifiers.md (212000-0829, Luhn-valid), an address of the publisher's choosing
KARLSKRONA = (
    "--publisher", "Karlskrona kommun", "--publisher-orgnr", "212000-0829",
    "--publisher-type", "LocalAuthority", "--contact-email", "opendata@example.se",
)  # fmt: skip


@pytest.fixture(scope="module")
def published(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("harvest")
    for name in ("ontology", "data"):
        shutil.copytree(built_project / name, root / name)
    done = munikg("build", *KARLSKRONA, cwd=root)
    assert done.returncode == 0, done.stderr
    return root / "dist"


def test_a_release_built_without_the_publishers_facts_says_what_is_missing(
    release: Release,
) -> None:
    missing = {r.rule for r in check(release.path) if not r.kept}
    assert missing == {
        "the publisher is http://dataportal.se/organisation/SE<orgnr> (--publisher-orgnr)",
        "the contact point has an e-mail address (--contact-email)",
    }
    done = munikg("check-catalog", "--dist", str(release.path), cwd=release.path)
    assert done.returncode == 1 and "NOT KEPT" in done.stdout and "--contact-email" in done.stdout


def test_with_them_every_rule_is_kept(published: Path) -> None:
    assert all(r.kept for r in check(published)), [r for r in check(published) if not r.kept]
    done = munikg("check-catalog", "--dist", str(published), cwd=published)
    assert done.returncode == 0 and "NOT KEPT" not in done.stdout
    quads = list(ox.parse(path=str(published / "catalog.rdf"), format=ox.RdfFormat.RDF_XML))
    emails = {q.object.value for q in quads if q.predicate.value.endswith("#hasEmail")}
    assert emails == {"mailto:opendata@example.se"}


def test_one_licence_iri_in_catalogue_void_and_ontology(published: Path) -> None:
    licences = set()
    for name, fmt in (
        ("catalog.rdf", ox.RdfFormat.RDF_XML),
        ("void.ttl", ox.RdfFormat.TURTLE),
        ("munikg.ttl", ox.RdfFormat.TURTLE),
    ):
        licences |= {
            q.object.value
            for q in ox.parse(path=str(published / name), format=fmt)
            if q.predicate.value == DCT + "license"
        }
    assert licences == {"http://creativecommons.org/licenses/by/4.0/"}


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl", "deprecateduris.ttl"])
def test_the_dcat_ap_shapes_still_hold(published: Path, shapes: str) -> None:
    data = Graph().parse(published / "catalog.rdf", format="xml")
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=Graph().parse(SHAPES / shapes, format="turtle"), inference="none"
    )
    assert conforms, text


def test_fewer_recommended_warnings_once_the_publisher_says_its_type(published: Path) -> None:
    data = Graph().parse(published / "catalog.rdf", format="xml")
    shapes = Graph().parse(SHAPES / "shapes_recommended.ttl", format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    paths = {str(report.value(r, SH.resultPath)) for r in report.subjects(SH.resultSeverity)}
    # only the countries' geometry is left: no source gives a bounding box or centroid
    assert paths == {"http://www.w3.org/ns/dcat#bbox", "http://www.w3.org/ns/dcat#centroid"}


@pytest.mark.parametrize(
    ("option", "value"),
    [("--contact-email", "nobody"), ("--publisher-type", "Municipality")],
)
def test_bad_publisher_facts_are_refused(tmp_path: Path, option: str, value: str) -> None:
    done = munikg("build", option, value, "--dist", str(tmp_path / "d"), cwd=tmp_path)
    assert done.returncode == 2 and option in done.stderr
