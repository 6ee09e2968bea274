from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "profdev.api"
    verbose_name = "API"
