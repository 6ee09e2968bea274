from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "profdev.indicators"
    verbose_name = "Показатели ЦНППМ"
