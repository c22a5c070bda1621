"""The query workers: started, shared fairly between clients, held to their limits, replaced.

A worker (:mod:`munikg.serve.executor`) answers one job at a time. The pool gives a free worker to
the oldest waiting request of a client that holds none, else of one below its share: a client
flooding slow queries never holds more than its share, and someone else's query goes first.
Each client has a budget of query time a minute (:mod:`munikg.serve.fairness`); past it, and past a
bound on its waiting requests, it is told to come back later (429).

While a job runs the pool watches, without blocking the event loop, the worker's pipe (the
answer) and, every few milliseconds, the time limit, the worker's resident memory and the
client's connection (a client that has gone is not worth a worker: its query is cancelled at
once). A worker past a limit is killed (SIGKILL: pyoxigraph cannot be stopped otherwise) and a
fresh one started. A query answered within the first look costs none of these checks: most do.
"""

import asyncio
import contextlib
import multiprocessing
import os
import threading
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.process import BaseProcess
from pathlib import Path

from munikg.serve.executor import READY, Job, work
from munikg.serve.fairness import TimeBudget
from munikg.serve.messages import Outcome

_CONTEXT = multiprocessing.get_context("spawn")  # no fork of a threaded server
_POLL = 0.02  # seconds between looks at a running worker's memory and clock
# A query whose client has gone is stopped once it has run this long: a fresh worker costs more
# than letting a short query finish (its answer is then dropped).
_GONE_GRACE = 0.25
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class TimedOut(Exception):
    """The query ran past the time limit; its worker was killed."""


class OverMemory(Exception):
    """The query's worker grew past the memory limit; it was killed."""


class WorkerDied(Exception):
    """The worker stopped while answering (a crash, not a limit)."""


class Busy(Exception):
    """No worker became free in time."""


class ClientGone(Exception):
    """The client closed its connection; its query was cancelled."""


class Throttled(Exception):
    """This client may not start a query now: ``retry_after`` seconds from now it may."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Limits:
    """What each query, and each client, may take."""

    time_limit: float = 10.0  # seconds a query may run
    memory_bytes: int = 0  # resident memory a worker may reach (0: no limit)
    share: int = 2  # workers one client may hold at once
    budget: float = 60.0  # seconds of query time per client per minute (0: no budget)
    queue_wait: float = 30.0  # seconds a request may wait for a worker
    waiting_per_client: int = 16  # requests of one client that may wait beyond its share


class Worker:
    """One worker process and the server's end of its pipe."""

    def __init__(self, store_path: Path, stack_bytes: int) -> None:
        self.conn, child = _CONTEXT.Pipe()
        self.process: BaseProcess = _CONTEXT.Process(
            target=work,
            args=(str(store_path), child, stack_bytes),
            daemon=True,
            name="munikg-query",
        )
        self.process.start()
        child.close()
        try:
            first = self.conn.recv() if self.conn.poll(60) else "it did not start in 60 s"
        except (EOFError, OSError):
            first = "it stopped while starting"
        if not (isinstance(first, tuple) and first[0] == READY):
            self.kill()
            raise RuntimeError(f"a query worker over {store_path} cannot serve: {first}")
        self.confined: bool = first[1]

    @property
    def pid(self) -> int | None:
        return self.process.pid

    def resident_bytes(self) -> int:
        """The worker's resident memory (0 where /proc does not tell)."""
        try:
            with open(f"/proc/{self.pid}/statm", "rb") as statm:
                return int(statm.read().split()[1]) * _PAGE
        except (OSError, IndexError, ValueError):
            return 0

    def kill(self) -> None:
        with contextlib.suppress(OSError):
            self.conn.close()
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)


class _Watch:
    """The client's connection, watched only once its request has waited or run a while."""

    def __init__(self, until_gone: "Callable[[], Awaitable[None]] | None") -> None:
        self.until_gone = until_gone
        self.task: asyncio.Future[None] | None = None

    def start(self, then: "Callable[[], None]") -> None:
        if self.task is None and self.until_gone is not None:
            self.task = asyncio.ensure_future(self.until_gone())
            self.task.add_done_callback(lambda _: then())

    def gone(self) -> bool:
        return self.task is not None and self.task.done() and not self.task.cancelled()

    def stop(self) -> None:
        if self.task is not None:
            self.task.cancel()


