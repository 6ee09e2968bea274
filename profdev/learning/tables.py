"""Tables of the learning lists; the same columns go to the XLSX export."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.learning.models import Diagnostic, Enrollment, Program, Route, StaffTraining


class RouteTable(tables.Table):
    teacher = tables.Column(
        verbose_name=_("Педагог"), linkify=False, order_by=("teacher__last_name",)
    )
    developed_on = tables.DateColumn(format="d.m.Y", linkify=True)
    planned_end = tables.DateColumn(format="d.m.Y")
    methodist = tables.Column(verbose_name=_("Методист"))
    status = tables.Column(verbose_name=_("Статус"))
    deficit_names = tables.Column(verbose_name=_("Дефициты"), empty_values=(), orderable=False)

    class Meta:
        model = Route
        fields = ("teacher", "developed_on", "planned_end", "methodist", "status")

    def render_deficit_names(self, record: Route) -> str:
        return ", ".join(area.name for area in record.deficits.all())


class DiagnosticTable(tables.Table):
    teacher = tables.Column(verbose_name=_("Педагог"), order_by=("teacher__last_name",))
    conducted_on = tables.DateColumn(format="d.m.Y", linkify=True)
    deficit_names = tables.Column(verbose_name=_("Дефициты"), empty_values=(), orderable=False)

    class Meta:
        model = Diagnostic
        fields = ("teacher", "conducted_on", "instrument", "conducted_by")

    def render_deficit_names(self, record: Diagnostic) -> str:
        return ", ".join(s.area.name for s in record.scores.all() if s.is_deficit) or "—"


class ProgramTable(tables.Table):
    title = tables.Column(linkify=True)

    class Meta:
        model = Program
        fields = (
            "title",
            "hours",
            "format",
            "audience",
            "provider",
            "provider_name",
            "in_federal_registry",
            "federal_registry_number",
        )


class EnrollmentTable(tables.Table):
    teacher = tables.Column(verbose_name=_("Педагог"), order_by=("teacher__last_name",))
    program = tables.Column(
        verbose_name=_("Программа"), accessor="cohort__program__title", orderable=False
    )
    cohort = tables.Column(verbose_name=_("Поток"), accessor="cohort__title", linkify=False)
    start = tables.DateColumn(
        verbose_name=_("Начало"), accessor="cohort__start_date", format="d.m.Y"
    )
    status = tables.Column(verbose_name=_("Статус"), linkify=True)
    completion_date = tables.DateColumn(format="d.m.Y")

    class Meta:
        model = Enrollment
        fields = (
            "teacher",
            "program",
            "cohort",
            "start",
            "status",
            "completion_date",
            "certificate_number",
        )


class StaffTrainingTable(tables.Table):
    staff = tables.Column(verbose_name=_("Сотрудник"), order_by=("staff__last_name",))
    program_title = tables.Column(linkify=True)
    start_date = tables.DateColumn(format="d.m.Y")
    end_date = tables.DateColumn(format="d.m.Y")
    completed_on = tables.DateColumn(format="d.m.Y")

    class Meta:
        model = StaffTraining
        fields = (
            "staff",
            "program_title",
            "start_date",
            "end_date",
            "completed_on",
            "certificate_number",
        )
