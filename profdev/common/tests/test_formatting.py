"""Russian plurals and long dates: the helpers and their template filters."""

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import translation

from profdev.common.formatting import (
    count_with_word,
    long_date,
    long_datetime,
    plural,
    russian_plural_index,
)

FORMS = "запись,записи,записей"


@pytest.mark.parametrize(
    ("number", "word"),
    [
        (0, "записей"),
        (1, "запись"),
        (2, "записи"),
        (4, "записи"),
        (5, "записей"),
        (11, "записей"),
        (12, "записей"),
        (14, "записей"),
        (21, "запись"),
        (22, "записи"),
        (25, "записей"),
        (101, "запись"),
        (111, "записей"),
        (112, "записей"),
        (1021, "запись"),
        (-3, "записи"),
    ],
)
def test_russian_plural_forms(number, word):
    with translation.override("ru"):
        assert plural(number, FORMS) == word


def test_plural_index_covers_the_three_russian_forms():
    assert [russian_plural_index(n) for n in (1, 2, 5, 11, 21, 24, 100)] == [0, 1, 2, 2, 0, 1, 2]


def test_english_uses_two_forms_and_a_russian_triple_falls_back_sensibly():
    with translation.override("en"):
        assert plural(1, "record,records") == "record"
        assert plural(21, "record,records") == "records"
        assert plural(3, FORMS) == "записей"


def test_bad_numbers_take_the_general_form():
    with translation.override("ru"):
        assert plural(None, FORMS) == "записей"
        assert plural("много", FORMS) == "записей"


def test_count_with_word_groups_thousands():
    with translation.override("ru"):
        assert count_with_word(21, FORMS) == "21 запись"
        assert count_with_word(3, "педагог,педагога,педагогов") == "3 педагога"
        assert count_with_word(12000, "педагог,педагога,педагогов").endswith("000 педагогов")


def test_long_date_in_russian_and_english():
    day = datetime.date(2026, 11, 23)
    with translation.override("ru"):
        assert long_date(day) == "23 ноября 2026 г."
        assert long_date(datetime.date(2026, 3, 1)) == "1 марта 2026 г."
        assert long_date(None) == ""
    with translation.override("en"):
        assert "2026" in long_date(day) and "г." not in long_date(day)


def test_long_datetime_is_local_time():
    moment = datetime.datetime(2026, 11, 23, 3, 5, tzinfo=datetime.UTC)
    with translation.override("ru"):
        # Asia/Tomsk is UTC+7.
        assert long_datetime(moment) == "23 ноября 2026 г. 10:05"
        assert long_date(moment.astimezone(zoneinfo.ZoneInfo("UTC"))) == "23 ноября 2026 г."


def test_template_filters():
    template = Template(
        '{% load profdev_tags %}{{ n|count_with_word:"школа,школы,школ" }}; '
        '{{ n|plural:"день,дня,дней" }}; {{ day|long_date }}'
    )
    with translation.override("ru"):
        text = template.render(Context({"n": 22, "day": datetime.date(2026, 11, 23)}))
    assert text == "22 школы; дня; 23 ноября 2026 г."
