from django.apps import AppConfig


class RoadmapConfig(AppConfig):
    name = "profdev.roadmap"
    verbose_name = "Дорожная карта и мониторинг"
