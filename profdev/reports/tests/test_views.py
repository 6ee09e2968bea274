"""The analytical report page: generation with progress, downloads, scope and a failed run."""

import datetime
import io
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from profdev.reports import roadmap_report, services
from profdev.reports.models import GeneratedReport, GenerationStatus
from profdev.roadmap import services as roadmap_services
from profdev.roadmap.tests.factories import program_with_roadmap

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign(world: Any, operator: Any) -> Any:
    program = program_with_roadmap(world.tomsk)
    return roadmap_services.campaign_open(
        user=operator, program=program, year=2025, deadline=datetime.date(2026, 1, 20)
    )


@pytest.fixture
def generate(login: Any, django_capture_on_commit_callbacks: Any) -> Any:
    """POST the generate button as `user`, running the queued task (eager) after commit."""

    def run(user: Any, campaign: Any) -> Any:
        client = login(user)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:generate", args=[campaign.pk]))
        if response.status_code != 302:
            return response
        return client.get(response["Location"])

    return run


def download(client: Any, report: GeneratedReport, fmt: str) -> Any:
    return client.get(reverse("reports:download", args=[report.pk, fmt]))


def test_operator_generates_and_downloads(
    login: Any, operator: Any, campaign: Any, generate: Any
) -> None:
    client = login(operator)
    page = client.get(reverse("reports:campaign", args=[campaign.pk])).content.decode()
    assert "ещё не формировался" in page and "Сформировать отчёт" in page
    page = generate(operator, campaign).content.decode()
    report = GeneratedReport.objects.get()
    assert report.status == GenerationStatus.DONE and report.progress == 100
    assert report.requested_by == operator and report.finished_at is not None
    assert "Отчёт сформирован" in page and "Сформировать заново" in page
    for fmt in ("docx", "xlsx", "pdf"):
        assert reverse("reports:download", args=[report.pk, fmt]) in page
        path = Path(getattr(report, fmt).path)
        # stored outside the web root (MEDIA_ROOT) and never given a URL
        assert path.is_relative_to(settings.REPORTS_ROOT)
        assert not path.is_relative_to(settings.MEDIA_ROOT)
    response = download(client, report, "docx")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "analytical-report-2025" in response["Content-Disposition"]
    doc = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert doc.paragraphs[0].text == roadmap_report.TITLE
    book = openpyxl.load_workbook(io.BytesIO(b"".join(download(client, report, "xlsx"))))
    assert "Полнота отчётности" in book.sheetnames
    response = download(client, report, "pdf")
    assert response["Content-Type"] == "application/pdf"
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content)))
    assert "Аналитический отчёт" in pdf.pages[0].extract_text()
    assert download(client, report, "odt").status_code == 404


def test_regenerate_on_demand_keeps_earlier_reports(
    operator: Any, campaign: Any, generate: Any
) -> None:
    generate(operator, campaign)
    page = generate(operator, campaign).content.decode()
    assert GeneratedReport.objects.filter(campaign=campaign, status="done").count() == 2
    assert page.count("Готов") == 2


def test_progress_fragment_polls_until_finished(login: Any, operator: Any, campaign: Any) -> None:
    pending = GeneratedReport.objects.create(campaign=campaign, requested_by=operator, progress=40)
    client = login(operator)
    url = reverse("reports:status", args=[pending.pk])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 1s"' in fragment and "40%" in fragment
    page = client.get(reverse("reports:campaign", args=[campaign.pk])).content.decode()
    assert f'hx-get="{url}"' in page
    # a second click while one is under way does not queue another
    assert services.generated_report_request(user=operator, campaign=campaign) == pending
    GeneratedReport.objects.filter(pk=pending.pk).update(status="done", progress=100)
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "Отчёт сформирован" in fragment


