"""Choices of the learning app: programs, enrollments, routes and their steps."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProgramFormat(models.TextChoices):
    FULL_TIME = "full_time", _("Очно")
    DISTANCE = "distance", _("Дистанционно")
    BLENDED = "blended", _("Очно-заочно с ДОТ")


class ProgramAudience(models.TextChoices):
    TEACHERS = "teachers", _("Педагогические работники")
    MANAGEMENT = "management", _("Управленческие команды")


class ProgramProvider(models.TextChoices):
    CENTER = "center", _("ЦНППМ")
    OTHER = "other", _("Иная организация")


class EnrollmentStatus(models.TextChoices):
    ENROLLED = "enrolled", _("Зачислен")
    COMPLETED = "completed", _("Завершил обучение")
    DROPPED = "dropped", _("Отчислен")


class RouteStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    APPROVED = "approved", _("Утверждён")
    IN_PROGRESS = "in_progress", _("Реализуется")
    COMPLETED = "completed", _("Завершён")
    CANCELLED = "cancelled", _("Отменён")


# Routes in these statuses count as built for the teacher (indicator 1).
ROUTE_APPROVED_OR_LATER = frozenset(
    {RouteStatus.APPROVED, RouteStatus.IN_PROGRESS, RouteStatus.COMPLETED}
)

ROUTE_TRANSITIONS: dict[str, frozenset[str]] = {
    RouteStatus.DRAFT: frozenset({RouteStatus.APPROVED, RouteStatus.CANCELLED}),
    RouteStatus.APPROVED: frozenset({RouteStatus.IN_PROGRESS, RouteStatus.CANCELLED}),
    RouteStatus.IN_PROGRESS: frozenset({RouteStatus.COMPLETED, RouteStatus.CANCELLED}),
    RouteStatus.COMPLETED: frozenset(),
    RouteStatus.CANCELLED: frozenset(),
}


class StepKind(models.TextChoices):
    COURSE = "course", _("Курс повышения квалификации")
    EVENT = "event", _("Мероприятие")
    INTERNSHIP = "internship", _("Стажировка")
    SELF_STUDY = "self_study", _("Самообразование")
    MENTORING = "mentoring", _("Наставничество")


class StepStatus(models.TextChoices):
    PLANNED = "planned", _("Запланирован")
    IN_PROGRESS = "in_progress", _("Выполняется")
    DONE = "done", _("Выполнен")
    CANCELLED = "cancelled", _("Отменён")
