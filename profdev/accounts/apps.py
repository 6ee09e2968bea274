from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "profdev.accounts"
    verbose_name = "Пользователи и роли"
