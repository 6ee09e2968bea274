from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "profdev.events"
    verbose_name = "Региональные мероприятия"
