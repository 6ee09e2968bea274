"""Reads of the mentorship program: lists for coordinators and the mentor matching."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from profdev.mentorship.choices import PairStatus
from profdev.mentorship.models import CheckIn, MentorPair, MentorshipSettings
from profdev.orgs.scoping import Action
from profdev.people.choices import QualificationCategory
from profdev.people.models import Employment, Teacher, active_employment_q, young_specialist_cutoff


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


def active_mentee_count_q() -> Count:
    """Mentees in the teacher's active pairs (the mentor's load)."""
    return Count(
        "mentor_pairs__mentees",
        filter=Q(mentor_pairs__status=PairStatus.ACTIVE),
        distinct=True,
    )


def mentor_load(teacher: Teacher) -> int:
    """How many mentees the teacher currently mentors."""
    return (
        Teacher.objects.filter(pk=teacher.pk)
        .annotate(load=active_mentee_count_q())
        .values_list("load", flat=True)
        .get()
    )


def pair_list(*, user: Any) -> QuerySet[MentorPair]:
    """Pairs the user may see, with the date of the last check-in."""
    return (
        MentorPair.objects.for_user(user, Action.VIEW)
        .select_related("mentor", "form", "organization")
        .prefetch_related("mentees")
        .annotate(last_check_in=Max("check_ins__date"))
        .order_by("-start_date", "pk")
    )


def needs_attention_q(on: datetime.date | None = None) -> Q:
    """Active pairs with no check-in for the configured number of weeks."""
    weeks = MentorshipSettings.load().check_in_weeks
    since = _today(on) - datetime.timedelta(weeks=weeks)
    recent = CheckIn.objects.filter(pair=OuterRef("pk"), date__gt=since)
    return Q(status=PairStatus.ACTIVE, start_date__lte=since) & ~Q(Exists(recent))


def pairs_needing_attention(*, user: Any, on: datetime.date | None = None) -> QuerySet[MentorPair]:
    return pair_list(user=user).filter(needs_attention_q(on))


def pairs_ending_soon(*, user: Any, on: datetime.date | None = None) -> QuerySet[MentorPair]:
    """Active pairs whose planned end falls within the configured number of days."""
    day = _today(on)
    horizon = day + datetime.timedelta(days=MentorshipSettings.load().ending_soon_days)
    return (
        pair_list(user=user)
        .filter(status=PairStatus.ACTIVE, planned_end__lte=horizon)
        .order_by("planned_end")
    )


def young_specialists_without_mentor(
    *, user: Any, on: datetime.date | None = None
) -> QuerySet[Teacher]:
    """Young specialists in scope who are not a mentee in any active pair."""
    active = MentorPair.objects.filter(status=PairStatus.ACTIVE, mentees=OuterRef("pk"))
    return (
        Teacher.objects.for_user(user, Action.VIEW)
        .filter(career_start__gt=young_specialist_cutoff(_today(on)))
        .exclude(Exists(active))
        .order_by("last_name", "first_name")
    )


def mentors_with_load(*, user: Any) -> QuerySet[Teacher]:
    """Teachers in scope who mentor someone now, with their load."""
    return (
        Teacher.objects.for_user(user, Action.VIEW)
        .annotate(load=active_mentee_count_q())
        .filter(load__gt=0)
        .order_by("-load", "last_name")
    )


@dataclass
class Proposal:
    """A proposed mentor, the score and why."""

    teacher: Teacher
    load: int
    score: int = 0
    reasons: list[tuple[str, int]] = field(default_factory=list)

    def add(self, label: str, points: int) -> None:
        if points:
            self.score += points
            self.reasons.append((label, points))


CATEGORY_POINTS = {
    QualificationCategory.HIGHEST: 15,
    QualificationCategory.FIRST: 10,
    QualificationCategory.CONFORMITY: 3,
}


def propose_mentors(
    *, mentee: Teacher, user: Any = None, on: datetime.date | None = None, limit: int = 10
) -> list[Proposal]:
    """Mentors for `mentee` ranked by an explainable score; mentors at or over the cap are left out.

    Candidates work now in the mentee's municipality (cross-school pairs stay inside one) and are
    not young specialists themselves.
    """
    day = _today(on)
    cap = MentorshipSettings.load().mentor_load_cap
    mentee_jobs = list(
        Employment.objects.filter(active_employment_q(on=day), teacher=mentee).values_list(
            "organization_id", "organization__municipality_id"
        )
    )
    schools = {org for org, _m in mentee_jobs}
    municipalities = {m for _o, m in mentee_jobs}
    subjects = set(mentee.subjects.values_list("pk", flat=True))
    candidates = (
        Teacher.objects.filter(
            Exists(
                Employment.objects.filter(
                    active_employment_q(on=day),
                    teacher=OuterRef("pk"),
                    organization__municipality__in=municipalities,
                )
            )
        )
        .exclude(pk=mentee.pk)
        .exclude(career_start__gt=young_specialist_cutoff(day))
        .annotate(load=active_mentee_count_q())
        .filter(load__lt=cap)
        .prefetch_related("subjects")
    )
    if user is not None:
        # A school coordinator may pair across schools of the municipality; others see their scope.
        from profdev.accounts.choices import Role
        from profdev.orgs.scoping import scope_of

        if scope_of(user).role != Role.SCHOOL:
            candidates = candidates.filter(
                pk__in=Teacher.objects.for_user(user, Action.VIEW).values("pk")
            )
    jobs: dict[int, set[int]] = {}
    for teacher_id, org_id in Employment.objects.filter(
        active_employment_q(on=day), teacher__in=candidates.values("pk")
    ).values_list("teacher_id", "organization_id"):
        jobs.setdefault(teacher_id, set()).add(org_id)
    proposals = []
    for teacher in candidates:
        proposal = Proposal(teacher=teacher, load=teacher.load)
        shared = subjects & {s.pk for s in teacher.subjects.all()}
        proposal.add(_("Тот же предмет"), 30 if shared else 0)
        if jobs.get(teacher.pk, set()) & schools:
            proposal.add(_("Та же школа"), 20)
        else:
            proposal.add(_("Тот же муниципалитет"), 10)
        if teacher.career_start:
            years = max(0, (day - teacher.career_start).days // 365)
            experience = ngettext("Стаж %(years)s год", "Стаж %(years)s лет", years)
            proposal.add(experience % {"years": years}, min(years, 20))
        proposal.add(
            _("Категория: %(cat)s") % {"cat": teacher.get_qualification_category_display()},
            CATEGORY_POINTS.get(teacher.qualification_category, 0),
        )
        proposal.add(
            _("Нагрузка %(load)s из %(cap)s") % {"load": teacher.load, "cap": cap},
            (cap - teacher.load) * 3,
        )
        proposals.append(proposal)
    proposals.sort(key=lambda p: (-p.score, p.teacher.last_name, p.teacher.pk))
    return proposals[:limit]
