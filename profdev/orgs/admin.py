from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from profdev.orgs.models import Municipality, Organization, Region


@admin.register(Region)
class RegionAdmin(SimpleHistoryAdmin):
    list_display = ("name", "code")


@admin.register(Municipality)
class MunicipalityAdmin(SimpleHistoryAdmin):
    list_display = ("name", "region", "kind")
    list_filter = ("region", "kind")
    search_fields = ("name",)


@admin.register(Organization)
class OrganizationAdmin(SimpleHistoryAdmin):
    list_display = ("name", "municipality", "kind", "founder", "inn")
    list_filter = ("kind", "founder", "region")
    search_fields = ("name", "short_name", "inn")
    raw_id_fields = ("municipality",)
