"""The DCAT-AP catalogue: the official DCAT-AP 3.0.1 shapes, and each harvest rule of the
Swedish data portal (dataportal.se, profile DCAT-AP-SE) asserted.

Shapes applied (tests/dcat-ap-3.0.1/, CC BY 4.0, © European Union): ``shapes.ttl``
(mandatory), ``shapes_recommended.ttl``, ``range.ttl`` and ``deprecateduris.ttl``.
Not applied, with reason: ``mdr-vocabularies.shape.ttl`` with ``imports.ttl`` and
``mdr_imports.ttl`` check values against the EU controlled vocabularies (file types, licences,
languages, data themes), which must be loaded as data; they are published by the EU
Publications Office and not available offline, so the test checks instead that every such
value is an IRI of the right authority table (``test_values_come_from_the_eu_tables``).
"""

import re
import shutil
from pathlib import Path

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from munikg.artefacts.checksums import sha256
from munikg.artefacts.export import FORMATS
from munikg.release import Release

from .conftest import ROOT, munikg

SHAPES = ROOT / "tests" / "dcat-ap-3.0.1"
DCAT = "http://www.w3.org/ns/dcat#"
DCT = "http://purl.org/dc/terms/"
RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
EU = "http://publications.europa.eu/resource/authority/"


def catalog(release: Release) -> list[ox.Quad]:
    return list(ox.parse(path=str(release.path / "catalog.rdf"), format=ox.RdfFormat.RDF_XML))


def of_type(quads: list[ox.Quad], cls: str) -> list[str]:
    return sorted(
        q.subject.value for q in quads if q.predicate == RDF_TYPE and q.object.value == cls
    )


@pytest.mark.parametrize("shapes", ["shapes.ttl", "range.ttl", "deprecateduris.ttl"])
def test_dcat_ap_shapes(release: Release, shapes: str) -> None:
    data = Graph().parse(release.path / "catalog.rdf", format="xml")
    conforms, _, text = pyshacl.validate(
        data, shacl_graph=Graph().parse(SHAPES / shapes, format="turtle"), inference="none"
    )
    assert conforms, text


# Recommended properties no source gives us, so they stay empty rather than invented:
# bounding box and centroid of the three countries (the reference file has no geometry for
# them), and the ADMS publisher type of "the munikg project" (not an organisation of any type
# ADMS lists). Everything else the recommended shapes ask for is filled.
ALLOWED_WARNINGS = (
    {(DCAT + "bbox", EU + "country/" + c) for c in ("SWE", "UKR", "ZAF")}
    | {(DCAT + "centroid", EU + "country/" + c) for c in ("SWE", "UKR", "ZAF")}
    | {(DCT + "type", "https://w3id.org/munikg/id/organisation/munikg")}
)


