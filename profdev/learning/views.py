"""Pages of the learning app: diagnostics, routes, programs, enrollments, staff training."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from profdev.common.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from profdev.events.models import Event
from profdev.learning import selectors, services
from profdev.learning.choices import ROUTE_TRANSITIONS, RouteStatus
from profdev.learning.filtersets import (
    DiagnosticFilterSet,
    EnrollmentFilterSet,
    ProgramFilterSet,
    RouteFilterSet,
    StaffTrainingFilterSet,
)
from profdev.learning.forms import (
    CohortForm,
    DiagnosticForm,
    EnrollmentCompleteForm,
    EnrollmentForm,
    ProgramForm,
    RouteForm,
    RouteStepForm,
    StaffTrainingForm,
)
from profdev.learning.models import (
    Cohort,
    Diagnostic,
    Enrollment,
    Program,
    Route,
    RouteStep,
    StaffTraining,
)
from profdev.learning.tables import (
    DiagnosticTable,
    EnrollmentTable,
    ProgramTable,
    RouteTable,
    StaffTrainingTable,
)
from profdev.orgs.scoping import Action, scope_of
from profdev.people.models import Teacher


def _form_error(form: Any, error: ValidationError) -> None:
    """Put a service's ValidationError on the form (field errors where the field exists)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


class ServiceFormMixin:
    """Services raise ValidationError with Russian messages; show them on the form."""

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            return super().form_valid(form)  # type: ignore[misc]
        except ValidationError as error:
            _form_error(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]


def _teacher(request: HttpRequest, pk: int) -> Teacher:
    return get_object_or_404(Teacher.objects.for_user(request.user, Action.VIEW), pk=pk)


# --- routes -------------------------------------------------------------------------------------


class RouteListView(ScopedListView):
    model = Route
    table_class = RouteTable
    filterset_class = RouteFilterSet
    export_filename = "routes"
    title = gettext_lazy("Индивидуальные образовательные маршруты")

    def get_queryset(self) -> QuerySet[Route]:
        return (
            super()
            .get_queryset()
            .select_related("teacher", "methodist")
            .prefetch_related("deficits")
        )


class RouteDetailView(ScopedDetailView):
    model = Route
    template_name = "learning/route_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        route: Route = self.object
        context["steps"] = route.steps.select_related(
            "program", "enrollment", "event"
        ).prefetch_related("areas")
        context["transitions"] = route.transitions.select_related("changed_by")
        context["next_statuses"] = [
            (status, RouteStatus(status).label)
            for status in ROUTE_TRANSITIONS.get(route.status, frozenset())
        ]
        later, outcomes = selectors.route_outcomes(route)
        context["later_diagnostic"] = later
        context["outcomes"] = outcomes
        editable = route.status not in (RouteStatus.COMPLETED, RouteStatus.CANCELLED)
        proposing = context["can_change"] and editable
        context["proposals"] = (
            selectors.route_proposals(route=route, user=self.request.user) if proposing else []
        )
        context["event_proposals"] = (
            selectors.route_event_proposals(route=route, user=self.request.user)
            if proposing
            else []
        )
        return context


class RouteCreateView(ServiceFormMixin, ScopedCreateView):
    model = Route
    parent_models = {"teacher_pk": Teacher}
    form_class = RouteForm
    title = gettext_lazy("Новый индивидуальный образовательный маршрут")
    success_message = gettext_lazy("Маршрут создан. Добавьте шаги и утвердите его.")

    def get_teacher(self) -> Teacher:
        return _teacher(self.request, self.kwargs["teacher_pk"])

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["teacher"] = self.get_teacher()
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        today = timezone.localdate()
        initial: dict[str, Any] = {
            "developed_on": today,
            "planned_end": today.replace(year=today.year + 1),
        }
        diagnostic = selectors.latest_diagnostic(teacher=self.get_teacher(), user=self.request.user)
        if diagnostic is not None:
            initial["diagnostic"] = diagnostic.pk
        staff = getattr(self.request.user, "staff_member", None)
        if staff is not None:
            initial["methodist"] = staff.pk
        return initial

    def perform_save(self, form: RouteForm) -> Route:
        data = form.cleaned_data
        return services.route_create(
            user=self.request.user,
            teacher=self.get_teacher(),
            developed_on=data["developed_on"],
            planned_end=data["planned_end"],
            methodist=data.get("methodist"),
            diagnostic=data.get("diagnostic"),
            deficits=list(data["deficits"]) or None,
            notes=data.get("notes", ""),
        )


class RouteUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = Route
    form_class = RouteForm

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["teacher"] = self.object.teacher
        return kwargs

    def perform_save(self, form: RouteForm) -> Route:
        data = dict(form.cleaned_data)
        deficits = list(data.pop("deficits", []))
        route = Route.objects.get(pk=form.instance.pk)
        return services.route_update(user=self.request.user, route=route, deficits=deficits, **data)


@login_required
@require_POST
def route_transition(request: HttpRequest, pk: int) -> HttpResponse:
    route = get_object_or_404(Route.objects.for_user(request.user, Action.VIEW), pk=pk)
    try:
        services.route_transition(
            user=request.user,
            route=route,
            to_status=request.POST.get("status", ""),
            comment=request.POST.get("comment", "")[:500],
        )
        messages.success(request, _("Статус маршрута изменён."))
    except ValueError:
        messages.error(request, _("Неизвестный статус."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(route.get_absolute_url())


@login_required
@require_POST
def route_add_proposals(request: HttpRequest, pk: int) -> HttpResponse:
    """Add the chosen proposed courses and events to a route in one click."""
    route = get_object_or_404(Route.objects.for_user(request.user, Action.VIEW), pk=pk)
    program_ids = [int(x) for x in request.POST.getlist("program") if x.isdigit()]
    event_ids = [int(x) for x in request.POST.getlist("event") if x.isdigit()]
    programs = Program.objects.for_user(request.user, Action.VIEW).filter(pk__in=program_ids)
    events = Event.objects.for_user(request.user, Action.VIEW).filter(pk__in=event_ids)
    if not program_ids and not event_ids:
        messages.error(request, _("Отметьте хотя бы один курс или мероприятие."))
        return redirect(route.get_absolute_url())
    try:
        steps = services.route_add_proposed_steps(
            user=request.user, route=route, programs=programs, events=events
        )
        messages.success(request, _("Добавлено шагов: %(n)d.") % {"n": len(steps)})
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(route.get_absolute_url())


def _step_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    upload = data.pop("evidence_file", None)
    data["evidence_file"] = upload if isinstance(upload, UploadedFile) else None
    data["areas"] = list(data.get("areas") or [])
    return data


class RouteStepCreateView(ServiceFormMixin, ScopedCreateView):
    model = RouteStep
    parent_models = {"route_pk": Route}
    form_class = RouteStepForm
    title = gettext_lazy("Новый шаг маршрута")

    def get_route(self) -> Route:
        return get_object_or_404(
            Route.objects.for_user(self.request.user, Action.VIEW), pk=self.kwargs["route_pk"]
        )

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["route"] = self.get_route()
        return kwargs

    def get_initial(self) -> dict[str, Any]:
        route = self.get_route()
        return {"planned_start": route.developed_on, "planned_end": route.planned_end}

    def perform_save(self, form: RouteStepForm) -> RouteStep:
        data = _step_kwargs(dict(form.cleaned_data))
        return services.route_step_create(user=self.request.user, route=self.get_route(), **data)

    def get_success_url(self) -> str:
        return reverse("learning:route-detail", args=[self.kwargs["route_pk"]])


class RouteStepUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = RouteStep
    form_class = RouteStepForm

    def perform_save(self, form: RouteStepForm) -> RouteStep:
        data = _step_kwargs(dict(form.cleaned_data))
        step = RouteStep.objects.get(pk=form.instance.pk)
        return services.route_step_update(user=self.request.user, step=step, **data)

    def get_success_url(self) -> str:
        return reverse("learning:route-detail", args=[self.object.route_id])


# --- diagnostics --------------------------------------------------------------------------------


class DiagnosticListView(ScopedListView):
    model = Diagnostic
    table_class = DiagnosticTable
    filterset_class = DiagnosticFilterSet
    export_filename = "diagnostics"
    title = gettext_lazy("Диагностики профессиональных дефицитов")

    def get_queryset(self) -> QuerySet[Diagnostic]:
        return (
            super()
            .get_queryset()
            .select_related("teacher", "conducted_by")
            .prefetch_related("scores__area")
        )


class DiagnosticDetailView(ScopedDetailView):
    model = Diagnostic
    template_name = "learning/diagnostic_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["scores"] = self.object.scores.select_related("area")
        context["routes"] = self.object.routes.all()
        return context


class DiagnosticUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = Diagnostic
    form_class = DiagnosticForm

    def perform_save(self, form: DiagnosticForm) -> Diagnostic:
        data = dict(form.cleaned_data)
        fields = {name: data[name] for name in services.DIAGNOSTIC_FIELDS if name in data}
        diagnostic = Diagnostic.objects.get(pk=form.instance.pk)
        return services.diagnostic_update(
            user=self.request.user, diagnostic=diagnostic, scores=form.scores(), **fields
        )


class DiagnosticCreateView(ServiceFormMixin, ScopedCreateView):
    model = Diagnostic
    parent_models = {"teacher_pk": Teacher}
    form_class = DiagnosticForm
    title = gettext_lazy("Новая диагностика профессиональных дефицитов")
    success_message = gettext_lazy("Диагностика сохранена.")

    def get_initial(self) -> dict[str, Any]:
        staff = getattr(self.request.user, "staff_member", None)
        return {"conducted_on": timezone.localdate(), "conducted_by": staff.pk if staff else None}

    def perform_save(self, form: DiagnosticForm) -> Diagnostic:
        data = form.cleaned_data
        return services.diagnostic_create(
            user=self.request.user,
            teacher=_teacher(self.request, self.kwargs["teacher_pk"]),
            conducted_on=data["conducted_on"],
            instrument=data["instrument"],
            conducted_by=data.get("conducted_by"),
            notes=data.get("notes", ""),
            scores=form.scores(),
        )


# --- programs, cohorts, enrollments ------------------------------------------------------------


class ProgramListView(ScopedListView):
    model = Program
    table_class = ProgramTable
    filterset_class = ProgramFilterSet
    export_filename = "programs"
    create_url_name = "learning:program-create"
    title = gettext_lazy("Программы ДПП ПК")


class ProgramDetailView(ScopedDetailView):
    model = Program
    template_name = "learning/program_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cohorts"] = Cohort.objects.for_user(self.request.user).filter(program=self.object)
        context["areas"] = self.object.areas.all()
        return context


class ProgramCreateView(ServiceFormMixin, ScopedCreateView):
    model = Program
    form_class = ProgramForm
    title = gettext_lazy("Новая программа ДПП ПК")

    def perform_save(self, form: ProgramForm) -> Program:
        data = dict(form.cleaned_data)
        areas = data.pop("areas", [])
        return services.program_create(user=self.request.user, areas=areas, **data)


class ProgramUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = Program
    form_class = ProgramForm

    def perform_save(self, form: ProgramForm) -> Program:
        data = dict(form.cleaned_data)
        areas = data.pop("areas", None)
        program = Program.objects.get(pk=form.instance.pk)
        return services.program_update(user=self.request.user, program=program, areas=areas, **data)


class CohortDetailView(ScopedDetailView):
    model = Cohort
    template_name = "learning/cohort_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["enrollments"] = (
            Enrollment.objects.for_user(self.request.user)
            .filter(cohort=self.object)
            .select_related("teacher")
        )
        scope = scope_of(self.request.user)
        context["can_enroll"] = Enrollment.scope_filter(scope, Action.CHANGE) is not None
        return context


