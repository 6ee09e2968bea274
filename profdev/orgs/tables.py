import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from profdev.orgs.models import Municipality, Organization


class MunicipalityTable(tables.Table):
    name = tables.Column(linkify=True)
    schools = tables.Column(verbose_name=_("Школ"), attrs={"td": {"class": "text-end"}})
    teachers = tables.Column(verbose_name=_("Педагогов"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Municipality
        fields = ("name", "kind", "oktmo", "schools", "teachers")


class OrganizationTable(tables.Table):
    name = tables.Column(linkify=True)
    teachers = tables.Column(verbose_name=_("Педагогов"), attrs={"td": {"class": "text-end"}})

    class Meta:
        model = Organization
        fields = ("name", "municipality", "kind", "founder", "inn", "low_results", "teachers")
