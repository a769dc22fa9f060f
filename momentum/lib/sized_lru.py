"""A least-recently-used table bounded by the total size of what it holds, as its callers weigh it
(a response body's length, a value's pickled size). Thread-safe: a web process's threads share one."""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class SizedLRU(Generic[K, V]):
    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._sizes: dict[K, int] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._entries.get(key)
            if value is not None:
                self._entries.move_to_end(key)
            return value

    def put(self, key: K, value: V, size: int) -> None:
        """Keep ``value`` (weighing ``size``), dropping the least recently used beyond the limit;
        a value over an eighth of the limit is not kept (it would empty the table for itself)."""
        if size > self.limit_bytes // 8:
            return
        with self._lock:
            self._entries.pop(key, None)
            self._bytes -= self._sizes.pop(key, 0)
            self._entries[key] = value
            self._sizes[key] = size
            self._bytes += size
            while self._bytes > self.limit_bytes and self._entries:
                dropped, _ = self._entries.popitem(last=False)
                self._bytes -= self._sizes.pop(dropped, 0)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._sizes.clear()
            self._bytes = 0

    def __len__(self) -> int:
        return len(self._entries)
