"""Writes of the mentorship program; pages, the API and demo data call these."""

import datetime
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from profdev.accounts.choices import Role
from profdev.common.uploads import validate_document
from profdev.mentorship.choices import PairStatus
from profdev.mentorship.models import (
    CheckIn,
    ManagementMentoring,
    MentoringForm,
    MentorPair,
    TargetModel,
)
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action, ScopedModel, scope_of
from profdev.people.models import Employment, Teacher, active_employment_q


def _ensure_can_write(*, user: Any, model: type[ScopedModel], organization: Organization) -> None:
    """The user's role may change `model` and the organization is within their scope."""
    if user is None:
        return
    scope = scope_of(user)
    if model.scope_filter(scope, Action.CHANGE) is None:
        raise PermissionDenied(_("У вас нет прав изменять такие записи."))
    if not Organization.objects.for_user(user, Action.VIEW).filter(pk=organization.pk).exists():
        raise PermissionDenied(
            _("Организация «%(org)s» вне вашей зоны ответственности.") % {"org": organization}
        )


def _employed_at(teacher: Teacher, on: datetime.date, **lookup: Any) -> bool:
    return Employment.objects.filter(active_employment_q(on=on), teacher=teacher, **lookup).exists()


@transaction.atomic
def target_model_save(
    *,
    user: Any,
    organization: Organization,
    local_act_number: str = "",
    local_act_date: datetime.date | None = None,
    local_act_file: Any = None,
    curator: Teacher | None = None,
    program_title: str = "",
    program_start: datetime.date | None = None,
    program_end: datetime.date | None = None,
    program_file: Any = None,
) -> TargetModel:
    """Create or update the school's target model; the curator must work at the school."""
    _ensure_can_write(user=user, model=TargetModel, organization=organization)
    if curator is not None and not _employed_at(
        curator, timezone.localdate(), organization=organization
    ):
        raise ValidationError({"curator": _("Куратор должен быть педагогом этой организации.")})
    target, _created = TargetModel.objects.get_or_create(organization=organization)
    target.local_act_number = local_act_number.strip()
    target.local_act_date = local_act_date
    target.curator = curator
    target.program_title = program_title.strip()
    target.program_start = program_start
    target.program_end = program_end
    for name, upload in (("local_act_file", local_act_file), ("program_file", program_file)):
        if upload is None:
            continue
        if isinstance(upload, UploadedFile):
            validate_document(upload, field=name)  # by content and size, not by name
        setattr(target, name, upload)
    target.full_clean()
    target.save()
    return target


def _ensure_people_in_scope(
    *,
    user: Any,
    organization: Organization,
    mentor: Teacher,
    mentees: list[Teacher],
    on: datetime.date,
) -> None:
    """Mentees must be in the user's scope; the mentor too, or (cross-school) in the municipality."""
    if user is not None:
        visible = Teacher.objects.for_user(user, Action.VIEW)
        outside = [t for t in mentees if not visible.filter(pk=t.pk).exists()]
        if outside:
            raise PermissionDenied(
                _("Наставляемый %(name)s вне вашей зоны ответственности.")
                % {"name": outside[0].full_name}
            )
        mentor_ok = visible.filter(pk=mentor.pk).exists() or (
            scope_of(user).role == Role.SCHOOL
            and _employed_at(mentor, on, organization__municipality=organization.municipality_id)
        )
        if not mentor_ok:
            raise PermissionDenied(
                _("Наставник %(name)s вне вашей зоны ответственности.") % {"name": mentor.full_name}
            )
    municipality = organization.municipality_id
    for person in [mentor, *mentees]:
        if not _employed_at(person, on, organization__municipality=municipality):
            raise ValidationError(
                _(
                    "%(name)s не работает в муниципалитете организации: межшкольные пары "
                    "возможны только внутри муниципалитета."
                )
                % {"name": person.full_name}
            )


def _ensure_no_duplicate_pair(
    *, mentees: list[Teacher], form: MentoringForm, exclude_pk: int | None = None
) -> None:
    clash = MentorPair.objects.filter(
        status=PairStatus.ACTIVE, form=form, mentees__in=[t.pk for t in mentees]
    )
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    busy = Teacher.objects.filter(mentee_pairs__in=clash, pk__in=[t.pk for t in mentees]).first()
    if busy is not None:
        raise ValidationError(
            {
                "mentees": _("%(name)s уже состоит в действующей паре формы «%(form)s».")
                % {"name": busy.full_name, "form": form}
            }
        )


@transaction.atomic
def pair_create(
    *,
    user: Any,
    organization: Organization,
    mentor: Teacher,
    mentees: Iterable[Teacher],
    form: MentoringForm,
    start_date: datetime.date,
    planned_end: datetime.date,
    goals: str = "",
) -> MentorPair:
    """Create a mentor pair or group after checking scope, people and overlaps."""
    mentee_list = list(mentees)
    _ensure_can_write(user=user, model=MentorPair, organization=organization)
    if not mentee_list:
        raise ValidationError({"mentees": _("Укажите хотя бы одного наставляемого.")})
    if mentor.pk in {t.pk for t in mentee_list}:
        raise ValidationError({"mentees": _("Наставник не может быть своим наставляемым.")})
    pair = MentorPair(
        organization=organization,
        mentor=mentor,
        form=form,
        start_date=start_date,
        planned_end=planned_end,
        goals=goals.strip(),
        status=PairStatus.ACTIVE,
    )
    pair.full_clean()
    _ensure_people_in_scope(
        user=user,
        organization=organization,
        mentor=mentor,
        mentees=mentee_list,
        on=min(start_date, timezone.localdate()),
    )
    _ensure_no_duplicate_pair(mentees=mentee_list, form=form)
    pair.save()
    pair.mentees.set(mentee_list)
    return pair


