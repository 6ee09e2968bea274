import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.accounts.models import User


class UserTable(tables.Table):
    username = tables.Column(
        verbose_name=_("Логин"), linkify=("accounts:user-detail", {"pk": tables.A("pk")})
    )
    full_name = tables.Column(
        verbose_name=_("ФИО"), accessor="get_full_name", order_by=("last_name", "first_name")
    )
    role = tables.Column(verbose_name=_("Роль"))
    bound_to = tables.Column(
        verbose_name=_("Привязка"),
        empty_values=(),
        order_by=("organization__name", "municipality__name"),
    )
    is_active = tables.BooleanColumn(verbose_name=_("Действует"))
    last_login = tables.DateTimeColumn(verbose_name=_("Последний вход"), format="d.m.Y H:i")

    class Meta:
        model = User
        fields = ("username", "full_name", "email", "role", "bound_to", "is_active", "last_login")

    def render_bound_to(self, record: User) -> str:
        return str(
            record.teacher or record.organization or record.municipality or record.region or ""
        )

    def value_bound_to(self, record: User) -> str:
        return self.render_bound_to(record)
