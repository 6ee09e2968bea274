"""Breadcrumbs by the organization tree: region › municipality › organization › teacher › record.

Every record page built on `ScopedDetailView` gets them unless the view sets its own. A level
the user may not open (a school coordinator and the municipality page) is shown without a link.
"""

from typing import Any

Crumb = dict[str, Any]


def _current_organization(teacher: Any) -> Any:
    employments = getattr(teacher, "employments", None)
    if employments is None:
        return None
    employment = (
        employments.filter(end_date__isnull=True).select_related("organization").first()
        or employments.select_related("organization").order_by("-start_date").first()
    )
    return employment.organization if employment is not None else None


def tree_breadcrumbs(obj: Any, user: Any = None) -> list[Crumb]:
    """The chain of tree nodes above `obj`, then `obj` itself as the current page."""
    from profdev.orgs.models import Municipality, Organization, Region
    from profdev.orgs.scoping import url_if_viewable
    from profdev.people.models import Teacher

    teacher = obj if isinstance(obj, Teacher) else getattr(obj, "teacher", None)
    if not isinstance(teacher, Teacher):
        teacher = None
    organization = obj if isinstance(obj, Organization) else getattr(obj, "organization", None)
    if not isinstance(organization, Organization):
        organization = _current_organization(teacher) if teacher is not None else None
    municipality = obj if isinstance(obj, Municipality) else getattr(obj, "municipality", None)
    if not isinstance(municipality, Municipality):
        municipality = getattr(organization, "municipality", None)
    region = obj if isinstance(obj, Region) else getattr(obj, "region", None)
    if not isinstance(region, Region):
        region = getattr(municipality, "region", None) or getattr(organization, "region", None)

    crumbs: list[Crumb] = []
    for node in (region, municipality, organization, teacher):
        if node is None or node is obj:
            continue
        crumbs.append({"label": str(node), "url": url_if_viewable(user, node)})
    crumbs.append({"label": str(obj), "url": None})
    return crumbs
