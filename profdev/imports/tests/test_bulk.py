"""The set-based writer: rows and audit rows as simple-history itself would write them."""

import datetime
import itertools
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from profdev.imports import bulk
from profdev.imports.kinds.teachers import EMPLOYMENT_COLUMNS, TEACHER_COLUMNS
from profdev.imports.services import history_user
from profdev.imports.tests.helpers import snils
from profdev.people.models import Employment, Teacher

pytestmark = pytest.mark.django_db

# Values that a text COPY must escape or could mistake for something else.
AWKWARD = ["О\\Брайен", "Tab\there", "Line\nbreak", "\\N", "", "Ёлкина «Ж» 'x' \"y\""]
AUDIT = ("history_type", "history_user_id", "history_change_reason")


def _tracked(record: Any, model: Any) -> dict[str, Any]:
    """The model's own fields as a historical record holds them."""
    return {f.attname: getattr(record, f.attname) for f in model._meta.concrete_fields}


def _orm_twin(model: Any, values: dict[str, Any], user: Any, reason: str) -> Any:
    """The same record saved through the ORM: simple-history writes its '+' row."""
    with history_user(user):
        instance = model(**values)
        instance._change_reason = reason
        instance.save()
    return instance.history.get()


def test_bulk_rows_and_history_match_what_simple_history_writes(operator, world):
    reason = "Импорт: список\tшколы.xlsx"
    teachers = [
        (last, "Анна", middle, snils(n), "first", datetime.date(2015, 9, n + 1), f"a{n}@x.ru")
        for n, (last, middle) in enumerate(zip(AWKWARD, reversed(AWKWARD), strict=True))
    ]
    teachers.append(("Без", "Даты", "", snils(50), "none", None, ""))
    before = timezone.now()
    with transaction.atomic():
        teacher_ids = bulk.insert(Teacher, TEACHER_COLUMNS, teachers)
        employments = [
            (pk, world.school_a.pk, "teacher", n % 2 == 0, "main", datetime.date(2024, 9, 1), None)
            for n, pk in enumerate(teacher_ids)
        ]
        employments[0] = (*employments[0][:-1], datetime.date(2025, 6, 30))
        employment_ids = bulk.insert(Employment, EMPLOYMENT_COLUMNS, employments)
        for model, columns, rows, ids in (
            (Teacher, TEACHER_COLUMNS, teachers, teacher_ids),
            (Employment, EMPLOYMENT_COLUMNS, employments, employment_ids),
        ):
            bulk.insert_history(model, columns, rows, ids, user=operator, reason=reason)
    after = timezone.now()

    for model, columns, rows, ids in (
        (Teacher, TEACHER_COLUMNS, teachers, teacher_ids),
        (Employment, EMPLOYMENT_COLUMNS, employments, employment_ids),
    ):
        stored = model.objects.in_bulk(ids)
        for pk, values in zip(ids, rows, strict=True):
            instance = stored[pk]
            assert tuple(getattr(instance, name) for name in columns) == values
            record = model.history.get(id=pk)
            # Every field as the table now holds it, and the audit columns.
            assert _tracked(record, model) == _tracked(instance, model)
            assert (record.history_type, record.history_user_id) == ("+", operator.pk)
            assert before <= record.history_date <= after
        # simple-history's own row for the same values differs only in the key and the date.
        twin_values = dict(zip(columns, rows[0], strict=True))
        if model is Teacher:
            twin_values["snils"] = snils(99)
        twin = _orm_twin(model, twin_values, operator, reason)
        ours = model.history.get(id=ids[0])
        for name in AUDIT:
            assert getattr(ours, name) == getattr(twin, name), name
        mine, theirs = _tracked(ours, model), _tracked(twin, model)
        for name in ("id", "snils"):
            mine.pop(name, None)
            theirs.pop(name, None)
        assert mine == theirs


def test_history_is_written_from_the_rows_and_any_ids(operator):
    """insert_history works from the rows and a plain list of ids (another caller's)."""
    rows = [("Иванова", "Анна", "", snils(70), "none", None, "")]
    with transaction.atomic():
        ids = list(bulk.insert(Teacher, TEACHER_COLUMNS, rows))
        bulk.insert_history(Teacher, TEACHER_COLUMNS, rows, ids, user=operator, reason="")
    record = Teacher.history.get(id=ids[0])
    assert (record.last_name, record.history_change_reason) == ("Иванова", None)
    assert record.history_user_id == operator.pk


def test_any_of_finds_awkward_values_and_integers(operator):
    """On PostgreSQL the values travel as one array literal; odd text takes the plain path."""
    from profdev.imports.kinds.common import any_of

    names = ["Plain", 'Quote"d', "Back\\slash", "a, b", "{braces}", "NULL", ""]
    rows = [(name, "Анна", "", snils(200 + n), "none", None, "") for n, name in enumerate(names)]
    ids = bulk.insert(Teacher, TEACHER_COLUMNS, rows)
    for part in (names, ["Plain", "a, b", "{braces}", "NULL"]):
        found = set(any_of(Teacher.objects.values_list("last_name", flat=True), "last_name", part))
        assert found == set(part)
    assert set(any_of(Teacher.objects.values_list("pk", flat=True), "id", ids)) == set(ids)


