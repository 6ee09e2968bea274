from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "profdev.learning"
    verbose_name = "Обучение и маршруты"
