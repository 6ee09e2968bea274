"""Pages of the mentorship program."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from profdev.common.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from profdev.common.xlsx import xlsx_response
from profdev.mentorship import selectors, services
from profdev.mentorship.filtersets import ManagementMentoringFilterSet, MentorPairFilterSet
from profdev.mentorship.forms import (
    CheckInForm,
    ManagementMentoringForm,
    MatchConfirmForm,
    MentorPairForm,
    MentorPairUpdateForm,
    TargetModelForm,
)
from profdev.mentorship.models import (
    ManagementMentoring,
    MentorPair,
    TargetModel,
)
from profdev.mentorship.rules import explain_school, implementing_schools_condition
from profdev.mentorship.tables import ManagementMentoringTable, MentorPairTable
from profdev.orgs.choices import OrganizationKind
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action, scope_of, url_if_viewable, viewable_ids
from profdev.people.models import Teacher


def _form_errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _lists(user: Any) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """The coordinator's lists as (header, rows), shared by the page and the XLSX export."""
    young = selectors.young_specialists_without_mentor(user=user)
    mentors = selectors.mentors_with_load(user=user)
    ending = selectors.pairs_ending_soon(user=user)
    attention = selectors.pairs_needing_attention(user=user)

    def pair_row(p: MentorPair) -> list[Any]:
        mentees = ", ".join(t.full_name for t in p.mentees.all())
        return [p.mentor.full_name, mentees, str(p.organization), p.planned_end, p.last_check_in]  # type: ignore[attr-defined]

    pair_header = [
        _("Наставник"),
        _("Наставляемые"),
        _("Организация"),
        _("Плановое окончание"),
        _("Последняя встреча"),
    ]
    return {
        "young": (
            [_("Молодой специалист"), _("Начало деятельности")],
            [[t.full_name, t.career_start] for t in young],
        ),
        "mentors": ([_("Наставник"), _("Наставляемых")], [[t.full_name, t.load] for t in mentors]),  # type: ignore[attr-defined]
        "ending": (pair_header, [pair_row(p) for p in ending]),
        "attention": (pair_header, [pair_row(p) for p in attention]),
    }


@login_required
def index(request: HttpRequest) -> HttpResponseBase:
    """The coordinator's desk: schools and the rule, lists to act on, XLSX of each list."""
    user = request.user
    export = request.GET.get("export")
    lists = _lists(user)
    if export in lists:
        header, rows = lists[export]
        return xlsx_response(
            f"mentorship-{export}-{timezone.localdate():%Y-%m-%d}.xlsx", header, rows
        )
    year = _year(request)
    schools = Organization.objects.for_user(user).filter(kind=OrganizationKind.SCHOOL)
    implementing = set(
        schools.filter(implementing_schools_condition(year)).values_list("pk", flat=True)
    )
    young = list(selectors.young_specialists_without_mentor(user=user)[:50])
    context = {
        "title": _("Наставничество"),
        "year": year,
        "schools": [
            (s, s.pk in implementing) for s in schools.select_related("municipality")[:200]
        ],
        "implementing_count": len(implementing),
        "school_count": schools.count(),
        "young": young,
        "mentors": selectors.mentors_with_load(user=user)[:50],
        "ending": selectors.pairs_ending_soon(user=user)[:50],
        "attention": selectors.pairs_needing_attention(user=user)[:50],
        "can_change": MentorPair.scope_filter(scope_of(user), Action.CHANGE) is not None,
    }
    return render(request, "mentorship/index.html", context)


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = timezone.localdate().year
    return year if 2000 <= year <= 2100 else timezone.localdate().year


@login_required
def school(request: HttpRequest, org_pk: int) -> HttpResponse:
    """A school's target model: which elements of the rule it has in the year."""
    organization = get_object_or_404(Organization.objects.for_user(request.user), pk=org_pk)
    year = _year(request)
    target = TargetModel.objects.filter(organization=organization).select_related("curator").first()
    can_change = (
        TargetModel.scope_filter(scope_of(request.user), Action.CHANGE) is not None
        and Organization.objects.for_user(request.user).filter(pk=org_pk).exists()
    )
    context = {
        "title": _("Целевая модель наставничества"),
        "organization": organization,
        "object": target,
        "year": year,
        "explanation": explain_school(organization, year),
        "pairs": selectors.pair_list(user=request.user).filter(organization=organization),
        "can_change": can_change,
        "history": target.history.order_by("-history_date")[:20] if target else [],
    }
    return render(request, "mentorship/school.html", context)


