"""Tabular curation (:mod:`munikg.build.tables`): a table and its mapping become a graph; bad
cells, headers and mappings are refused naming file, line and column; a build that meets
one leaves the release as it was. Expected Turtle and positions are written by hand from
the small tables below."""

import shutil
from pathlib import Path

import pytest

from munikg.build.inputs import Layout
from munikg.build.tables import read_mapping, render
from munikg.errors import BadInput

from .conftest import ROOT, copy_seed_data, munikg, tree_digest

MAPPING = """\
# title: test towns
# column: id string required -- the slug
# column: name string lang=sv -- its name
# column: partners iri separator=; namespace=http://example.org/ -- other towns
# column: founded integer min=1000 max=2100 -- the year
PREFIX ex: <http://example.org/>
CONSTRUCT { ?town a ex:Town ; ex:name ?name ; ex:partner ?partners ; ex:founded ?founded }
WHERE { BIND (IRI(CONCAT(STR(ex:), ?id)) AS ?town) }
"""


HEAD = "id,name,partners,founded\n"


def table(directory: Path, text: str, mapping: str = MAPPING, suffix: str = ".csv") -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"towns{suffix}"
    path.write_text(text, encoding="utf-8")
    (directory / "towns.rq").write_text(mapping, encoding="utf-8")
    return path


def refusal(path: Path) -> str:
    with pytest.raises(BadInput) as caught:
        render(path)
    return str(caught.value)


def test_rows_become_sorted_prefixed_triples_each_naming_its_row(tmp_path: Path) -> None:
    path = table(tmp_path, "id,name,partners,founded\nfalun,Falun,borlange;mora,1641\nmora,,,\n")
    lines = render(path).read_text(encoding="utf-8").splitlines()
    assert lines[1:] == [
        "@prefix ex: <http://example.org/> .",
        f"ex:falun a ex:Town . # from {path}:2",
        f'ex:falun ex:founded "1641"^^<http://www.w3.org/2001/XMLSchema#integer> . # from {path}:2',
        f'ex:falun ex:name "Falun"@sv . # from {path}:2',
        f"ex:falun ex:partner ex:borlange . # from {path}:2",
        f"ex:falun ex:partner ex:mora . # from {path}:2",
        f"ex:mora a ex:Town . # from {path}:3",  # empty cells are unbound
    ]


def test_a_tab_separated_table_reads_the_same(tmp_path: Path) -> None:
    csv = render(table(tmp_path / "csv", "id,name,partners,founded\nfalun,Falun,mora,1641\n"))
    tsv = render(
        table(
            tmp_path / "tsv",
            "id\tname\tpartners\tfounded\nfalun\tFalun\tmora\t1641\n",
            suffix=".tsv",
        )
    )
    body = [line.split(" # from ")[0] for line in csv.read_text(encoding="utf-8").splitlines()[1:]]
    assert len(body) == 5
    assert body == [
        line.split(" # from ")[0] for line in tsv.read_text(encoding="utf-8").splitlines()[1:]
    ]


@pytest.mark.parametrize(
    ("text", "where", "says"),
    [
        (f"{HEAD}falun,Falun,,sixteen\n", "2:4", "column founded: 'sixteen' is not"),
        (f"{HEAD}falun,Falun,,900\n", "2:4", "column founded: '900' is not"),
        (f"{HEAD}falun,Falun,,\n,Mora,,\n", "3:1", "column id is required"),
        (f"{HEAD}falun,Falun,not an iri;mora,\n", "2:3", "column partners: 'not an iri'"),
        (f'{HEAD}\n\nfalun,"Fa\nlun",,\nmora,Mora,,x\n', "6:4", "'x' is not"),  # lines, not rows
        ("id,nme,partners,founded\nfalun,Falun,,\n", "1:2", "column 'nme' is not declared"),
        ("name,partners,founded\nFalun,,\n", "1", "the header lacks column 'id'"),
        (f"{HEAD}falun,Falun,,,extra\n", "2", "5 cells where the header has 4"),
        (HEAD, None, None),  # a header alone is an empty graph, not an error
    ],
)
def test_a_bad_cell_or_header_names_file_line_and_column(
    tmp_path: Path, text: str, where: str | None, says: str | None
) -> None:
    path = table(tmp_path, text)
    if where is None:
        assert render(path).read_text(encoding="utf-8").count(" # from ") == 0
        return
    message = refusal(path)
    assert message.startswith(f"{path}:{where}: ")
    assert says in message


@pytest.mark.parametrize(
    ("mapping", "says"),
    [
        (
            MAPPING.replace("CONSTRUCT", "SELECT *", 1).replace("{ ?town a", "# { ?town a"),
            "CONSTRUCT",
        ),
        (MAPPING.replace("# title: test towns\n", ""), "lacks '# title:'"),
        (MAPPING.replace("founded integer", "founded number"), "a param needs a name and a type"),
        (MAPPING.replace("BIND (IRI", "BIND (IRI("), "not valid SPARQL"),
        (
            MAPPING.replace(
                "BIND (IRI(CONCAT(STR(ex:), ?id)) AS ?town)", "BIND (BNODE() AS ?town)"
            ),
            "blank node",
        ),
    ],
)
def test_a_bad_mapping_is_refused_naming_the_mapping(
    tmp_path: Path, mapping: str, says: str
) -> None:
    path = table(tmp_path, "id,name,partners,founded\nfalun,Falun,,\n", mapping=mapping)
    message = refusal(path)
    assert message.startswith(str(tmp_path / "towns.rq"))
    assert says in message


