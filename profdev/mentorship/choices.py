from django.db import models
from django.utils.translation import gettext_lazy as _


class PairStatus(models.TextChoices):
    ACTIVE = "active", _("Действует")
    COMPLETED = "completed", _("Завершена")
    INTERRUPTED = "interrupted", _("Прервана")


class ManagementMentoringStatus(models.TextChoices):
    ACTIVE = "active", _("Действует")
    COMPLETED = "completed", _("Завершено")
    INTERRUPTED = "interrupted", _("Прервано")


# The catalogue of forms seeded by the data migration; the operator may add more.
EXPERIENCED_YOUNG = "experienced_young"

DEFAULT_FORMS = (
    ("teacher_teacher", "педагог – педагог"),
    ("manager_teacher", "руководитель – педагог"),
    ("experienced_young", "опытный педагог – молодой специалист"),
)
