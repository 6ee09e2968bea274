"""Writes: targets of the indicators (the regional operator only)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from profdev.indicators.models import Target
from profdev.orgs.scoping import Action, scope_of


def _check_operator(user: Any) -> None:
    if Target.scope_filter(scope_of(user), Action.CHANGE) is None:
        raise PermissionDenied(_("Целевые значения задаёт региональный оператор."))


@transaction.atomic
def target_save(
    *,
    user: Any,
    target: Target | None = None,
    indicator: str,
    year: int,
    value: Decimal,
    unit: str,
    note: str = "",
) -> Target:
    """Create or update a target after checking the user's right and the value's range."""
    _check_operator(user)
    target = target or Target()
    target.indicator, target.year, target.value, target.unit, target.note = (
        indicator,
        year,
        value,
        unit,
        note,
    )
    target.full_clean()
    target.save()
    return target
