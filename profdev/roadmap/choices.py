"""Choices of the roadmap app: levels, campaign and report statuses, item statuses."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ParticipantKind(models.TextChoices):
    ORGANIZATION = "organization", _("Образовательная организация")
    MUNICIPALITY = "municipality", _("Муниципалитет")
    REGION = "region", _("Региональный оператор")


class CampaignStatus(models.TextChoices):
    OPEN = "open", _("Открыта")
    CLOSED = "closed", _("Закрыта")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Черновик")
    SUBMITTED = "submitted", _("Отправлен на проверку")
    ACCEPTED = "accepted", _("Принят")
    RETURNED = "returned", _("Возвращён на доработку")


EDITABLE_STATUSES = frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED})


class ItemStatus(models.TextChoices):
    EMPTY = "", _("Не заполнено")
    DONE = "done", _("Выполнено")
    PARTLY = "partly", _("Выполнено частично")
    NOT_DONE = "not_done", _("Не выполнено")
    NOT_APPLICABLE = "not_applicable", _("Не применимо")


class IndicatorCode(models.TextChoices):
    I1 = "1", _("1. Доля педагогов с ИОМ")
    I2 = "2", _("2. Доля педагогов, прошедших КПК в ЦНППМ")
    I3 = "3", _("3. Доля сотрудников ЦНППМ, обученных у ФО")
    I4 = "4", _("4. Число мероприятий регионального уровня")
    I5 = "5", _("5. ОО, управленческие команды которых прошли КПК")
    I6 = "6", _("6. Доля школ, внедряющих целевую модель наставничества")
    I7 = "7", _("7. Доля школ, управленческие команды которых в системе менторства")


class Comparison(models.TextChoices):
    LE = "le", "≤"
    LT = "lt", "<"
    GE = "ge", "≥"
    EQ = "eq", "="
