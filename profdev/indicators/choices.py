from django.db import models
from django.utils.translation import gettext_lazy as _


class IndicatorCode(models.TextChoices):
    ROUTES = "1", _("1. Доля педагогов с ИОМ, разработанным в ЦНППМ")
    CENTER_COURSES = "2", _("2. Доля педагогов ОО, прошедших повышение квалификации в ЦНППМ")
    STAFF_TRAINED = "3", _("3. Доля сотрудников ЦНППМ, обученных на базе Федерального оператора")
    REGIONAL_EVENTS = "4", _("4. Количество мероприятий регионального уровня")
    MANAGEMENT_COURSES = "5", _("5. ОО, управленческие команды которых прошли обучение")
    MENTORSHIP_MODEL = "6", _("6. Доля ОО, реализующих целевую модель наставничества")
    MANAGEMENT_MENTORING = "7", _("7. Доля ОО, управленческие команды которых в системе менторства")


class Unit(models.TextChoices):
    SHARE = "share", _("доля, %")
    COUNT = "count", _("количество")


class Status(models.TextChoices):
    MET = "met", _("достигнут")
    NOT_MET = "not_met", _("не достигнут")
    AT_RISK = "at_risk", _("под угрозой")
    NO_TARGET = "no_target", _("нет цели")
    NO_DATA = "no_data", _("нет данных")
