"""The admin (installed in settings) lists every roadmap and reports model for a superuser."""

import datetime
from typing import Any

import pytest
from django.contrib import admin
from django.urls import reverse

from profdev.reports.models import GeneratedReport
from profdev.roadmap import services
from profdev.roadmap.models import Report
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


def test_admin_pages(admin_client: Any, world: Any, operator: Any) -> None:
    campaign = services.campaign_open(
        user=operator,
        program=program_with_roadmap(world.tomsk),
        year=2025,
        deadline=datetime.date(2026, 1, 20),
    )
    GeneratedReport.objects.create(campaign=campaign, requested_by=operator)
    registered = [
        model for model in admin.site._registry if model._meta.app_label in ("roadmap", "reports")
    ]
    assert len(registered) == 10
    for model in registered:
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert admin_client.get(url).status_code == 200, url
        first = model._default_manager.first()
        if first is not None:
            change = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            assert admin_client.get(change).status_code == 200, change
    report = Report.objects.filter(campaign=campaign).first()
    page = admin_client.get(reverse("admin:roadmap_report_change", args=[report.pk]))
    assert "Черновик" in page.content.decode()  # status shown read-only