def test_fields_left_out_are_written_at_their_default_and_recorded(operator):
    """A field added to the model later (here: three left out) still gets a value and history."""
    columns = ("last_name", "first_name", "middle_name", "snils")
    rows = [("Петрова", "Ольга", "", snils(300))]
    ids = bulk.insert(Teacher, columns, rows)
    bulk.insert_history(Teacher, columns, rows, ids, user=operator)
    teacher = Teacher.objects.get(pk=ids[0])
    assert (teacher.qualification_category, teacher.career_start, teacher.email) == (
        "none",
        None,
        "",
    )
    assert _tracked(Teacher.history.get(id=ids[0]), Teacher) == _tracked(teacher, Teacher)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY from a writer thread")
def test_copy_writer_sends_in_order_and_raises_the_first_error(operator):
    """The writer's COPYs run in the caller's transaction, in order; the first failing one is
    raised where the block ends, the ones queued after it are not sent, and the transaction
    rolls back with nothing of the block kept."""
    import psycopg

    rows = [("Первая", "Анна", "", snils(400), "none", None, "")]
    same_snils = [("Вторая", "Анна", "", snils(400), "none", None, "")]
    with transaction.atomic():
        with bulk.CopyWriter() as writer:
            first = bulk.insert(Teacher, TEACHER_COLUMNS, rows, writer=writer)
        # The COPY ran in this transaction: its row is visible here before the commit.
        assert list(Teacher.objects.filter(pk__in=first).values_list("last_name", flat=True)) == [
            "Первая"
        ]
    assert Teacher.objects.filter(snils=snils(400)).count() == 1

    later = [("Третья", "Анна", "", snils(401), "none", None, "")]
    # The error shows at the next `copy()` or where the block ends, whichever comes first.
    with (
        pytest.raises(psycopg.errors.UniqueViolation),
        transaction.atomic(),
        bulk.CopyWriter() as writer,
    ):
        bulk.insert(Teacher, TEACHER_COLUMNS, same_snils, writer=writer)
        bulk.insert(Teacher, TEACHER_COLUMNS, later, writer=writer)
    kept = Teacher.objects.filter(snils__in=[snils(400), snils(401)])
    assert list(kept.values_list("last_name", flat=True)) == ["Первая"]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY from a writer thread")
def test_an_error_in_the_block_waits_for_the_writer_and_rolls_back(operator):
    rows = [(f"Ф{n}", "Анна", "", snils(500 + n), "none", None, "") for n in range(2000)]
    with (
        pytest.raises(RuntimeError, match="stop"),
        transaction.atomic(),
        bulk.CopyWriter() as writer,
    ):
        bulk.insert(Teacher, TEACHER_COLUMNS, rows, writer=writer)
        raise RuntimeError("stop")
    # The connection is usable again and nothing was kept.
    assert not Teacher.objects.filter(snils__in=[snils(500 + n) for n in range(2000)]).exists()


# Any text a roster may hold (PostgreSQL refuses NUL in text; Django's fields strip nothing here).
NAMES = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=100)
_serials = itertools.count(1000)


# The user and the school are only read: sharing them across the examples is what is wanted.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    names=st.tuples(NAMES, NAMES, NAMES),
    career_start=st.none() | st.dates(datetime.date(1950, 1, 1), datetime.date(2030, 12, 31)),
    end_date=st.none() | st.dates(datetime.date(2024, 9, 1), datetime.date(2030, 12, 31)),
    management=st.booleans(),
)
def test_any_values_come_back_as_written(
    operator, world, names, career_start, end_date, management
):
    """Whatever the values (any text, no date, a date), the rows and their audit rows hold
    exactly them (PostgreSQL: the binary COPY; SQLite: multi-row inserts)."""
    teacher = (*names, snils(next(_serials)), "none", career_start, "")
    with transaction.atomic():
        (teacher_id,) = bulk.insert(Teacher, TEACHER_COLUMNS, [teacher])
        employment = (teacher_id, world.school_a.pk, "teacher", management, "main",
                      datetime.date(2024, 9, 1), end_date)  # fmt: skip
        (employment_id,) = bulk.insert(Employment, EMPLOYMENT_COLUMNS, [employment])
        bulk.insert_history(Teacher, TEACHER_COLUMNS, [teacher], [teacher_id], user=operator)
        bulk.insert_history(
            Employment, EMPLOYMENT_COLUMNS, [employment], [employment_id], user=operator
        )
    stored = Teacher.objects.get(pk=teacher_id)
    assert tuple(getattr(stored, name) for name in TEACHER_COLUMNS) == teacher
    record = Teacher.history.get(id=teacher_id)
    assert tuple(getattr(record, name) for name in TEACHER_COLUMNS) == teacher
    job = Employment.objects.get(pk=employment_id)
    assert tuple(getattr(job, name) for name in EMPLOYMENT_COLUMNS) == employment
    assert Employment.history.get(id=employment_id).end_date == end_date
