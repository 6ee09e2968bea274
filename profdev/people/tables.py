import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.people.choices import Position
from profdev.people.models import CenterStaff, Teacher


class TeacherTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("ФИО"), linkify=True, order_by=("last_name", "first_name", "middle_name")
    )
    snils_masked = tables.Column(
        verbose_name=_("СНИЛС"), orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )
    organization_name = tables.Column(verbose_name=_("Организация"))
    municipality_name = tables.Column(verbose_name=_("Муниципалитет"))
    position = tables.Column(verbose_name=_("Должность"))
    is_young = tables.BooleanColumn(verbose_name=_("Молодой специалист"))

    class Meta:
        model = Teacher
        fields = (
            "full_name",
            "snils_masked",
            "organization_name",
            "municipality_name",
            "position",
            "qualification_category",
            "is_young",
        )

    def render_position(self, value: str) -> str:
        return str(Position(value).label) if value in Position.values else value

    def value_position(self, value: str) -> str:
        return self.render_position(value)


class StaffTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("ФИО"), linkify=True, order_by=("last_name", "first_name")
    )

    class Meta:
        model = CenterStaff
        fields = ("full_name", "position", "organization", "start_date", "end_date")
