from django.apps import AppConfig


class ImportsConfig(AppConfig):
    name = "profdev.imports"
    verbose_name = "Импорт данных"
