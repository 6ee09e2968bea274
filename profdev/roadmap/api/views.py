"""Roadmap API: read through `for_user`; submit, accept, return, reopen and item saves call services."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from rest_framework import exceptions
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from profdev.api.base import ScopedReadOnlyViewSet
from profdev.api.fields import validation_error_from_django
from profdev.roadmap import services
from profdev.roadmap.api.serializers import (
    ActivitySerializer,
    CampaignSerializer,
    ItemInputSerializer,
    ProgramSerializer,
    ReportSerializer,
)
from profdev.roadmap.filtersets import ReportFilterSet
from profdev.roadmap.models import Activity, Campaign, Program, Report, ReportItem


class ProgramViewSet(ScopedReadOnlyViewSet):
    """Programs of the user's region."""

    queryset = Program.objects.all()
    serializer_class = ProgramSerializer


class ActivityViewSet(ScopedReadOnlyViewSet):
    """Roadmap activities."""

    queryset = Activity.objects.all()
    serializer_class = ActivitySerializer


class CampaignViewSet(ScopedReadOnlyViewSet):
    """Monitoring campaigns."""

    queryset = Campaign.objects.all()
    serializer_class = CampaignSerializer


def _call(fn: Any, **kwargs: Any) -> Any:
    try:
        return fn(**kwargs)
    except ValidationError as error:
        raise validation_error_from_django(error) from None
    except PermissionDenied as error:
        raise exceptions.PermissionDenied(str(error)) from None


class ReportViewSet(ScopedReadOnlyViewSet):
    """Reports the user may see; workflow actions are POSTs checked by the services."""

    queryset = Report.objects.all()
    serializer_class = ReportSerializer
    filterset_class = ReportFilterSet

    def get_base_queryset(self) -> QuerySet[Report]:
        return Report.objects.select_related("organization", "municipality").prefetch_related(
            "items__activity", "transitions__user"
        )

    def _act(self, request: Request, fn: Any, **kwargs: Any) -> Response:
        report = self.get_object()
        _call(fn, user=request.user, report=report, **kwargs)
        return Response(ReportSerializer(self.get_base_queryset().get(pk=report.pk)).data)

    @action(detail=True, methods=["post"])
    def submit(self, request: Request, pk: int) -> Response:
        return self._act(request, services.report_submit)

    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: int) -> Response:
        return self._act(request, services.report_accept, comment=request.data.get("comment", ""))

    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request: Request, pk: int) -> Response:
        return self._act(request, services.report_return, comment=request.data.get("comment", ""))

    @action(detail=True, methods=["post"])
    def reopen(self, request: Request, pk: int) -> Response:
        return self._act(request, services.report_reopen, comment=request.data.get("comment", ""))

    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_pk>\d+)")
    def save_item(self, request: Request, pk: int, item_pk: int) -> Response:
        report = self.get_object()
        item = get_object_or_404(ReportItem.objects.filter(report=report), pk=item_pk)
        data = ItemInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        _call(services.report_item_save, user=request.user, item=item, **data.validated_data)
        return Response(ReportSerializer(self.get_base_queryset().get(pk=report.pk)).data)