# Why a wait ended: a worker was granted (the Worker itself), or one of these.
_BUSY, _GONE = "busy", "gone"
# Why a running job's wait ended.
_ANSWERED, _TIMED_OUT, _OVER_MEMORY = "answered", "timed out", "over memory"


@dataclass(eq=False)
class _Waiter:
    since: float
    granted: "asyncio.Future[Worker | str]"
    watch: _Watch


@dataclass(eq=False)
class _Job:
    deadline: float
    since: float
    ended: "asyncio.Future[str]"
    watch: _Watch


class QueryPool:
    """``size`` workers over the store at ``store_path``, shared under ``limits``.

    One timer for the whole pool looks, every few milliseconds while anything waits or runs,
    at what waits (too long; client gone) and what runs (past the time limit or the memory
    limit; client gone). A request answered before that look costs a future and a pipe
    round trip: no timer, no task, no system call of its own.
    """

    def __init__(
        self, store_path: Path, size: int, limits: Limits, stack_bytes: int = 256 * 1024 * 1024
    ) -> None:
        self.store_path = store_path
        self.size = size
        self.limits = limits
        self.stack_bytes = stack_bytes
        self.budget = TimeBudget(limits.budget)
        self.confined = True
        self._idle: list[Worker] = []
        # Each client's waiting requests, oldest first; clients in the order they began to wait.
        self._waiting: dict[str, deque[_Waiter]] = {}
        self._running: dict[Worker, _Job] = {}
        self._holding: Counter[str] = Counter()  # workers each client holds now
        self._asking: Counter[str] = Counter()  # requests each client has waiting or running
        self._all: set[Worker] = set()
        self._lock = threading.Lock()
        self._tick: asyncio.TimerHandle | None = None
        self._renewals: set[asyncio.Task[None]] = set()  # kept so the loop does not drop them

    async def start(self) -> None:
        workers = await asyncio.gather(*(asyncio.to_thread(self._spawn) for _ in range(self.size)))
        self.confined = all(w.confined for w in workers)
        for worker in workers:
            self._enlist(worker)

    def _spawn(self) -> Worker:
        worker = Worker(self.store_path, self.stack_bytes)
        with self._lock:
            self._all.add(worker)
        return worker

    def _enlist(self, worker: Worker) -> None:
        """A started worker joins the idle ones; its pipe is watched from now on."""
        asyncio.get_running_loop().add_reader(worker.conn.fileno(), self._readable, worker)
        # uvloop's add_reader leaves the pipe non-blocking: an answer larger than the pipe's
        # buffer, read while the worker still writes it, failed halfway (EAGAIN) and read as a
        # dead worker. Readiness is all the loop watches; the read itself may wait for the rest.
        os.set_blocking(worker.conn.fileno(), True)
        self._idle.append(worker)
        self._dispatch()

    def _readable(self, worker: Worker) -> None:
        job = self._running.get(worker)
        if job is not None:
            if not job.ended.done():
                job.ended.set_result(_ANSWERED)
        elif worker in self._idle:  # an idle worker's pipe speaks only if the worker died
            self._idle.remove(worker)
            self._replace(worker)

    async def run(
        self, job: Job, client: str = "", until_gone: "Callable[[], Awaitable[None]] | None" = None
    ) -> Outcome:
        """Run ``job`` for ``client`` in a worker; ``until_gone`` returns once the client has
        left (it is awaited only for a query that waits or runs long)."""
        wait = self.budget.retry_after(client)
        if wait > 0:
            raise Throttled(
                f"This client has used its {self.limits.budget:g} s of query time a minute",
                wait,
            )
        if self._asking[client] >= self.limits.share + self.limits.waiting_per_client:
            raise Throttled("This client has too many queries running or waiting", 1.0)
        watch = _Watch(until_gone)
        self._asking[client] += 1
        try:
            worker = await self._acquire(client, watch)
            loop = asyncio.get_running_loop()
            started = loop.time()
            try:
                outcome = await self._exchange(worker, job, watch)
            except BaseException:
                # Stopped, died, or the request was cancelled mid-query: the worker's state is
                # unknown, so it is replaced rather than reused.
                self._replace(worker)
                raise
            else:
                self._idle.append(worker)
            finally:
                self._holding[client] -= 1
                self.budget.charge(client, loop.time() - started)
                self._dispatch()
        finally:
            watch.stop()
            self._asking[client] -= 1
            if self._asking[client] <= 0:
                del self._asking[client]
                self._holding.pop(client, None)
        return outcome

    async def _acquire(self, client: str, watch: _Watch) -> Worker:
        if self._idle and not self._waiting and self._holding[client] < self.limits.share:
            self._holding[client] += 1  # the common case: a worker is free, nobody waits
            return self._idle.pop()
        loop = asyncio.get_running_loop()
        waiter = _Waiter(loop.time(), loop.create_future(), watch)
        self._waiting.setdefault(client, deque()).append(waiter)
        self._dispatch()
        self._schedule()
        granted = await waiter.granted
        if isinstance(granted, Worker):
            return granted
        queue = self._waiting.get(client)
        if queue is not None and waiter in queue:
            queue.remove(waiter)
            if not queue:
                del self._waiting[client]
        raise ClientGone if granted == _GONE else Busy

    def _dispatch(self) -> None:
        """Give free workers to waiting requests: the oldest of a client holding none first,
        else of a client below its share."""
        while self._idle and self._waiting:
            chosen = next((c for c in self._waiting if not self._holding[c]), None)
            if chosen is None:
                share = self.limits.share
                chosen = next((c for c in self._waiting if self._holding[c] < share), None)
                if chosen is None:
                    return
            queue = self._waiting.pop(chosen)
            waiter = queue.popleft()
            if queue:  # the client's next request waits at the back, behind other clients
                self._waiting[chosen] = queue
            if waiter.granted.done():  # already told it is gone or waited too long
                continue
            self._holding[chosen] += 1
            waiter.granted.set_result(self._idle.pop())

    async def _exchange(self, worker: Worker, job: Job, watch: _Watch) -> Outcome:
        """Send ``job``; wait until the worker answers, or the pool's timer ends the wait."""
        loop = asyncio.get_running_loop()
        now = loop.time()
        running = _Job(now + self.limits.time_limit, now, loop.create_future(), watch)
        self._running[worker] = running
        try:
            worker.conn.send(job)
            self._schedule()
            ended = await running.ended
        finally:
            del self._running[worker]
        if ended == _GONE:
            raise ClientGone
        if ended == _TIMED_OUT:
            raise TimedOut
        if ended == _OVER_MEMORY:
            raise OverMemory
        try:
            outcome: Outcome = worker.conn.recv()
        except (EOFError, OSError):
            raise WorkerDied from None
        return outcome

    def _schedule(self) -> None:
        if self._tick is None:
            self._tick = asyncio.get_running_loop().call_later(_POLL, self._look)

    def _look(self) -> None:
        """The pool's timer: end waits and jobs past their limits, watch clients who wait."""
        self._tick = None
        now = asyncio.get_running_loop().time()
        for queue in self._waiting.values():
            for waiter in queue:
                if waiter.granted.done():
                    continue
                if waiter.watch.gone():
                    waiter.granted.set_result(_GONE)
                elif now - waiter.since >= self.limits.queue_wait:
                    waiter.granted.set_result(_BUSY)
                else:
                    waiter.watch.start(self._look_soon)
        memory = self.limits.memory_bytes
        for worker, job in self._running.items():
            if job.ended.done():
                continue
            if job.watch.gone() and now - job.since >= _GONE_GRACE:
                job.ended.set_result(_GONE)
            elif now >= job.deadline:
                job.ended.set_result(_TIMED_OUT)
            elif memory and worker.resident_bytes() > memory:
                job.ended.set_result(_OVER_MEMORY)
            else:
                job.watch.start(self._look_soon)
        if self._waiting or self._running:
            self._schedule()

    def _look_soon(self) -> None:
        """A watched client has gone: look now rather than at the next tick."""
        asyncio.get_running_loop().call_soon(self._look_now)

    def _look_now(self) -> None:
        if self._tick is not None:
            self._tick.cancel()
        self._look()

    def _replace(self, worker: Worker) -> None:
        with self._lock:
            self._all.discard(worker)
        loop = asyncio.get_running_loop()
        with contextlib.suppress(ValueError, OSError):
            loop.remove_reader(worker.conn.fileno())

        async def renew() -> None:
            await asyncio.to_thread(worker.kill)
            self._enlist(await asyncio.to_thread(self._spawn))

        task = loop.create_task(renew())
        self._renewals.add(task)
        task.add_done_callback(self._renewals.discard)

    async def close(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            with contextlib.suppress(ValueError, OSError):
                loop.remove_reader(worker.conn.fileno())
        await asyncio.gather(*(asyncio.to_thread(w.kill) for w in workers))
