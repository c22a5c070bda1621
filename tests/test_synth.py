"""``munikg synth``: deterministic for a seed, the shapes' conforming, in the proportions the
issue asks for, and plainly marked as synthetic."""

from pathlib import Path

import pytest

from munikg.build.inputs import Layout
from munikg.build.pipeline import build
from munikg.release import Release
from munikg.synth import COUNTRIES, generate
from tests.conftest import ROOT, munikg, rows


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> Release:
    out = tmp_path_factory.mktemp("synth")
    generate(12_000, 3, out, Layout(ROOT / "ontology", ROOT / "data"))
    build(Layout(ROOT / "ontology", out / "data"), out / "dist")  # validates: raises if not
    return Release.open(out / "dist")


def test_same_seed_same_files(tmp_path: Path) -> None:
    layout = Layout(ROOT / "ontology", ROOT / "data")
    a = generate(5_000, 11, tmp_path / "a", layout)
    b = generate(5_000, 11, tmp_path / "b", layout)
    generate(5_000, 12, tmp_path / "c", layout)
    read = [
        sorted((p.name, p.read_bytes()) for p in (tmp_path / d / "data").iterdir()) for d in "abc"
    ]
    assert read[0] == read[1] and read[0] != read[2]
    assert a.triples == b.triples >= 5_000


def test_the_synthetic_graph_has_the_asked_shape(synthetic: Release) -> None:
    store = synthetic.store
    swedish = rows(store, "SELECT ?m ?code WHERE { ?m a mk:Municipality ; mk:kommunkod ?code }")
    synthetic_codes = [code for _, code in swedish if code is not None and code >= "3000"]
    assert len(synthetic_codes) == 290
    counties = rows(
        store, 'SELECT ?p WHERE { ?p a mk:AdministrativeArea ; mk:lanskod ?c FILTER (?c >= "30") }'
    )
    assert len(counties) == 21
    codes = rows(store, "SELECT ?code WHERE { ?c a mk:Country ; mk:isoAlpha2 ?code }")
    countries = [code for (code,) in codes if code in COUNTRIES]
    assert len(countries) == len(COUNTRIES) == 39  # XA–XZ less XK (real: Kosovo), QM–QZ
    pairs = rows(
        store,
        """SELECT ?p WHERE { ?p a mk:Partnership ; org:hasMember ?s , ?f .
        ?s mk:country <https://w3id.org/munikg/id/country/se> . ?f mk:country ?c
        FILTER (?c != <https://w3id.org/munikg/id/country/se>) }""",
    )
    assert len(pairs) > 50
    unsupported = rows(
        store,
        """SELECT ?p WHERE { ?p a mk:Partnership FILTER NOT EXISTS {
        ?e rdf:subject ?p ; prov:value|mk:confidence ?q } }""",
    )
    # every claim carries evidence: a quotation (synthetic, seeds) or a graded page (the record)
    assert unsupported == []
    funded = rows(store, "SELECT ?f WHERE { ?f a mk:Funding ; schema:amount/schema:value ?v }")
    assert len(funded) > 50


def test_canned_queries_answer_on_it(synthetic: Release) -> None:
    from munikg.api import open_release

    kg = open_release(synthetic.path, ROOT / "queries")
    assert (
        kg.query("partnerships-by-area", area="water", country="XA").rows
        or kg.query("partnerships-by-area", area="water", country="XB").rows
    )
    assert kg.query("funding-totals-by-funder").rows


def test_everything_synthetic_says_so(synthetic: Release) -> None:
    labels = rows(
        synthetic.store,
        """SELECT ?s ?l WHERE { ?s rdfs:label ?l
        FILTER (CONTAINS(STR(?s), "synthetic") && LANG(?l) = "en") }""",
    )
    assert labels and all("Synthetic" in label for _, label in labels if label is not None)
    sources = rows(
        synthetic.store,
        'SELECT ?c WHERE { ?s a mk:Source ; rdfs:comment ?c FILTER (CONTAINS(STR(?s), "synthetic")) }',
    )
    assert sources and all("no fact in it is real" in c for (c,) in sources if c)


def test_synth_refuses_to_replace_the_project_data(tmp_path: Path) -> None:
    """A copy of the project, never the checkout: a regression here would delete data/."""
    (tmp_path / "data").mkdir()
    curated = (ROOT / "data" / "reference.ttl").read_bytes()
    (tmp_path / "data" / "reference.ttl").write_bytes(curated)
    done = munikg("synth", "--triples", "5000", "--out", ".", cwd=tmp_path)
    assert done.returncode == 2
    assert (tmp_path / "data" / "reference.ttl").read_bytes() == curated
    assert sorted(p.name for p in (tmp_path / "data").iterdir()) == ["reference.ttl"]
