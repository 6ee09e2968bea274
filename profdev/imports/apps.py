from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    name = "profdev.imports"
    verbose_name = _("Импорт данных")

    def ready(self) -> None:
        from profdev.imports.kinds import register
        from profdev.imports.kinds.enrollments import EnrollmentsKind
        from profdev.imports.kinds.organizations import OrganizationsKind
        from profdev.imports.kinds.pairs import PairsKind
        from profdev.imports.kinds.participants import ParticipantsKind
        from profdev.imports.kinds.teachers import TeachersKind

        register(TeachersKind())
        register(OrganizationsKind())
        register(EnrollmentsKind())
        register(ParticipantsKind())
        register(PairsKind())
