"""Queries run in worker processes that can be killed, so a time limit really stops the work.

pyoxigraph's ``Store.query`` has no timeout and cannot be cancelled (design §8). Each worker
opens the release store read-only and answers one job at a time over a pipe; the server waits
for the answer without blocking its event loop, and past the time limit it kills the worker
(SIGKILL) and starts a fresh one. The pool's size caps concurrent queries; a request that waits
too long for a free worker is told the server is busy.
"""

import asyncio
import contextlib
import multiprocessing
import signal
import threading
from dataclasses import dataclass
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import pyoxigraph as ox

from munikg.outcomes import (
    Boolean,
    Encoded,
    Failure,
    Outcome,
    Solutions,
    Triples,
    encode,
)
from munikg.results import Cell, rows_of

_CONTEXT = multiprocessing.get_context("spawn")  # no fork of a threaded server


@dataclass(frozen=True)
class Job:
    """One query and how to answer it."""

    query: str
    default_graphs: tuple[str, ...] | None = None  # None: the query's own (or the store's)
    named_graphs: tuple[str, ...] | None = None
    rdf_media_type: str = "text/turtle"  # how CONSTRUCT/DESCRIBE results are serialized
    row_limit: int = 10_000
    prefixes: tuple[tuple[str, str], ...] = ()
    base_iri: str | None = None  # relative IRIs resolve against it (the endpoint's URL)
    encode_as: str | None = None  # a media type: the worker writes the answer's bytes itself
    note: str = ""  # where a truncated answer points readers for the limits


class TimedOut(Exception):
    """The query ran past the time limit; its worker was killed."""


class Busy(Exception):
    """No worker became free in time."""


def execute(store: ox.Store, job: Job) -> Outcome:
    """Run one job on ``store`` (in a worker, or in-process for tests and doctests); with
    ``encode_as``, the answer comes back written, so the server's event loop only sends bytes.

    >>> store = ox.Store()
    >>> execute(store, Job("SELECT ?n WHERE { VALUES ?n { 1 2 3 } }", row_limit=2)).truncated
    True
    >>> execute(store, Job("ASK {")).syntax
    True
    >>> execute(store, Job("ASK {}", encode_as="application/sparql-results+json")).body
    b'{"head": {}, "boolean": true}'
    """
    outcome = _evaluate(store, job)
    if job.encode_as is None or isinstance(outcome, Failure):
        return outcome
    body, headers = encode(outcome, job.encode_as, job.row_limit, job.note)
    return Encoded(body, headers)


def _evaluate(store: ox.Store, job: Job) -> Solutions | Boolean | Triples | Failure:
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
        return Failure(True, str(error))
    except (OSError, ValueError, RuntimeError) as error:
        return Failure(False, str(error))
    try:
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
        fmt = ox.RdfFormat.from_media_type(job.rdf_media_type) or ox.RdfFormat.TURTLE
        prefixes = (
            dict(job.prefixes) if fmt in {ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML} else None
        )
        data = ox.serialize(triples, format=fmt, prefixes=prefixes) or b""
        return Triples(data, len(triples), truncated)
    except (OSError, ValueError, RuntimeError) as error:
        return Failure(False, str(error))


def _work(store_path: str, conn: Connection) -> None:
    """A worker's life: open the store, answer jobs until the pipe closes."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the server's; it stops us
    store = ox.Store.read_only(store_path)
    conn.send("ready")
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        conn.send(execute(store, job))


class Worker:
    def __init__(self, store_path: Path) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process: BaseProcess = _CONTEXT.Process(
            target=_work, args=(str(store_path), child), daemon=True, name="munikg-query"
        )
        self.process.start()
        child.close()
        try:
            ready = self.conn.poll(60) and self.conn.recv() == "ready"
        except (EOFError, OSError):
            ready = False
        if not ready:
            self.kill()
            raise RuntimeError(f"a query worker could not open {store_path}")

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class QueryPool:
    """``size`` workers over the store at ``store_path``."""

    def __init__(
        self, store_path: Path, size: int, time_limit: float, queue_wait: float = 30.0
    ) -> None:
        self.store_path = store_path
        self.size = size
        self.time_limit = time_limit
        self.queue_wait = queue_wait
        self._idle: asyncio.Queue[Worker] = asyncio.Queue()
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._renewals: set[asyncio.Task[None]] = set()  # kept so the loop does not drop them

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        for worker in workers:
            self._idle.put_nowait(worker)

    def _spawn(self) -> Worker:
        worker = Worker(self.store_path)
        with self._lock:
            self._all.add(worker)
        return worker

    def pids(self) -> list[int]:
        """The live workers' process ids (the server's status page and tests read them)."""
        with self._lock:
            return sorted(w.pid for w in self._all if w.pid is not None)

    async def run(self, job: Job) -> Outcome:
        try:
            worker = await asyncio.wait_for(self._idle.get(), self.queue_wait)
        except TimeoutError:
            raise Busy from None
        try:
            worker.conn.send(job)
            if not await _readable(worker.conn, self.time_limit):
                raise TimedOut
            outcome: Outcome = worker.conn.recv()
        except BaseException:
            # Timed out, died, or the request was cancelled mid-query: the worker's state is
            # unknown, so it is replaced rather than reused.
            self._replace(worker)
            raise
        self._idle.put_nowait(worker)
        return outcome

    def _replace(self, worker: Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        loop = asyncio.get_running_loop()

        async def renew() -> None:
            await asyncio.to_thread(worker.kill)
            self._idle.put_nowait(await asyncio.to_thread(self._spawn))

        task = loop.create_task(renew())
        self._renewals.add(task)
        task.add_done_callback(self._renewals.discard)

    async def close(self) -> None:
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        await asyncio.gather(*(asyncio.to_thread(w.kill) for w in workers))


async def _readable(conn: Connection, timeout: float) -> bool:
    """Wait until ``conn`` has data, without a thread: the event loop watches its descriptor."""
    loop = asyncio.get_running_loop()
    ready: asyncio.Future[None] = loop.create_future()
    fd = conn.fileno()

    def wake() -> None:
        if not ready.done():
            ready.set_result(None)

    loop.add_reader(fd, wake)
    try:
        await asyncio.wait_for(ready, timeout)
        return True
    except TimeoutError:
        return False
    finally:
        loop.remove_reader(fd)
