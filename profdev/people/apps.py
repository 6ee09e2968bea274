from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "profdev.people"
    verbose_name = "Педагоги и сотрудники"
