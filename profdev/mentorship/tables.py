from typing import Any

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.mentorship.models import ManagementMentoring, MentorPair


class MentorPairTable(tables.Table):
    mentor = tables.Column(
        verbose_name=_("Наставник"), linkify=lambda record: record.get_absolute_url()
    )
    mentees_list = tables.Column(verbose_name=_("Наставляемые"), empty_values=(), orderable=False)
    organization = tables.Column(verbose_name=_("Организация"))
    form = tables.Column(verbose_name=_("Форма"))
    start_date = tables.DateColumn(verbose_name=_("Начало"), format="d.m.Y")
    planned_end = tables.DateColumn(verbose_name=_("Плановое окончание"), format="d.m.Y")
    status = tables.Column(verbose_name=_("Статус"))
    last_check_in = tables.DateColumn(verbose_name=_("Последняя встреча"), format="d.m.Y")

    class Meta:
        model = MentorPair
        fields = (
            "mentor",
            "mentees_list",
            "organization",
            "form",
            "start_date",
            "planned_end",
            "status",
            "last_check_in",
        )

    def render_mentees_list(self, record: Any) -> str:
        return ", ".join(t.full_name for t in record.mentees.all())

    def value_mentees_list(self, record: Any) -> str:
        return self.render_mentees_list(record)


class ManagementMentoringTable(tables.Table):
    mentor_organization = tables.Column(
        verbose_name=_("Организация-наставник"), linkify=lambda record: record.get_absolute_url()
    )
    mentee_organization = tables.Column(verbose_name=_("Наставляемая организация"))
    low_results = tables.BooleanColumn(
        verbose_name=_("ШНОР"), accessor="mentee_organization__low_results"
    )
    start_date = tables.DateColumn(verbose_name=_("Начало"), format="d.m.Y")
    end_date = tables.DateColumn(verbose_name=_("Окончание"), format="d.m.Y")
    status = tables.Column(verbose_name=_("Статус"))

    class Meta:
        model = ManagementMentoring
        fields = (
            "mentor_organization",
            "mentee_organization",
            "low_results",
            "start_date",
            "end_date",
            "status",
        )