def test_failed_generation_shows_the_error(
    login: Any, operator: Any, campaign: Any, generate: Any, monkeypatch: Any
) -> None:
    def broken(campaign: Any) -> Any:
        raise RuntimeError("нет связи с базой показателей")

    monkeypatch.setattr(roadmap_report, "collect", broken)
    response = generate(operator, campaign)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Не удалось сформировать отчёт: нет связи с базой показателей" in page
    assert 'class="alert alert-danger"' in page
    report = GeneratedReport.objects.get()
    assert report.status == GenerationStatus.FAILED and not report.docx
    assert download(login(operator), report, "docx").status_code == 404
    monkeypatch.undo()
    generate(operator, campaign)  # a new try after the failure works
    assert GeneratedReport.objects.filter(status="done").count() == 1


def test_official_reads_but_does_not_generate(
    login: Any, operator: Any, official: Any, campaign: Any, generate: Any
) -> None:
    generate(operator, campaign)
    report = GeneratedReport.objects.get()
    client = login(official)
    page = client.get(reverse("reports:campaign", args=[campaign.pk])).content.decode()
    assert "Отчёт сформирован" in page and "Сформировать" not in page
    assert download(client, report, "pdf").status_code == 200
    assert generate(official, campaign).status_code == 403
    assert GeneratedReport.objects.count() == 1
    campaign_page = client.get(campaign.get_absolute_url()).content.decode()
    assert reverse("reports:campaign", args=[campaign.pk]) in campaign_page


@pytest.mark.parametrize(
    "role", ["tomsk_district_coordinator", "school_coordinator", "methodist", "teacher_user"]
)
def test_below_region_cannot_generate_or_download(
    request: Any, login: Any, operator: Any, campaign: Any, generate: Any, role: str
) -> None:
    generate(operator, campaign)
    report = GeneratedReport.objects.get()
    user = request.getfixturevalue(role)
    client = login(user)
    assert client.get(reverse("reports:campaign", args=[campaign.pk])).status_code in (403, 404)
    for fmt in ("docx", "xlsx", "pdf"):
        assert download(client, report, fmt).status_code == 404
    assert client.get(reverse("reports:status", args=[report.pk])).status_code == 404
    response = client.post(reverse("reports:generate", args=[campaign.pk]))
    assert response.status_code in (403, 404)
    assert GeneratedReport.objects.count() == 1
    if role == "tomsk_district_coordinator":
        page = client.get(campaign.get_absolute_url()).content.decode()
        assert reverse("reports:campaign", args=[campaign.pk]) not in page


def test_other_region_operator_gets_404(
    login: Any, operator: Any, other_region_operator: Any, campaign: Any, generate: Any
) -> None:
    generate(operator, campaign)
    report = GeneratedReport.objects.get()
    client = login(other_region_operator)
    assert client.get(reverse("reports:campaign", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("reports:generate", args=[campaign.pk])).status_code == 404
    assert download(client, report, "docx").status_code == 404


def test_progress_is_recorded_step_by_step(operator: Any, campaign: Any, monkeypatch: Any) -> None:
    from profdev.reports import tasks

    seen: list[int] = []
    original = tasks.build_all

    def spy(campaign: Any, directory: Any, stem: str, progress: Any) -> Any:
        def record(percent: int) -> None:
            progress(percent)
            seen.append(GeneratedReport.objects.get().progress)

        return original(campaign, directory, stem, progress=record)

    monkeypatch.setattr(tasks, "build_all", spy)
    report = GeneratedReport.objects.create(campaign=campaign, requested_by=operator)
    assert tasks.generated_report_task(report.pk) == "done"
    assert seen == [5, 40, 65, 75, 95]
    report.refresh_from_db()
    assert report.progress == 100


def test_a_stale_generation_does_not_block_a_new_one(operator: Any, campaign: Any) -> None:
    stale = GeneratedReport.objects.create(campaign=campaign, status="running", progress=40)
    GeneratedReport.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - services.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    fresh = services.generated_report_request(user=operator, campaign=campaign)
    assert fresh.pk != stale.pk and fresh.status == "pending"
