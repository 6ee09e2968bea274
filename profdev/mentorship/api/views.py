from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from profdev.api.base import ScopedModelViewSet
from profdev.mentorship import selectors
from profdev.mentorship.api.serializers import (
    CheckInSerializer,
    ManagementMentoringSerializer,
    MentorPairSerializer,
    TargetModelSerializer,
)
from profdev.mentorship.filtersets import (
    ManagementMentoringFilterSet,
    MentorPairFilterSet,
    TargetModelFilterSet,
)
from profdev.mentorship.models import CheckIn, ManagementMentoring, MentorPair, TargetModel
from profdev.orgs.scoping import Action
from profdev.people.models import Teacher


class TargetModelViewSet(ScopedModelViewSet):
    """Target mentorship models of schools in scope."""

    queryset = TargetModel.objects.select_related("organization").order_by("pk")
    serializer_class = TargetModelSerializer
    filterset_class = TargetModelFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class MentorPairViewSet(ScopedModelViewSet):
    """Mentor pairs and groups in scope; `match/?mentee=ID` proposes mentors."""

    queryset = MentorPair.objects.all()
    serializer_class = MentorPairSerializer
    filterset_class = MentorPairFilterSet
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_base_queryset(self) -> QuerySet[MentorPair]:
        return MentorPair.objects.prefetch_related("mentees").order_by("-start_date", "pk")

    @action(detail=False, methods=["get"])
    def match(self, request: Request) -> Response:
        mentee = (
            Teacher.objects.for_user(request.user, Action.VIEW)
            .filter(pk=request.query_params.get("mentee") or 0)
            .first()
        )
        if mentee is None:
            return Response({"detail": _("Наставляемый не найден.")}, status=404)
        proposals = selectors.propose_mentors(mentee=mentee, user=request.user)
        data: list[dict[str, Any]] = [
            {
                "teacher": p.teacher.pk,
                "full_name": p.teacher.full_name,
                "score": p.score,
                "load": p.load,
                "reasons": [{"label": label, "points": points} for label, points in p.reasons],
            }
            for p in proposals
        ]
        return Response(data)


class CheckInViewSet(ScopedModelViewSet):
    queryset = CheckIn.objects.order_by("-date", "pk")
    serializer_class = CheckInSerializer
    http_method_names = ["get", "post", "head", "options"]


class ManagementMentoringViewSet(ScopedModelViewSet):
    """Management-team mentoring links in scope."""

    queryset = (
        ManagementMentoring.objects.select_related("mentee_organization", "mentor_organization")
        .prefetch_related("mentor_people", "mentee_people")
        .order_by("-start_date", "pk")
    )
    serializer_class = ManagementMentoringSerializer
    filterset_class = ManagementMentoringFilterSet
    http_method_names = ["get", "post", "head", "options"]
