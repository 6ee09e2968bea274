"""Background work of the indicators (Celery; eager when no broker is configured)."""

from celery import shared_task
from django.core.cache import cache

from profdev.indicators import steps


@shared_task
def rebuild_steps(region_ids: list[int]) -> int:
    """Rebuild the regions' count steps (decision 0012); the number of rows written."""
    # Cleared first: a write during the build leaves the steps out of date again, and the next
    # computation must be able to queue another build.
    cache.delete_many([steps.pending_key(region_id) for region_id in region_ids])
    return steps.build(region_ids)
