from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "profdev.learning"
    verbose_name = _("Обучение и маршруты")

    def ready(self) -> None:
        from profdev.learning.sections import teacher_section
        from profdev.people.views import TEACHER_SECTIONS

        if teacher_section not in TEACHER_SECTIONS:
            TEACHER_SECTIONS.append(teacher_section)
