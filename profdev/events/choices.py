"""Choices of the events app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Конференция")
    SEMINAR = "seminar", _("Семинар")
    WEBINAR = "webinar", _("Вебинар")
    CONTEST = "contest", _("Конкурс")
    FORUM = "forum", _("Форум")
    OTHER = "other", _("Другое")


class EventLevel(models.TextChoices):
    REGIONAL = "regional", _("Региональный")
    MUNICIPAL = "municipal", _("Муниципальный")
    FEDERAL = "federal", _("Федеральный")
    SCHOOL = "school", _("Школьный")


class EventFormat(models.TextChoices):
    IN_PERSON = "in_person", _("Очно")
    REMOTE = "remote", _("Дистанционно")
    MIXED = "mixed", _("Смешанный")


class ParticipationRole(models.TextChoices):
    PARTICIPANT = "participant", _("Участник")
    SPEAKER = "speaker", _("Спикер")
    ORGANIZER = "organizer", _("Организатор")
    JURY = "jury", _("Член жюри")
    WINNER = "winner", _("Победитель / призёр")