def test_the_values_go_inside_the_where_group_found_by_a_parse(tmp_path: Path) -> None:
    # a "{" in a comment or a string before WHERE must not fool the position
    mapping = MAPPING.replace("WHERE {", '# a stray { here\nWHERE { BIND ("{" AS ?brace)', 1)
    path = table(tmp_path, "id,name,partners,founded\nfalun,Falun,,\n", mapping=mapping)
    opening = read_mapping(tmp_path / "towns.rq").opening
    assert mapping[opening - 1] == "{" and mapping[opening:].startswith(' BIND ("{"')
    assert f"ex:falun a ex:Town . # from {path}:2" in render(path).read_text(encoding="utf-8")


def test_a_mapping_without_its_table_is_refused(tmp_path: Path) -> None:
    data = copy_seed_data(tmp_path / "data")
    (data / "orphan.rq").write_text(MAPPING, encoding="utf-8")
    with pytest.raises(BadInput, match=r"orphan\.rq: a mapping without its table"):
        Layout(ROOT / "ontology", data).edited_paths()


def test_a_table_and_a_turtle_file_may_not_share_a_graph(tmp_path: Path) -> None:
    data = copy_seed_data(tmp_path / "data")
    table(data, "id\nfalun\n")
    shutil.copy2(data / "icld-partnerships.ttl", data / "towns.ttl")
    with pytest.raises(BadInput, match=r"towns\.ttl: its graph 'towns' is also"):
        Layout(ROOT / "ontology", data).edited_paths()


PARTNERSHIPS = """\
# title: test partnerships
# column: id string required -- the slug
# column: members iri required separator=; namespace=https://w3id.org/munikg/id/ -- its parties
PREFIX mk: <https://w3id.org/munikg/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX src: <https://w3id.org/munikg/id/source/>
CONSTRUCT { ?p a mk:Partnership ; rdfs:label ?sv , ?en ; org:hasMember ?members ;
              prov:wasDerivedFrom src:icld-partnerships }
WHERE {
  BIND (IRI(CONCAT("https://w3id.org/munikg/id/partnership/test-", ?id)) AS ?p)
  BIND (STRLANG(?id, "sv") AS ?sv)
  BIND (STRLANG(?id, "en") AS ?en)
}
"""
# Test-only rows, not claims about the world: Umeå (2480) with Kalush, then Umeå alone.
ROWS = "id,members\numea-kalush,municipality/se-2480;municipality/ua-26060170000091466\n"


@pytest.fixture
def project(built_project: Path, tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(built_project, root)
    (root / "data" / "test-partnerships.rq").write_text(PARTNERSHIPS, encoding="utf-8")
    return root


def test_a_table_builds_into_its_own_graph(project: Path) -> None:
    (project / "data" / "test-partnerships.csv").write_text(ROWS, encoding="utf-8")
    done = munikg("build", cwd=project)
    assert done.returncode == 0, done.stderr
    done = munikg(
        "sparql",
        "SELECT ?m WHERE { GRAPH <https://w3id.org/munikg/graph/test-partnerships> "
        "{ <https://w3id.org/munikg/id/partnership/test-umea-kalush> "
        "<http://www.w3.org/ns/org#hasMember> ?m } } ORDER BY ?m",
        "--format",
        "csv",
        cwd=project,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "m",
        "https://w3id.org/munikg/id/municipality/se-2480",
        "https://w3id.org/munikg/id/municipality/ua-26060170000091466",
    ]


@pytest.mark.parametrize(
    ("rows", "where", "says"),
    [
        (
            ROWS + "umea-alone,municipality/se-2480\n",
            "test-partnerships.csv:3:",
            "PartnershipShape",
        ),
        (ROWS + "umea-nobody,\n", "test-partnerships.csv:3:2:", "column members is required"),
    ],
)
def test_a_broken_or_violating_row_is_named_and_the_release_kept(
    project: Path, rows: str, where: str, says: str
) -> None:
    before = tree_digest(project / "dist")
    (project / "data" / "test-partnerships.csv").write_text(rows, encoding="utf-8")
    done = munikg("build", cwd=project)
    assert done.returncode != 0
    report = done.stdout + done.stderr
    assert where in report and says in report, report
    assert tree_digest(project / "dist") == before


def test_the_readmes_example_mapping_builds(project: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Adding a source", 1)[1]
    mapping = section.split("```sparql\n", 1)[1].split("```", 1)[0]
    (project / "data" / "test-partnerships.rq").write_text(mapping, encoding="utf-8")
    # Test-only row, not a claim about the world: Umeå (2480) with Kalush, on 001's capture
    (project / "data" / "test-partnerships.csv").write_text(
        "partnership,label,members,year,pages\n"
        "test-umea-kalush,Umeå–Kalush (test),municipality/se-2480;municipality/ua-26060170000091466,"
        "2024,icld-partnerships\n",
        encoding="utf-8",
    )
    done = munikg("build", cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    done = munikg(
        "sparql",
        "SELECT ?y WHERE { <https://w3id.org/munikg/id/partnership/test-umea-kalush> "
        "<https://w3id.org/munikg/ontology#year> ?y }",
        "--format",
        "csv",
        cwd=project,
    )
    assert done.stdout.split() == ["y", "2024"]
