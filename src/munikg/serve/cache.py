"""A bounded in-process cache of answers. A release never changes, so an answer stays right for
as long as the server holds the release (design §8); the bound keeps memory in check.

>>> cache = AnswerCache(entries=2, max_bytes=100)
>>> cache.put("a", b"1", {}); cache.put("b", b"2", {}); cache.put("c", b"3", {})
>>> cache.get("a") is None, cache.get("c")
(True, (b'3', {}))
"""

import threading
from collections import OrderedDict


class AnswerCache:
    def __init__(self, entries: int = 256, max_bytes: int = 64 * 1024 * 1024) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self._items: OrderedDict[str, tuple[bytes, dict[str, str]]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> tuple[bytes, dict[str, str]] | None:
        with self._lock:
            item = self._items.get(key)
            if item is not None:
                self._items.move_to_end(key)
            return item

    def put(self, key: str, body: bytes, headers: dict[str, str]) -> None:
        if self.entries <= 0 or len(body) > self.max_bytes:
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._size -= len(old[0])
            self._items[key] = (body, headers)
            self._size += len(body)
            while len(self._items) > self.entries or self._size > self.max_bytes:
                _, (dropped, _) = self._items.popitem(last=False)
                self._size -= len(dropped)
