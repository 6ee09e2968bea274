"""API viewsets of the learning app: the same `for_user` scoping as the pages."""

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from profdev.api.base import ScopedModelViewSet
from profdev.learning import selectors, services
from profdev.learning.api.serializers import (
    CohortSerializer,
    CompetenceAreaSerializer,
    DiagnosticSerializer,
    EnrollmentCompleteSerializer,
    EnrollmentSerializer,
    ProgramSerializer,
    RouteAddProposedSerializer,
    RouteProposalsSerializer,
    RouteSerializer,
    RouteStepSerializer,
    RouteTransitionRequestSerializer,
    StaffTrainingSerializer,
    _call,
)
from profdev.learning.filtersets import (
    CohortFilterSet,
    DiagnosticFilterSet,
    EnrollmentFilterSet,
    ProgramFilterSet,
    RouteFilterSet,
    StaffTrainingFilterSet,
)
from profdev.learning.models import (
    Cohort,
    CompetenceArea,
    Diagnostic,
    Enrollment,
    Program,
    Route,
    RouteStep,
    StaffTraining,
)


class CompetenceAreaViewSet(viewsets.ReadOnlyModelViewSet):
    """The catalogue of competence areas with their deficit thresholds."""

    queryset = CompetenceArea.objects.all()
    serializer_class = CompetenceAreaSerializer
    permission_classes = [permissions.IsAuthenticated]


class ProgramViewSet(ScopedModelViewSet):
    """Programs (ДПП ПК) of the regional catalogue."""

    queryset = Program.objects.prefetch_related("areas").order_by("title", "id")
    serializer_class = ProgramSerializer
    filterset_class = ProgramFilterSet


class CohortViewSet(ScopedModelViewSet):
    """Cohorts of the programs."""

    queryset = Cohort.objects.order_by("-start_date", "id")
    serializer_class = CohortSerializer
    filterset_class = CohortFilterSet


class EnrollmentViewSet(ScopedModelViewSet):
    """Enrollments of teachers in the user's scope; completion via `complete`."""

    queryset = Enrollment.objects.select_related("cohort").order_by("-cohort__start_date", "id")
    serializer_class = EnrollmentSerializer
    filterset_class = EnrollmentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    @action(detail=True, methods=["post"], serializer_class=EnrollmentCompleteSerializer)
    def complete(self, request: Request, pk: Any = None) -> Response:
        enrollment = self.get_object()
        data = EnrollmentCompleteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        enrollment = _call(
            services.enrollment_complete,
            user=request.user,
            enrollment=enrollment,
            **data.validated_data,
        )
        return Response(EnrollmentSerializer(enrollment, context={"request": request}).data)


class DiagnosticViewSet(ScopedModelViewSet):
    """Diagnostics of teachers in the user's scope, with scores per area."""

    queryset = Diagnostic.objects.prefetch_related("scores").order_by("-conducted_on", "id")
    serializer_class = DiagnosticSerializer
    filterset_class = DiagnosticFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class RouteViewSet(ScopedModelViewSet):
    """Routes (ИОМ) of teachers in the user's scope; status changes via `transition`.

    `propose` lists the catalogue courses and upcoming events targeting the route's deficits;
    `add-proposed` adds the chosen ones as steps.
    """

    queryset = Route.objects.prefetch_related("deficits", "transitions").order_by(
        "-developed_on", "id"
    )
    serializer_class = RouteSerializer
    filterset_class = RouteFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    @action(detail=True, methods=["post"], serializer_class=RouteTransitionRequestSerializer)
    def transition(self, request: Request, pk: Any = None) -> Response:
        route = self.get_object()
        data = RouteTransitionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        route = _call(
            services.route_transition,
            user=request.user,
            route=route,
            to_status=data.validated_data["status"],
            comment=data.validated_data.get("comment", ""),
        )
        return Response(RouteSerializer(route, context={"request": request}).data)

    @extend_schema(responses=RouteProposalsSerializer)
    @action(detail=True, methods=["get"], serializer_class=RouteProposalsSerializer)
    def proposals(self, request: Request, pk: Any = None) -> Response:
        route = self.get_object()
        data = {
            "programs": selectors.route_proposals(route=route, user=request.user),
            "events": selectors.route_event_proposals(route=route, user=request.user),
        }
        return Response(RouteProposalsSerializer(data).data)

    @extend_schema(request=RouteAddProposedSerializer, responses=RouteStepSerializer(many=True))
    @action(
        detail=True,
        methods=["post"],
        url_path="add-proposed",
        serializer_class=RouteAddProposedSerializer,
    )
    def add_proposed(self, request: Request, pk: Any = None) -> Response:
        route = self.get_object()
        data = RouteAddProposedSerializer(data=request.data, context={"request": request})
        data.is_valid(raise_exception=True)
        steps = _call(
            services.route_add_proposed_steps,
            user=request.user,
            route=route,
            programs=data.validated_data.get("programs", []),
            events=data.validated_data.get("events", []),
        )
        body = RouteStepSerializer(steps, many=True, context={"request": request}).data
        return Response(body, status=status.HTTP_201_CREATED)


class RouteStepViewSet(ScopedModelViewSet):
    """Steps of routes in the user's scope."""

    queryset = RouteStep.objects.prefetch_related("areas").order_by("route_id", "planned_start")
    serializer_class = RouteStepSerializer
    filterset_fields = ["route", "kind", "status"]


class StaffTrainingViewSet(ScopedModelViewSet):
    """Trainings of the Center's staff at the Federal Operator."""

    queryset = StaffTraining.objects.order_by("-start_date", "id")
    serializer_class = StaffTrainingSerializer
    filterset_class = StaffTrainingFilterSet
