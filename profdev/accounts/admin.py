from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from profdev.accounts.models import PersonalDataAccess, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = (
        "username",
        "last_name",
        "first_name",
        "role",
        "region",
        "municipality",
        "organization",
    )
    list_filter = ("role", "region")
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (
            _("Роль и зона ответственности"),
            {
                "fields": (
                    "role",
                    "region",
                    "municipality",
                    "organization",
                    "teacher",
                    "staff_member",
                    "language",
                )
            },
        ),
    )
    raw_id_fields = ("municipality", "organization", "teacher", "staff_member")


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("accessed_at", "user", "teacher", "field")
    raw_id_fields = ("user", "teacher")
