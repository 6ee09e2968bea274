"""The per-process LRU shared by rendered fragments, compiled statements and built figures."""

import functools
import threading

from profdev.common.process_cache import ProcessCache


def test_the_least_recently_used_entry_goes_first() -> None:
    cache: ProcessCache[str] = ProcessCache(2)
    cache.put("a", "A")
    cache.put("b", "B")
    assert cache.get("a") == "A"  # "a" is now the most recent
    cache.put("c", "C")
    assert len(cache) == 2
    assert cache.get("b") is None
    assert (cache.get("a"), cache.get("c")) == ("A", "C")


def test_get_or_make_makes_a_key_once_and_clear_forgets() -> None:
    cache: ProcessCache[int] = ProcessCache(4)
    calls: list[str] = []

    def make(key: str) -> int:
        calls.append(key)
        return len(calls)

    assert cache.get_or_make("x", lambda: make("x")) == 1
    assert cache.get_or_make("x", lambda: make("x")) == 1
    assert calls == ["x"]
    cache.clear()
    assert cache.get_or_make("x", lambda: make("x")) == 2


def test_threads_keep_it_within_its_bound() -> None:
    cache: ProcessCache[int] = ProcessCache(8)
    errors: list[BaseException] = []

    def work(offset: int) -> None:
        try:
            for n in range(2000):
                key = (offset + n) % 50
                cache.get_or_make(key, functools.partial(int, key))
                assert cache.get(key) in (None, key)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(n * 7,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(cache) <= 8
