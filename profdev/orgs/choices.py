from django.db import models
from django.utils.translation import gettext_lazy as _


class MunicipalityKind(models.TextChoices):
    CITY_DISTRICT = "city_district", _("Городской округ")
    MUNICIPAL_DISTRICT = "municipal_district", _("Муниципальный район")
    MUNICIPAL_OKRUG = "municipal_okrug", _("Муниципальный округ")


class OrganizationKind(models.TextChoices):
    SCHOOL = "school", _("Общеобразовательная организация")
    OTHER = "other", _("Иная организация")


class Founder(models.TextChoices):
    REGION = "region", _("Субъект РФ (подведомственная Департаменту)")
    MUNICIPALITY = "municipality", _("Муниципальное образование")
