from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoadmapConfig(AppConfig):
    name = "profdev.roadmap"
    verbose_name = _("Дорожная карта и мониторинг")