def test_dcat_ap_recommended_shapes(release: Release) -> None:
    data = Graph().parse(release.path / "catalog.rdf", format="xml")
    shapes = Graph().parse(SHAPES / "shapes_recommended.ttl", format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none")
    results = {
        (str(report.value(r, SH.resultPath)), str(report.value(r, SH.focusNode)), str(severity))
        for r, severity in report.subject_objects(SH.resultSeverity)
    }
    assert {(path, focus) for path, focus, _ in results} == ALLOWED_WARNINGS
    assert {severity for *_, severity in results} == {str(SH.Warning)}


def test_the_shapes_would_catch_a_missing_title(release: Release) -> None:
    data = Graph().parse(release.path / "catalog.rdf", format="xml")
    data.remove((URIRef("https://w3id.org/munikg/id/dataset/munikg"), URIRef(DCT + "title"), None))
    conforms, _, _ = pyshacl.validate(
        data, shacl_graph=Graph().parse(SHAPES / "shapes.ttl", format="turtle"), inference="none"
    )
    assert not conforms


def test_rdf_xml_and_turtle_hold_the_same_catalogue(release: Release) -> None:
    turtle = sorted(ox.parse(path=str(release.path / "catalog.ttl")), key=str)
    assert sorted(catalog(release), key=str) == turtle


def test_every_iri_is_absolute_and_valid(release: Release) -> None:
    iri = re.compile(r"^[a-z][a-z0-9+.-]*://[^\s<>\"{}|\\^`]+$")
    for q in catalog(release):
        for term in (q.subject, q.predicate, q.object):
            if isinstance(term, ox.NamedNode):
                assert iri.match(term.value), term


def test_no_blank_nodes(release: Release) -> None:
    for q in catalog(release):
        assert not isinstance(q.subject, ox.BlankNode) and not isinstance(q.object, ox.BlankNode)


def test_catalogue_dataset_distributions_service_publisher_contact(release: Release) -> None:
    quads = catalog(release)
    assert of_type(quads, DCAT + "Catalog") == ["https://w3id.org/munikg/catalog"]
    assert of_type(quads, DCAT + "Dataset") == ["https://w3id.org/munikg/id/dataset/munikg"]
    assert len(of_type(quads, DCAT + "Distribution")) == len(FORMATS)
    assert of_type(quads, DCAT + "DataService") == ["https://w3id.org/munikg/sparql"]
    assert of_type(quads, "http://xmlns.com/foaf/0.1/Agent") == [
        "https://w3id.org/munikg/id/organisation/munikg"
    ]
    assert of_type(quads, "http://www.w3.org/2006/vcard/ns#Kind") == [
        "https://w3id.org/munikg/id/contact/munikg"
    ]


def test_distributions_state_the_real_size_and_checksum(release: Release) -> None:
    quads = catalog(release)
    values = {(q.subject.value, q.predicate.value): q.object.value for q in quads}
    for name, fmt in FORMATS.items():
        distribution = f"https://w3id.org/munikg/id/dataset/munikg/distribution/{name}"
        path = release.path / fmt.file
        assert int(values[(distribution, DCAT + "byteSize")]) == path.stat().st_size
        assert values[
            (distribution + "#sha256", "http://spdx.org/rdf/terms#checksumValue")
        ] == sha256(path)
        assert (
            values[(distribution, DCAT + "downloadURL")]
            == f"https://w3id.org/munikg/download/{fmt.file}"
        )
        assert values[(distribution, DCAT + "mediaType")].endswith("/" + fmt.media_type)


def test_values_come_from_the_eu_tables(release: Release) -> None:
    tables = {
        DCT + "format": "file-type/",
        DCT + "language": "language/",
        DCT + "spatial": "country/",
        DCAT + "theme": "data-theme/",
        DCT + "accessRights": "access-right/",
    }
    seen = set()
    for q in catalog(release):
        if q.predicate.value in tables:
            assert q.object.value.startswith(EU + tables[q.predicate.value]), q
            seen.add(q.predicate.value)
    assert seen == set(tables)
    # the licence as dataportal.se's harvest rules spell CC BY 4.0, in every place
    licences = {q.object.value for q in catalog(release) if q.predicate.value == DCT + "license"}
    assert licences == {"http://creativecommons.org/licenses/by/4.0/"}
    spatial = {
        q.object.value.rsplit("/", 1)[1]
        for q in catalog(release)
        if q.predicate.value == DCT + "spatial"
    }
    assert spatial == {"SWE", "UKR", "ZAF"}


@pytest.fixture(scope="module")
def published_by_an_organisation(
    built_project: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    root = tmp_path_factory.mktemp("catalogue")
    for name in ("ontology", "data"):
        shutil.copytree(built_project / name, root / name)
    done = munikg(
        "build",
        "--publisher",
        "SKR",
        "--publisher-orgnr",
        "222000-0315",
        "--release-version",
        "9.9.9",
        cwd=root,
    )
    assert done.returncode == 0, done.stderr
    return root / "dist"


def test_publisher_with_an_organisation_number_uses_the_dataportal_iri(
    published_by_an_organisation: Path,
) -> None:
    quads = list(
        ox.parse(
            path=str(published_by_an_organisation / "catalog.rdf"), format=ox.RdfFormat.RDF_XML
        )
    )
    publishers = {q.object.value for q in quads if q.predicate.value == DCT + "publisher"}
    assert publishers == {"http://dataportal.se/organisation/SE2220000315"}
    # described once: one set of statements about it, in one place
    about = [
        q for q in quads if q.subject.value == "http://dataportal.se/organisation/SE2220000315"
    ]
    assert sorted((q.predicate.value.rsplit("/", 1)[1], q.object.value) for q in about) == [
        ("22-rdf-syntax-ns#type", "http://xmlns.com/foaf/0.1/Agent"),
        ("22-rdf-syntax-ns#type", "http://xmlns.com/foaf/0.1/Organization"),
        ("identifier", "222000-0315"),
        ("name", "SKR"),
    ]


def test_dataset_identifier_is_stable_across_releases(
    release: Release, published_by_an_organisation: Path
) -> None:
    def identity(path: Path) -> tuple[str, str]:
        quads = list(ox.parse(path=str(path / "catalog.rdf"), format=ox.RdfFormat.RDF_XML))
        (dataset,) = of_type(quads, DCAT + "Dataset")
        (identifier,) = [
            q.object.value
            for q in quads
            if q.subject.value == dataset and q.predicate.value == DCT + "identifier"
        ]
        return dataset, identifier

    assert (
        identity(release.path)
        == identity(published_by_an_organisation)
        == ("https://w3id.org/munikg/id/dataset/munikg", "munikg")
    )


def test_bad_organisation_number_is_refused(tmp_path: Path) -> None:
    done = munikg("build", "--publisher-orgnr", "222000-0316", cwd=tmp_path)
    assert done.returncode == 2
    assert "--publisher-orgnr '222000-0316'" in done.stderr
