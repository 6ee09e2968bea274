"""`GET /api/v1/indicators/` and `/api/v1/indicators/breakdown/`: the compute module's JSON."""

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as ApiPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from profdev.indicators import compute


class IndicatorFigureSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.IntegerField(allow_null=True)
    value = serializers.FloatField(allow_null=True)
    unit = serializers.CharField()
    target = serializers.FloatField(allow_null=True)
    status = serializers.CharField()


class IndicatorReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    scope = serializers.JSONField()
    indicators = IndicatorFigureSerializer(many=True)


class IndicatorBreakdownSerializer(IndicatorReportSerializer):
    municipalities = serializers.JSONField()


INDICATOR_PARAMETERS = [
    OpenApiParameter("year", int, required=True, description=_("отчётный год")),
    OpenApiParameter("municipality", int, required=False, description=_("id муниципалитета")),
    OpenApiParameter("as_of", OpenApiTypes.DATE, required=False, description=_("дата расчёта")),
]


class IndicatorViewSet(viewsets.ViewSet):
    """The seven indicators for `year`, optionally a `municipality` and an `as_of` date."""

    def _params(self, request: Request) -> compute.Params:
        try:
            return compute.resolve_params(
                user=request.user,
                year=request.query_params.get("year"),
                municipality=request.query_params.get("municipality"),
                as_of=request.query_params.get("as_of"),
            )
        except PermissionDenied as error:
            raise ApiPermissionDenied(str(error)) from None

    @extend_schema(parameters=INDICATOR_PARAMETERS, responses={200: IndicatorReportSerializer})
    def list(self, request: Request) -> Response:
        try:
            params = self._params(request)
        except ValidationError as error:
            return Response(error.message_dict, status=400)
        return Response(compute.as_json(params, compute.compute(params)))

    @extend_schema(parameters=INDICATOR_PARAMETERS, responses={200: IndicatorBreakdownSerializer})
    @action(detail=False, methods=["get"])
    def breakdown(self, request: Request) -> Response:
        """The same indicators for every municipality of the scope."""
        try:
            params = self._params(request)
        except ValidationError as error:
            return Response(error.message_dict, status=400)
        data: dict[str, Any] = compute.as_json(params, compute.compute(params))
        data["municipalities"] = [
            {
                "municipality": {"id": row.municipality.pk, "name": row.municipality.name},
                "indicators": [figure.as_json() for figure in row.figures],
            }
            for row in compute.breakdown(params)
        ]
        return Response(data)
