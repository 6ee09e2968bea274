"""A bounded least-recently-used cache in the process, shared by its threads.

For rendered fragments keyed by everything they show: not shared between processes, so a
deploy's new code or templates never read a fragment rendered by the old ones.
"""

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class ProcessCache:
    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._items: OrderedDict[Hashable, str] = OrderedDict()
        self._lock = threading.Lock()  # gunicorn's threads share it

    def get_or_render(self, key: Hashable, render: Callable[[], str]) -> str:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
                return found
        value = render()  # outside the lock: two threads may render the same key once each
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.entries:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)
