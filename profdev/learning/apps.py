from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "profdev.learning"
    verbose_name = "Обучение и маршруты"

    def ready(self) -> None:
        from profdev.learning.sections import teacher_section
        from profdev.people.views import TEACHER_SECTIONS

        if teacher_section not in TEACHER_SECTIONS:
            TEACHER_SECTIONS.append(teacher_section)