@login_required
def school_edit(request: HttpRequest, org_pk: int) -> HttpResponse:
    """Record or change the school's local act, curator and program."""
    organization = get_object_or_404(Organization.objects.for_user(request.user), pk=org_pk)
    if TargetModel.scope_filter(scope_of(request.user), Action.CHANGE) is None:
        raise PermissionDenied(_("У вас нет прав изменять эту запись."))
    instance = TargetModel.objects.filter(organization=organization).first()
    form = TargetModelForm(
        request.POST or None,
        request.FILES or None,
        instance=instance,
        user=request.user,
        organization=organization,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.target_model_save(
                user=request.user,
                organization=organization,
                local_act_number=data["local_act_number"],
                local_act_date=data["local_act_date"],
                local_act_file=data["local_act_file"] or None,
                curator=data["curator"],
                program_title=data["program_title"],
                program_start=data["program_start"],
                program_end=data["program_end"],
                program_file=data["program_file"] or None,
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Целевая модель сохранена."))
            return redirect("mentorship:school", org_pk=organization.pk)
    return render(
        request,
        "common/form.html",
        {"form": form, "title": _("Целевая модель: %(org)s") % {"org": organization}},
    )


class PairListView(ScopedListView):
    model = MentorPair
    table_class = MentorPairTable
    filterset_class = MentorPairFilterSet
    export_filename = "mentor-pairs"
    create_url_name = "mentorship:pair-create"
    title = gettext_lazy("Наставнические пары и группы")

    def get_queryset(self) -> Any:
        return selectors.pair_list(user=self.request.user)


class PairDetailView(ScopedDetailView):
    model = MentorPair
    template_name = "mentorship/pair_detail.html"
    select_related = ("mentor", "form", "organization")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        pair, user = self.object, self.request.user
        context["check_ins"] = pair.check_ins.all()
        context["mentees"] = list(pair.mentees.all())
        # Links only to the pages this user may open (a teacher may not open a colleague's).
        context["viewable_teachers"] = viewable_ids(
            user, Teacher, [pair.mentor_id, *(t.pk for t in context["mentees"])]
        )
        context["school_url"] = url_if_viewable(
            user, pair.organization, reverse("mentorship:school", args=[pair.organization_id])
        )
        context["check_in_form"] = kwargs.get("check_in_form") or CheckInForm(
            user=self.request.user, initial={"date": timezone.localdate()}
        )
        context["needs_attention"] = (
            MentorPair.objects.filter(pk=self.object.pk)
            .filter(selectors.needs_attention_q())
            .exists()
        )
        return context

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.object = self.get_object()
        form = CheckInForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                services.check_in_create(user=request.user, pair=self.object, **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Встреча отмечена."))
                return redirect(self.object.get_absolute_url())
        return self.render_to_response(self.get_context_data(check_in_form=form))


class PairCreateView(ScopedCreateView):
    model = MentorPair
    form_class = MentorPairForm
    title = gettext_lazy("Новая наставническая пара (группа)")

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        organization = getattr(self.request.user, "organization", None)
        if organization is not None:
            initial["organization"] = organization
        initial["start_date"] = timezone.localdate()
        return initial

    def form_valid(self, form: Any) -> HttpResponse:
        data = form.cleaned_data
        try:
            self.object = services.pair_create(user=self.request.user, **data)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Пара создана."))
        return redirect(self.object.get_absolute_url())


class PairUpdateView(ScopedUpdateView):
    model = MentorPair
    form_class = MentorPairUpdateForm

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = services.pair_update(
                user=self.request.user, pair=self.object, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Изменения сохранены."))
        return redirect(self.object.get_absolute_url())


@login_required
def match(request: HttpRequest, teacher_pk: int) -> HttpResponse:
    """Proposed mentors for a mentee, with the reasons; the coordinator confirms one."""
    mentee = get_object_or_404(Teacher.objects.for_user(request.user), pk=teacher_pk)
    if MentorPair.scope_filter(scope_of(request.user), Action.CHANGE) is None:
        raise PermissionDenied(_("У вас нет прав создавать пары."))
    proposals = selectors.propose_mentors(mentee=mentee, user=request.user)
    organization = (
        Organization.objects.for_user(request.user)
        .filter(employments__teacher=mentee)
        .order_by("pk")
        .first()
    )
    today = timezone.localdate()
    form = MatchConfirmForm(
        request.POST or None,
        mentor_ids=[p.teacher.pk for p in proposals],
        initial={
            "mentor": proposals[0].teacher.pk if proposals else None,
            "start_date": today,
            "planned_end": today + datetime.timedelta(days=365),
        },
    )
    if request.method == "POST" and form.is_valid() and organization is not None:
        try:
            pair = services.match_confirm(
                user=request.user, organization=organization, mentee=mentee, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(request, _("Пара создана."))
            return redirect(pair.get_absolute_url())
    return render(
        request,
        "mentorship/match.html",
        {
            "title": _("Подбор наставника"),
            "mentee": mentee,
            "proposals": proposals,
            "form": form,
            "organization": organization,
        },
    )


class ManagementListView(ScopedListView):
    model = ManagementMentoring
    table_class = ManagementMentoringTable
    filterset_class = ManagementMentoringFilterSet
    export_filename = "management-mentoring"
    create_url_name = "mentorship:management-create"
    title = gettext_lazy("Менторство управленческих команд")
    select_related = ("mentor_organization", "mentee_organization")


class ManagementDetailView(ScopedDetailView):
    model = ManagementMentoring
    template_name = "mentorship/management_detail.html"
    select_related = ("mentor_organization", "mentee_organization")


class ManagementCreateView(ScopedCreateView):
    model = ManagementMentoring
    form_class = ManagementMentoringForm
    title = gettext_lazy("Новая связь менторства управленческих команд")

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            self.object = services.management_mentoring_create(
                user=self.request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, _("Связь создана."))
        return redirect(self.object.get_absolute_url())
