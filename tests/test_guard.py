"""The endpoint's guard (munikg.serve.guard) against the W3C syntax suites, against the engine
itself, and against the encodings that got past its predecessor.

The differential test is the strongest: thousands of texts built from decoys (the word SERVICE
in strings, IRIs, comments, names; escapes; comments a carriage return ends) around a real
SERVICE clause or none are run by pyoxigraph in a child process that cannot open sockets
(munikg.serve.sandbox). A SERVICE the engine really evaluates fails there with "Permission denied";
the guard must refuse exactly those texts, and no other.
"""

import itertools
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import RDF, Graph, Namespace

from munikg.query.syntax import syntax_error
from munikg.serve import guard
from munikg.serve.guard import Refused, check
from tests.conftest import ROOT

SUITES = ROOT / "tests" / "w3c" / "sparql-syntax"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
POSITIVE = {MF.PositiveSyntaxTest, MF.PositiveSyntaxTest11}
NEGATIVE = {MF.NegativeSyntaxTest, MF.NegativeSyntaxTest11}

# Where the engine (Oxigraph, whose parser the guard asks) reads a test otherwise than its
# manifest: the guard then agrees with the engine, which is the point.
ENGINE_READS_OTHERWISE = {
    "syntax-lit-08.rq": "SPARQL 1.0 read '123.' as a decimal; in SPARQL 1.1 a decimal needs a "
    "digit after the point, so '123. .' is a syntax error",
    "syntax-esc-04.rq": "SPARQL 1.1 §19.2 reads \\u escapes before parsing; Oxigraph follows "
    "SPARQL 1.2, which reads them only inside IRIs and strings, so :\\u0070 is a syntax error",
    "syntax-esc-05.rq": "as syntax-esc-04 (the escapes outside IRIs and strings)",
    "qname-escape-01.rq": "'\\:' is not among SPARQL 1.1's PN_LOCAL_ESC escapes (a known "
    "erratum of this test)",
    "syn-bad-26.rq": "SPARQL 1.0's longest-token rule made '<?a&&?b>' an IRI; Oxigraph's "
    "parser reads it by context as comparisons, which SPARQL 1.1 allows",
}


@dataclass(frozen=True)
class SyntaxTest:
    suite: str
    path: Path
    positive: bool


def syntax_tests() -> list[SyntaxTest]:
    tests = []
    for manifest in sorted(SUITES.glob("*/manifest.ttl")):
        graph = Graph()
        graph.parse(manifest, format="turtle", publicID=manifest.as_uri())
        for entry, kind in graph.subject_objects(RDF.type):
            if kind not in POSITIVE | NEGATIVE:
                continue
            action = graph.value(entry, MF.action)
            path = Path(str(action).removeprefix("file://"))
            tests.append(SyntaxTest(manifest.parent.name, path, kind in POSITIVE))
    return sorted(tests, key=lambda t: (t.suite, t.path.name))


TESTS = syntax_tests()


def test_the_suites_are_read_whole() -> None:
    counts = {s: sum(t.suite == s for t in TESTS) for s in {t.suite for t in TESTS}}
    assert counts == {
        "syntax-fed": 3,
        "syntax-query": 87,
        "syntax-sparql1": 81,
        "syntax-sparql2": 53,
        "syntax-sparql3": 51,
        "syntax-sparql4": 12,
        "syntax-sparql5": 2,
    }
    assert all(t.path.is_file() for t in TESTS)
    assert set(ENGINE_READS_OTHERWISE) <= {t.path.name for t in TESTS}


@pytest.mark.parametrize("test", TESTS, ids=[f"{t.suite}/{t.path.name}" for t in TESTS])
def test_w3c_syntax(test: SyntaxTest) -> None:
    if test.path.name in ENGINE_READS_OTHERWISE:
        pytest.skip(ENGINE_READS_OTHERWISE[test.path.name])
    text = test.path.read_text(encoding="utf-8")
    base = test.path.as_uri()
    if not test.positive:
        assert syntax_error(text, base) is not None
        check(text, base)  # nothing to refuse: the engine says why it is not SPARQL
    elif test.suite == "syntax-fed":  # federated queries: valid, and refused for their SERVICE
        assert syntax_error(text, base) is None
        with pytest.raises(Refused, match="SERVICE is not allowed"):
            check(text, base)
    else:
        assert syntax_error(text, base) is None
        check(text, base)


def test_the_engine_still_behaves_as_the_guard_relies_on() -> None:
    guard.check_engine()


LISTENER = "http://127.0.0.1:65000/"  # never reached: the oracle runs in a sandboxed process
DECOYS = [
    "",
    "# a comment\n",
    f"# SERVICE <{LISTENER}> {{}}\n",
    "#\r",
    f'BIND("SERVICE <{LISTENER}> {{}}" AS ?d1)',
    "BIND('''x'' SERVICE ''' AS ?d2)",
    'BIND("\\"# SERVICE" AS ?d3)',
    "BIND(<http://e/\\u0061#> AS ?d4)",
    "BIND(<http://e/service#x> AS ?d5)",
    "VALUES ?service { 1 }",
    'BIND("a"@service AS ?d6)',
    'BIND("\\u0022" AS ?d7)',
    "BIND(<http://e/\\u0023> AS ?d8)",
]
CLAUSES = ["", f"SERVICE <{LISTENER}> {{}}", f"SeRvIcE<{LISTENER}>{{}}"]
FORMS = [("SELECT * {", "}"), ("ASK {", "}"), ("CONSTRUCT { <x:s> <x:p> <x:o> } WHERE {", "}")]
SEPARATORS = [" ", "\n", "\r"]

