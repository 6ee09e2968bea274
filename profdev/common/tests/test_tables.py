"""django-tables2 asks each function's signature once (`common.tables.remember_signatures`)."""

import inspect
from typing import Any

import django_tables2 as tables
import pytest
from django_tables2 import utils

from profdev.common.tables import _remembered


def test_the_answers_are_the_library_s_own():
    original = utils.signature.__wrapped__  # type: ignore[attr-defined]
    remembered = _remembered(original)

    class Thing:
        def method(self, value, record=None):
            return value

        def catch_all(self, value, **kwargs):
            return value

    def plain(value, table, *args):
        return value

    first, second = Thing(), Thing()
    for fn in (plain, first.method, second.method, Thing.method, first.catch_all, len, print):
        assert remembered(fn) == original(fn), fn
        assert remembered(fn) == original(fn), fn  # the second time from memory
    assert remembered(first.method) == (("value", "record"), None)
    assert remembered(Thing.method) == (("self", "value", "record"), None)


def test_a_table_export_asks_each_signature_once(monkeypatch: pytest.MonkeyPatch):
    asked: list[Any] = []
    real = inspect.signature

    def counting(fn: Any, **kwargs: Any) -> inspect.Signature:
        asked.append(getattr(fn, "__func__", fn))
        return real(fn, **kwargs)

    monkeypatch.setattr(utils.inspect, "signature", counting)

    class People(tables.Table):  # a new class: its functions were never asked about
        name = tables.Column()
        age = tables.Column()

        def value_name(self, value, record):
            return f"{value} ({record['age']})"

    rows = [{"name": f"N{n}", "age": n} for n in range(30)]
    values = list(People(rows).as_values())
    assert values[1] == ["N0 (0)", 0] and len(values) == 31
    assert asked.count(People.value_name) == 1  # not once per row
