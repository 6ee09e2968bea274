from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommonConfig(AppConfig):
    name = "profdev.common"
    verbose_name = _("Общее")

    def ready(self) -> None:
        from profdev.common.tables import remember_signatures

        remember_signatures()
