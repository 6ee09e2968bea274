from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "profdev.reports"
    verbose_name = "Отчёты"
