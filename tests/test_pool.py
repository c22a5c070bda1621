"""The query worker pool's edge cases, in-process with real worker processes over the release:
who gets a free worker first, what a client may have waiting, the time budget, waits that end
(too long; client gone), and a stopped worker replaced."""

import asyncio
import contextlib
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from munikg.release import Release
from munikg.serve.executor import Job
from munikg.serve.messages import Solutions
from munikg.serve.pool import Busy, ClientGone, Limits, QueryPool, Throttled, TimedOut

SLOW = Job("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }")
QUICK = Job("ASK {}")


def with_pool(
    release: Release, limits: Limits, size: int, body: Callable[[QueryPool], Awaitable[Any]]
) -> Any:
    async def main() -> Any:
        pool = QueryPool(release.path / "store", size, limits)
        await pool.start()
        try:
            return await body(pool)
        finally:
            await pool.close()

    return asyncio.run(main())


def test_a_client_holding_fewer_workers_is_served_first(release: Release) -> None:
    order: list[str] = []

    async def body(pool: QueryPool) -> None:
        async def ask(client: str, job: Job, name: str) -> None:
            with contextlib.suppress(TimedOut):
                await pool.run(job, client)
            order.append(name)

        tasks = [asyncio.create_task(ask("flooder", SLOW, "slow 1"))]
        await asyncio.sleep(0.5)
        tasks.append(asyncio.create_task(ask("flooder", SLOW, "slow 2")))  # both workers busy
        await asyncio.sleep(0.1)
        tasks.append(asyncio.create_task(ask("flooder", QUICK, "flooder's ask")))  # waits first
        await asyncio.sleep(0.1)
        tasks.append(asyncio.create_task(ask("victim", QUICK, "victim's ask")))
        await asyncio.gather(*tasks)

    with_pool(release, Limits(time_limit=1.0, share=2, budget=0), 2, body)
    # slow 1 ends first; its worker goes to the victim (holding none), not to the flooder
    # (holding one), although the flooder asked earlier
    assert order.index("victim's ask") < order.index("flooder's ask")
    assert order.index("victim's ask") < order.index("slow 2")


def test_a_client_may_have_only_so_many_queries_waiting(release: Release) -> None:
    async def body(pool: QueryPool) -> list[str]:
        async def ask() -> str:
            try:
                await pool.run(SLOW, "one")
            except (TimedOut, Throttled) as error:
                return type(error).__name__
            return "answered"

        tasks = [asyncio.create_task(ask()) for _ in range(3)]
        return list(await asyncio.gather(*tasks))

    limits = Limits(time_limit=0.5, share=1, budget=0, waiting_per_client=1)
    outcomes = with_pool(release, limits, 1, body)
    assert sorted(outcomes) == ["Throttled", "TimedOut", "TimedOut"]  # one running, one waiting


def test_a_spent_budget_refuses_that_client_only(release: Release) -> None:
    async def body(pool: QueryPool) -> tuple[float, Any]:
        with pytest.raises(TimedOut):
            await pool.run(SLOW, "spender")
        with pytest.raises(Throttled) as refused:
            await pool.run(QUICK, "spender")
        return refused.value.retry_after, await pool.run(QUICK, "other")

    retry_after, other = with_pool(release, Limits(time_limit=1.0, budget=1.0), 2, body)
    assert retry_after > 0
    assert other.value is True


def test_a_request_that_waits_too_long_is_told_the_pool_is_busy(release: Release) -> None:
    async def body(pool: QueryPool) -> None:
        running = asyncio.create_task(pool.run(SLOW, "a"))
        await asyncio.sleep(0.2)
        with pytest.raises(Busy):
            await pool.run(QUICK, "b")
        with pytest.raises(TimedOut):
            await running

    with_pool(release, Limits(time_limit=2.0, queue_wait=0.3, budget=0), 1, body)


def test_a_waiting_request_whose_client_has_gone_is_dropped(release: Release) -> None:
    async def body(pool: QueryPool) -> None:
        running = asyncio.create_task(pool.run(SLOW, "a"))
        await asyncio.sleep(0.2)

        async def gone() -> None:  # the client has already left
            return None

        with pytest.raises(ClientGone):
            await pool.run(QUICK, "b", gone)
        with pytest.raises(TimedOut):
            await running

    with_pool(release, Limits(time_limit=1.5, budget=0), 1, body)


def test_a_stopped_worker_is_replaced(release: Release) -> None:
    async def body(pool: QueryPool) -> Any:
        with pytest.raises(TimedOut):
            await pool.run(SLOW, "a")
        return await pool.run(QUICK, "a")  # a new worker answers

    assert with_pool(release, Limits(time_limit=0.5, budget=0), 1, body).value is True


@pytest.mark.parametrize("loop", ["asyncio", "uvloop"])
def test_an_answer_larger_than_the_pipe_arrives_whole(release: Release, loop: str) -> None:
    # A pipe holds 64 KiB; uvloop (the server's loop) leaves the pool's end non-blocking, and a
    # larger answer read before the worker has written all of it failed with EAGAIN, reported
    # as a dead worker (a 500). Every triple of the release, many times over: each answer
    # is hundreds of KiB.
    import uvloop

    job = Job("SELECT ?s ?p ?o WHERE { ?s ?p ?o }", row_limit=100_000)

    async def main() -> list[int]:
        pool = QueryPool(release.path / "store", 2, Limits())
        await pool.start()
        try:
            answers = await asyncio.gather(*(pool.run(job, f"c{i % 2}") for i in range(12)))
            return [len(a.rows) if isinstance(a, Solutions) else -1 for a in answers]
        finally:
            await pool.close()

    runner = uvloop.run if loop == "uvloop" else asyncio.run
    sizes = runner(main())
    assert len(set(sizes)) == 1 and sizes[0] > 2000
