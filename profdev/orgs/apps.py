from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "profdev.orgs"
    verbose_name = "Организации"
