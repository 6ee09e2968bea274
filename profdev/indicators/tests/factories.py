"""Small builders of source records for indicator tests (other apps' models by the contract)."""

import datetime
from typing import Any

from django.apps import apps


def model(label: str) -> Any:
    return apps.get_model(label)


def route(teacher: Any, developed_on: datetime.date, status: str = "approved") -> Any:
    return model("learning.Route").objects.create(
        teacher=teacher,
        developed_on=developed_on,
        planned_end=developed_on + datetime.timedelta(days=180),
        status=status,
    )


def program(*, provider: str = "center", audience: str = "teachers", title: str = "") -> Any:
    return model("learning.Program").objects.create(
        title=title or f"Программа {provider} {audience}",
        hours=36,
        format="distance",
        audience=audience,
        provider=provider,
        provider_name="" if provider == "center" else "Другой институт",
    )


def completion(
    teacher: Any, completed: datetime.date | None, *, prog: Any, status: str = "completed"
) -> Any:
    cohort = model("learning.Cohort").objects.create(
        program=prog,
        title=f"Поток {prog.pk}-{teacher.pk}",
        start_date=datetime.date(completed.year if completed else 2023, 1, 1),
        end_date=datetime.date(completed.year if completed else 2023, 12, 31),
    )
    return model("learning.Enrollment").objects.create(
        cohort=cohort, teacher=teacher, status=status, completion_date=completed
    )


def staff_training(staff: Any, completed: datetime.date | None) -> Any:
    start = (completed or datetime.date(2023, 1, 1)) - datetime.timedelta(days=30)
    return model("learning.StaffTraining").objects.create(
        staff=staff,
        program_title="Обучение у Федерального оператора",
        start_date=start,
        end_date=start + datetime.timedelta(days=10),
        completed_on=completed,
    )


def event(region: Any, start: datetime.date, *, level: str = "regional", title: str = "") -> Any:
    return model("events.Event").objects.create(
        title=title or f"Мероприятие {start}",
        level=level,
        start_date=start,
        end_date=start,
        region=region,
    )


def participation(event_obj: Any, *, teacher: Any = None, organization: Any = None) -> Any:
    return model("events.EventParticipation").objects.create(
        event=event_obj, teacher=teacher, organization=organization
    )


def record_counts(monkeypatch: Any) -> list[list[int]]:
    """Let `compute.count_regions` run as usual, recording the regions of each call."""
    from profdev.indicators import compute

    counted: list[list[int]] = []
    real = compute.count_regions

    def counting(year: int, as_of: datetime.date, region_ids: list[int], stamps: Any = None) -> Any:
        counted.append(list(region_ids))
        return real(year, as_of, region_ids, stamps)

    monkeypatch.setattr(compute, "count_regions", counting)
    return counted
