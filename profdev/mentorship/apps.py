from django.apps import AppConfig


class MentorshipConfig(AppConfig):
    name = "profdev.mentorship"
    verbose_name = "Наставничество"
