"""Facts the browser journeys need from the seeded demo region, printed as one JSON line.

Run inside the server's settings (`manage.py shell -c "...browser_facts import main; main()"`).
It only reads, except for one piece of state no journey can reach from its own role: a report
of another school of the coordinator's district waiting for review (as if that school had
submitted it earlier).
"""

import json
from typing import Any

from django.db import transaction
from django.utils import timezone


def _submitted_school_report(municipality_id: int, own_school_id: int | None) -> int | None:
    from profdev.roadmap.models import Report, ReportTransition

    reports = Report.objects.filter(
        campaign__status="open", kind="organization", municipality_id=municipality_id
    ).exclude(organization_id=own_school_id)
    report = reports.filter(status="submitted").first()
    if report is not None:
        return int(report.pk)
    # The demo's mix of statuses depends on its scale: prefer a report the school could still
    # send (draft, returned), else take any of the district's reports of the open campaign.
    report = (
        reports.filter(status__in=["draft", "returned"]).order_by("pk").first()
        or reports.order_by("pk").first()
    )
    if report is None:
        return None
    with transaction.atomic():
        report.items.filter(status="").update(status="done", description="Выполнено по плану.")
        Report.objects.filter(pk=report.pk).update(status="submitted", submitted_at=timezone.now())
        ReportTransition.objects.create(
            report=report, from_status=report.status, to_status="submitted", comment=""
        )
    return int(report.pk)


def collect() -> dict[str, Any]:
    from profdev.accounts.models import User
    from profdev.people.models import Teacher
    from profdev.roadmap.models import Report

    school_user = User.objects.get(username="school")
    district_user = User.objects.get(username="tomsk_district")
    school_id = school_user.organization_id
    district_id = district_user.municipality_id
    assert school_id is not None and district_id is not None, "the demo users are bound"
    own_report = (
        Report.objects.filter(campaign__status="open", organization_id=school_id)
        .order_by("pk")
        .first()
    )
    teacher = (
        Teacher.objects.filter(
            employments__organization__municipality_id=district_id,
        )
        .order_by("last_name", "first_name", "pk")
        .first()
    )
    return {
        "school_name": str(school_user.organization),
        "school_report": own_report.pk if own_report else None,
        "district_name": str(district_user.municipality),
        "district_report": _submitted_school_report(district_id, school_id),
        "teacher_id": teacher.pk if teacher else None,
        "teacher_name": str(teacher) if teacher else "",
        "year": timezone.localdate().year,
    }


def main() -> None:
    print(json.dumps(collect(), ensure_ascii=False))