class CohortCreateView(ServiceFormMixin, ScopedCreateView):
    model = Cohort
    parent_models = {"program_pk": Program}
    form_class = CohortForm
    title = gettext_lazy("Новый поток")

    def perform_save(self, form: CohortForm) -> Cohort:
        program = get_object_or_404(
            Program.objects.for_user(self.request.user, Action.CHANGE),
            pk=self.kwargs["program_pk"],
        )
        return services.cohort_create(user=self.request.user, program=program, **form.cleaned_data)


class EnrollmentListView(ScopedListView):
    model = Enrollment
    table_class = EnrollmentTable
    filterset_class = EnrollmentFilterSet
    export_filename = "enrollments"
    title = gettext_lazy("Обучение на курсах")

    def get_queryset(self) -> QuerySet[Enrollment]:
        return super().get_queryset().select_related("teacher", "cohort__program")


class EnrollmentDetailView(ScopedDetailView):
    model = Enrollment
    template_name = "learning/enrollment_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["complete_form"] = EnrollmentCompleteForm(
            initial={"completion_date": self.object.cohort.end_date}
        )
        context["steps"] = self.object.route_steps.select_related("route")
        return context


class EnrollmentCreateView(ServiceFormMixin, ScopedCreateView):
    model = Enrollment
    parent_models = {"cohort_pk": Cohort}
    form_class = EnrollmentForm
    title = gettext_lazy("Зачисление на курс")

    def get_cohort(self) -> Cohort:
        return get_object_or_404(
            Cohort.objects.for_user(self.request.user), pk=self.kwargs["cohort_pk"]
        )

    def perform_save(self, form: EnrollmentForm) -> Enrollment:
        return services.enrollment_create(
            user=self.request.user, cohort=self.get_cohort(), teacher=form.cleaned_data["teacher"]
        )

    def get_success_url(self) -> str:
        return reverse("learning:cohort-detail", args=[self.kwargs["cohort_pk"]])


