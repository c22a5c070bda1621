"""Sharing query workers between clients, as the Wikidata Query Service does: a client may hold
only its share of the workers at once, and has a budget of query time per minute; when the
budget is spent it is told to come back (429 with ``Retry-After``) while everyone else goes on.

The budget is a bucket of seconds that refills at ``seconds_per_minute`` a minute, up to that
much; a query may start while the bucket is not overdrawn, and is charged what it took when it ends
(so a client can overdraw by its running queries, then waits longer).

>>> clock = [0.0]
>>> budget = TimeBudget(seconds_per_minute=60, clock=lambda: clock[0])
>>> budget.retry_after("a")
0.0
>>> budget.charge("a", 90.0)      # one long query, or many short ones
>>> budget.retry_after("a"), budget.retry_after("b")
(30.0, 0.0)
>>> clock[0] = 30.0
>>> budget.retry_after("a")
0.0
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_CLIENTS = 100_000  # remembered at most; the least recently seen are forgotten first


class TimeBudget:
    """``seconds_per_minute`` of query time per client; 0 switches the budget off."""

    def __init__(
        self, seconds_per_minute: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.capacity = seconds_per_minute
        self.rate = seconds_per_minute / 60.0
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def _level(self, client: str, now: float) -> float:
        seconds, then = self._buckets.get(client, (self.capacity, now))
        return min(self.capacity, seconds + (now - then) * self.rate)

    def left(self, client: str) -> float:
        """The seconds ``client`` has left now (negative when overdrawn)."""
        if self.capacity <= 0:
            return 0.0
        with self._lock:
            return self._level(client, self.clock())

    def retry_after(self, client: str) -> float:
        """0 if ``client`` may start a query, else the seconds until it may."""
        left = self.left(client)
        return 0.0 if self.capacity <= 0 or left >= 0 else -left / self.rate

    def charge(self, client: str, seconds: float) -> None:
        """Take ``seconds`` of query time from ``client``'s budget."""
        if self.capacity <= 0:
            return
        with self._lock:
            now = self.clock()
            level = self._level(client, now) - seconds
            self._buckets.pop(client, None)
            self._buckets[client] = (level, now)
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
