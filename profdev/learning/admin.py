from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from profdev.learning import models


@admin.register(models.CompetenceArea)
class CompetenceAreaAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code", "threshold", "order")


for model in (
    models.Program,
    models.Cohort,
    models.Enrollment,
    models.Diagnostic,
    models.Route,
    models.RouteStep,
    models.StaffTraining,
):
    admin.site.register(model, SimpleHistoryAdmin)
