"""What a query worker does: check a query with the engine's parser, run it on the release
store, choose the answer's format from what the engine returned, and write the answer.

Workers are separate processes (:mod:`munikg.serve.pool` starts, times and kills them), because
pyoxigraph's ``Store.query`` has no timeout and cannot be cancelled (design §8). Each worker
first makes itself unable to open a network connection (:mod:`munikg.serve.sandbox`), then opens the
store read-only and answers one job at a time over its pipe, on a thread whose stack holds the
deepest query a request of the largest allowed size can spell.
"""

import re
import signal
import sys
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection

import pyoxigraph as ox

from munikg.namespaces import PREFIXES
from munikg.query.results import Cell, rows_of
from munikg.query.syntax import explain
from munikg.serve import guard, sandbox
from munikg.serve.messages import (
    Boolean,
    Encoded,
    Failure,
    Outcome,
    Solutions,
    Triples,
    encode,
)
from munikg.serve.negotiation import (
    ASK_TYPES,
    GRAPH_TYPES,
    SELECT_TYPES,
    SHORT_NAMES,
    TURTLE,
    choose,
)

# The engine's parser and evaluator recurse per nesting level; measured on pyoxigraph 0.5, a
# level costs at most ~3.8 KB of stack per two characters of query ("{}"): 4 KB per byte of
# the largest request leaves room to spare.
STACK_PER_REQUEST_BYTE = 4 * 1024


@dataclass(frozen=True)
class Answering:
    """How the client asked for the answer: its ``Accept`` header and ``format=`` value."""

    accept: str | None = None
    format: str | None = None


@dataclass(frozen=True)
class Job:
    """One query and how to answer it."""

    query: str
    default_graphs: tuple[str, ...] | None = None  # None: the query's own (or the merge)
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None  # relative IRIs resolve against it (the endpoint's URL)
    row_limit: int = 10_000
    note: str = ""  # where a truncated answer points readers for the limits
    answering: Answering | None = None  # written in a negotiated format; None: the outcome


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run one job on ``store`` (in a worker, or in-process for tests and doctests).

    >>> store = ox.Store()
    >>> execute(store, Job("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", row_limit=2)).truncated
    True
    >>> execute(store, Job("ASK {")).status
    400
    >>> execute(store, Job("ASK {}", answering=Answering("application/json"))).body
    b'{"head": {}, "boolean": true}'
    >>> execute(store, Job("ASK {}", answering=Answering("image/png"))).status
    406
    """
    try:
        guard.check(job.query, job.base_iri)
    except guard.Refused as error:
        return Failure(400, str(error))
    try:
        result = store.query(
            job.query,
            base_iri=job.base_iri,
            default_graph=None
            if job.default_graphs is None
            else [ox.NamedNode(g) for g in job.default_graphs],
            named_graphs=None
            if job.named_graphs is None
            else [ox.NamedNode(g) for g in job.named_graphs],
        )
    except SyntaxError as error:
        said = explain(job.query, str(error))
        return Failure(400, f"SPARQL syntax error: {said}{_hint(str(error))}")
    except (OSError, ValueError, RuntimeError) as error:
        return Failure(400, f"The query could not be evaluated: {error}")
    media = TURTLE
    if job.answering is not None:
        chosen = negotiate(form_of(result), job.answering)
        if isinstance(chosen, Failure):
            return chosen
        media = chosen
    try:
        outcome = _collect(result, job, media)
    except (OSError, ValueError, RuntimeError) as error:
        return Failure(400, f"The query could not be evaluated: {error}")
    if job.answering is None:
        return outcome
    body, headers = encode(outcome, media, job.row_limit, job.note)
    return Encoded(body, headers)


_AT_OPERATION = re.compile(r"expected .*\b(?:SELECT|CONSTRUCT|DESCRIBE|ASK)\b")


def _hint(message: str) -> str:
    """What to add where the parser wanted a query form: perhaps an update was sent."""
    if _AT_OPERATION.search(message) is None:
        return ""
    return (
        "\nThis endpoint answers SPARQL queries (SELECT, ASK, CONSTRUCT, DESCRIBE) only: it is "
        "read-only, and SPARQL Update is refused."
    )


def form_of(result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples) -> str:
    """The query's form, as the engine's answer shows it."""
    if isinstance(result, ox.QuerySolutions):
        return "SELECT"
    return "ASK" if isinstance(result, ox.QueryBoolean) else "CONSTRUCT or DESCRIBE"


OFFERS = {"SELECT": SELECT_TYPES, "ASK": ASK_TYPES, "CONSTRUCT or DESCRIBE": GRAPH_TYPES}


def negotiate(form: str, answering: Answering) -> str | Failure:
    """The media type to answer a query of ``form`` (:func:`form_of`) in: ``format=`` if
    given, else by ``Accept``; a Failure (400 for a ``format=`` the form lacks, 406 if no
    accepted type fits) otherwise."""
    available = OFFERS[form]
    if answering.format:
        wanted = SHORT_NAMES.get(answering.format.lower(), answering.format.lower())
        if wanted in available:
            return wanted
        return Failure(
            400,
            f"format={answering.format!r} is not available for a {form} answer "
            f"(choose one of: {', '.join(available)}).",
        )
    chosen = choose(answering.accept, available)
    if chosen is None:
        return Failure(
            406,
            f"None of the accepted types is available; a {form} answer comes as: "
            f"{', '.join(available)}.",
        )
    return chosen


def _collect(
    result: ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples, job: Job, media: str
) -> Solutions | Boolean | Triples:
    """The answer, cut at the row limit (one more row is read to know whether it was cut)."""
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows: list[tuple[Cell | None, ...]] = []
        for row in rows_of(result):
            if len(rows) == job.row_limit:
                return Solutions(names, rows, True)
            rows.append(row)
        return Solutions(names, rows, False)
    if isinstance(result, ox.QueryBoolean):
        return Boolean(bool(result))
    triples: list[ox.Triple] = []
    truncated = False
    for triple in result:
        if len(triples) == job.row_limit:
            truncated = True
            break
        triples.append(triple)
    fmt = ox.RdfFormat.from_media_type(media) or ox.RdfFormat.TURTLE
    prefixes = PREFIXES if fmt in {ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML} else None
    data = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
    return Triples(data, len(triples), truncated)


READY = "ready"


def work(store_path: str, conn: Connection, stack_bytes: int) -> None:
    """A worker's life: confine itself, open the store, answer jobs until the pipe closes.
    The first message says how it went: ``(READY, confined)``, or the reason it cannot serve."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it stops us
    confined = True
    try:
        sandbox.forbid_network()
    except sandbox.SandboxUnavailable as error:
        if sys.platform.startswith("linux"):  # where it should work, not serving is safer
            conn.send(f"the query worker cannot confine itself: {error}")
            return
        confined = False
    try:
        guard.check_engine()
        store = ox.Store.read_only(store_path)
    except (RuntimeError, OSError) as error:
        conn.send(str(error))
        return
    conn.send((READY, confined))
    threading.stack_size(stack_bytes)
    answering = threading.Thread(target=_answer, args=(store, conn), name="munikg-answer")
    answering.start()
    answering.join()


def _answer(store: ox.Store, conn: Connection) -> None:
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(store, job))
