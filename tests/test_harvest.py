"""The catalogue held to dataportal.se's harvest rules (DIGG's DCAT-AP-SE guidance, as issue 21
lists them): RDF/XML at one URL, absolute IRIs, no blank nodes, the canonical licence, the
publisher's IRI form, a contact point apart from the publisher and with an e-mail address;
and the mandatory and recommended properties of DCAT-AP-SE 3.0.1's primary classes.
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
        # DCAT-AP-SE 3.0.1's diagram: an agent has a name and a type
        "every publisher has DCAT-AP-SE's mandatory and recommended properties (--publisher-type)",
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


@pytest.mark.parametrize(
    ("name", "node", "prop"),
    [
        # one property of each primary class in DCAT-AP-SE 3.0.1's diagram
        ("catalogue", "https://w3id.org/munikg/catalog", "http://www.w3.org/ns/dcat#themeTaxonomy"),
        ("dataset", "https://w3id.org/munikg/id/dataset/munikg", "http://www.w3.org/ns/dcat#keyword"),
        ("distribution", "https://w3id.org/munikg/id/dataset/munikg/distribution/nt",
         "http://data.europa.eu/r5r/availability"),
        ("data service", "https://w3id.org/munikg/sparql",
         "http://www.w3.org/ns/dcat#endpointDescription"),
        ("contact point", "https://w3id.org/munikg/id/contact/munikg",
         "http://www.w3.org/2006/vcard/ns#fn"),
    ],
)  # fmt: skip
def test_a_missing_profile_property_is_named(
    published: Path, tmp_path: Path, name: str, node: str, prop: str
) -> None:
    quads = list(ox.parse(path=str(published / "catalog.rdf"), format=ox.RdfFormat.RDF_XML))
    kept = [q for q in quads if not (q.subject.value == node and q.predicate.value == prop)]
    assert len(kept) < len(quads)
    ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in kept],
        output=str(tmp_path / "catalog.rdf"),
        format=ox.RdfFormat.RDF_XML,
    )
    broken = {r.rule: r for r in check(tmp_path) if not r.kept}
    rule = f"every {name} has DCAT-AP-SE's mandatory and recommended properties"
    assert list(broken) == [rule]
    local = prop.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    assert broken[rule].detail.endswith(f":{local} of <{node}>"), broken[rule].detail