ORACLE = """
import json, sys
import pyoxigraph as ox
from munikg.serve.sandbox import forbid_network
forbid_network()
verdicts = []
for text in json.load(sys.stdin):
    store = ox.Store()
    try:
        result = store.query(text)
        if not isinstance(result, ox.QueryBoolean):
            list(result)
        verdicts.append("ran")
    except SyntaxError:
        verdicts.append("syntax")
    except OSError as error:
        verdicts.append("service" if "Permission denied" in str(error) else repr(error))
json.dump(verdicts, sys.stdout)
"""


def guard_verdict(text: str) -> str:
    try:
        check(text)
    except Refused:
        return "service"
    return "syntax" if syntax_error(text) is not None else "ran"


def test_the_guard_refuses_exactly_the_service_clauses_the_engine_runs() -> None:
    texts = [
        f"{head}{sep}{before}{sep}{clause}{sep}{after}{sep}{tail}"
        for (head, tail), before, clause, after, sep in itertools.product(
            FORMS, DECOYS, CLAUSES, DECOYS, SEPARATORS
        )
    ]
    done = subprocess.run(
        [sys.executable, "-c", ORACLE],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        cwd=ROOT,
    )
    engine = json.loads(done.stdout)
    assert len(engine) == len(texts)
    assert set(engine) <= {"ran", "syntax", "service"}, set(engine)
    disagreements = [
        (text, theirs, guard_verdict(text))
        for text, theirs in zip(texts, engine, strict=True)
        if guard_verdict(text) != theirs
    ]
    assert disagreements == []
    # the corpus holds all three kinds, many of each
    assert min(engine.count(kind) for kind in ("ran", "syntax", "service")) > 100


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { BIND(<http://e/\\u0061#> AS ?x) SERVICE <http://127.0.0.1:1/d> { ?s ?p ?o } }",
        "select * where { service silent <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { # a comment }\n  SeRvIcE <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE {\n#\r SERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE {\t\r\nSERVICE\t<http://h/>{?s ?p ?o}}",
        "PREFIX x: <http://h/> SELECT * WHERE { SERVICE x:sparql { ?s ?p ?o } }",
        "SELECT * WHERE { VALUES ?e { <http://h/> } SERVICE ?e { ?s ?p ?o } }",
        "ASK { { SELECT * WHERE { SERVICE <http://h/> { ?s ?p ?o } } } }",
        "ASK { FILTER EXISTS { SERVICE <http://h/> { ?s ?p ?o } } }",
        "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
        "DESCRIBE ?s WHERE { SERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * { SERVICESILENT <http://h/> {} }",
        "SELECT * { OPTIONAL { SERVICE <http://h/> {} } MINUS { SERVICE <http://h/> {} } }",
    ],
)
def test_service_in_any_spelling_is_refused(text: str) -> None:
    with pytest.raises(Refused, match=r"SERVICE is not allowed here \(line \d+, column \d+\)"):
        check(text)


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE { ?s <http://e/service> 'customer service' }",
        "SELECT ?service (COUNT(*) AS ?n) WHERE { ?service ?p ?o } GROUP BY ?service",
        "PREFIX service: <http://e/s#> SELECT * WHERE { service:a ?p ?o }",
        "PREFIX e: <http://e/> SELECT * WHERE { ?s e:service ?o }",
        "SELECT * WHERE { ?s ?p 'x'@service } # SERVICE <http://h/> {}",
        'SELECT * WHERE { BIND("""SERVICE <http://h/> { }""" AS ?x) }',
        "SELECT * WHERE { ?s ?p ?o } VALUES ?o { <http://e/SERVICE> }",
        "ASK FROM <http://elsewhere.example/\\u0067> {}",
        "PREFIX ex: <http://e/\\u0061> SELECT ?x WHERE { BIND(ex:b AS ?x) }",
    ],
)
def test_the_word_service_elsewhere_is_not_a_clause(text: str) -> None:
    check(text)


@pytest.mark.parametrize(
    "text",
    [
        "S\\u0045RVICE",  # an escape outside an IRI or string is not read as a letter
        "SELECT * WHERE { \\u0053ERVICE <http://h/> { ?s ?p ?o } }",
        "SELECT * WHERE { %53ERVICE <http://h/> { ?s ?p ?o } }",  # percent-encoding is HTTP's
        "",
        "garbage",
        "SELECT * WHERE { ?s ?p ?o",
    ],
)
def test_escaped_and_broken_texts_are_syntax_errors(text: str) -> None:
    assert re.match(r"error at \d+:\d+", syntax_error(text) or "")
    check(text)  # not refused: not SPARQL at all, as the engine then says


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * WHERE " + "{" * 5000 + "}" * 5000,
        "SELECT * WHERE { FILTER(" + "(" * 5000 + "1" + ")" * 5000 + ") }",
        "SELECT * WHERE { FILTER(" + "!" * 20000 + "true) }",
        "SELECT * WHERE { FILTER(" + "! " * 100 + "true) }",
        "SELECT * WHERE { ?s ?p " + "[ ?p " * 100 + "1" + " ]" * 100 + " }",
    ],
)
def test_deep_nesting_is_refused_before_the_engine_sees_it(text: str) -> None:
    with pytest.raises(Refused, match="accepts at most 64"):
        check(text)


def test_nesting_within_the_bound_is_accepted() -> None:
    check("SELECT * WHERE " + "{" * 64 + "}" * 64)
    check("SELECT * WHERE { FILTER(" + "!" * 64 + "true) }")
    check("SELECT * WHERE { FILTER(" + "(" * 30 + "1" + ")" * 30 + ") } # ((((")