@transaction.atomic
def pair_update(*, user: Any, pair: MentorPair, **fields: Any) -> MentorPair:
    """Change a pair's dates, goals, status, outcome or self-assessment."""
    if not MentorPair.objects.for_user(user, Action.CHANGE).filter(pk=pair.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять эту пару."))
    mentees = fields.pop("mentees", None)
    for name, value in fields.items():
        setattr(pair, name, value)
    if pair.status != PairStatus.ACTIVE and pair.end_date is None:
        pair.end_date = min(timezone.localdate(), max(pair.planned_end, pair.start_date))
    pair.full_clean()
    if mentees is not None:
        mentee_list = list(mentees)
        if not mentee_list:
            raise ValidationError({"mentees": _("Укажите хотя бы одного наставляемого.")})
        if pair.mentor_id in {t.pk for t in mentee_list}:
            raise ValidationError({"mentees": _("Наставник не может быть своим наставляемым.")})
    else:
        mentee_list = list(pair.mentees.all())
    if pair.status == PairStatus.ACTIVE:
        _ensure_no_duplicate_pair(mentees=mentee_list, form=pair.form, exclude_pk=pair.pk)
    pair.save()
    if mentees is not None:
        pair.mentees.set(mentee_list)
    return pair


@transaction.atomic
def check_in_create(
    *, user: Any, pair: MentorPair, date: datetime.date, topic: str, note: str = ""
) -> CheckIn:
    """Log a meeting of a pair (by the pair's members or its coordinators)."""
    may_write = CheckIn.scope_filter(scope_of(user), Action.CHANGE) is not None
    if not may_write or not MentorPair.objects.for_user(user).filter(pk=pair.pk).exists():
        raise PermissionDenied(_("У вас нет прав отмечать встречи этой пары."))
    if date < pair.start_date:
        raise ValidationError({"date": _("Встреча не может быть раньше начала работы пары.")})
    check_in = CheckIn(pair=pair, date=date, topic=topic.strip(), note=note.strip())
    check_in.full_clean()
    check_in.save()
    return check_in


@transaction.atomic
def management_mentoring_create(
    *,
    user: Any,
    mentor_organization: Organization,
    mentee_organization: Organization,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
    status: str = "active",
    goals: str = "",
    mentor_people: Iterable[Teacher] = (),
    mentee_people: Iterable[Teacher] = (),
) -> ManagementMentoring:
    """Record that one organization's management team mentors another's."""
    if mentor_organization.pk == mentee_organization.pk:
        raise ValidationError(
            {"mentee_organization": _("Организация не может быть наставником самой себе.")}
        )
    _ensure_can_write(user=user, model=ManagementMentoring, organization=mentor_organization)
    _ensure_can_write(user=user, model=ManagementMentoring, organization=mentee_organization)
    link = ManagementMentoring(
        mentor_organization=mentor_organization,
        mentee_organization=mentee_organization,
        start_date=start_date,
        end_date=end_date,
        status=status,
        goals=goals.strip(),
    )
    link.full_clean()
    mentors, mentees = list(mentor_people), list(mentee_people)
    on = min(start_date, timezone.localdate())
    for person in mentors:
        if not _employed_at(person, on, organization=mentor_organization):
            raise ValidationError(
                {
                    "mentor_people": _("%(name)s не работает в организации-наставнике.")
                    % {"name": person.full_name}
                }
            )
    for person in mentees:
        if not _employed_at(person, on, organization=mentee_organization):
            raise ValidationError(
                {
                    "mentee_people": _("%(name)s не работает в наставляемой организации.")
                    % {"name": person.full_name}
                }
            )
    link.save()
    link.mentor_people.set(mentors)
    link.mentee_people.set(mentees)
    return link


@transaction.atomic
def match_confirm(
    *,
    user: Any,
    organization: Organization,
    mentee: Teacher,
    mentor: Teacher,
    form: MentoringForm,
    start_date: datetime.date,
    planned_end: datetime.date,
    goals: str = "",
) -> MentorPair:
    """The coordinator confirms a proposed mentor: a pair is created if the mentor is still eligible."""
    from profdev.mentorship.selectors import propose_mentors

    proposed = {p.teacher.pk for p in propose_mentors(mentee=mentee, user=user, limit=10_000)}
    if mentor.pk not in proposed:
        raise ValidationError(
            _("%(name)s не может быть предложен: превышена нагрузка или не подходит по условиям.")
            % {"name": mentor.full_name}
        )
    return pair_create(
        user=user,
        organization=organization,
        mentor=mentor,
        mentees=[mentee],
        form=form,
        start_date=start_date,
        planned_end=planned_end,
        goals=goals,
    )
