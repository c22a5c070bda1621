"""``munikg query list|show|run`` and ``munikg sparql`` on the built release, and the query
files' own form: every header field present, every query in the README."""

import csv
import io
import json
import shutil
from pathlib import Path

import pytest

from munikg.errors import BadInput
from munikg.query import canned

from .conftest import ROOT, munikg


@pytest.fixture(scope="module")
def project(built_project: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("queries-cli")
    shutil.copytree(built_project / "dist", root / "dist")
    shutil.copytree(ROOT / "queries", root / "queries")
    return root


def test_list(project: Path) -> None:
    done = munikg("query", "list", cwd=project)
    assert done.returncode == 0, done.stderr
    for name in canned.load(ROOT / "queries"):
        assert name in done.stdout


def test_show(project: Path) -> None:
    done = munikg("query", "show", "partnerships-by-area", "--lang", "sv", cwd=project)
    assert done.returncode == 0, done.stderr
    assert "Svenska kommuner med partnerkommuner i ett land inom ett samarbetsområde" in done.stdout
    assert "--param area=…" in done.stdout and "(default water)" in done.stdout
    assert "SELECT DISTINCT ?swedish" in done.stdout


def test_run_csv_json_jsonl_tsv(project: Path) -> None:
    args = ("query", "run", "partners-of-municipality", "-p", "municipality=se-2080")
    done = munikg(*args, "--format", "csv", cwd=project)
    assert done.returncode == 0, done.stderr
    assert list(csv.reader(io.StringIO(done.stdout))) == [
        ["partner", "partnerLabel", "country", "partnership"],
        [
            "https://w3id.org/munikg/id/municipality/ua-26080070000092582",
            "Kolomyia",
            "https://w3id.org/munikg/id/country/ua",
            "https://w3id.org/munikg/id/partnership/falun-kolomyia",
        ],
    ]
    sparql_json = json.loads(munikg(*args, "--format", "json", cwd=project).stdout)
    assert sparql_json["head"]["vars"] == ["partner", "partnerLabel", "country", "partnership"]
    assert sparql_json["results"]["bindings"][0]["partnerLabel"] == {
        "type": "literal",
        "value": "Kolomyia",
        "xml:lang": "en",
    }
    lines = munikg(*args, "--format", "jsonl", "--lang", "sv", cwd=project).stdout.splitlines()
    assert [json.loads(line)["partnerLabel"] for line in lines] == ["Kolomyia"]
    tsv = munikg(*args, "--format", "tsv", cwd=project).stdout.splitlines()
    assert tsv[0] == "?partner\t?partnerLabel\t?country\t?partnership"
    assert '"Kolomyia"@en' in tsv[1]


def test_run_numbers_keep_their_type(project: Path) -> None:
    done = munikg("query", "run", "funding-totals-by-funder", "--format", "jsonl", cwd=project)
    rows = [json.loads(line) for line in done.stdout.splitlines()]
    assert rows[1]["fundings"] == 9 and rows[1]["projectTotal"] == "400825469"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("query", "run", "partnerships-by-area", "-p", "area=sewage"),
            "parameter area: <https://w3id.org/munikg/id/concept/area/sewage> is not",
        ),
        (("query", "run", "partnerships-by-area", "-p", "areawater"), "expected NAME=VALUE"),
        (("query", "run", "nothing-like-this"), "no canned query 'nothing-like-this'"),
        (("query", "run", "partnerships-by-area", "--format", "yaml"), "yaml"),
        (("sparql", "SELECT * WHERE { ?s ?p }"), "SPARQL syntax error"),
        (("sparql",), "give a query or --file"),
    ],
)
def test_bad_input_exits_2(project: Path, args: tuple[str, ...], message: str) -> None:
    done = munikg(*args, cwd=project)
    assert done.returncode == 2
    assert message in done.stderr


def test_sparql_from_a_file(project: Path, tmp_path: Path) -> None:
    query = tmp_path / "q.rq"
    query.write_text(
        "PREFIX mk: <https://w3id.org/munikg/ontology#>\n"
        "SELECT (COUNT(?p) AS ?n) WHERE { ?p a mk:Partnership }\n",
        encoding="utf-8",
    )
    done = munikg("sparql", "--file", str(query), "--format", "csv", cwd=project)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["n", "8"]


def test_a_query_file_without_a_title_is_bad_input(tmp_path: Path) -> None:
    (tmp_path / "q.rq").write_text("# description: x\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(BadInput, match="lacks '# title:'"):
        canned.load(tmp_path)


def test_a_param_of_unknown_type_is_bad_input(tmp_path: Path) -> None:
    header = "".join(f"# {f}: x\n" for f in canned.REQUIRED_FIELDS)
    (tmp_path / "q.rq").write_text(header + "# param: n number\nSELECT * WHERE { ?s ?p ?n }\n")
    with pytest.raises(BadInput, match=r"q\.rq:5: a param needs a name and a type"):
        canned.load(tmp_path)


def test_every_query_has_its_header_a_reference_section_and_a_readme_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    reference = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name, query in canned.load(ROOT / "queries").items():
        for field in canned.REQUIRED_FIELDS:
            assert query.fields.get(field), (name, field)
        for param in query.params:
            assert param.description.get("en") and param.description.get("sv"), (name, param.name)
        assert f"#### `{name}`" in reference, f"{name} is missing from docs/queries.md"
        assert f"munikg query run {name}" in reference, f"{name} has no example in docs/queries.md"
        assert f"`munikg query run {name}" in readme, f"{name} has no example in the README"
