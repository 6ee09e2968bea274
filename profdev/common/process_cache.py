"""A bounded least-recently-used cache in the process, shared by its threads.

For values that depend only on their key: rendered fragments keyed by everything they show,
compiled statements, figures built from cached counts. Not shared between processes, so a
deploy's new code or templates never read a value made by the old ones.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class ProcessCache(Generic[V]):
    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threads share it

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.entries:
                self._items.popitem(last=False)

    def get_or_make(self, key: Hashable, make: Callable[[], V]) -> V:
        found = self.get(key)
        if found is not None:
            return found
        value = make()  # outside the lock: two threads may make the same key once each
        self.put(key, value)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
