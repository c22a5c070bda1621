"""A per-client rate limit on queries: a token bucket for each client address.

>>> limiter = RateLimiter(per_minute=2, clock=lambda: 0.0)
>>> limiter.wait("10.0.0.1"), limiter.wait("10.0.0.1"), limiter.wait("10.0.0.1")
(0.0, 0.0, 30.0)
>>> limiter.wait("10.0.0.2")
0.0
"""

import threading
import time
from collections import OrderedDict
from collections.abc import Callable

MAX_CLIENTS = 100_000  # remembered at most; the least recently seen are forgotten first


class RateLimiter:
    """``per_minute`` queries per client, in bursts of up to as many; 0 switches it off."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()
        self._lock = threading.Lock()

    def wait(self, client: str) -> float:
        """Take a token for ``client``: 0 if it may go on, else the seconds until it may."""
        if self.per_minute <= 0:
            return 0.0
        rate = self.per_minute / 60.0
        now = self.clock()
        with self._lock:
            tokens, last = self._buckets.pop(client, (float(self.per_minute), now))
            tokens = min(float(self.per_minute), tokens + (now - last) * rate)
            if tokens >= 1.0:
                self._buckets[client] = (tokens - 1.0, now)
                wait = 0.0
            else:
                self._buckets[client] = (tokens, now)
                wait = (1.0 - tokens) / rate
            while len(self._buckets) > MAX_CLIENTS:
                self._buckets.popitem(last=False)
        return wait
