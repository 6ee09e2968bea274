from django.apps import AppConfig


class CommonConfig(AppConfig):
    name = "profdev.common"
    verbose_name = "Общее"