@login_required
def enrollment_complete(request: HttpRequest, pk: int) -> HttpResponse:
    """Record completion of a course: date and certificate number."""
    enrollment = get_object_or_404(
        Enrollment.objects.for_user(request.user, Action.VIEW).select_related("cohort"), pk=pk
    )
    if not Enrollment.objects.for_user(request.user, Action.CHANGE).filter(pk=pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять эту запись."))
    form = EnrollmentCompleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.enrollment_complete(
                user=request.user, enrollment=enrollment, **form.cleaned_data
            )
        except ValidationError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("Обучение отмечено как завершённое."))
            return HttpResponseRedirect(enrollment.get_absolute_url())
    return render(
        request,
        "common/form.html",
        {"form": form, "title": _("Завершение обучения: %(e)s") % {"e": enrollment}},
    )


# --- staff training -----------------------------------------------------------------------------


class StaffTrainingListView(ScopedListView):
    model = StaffTraining
    table_class = StaffTrainingTable
    filterset_class = StaffTrainingFilterSet
    export_filename = "staff-training"
    create_url_name = "learning:stafftraining-create"
    title = gettext_lazy("Обучение сотрудников ЦНППМ у Федерального оператора")

    def get_queryset(self) -> QuerySet[StaffTraining]:
        return super().get_queryset().select_related("staff")


class StaffTrainingDetailView(ScopedDetailView):
    model = StaffTraining
    template_name = "learning/stafftraining_detail.html"


class StaffTrainingCreateView(ServiceFormMixin, ScopedCreateView):
    model = StaffTraining
    form_class = StaffTrainingForm
    title = gettext_lazy("Обучение сотрудника у Федерального оператора")

    def perform_save(self, form: StaffTrainingForm) -> StaffTraining:
        return services.staff_training_create(user=self.request.user, **form.cleaned_data)


# --- reports ------------------------------------------------------------------------------------


@login_required
def deficit_closure_report(request: HttpRequest) -> HttpResponseBase:
    """By municipality: how many deficits closed after completed routes."""
    year_text = request.GET.get("year", "")
    year = int(year_text) if year_text.isdigit() else None
    rows = selectors.deficit_closure_report(user=request.user, year=year)
    if request.GET.get("export") == "xlsx":
        from profdev.common.xlsx import xlsx_response

        header = [
            _("Муниципалитет"),
            _("Завершённых маршрутов"),
            _("Дефицитов"),
            _("Повторно продиагностировано"),
            _("Закрыто"),
        ]
        values = [[r.municipality, r.routes, r.deficits, r.rediagnosed, r.closed] for r in rows]
        return xlsx_response("deficit-closure.xlsx", header, values)
    return render(request, "learning/closure_report.html", {"rows": rows, "year": year_text})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    return redirect("learning:route-list")
