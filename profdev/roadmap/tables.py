"""Tables of the roadmap pages (and their XLSX export)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.roadmap.models import Activity, Report, ValidationRule


class ActivityTable(tables.Table):
    number = tables.Column(verbose_name=_("№"), order_by=("sort_key",))
    levels = tables.Column(verbose_name=_("Уровни"), accessor="levels_display", orderable=False)

    class Meta:
        model = Activity
        fields = (
            "number",
            "section",
            "title",
            "levels",
            "responsible",
            "deadline",
            "period",
            "evidence_form",
            "indicator_code",
        )


class ReportTable(tables.Table):
    participant = tables.Column(
        verbose_name=_("Участник"), accessor="participant_name", linkify=True, orderable=False
    )
    campaign = tables.Column(verbose_name=_("Кампания"))
    municipality = tables.Column(verbose_name=_("Муниципалитет"))
    status = tables.Column(verbose_name=_("Статус"))
    submitted_at = tables.DateTimeColumn(verbose_name=_("Отправлен"), format="DATE_FORMAT")

    class Meta:
        model = Report
        fields = ("participant", "campaign", "kind", "municipality", "status", "submitted_at")


RULE_ACTIONS = """{% load i18n %}{% if can_change_rules %}<a href="{% url 'roadmap:rule-update' record.pk %}">{% translate "Изменить" %}</a> · <a class="text-danger" href="{% url 'roadmap:rule-delete' record.pk %}">{% translate "Удалить" %}</a>{% endif %}"""


class ValidationRuleTable(tables.Table):
    rule = tables.Column(verbose_name=_("Условие"), accessor="left", order_by=("left", "right"))
    actions = tables.TemplateColumn(
        RULE_ACTIONS, verbose_name="", orderable=False, exclude_from_export=True
    )

    class Meta:
        model = ValidationRule
        fields = ("program", "rule", "message", "actions")

    def render_rule(self, record: ValidationRule) -> str:
        return str(record)

    def value_rule(self, record: ValidationRule) -> str:
        return str(record)
