from django.db import models
from django.utils.translation import gettext_lazy as _


class QualificationCategory(models.TextChoices):
    NONE = "none", _("Без категории")
    CONFORMITY = "conformity", _("Соответствие занимаемой должности")
    FIRST = "first", _("Первая")
    HIGHEST = "highest", _("Высшая")


class Position(models.TextChoices):
    TEACHER = "teacher", _("Учитель")
    DIRECTOR = "director", _("Директор")
    DEPUTY_DIRECTOR = "deputy_director", _("Заместитель директора")
    PSYCHOLOGIST = "psychologist", _("Педагог-психолог")
    SOCIAL_PEDAGOGUE = "social_pedagogue", _("Социальный педагог")
    SPEECH_THERAPIST = "speech_therapist", _("Учитель-логопед")
    ADDITIONAL_EDUCATION = "additional_education", _("Педагог дополнительного образования")
    ORGANIZER = "organizer", _("Педагог-организатор")
    ADVISOR = "advisor", _("Советник директора по воспитанию")
    LIBRARIAN = "librarian", _("Педагог-библиотекарь")
    EDUCATOR = "educator", _("Воспитатель")
    OTHER = "other", _("Иная педагогическая должность")


MANAGEMENT_POSITIONS = frozenset({Position.DIRECTOR, Position.DEPUTY_DIRECTOR})


class EmploymentKind(models.TextChoices):
    MAIN = "main", _("Основное место работы")
    PART_TIME = "part_time", _("Совместительство")


class StaffPosition(models.TextChoices):
    HEAD = "head", _("Руководитель ЦНППМ")
    METHODIST = "methodist", _("Методист")
    TUTOR = "tutor", _("Тьютор")
    EXPERT = "expert", _("Эксперт")
    OTHER = "other", _("Иная должность")
