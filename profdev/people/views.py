"""Pages of the people registries."""

import hashlib
import re
from functools import cached_property
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.template import engines
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from profdev.common import page_cache
from profdev.common.breadcrumbs import tree_breadcrumbs
from profdev.common.process_cache import ProcessCache
from profdev.common.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action, scope_of, viewable_ids
from profdev.people import selectors, services
from profdev.people.filtersets import StaffFilterSet, TeacherFilterSet
from profdev.people.forms import EmploymentForm, TeacherCreateForm, TeacherForm
from profdev.people.models import CenterStaff, Employment, Teacher
from profdev.people.tables import StaffTable, TeachersByPlace, TeacherTable
from profdev.people.widgets import PICKER_LIMIT, picked_values


class TeacherListView(ScopedListView):
    model = Teacher
    table_class = TeacherTable
    filterset_class = TeacherFilterSet
    export_filename = "teachers"
    create_url_name = "people:teacher-create"
    empty_hint = _("Добавьте педагога кнопкой «Добавить» или загрузите список через «Импорт».")

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        """An unfiltered page of a region, municipality or school is rendered once per process
        for its user and the state of what it shows (`common.page_cache`)."""
        state = None
        if request.GET.get("export") != "xlsx" and not self.is_filtered():
            state = self.page_state
        return page_cache.serve(
            request, state, lambda: super(TeacherListView, self).get(request, *args, **kwargs)
        )

    def get_queryset(self) -> QuerySet[Teacher]:
        return selectors.teacher_list(user=self.request.user)

    @cached_property
    def stamps(self) -> tuple[Any, ...] | None:
        """The change stamps of the user's region, read once, before the data they key."""
        return selectors.place_stamps(scope_of(self.request.user))

    @cached_property
    def page_state(self) -> tuple[Any, ...] | None:
        """What the unfiltered page shows depends on (`selectors.scope_page_state`)."""
        return selectors.scope_page_state(scope_of(self.request.user), self.stamps)

    def get_table_data(self) -> Any:
        """An unfiltered list of a region, municipality or school is paged from TeacherPlace."""
        data = super().get_table_data()
        scope = scope_of(self.request.user)
        if scope.level in selectors.PLACE_LEVELS and not self.is_filtered():
            return TeachersByPlace(data, scope=scope, stamps=self.stamps)
        return data

    def filter_fields_html(self) -> str | None:
        """The unfiltered form of a region, municipality or school, rendered once per process for
        each scope, language and state of the choices it offers.

        Its `<select>`s offer the scope's municipalities and organizations (a region: 540, most of
        the page's Python time to read and write) and the subjects. The key holds the language
        and the page's state: the scope, the region's change stamps (every write to
        organizations and municipalities changes them) and its lists' stamps (every write to
        subjects changes them), so a choice added, renamed or moved is a new key.
        """
        if set(self.request.GET) - {"page", "sort"} or self.page_state is None:
            return None
        key = (str(connection.settings_dict.get("NAME")), get_language(), self.page_state)
        return FILTER_HTML.get_or_make(
            key, lambda: render_to_string("common/_filter_fields.html", {"filter": self.filterset})
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["table_html"] = self.table_html(context["table"])
        return context

    def table_html(self, table: TeacherTable) -> str:
        """The table (header, 25 rows, pagination) rendered once per process for what it shows.

        The rows are read on every request; the key is a digest of their cells (`body_cells`,
        exactly what the body shows), the count, the address with its query (page, sort and the
        header's and pagination's links) and the language, so any change of a shown value is a
        new key and the fragment is as fresh as the rows.
        """
        digest = hashlib.sha1(
            repr((table.body_cells, table.paginator.count)).encode(), usedforsecurity=False
        ).hexdigest()
        key = (
            self.request.path,
            self.request.GET.urlencode(),
            get_language(),
            digest,
        )
        return TABLE_HTML.get_or_make(
            key, lambda: RENDER_TABLE.render({"table": table}, self.request)
        )


# Rendered fragments of the teacher list, per process (see common.process_cache).
FILTER_HTML: ProcessCache[str] = ProcessCache(256)
TABLE_HTML: ProcessCache[str] = ProcessCache(1024)
RENDER_TABLE = engines["django"].from_string("{% load django_tables2 %}{% render_table table %}")


class TeacherDetailView(ScopedDetailView):
    model = Teacher
    template_name = "people/teacher_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from profdev.accounts.services import snils_access_record

        context = super().get_context_data(**kwargs)
        teacher: Teacher = self.object
        user = self.request.user
        show_full = context["can_change"] or getattr(user, "teacher_id", None) == teacher.pk
        context["show_full_snils"] = show_full
        if show_full:
            snils_access_record(user=user, teacher=teacher)
        context["employments"] = selectors.teacher_employments(teacher=teacher, user=user)
        context["viewable_organizations"] = viewable_ids(
            user, Organization, [e.organization_id for e in context["employments"]]
        )
        context["subjects"] = teacher.subjects.all()
        context["sections"] = teacher_sections(teacher=teacher, user=user)
        current = context["employments"].first()
        if current is not None:  # the tree above the teacher's newest job the user may see
            organization = current.organization
            context["breadcrumbs"] = [
                *tree_breadcrumbs(organization, user)[:-1],
                {
                    "label": str(organization),
                    "url": organization.get_absolute_url()
                    if organization.pk in context["viewable_organizations"]
                    else None,
                },
                {"label": teacher.full_name, "url": None},
            ]
        return context


# Other apps add what they know of a teacher (deficits, route, courses, pairs) to the teacher's page.
TEACHER_SECTIONS: list[Any] = []


def teacher_sections(*, teacher: Teacher, user: Any) -> list[dict[str, Any]]:
    """Context blocks that apps register for the teacher page: {"template", "context"} each."""
    return [
        section
        for provider in TEACHER_SECTIONS
        if (section := provider(teacher=teacher, user=user))
    ]


class TeacherCreateView(ScopedCreateView):
    model = Teacher
    form_class = TeacherCreateForm
    title = _("Новый педагог")
    success_message = _("Педагог добавлен в реестр.")

    def perform_save(self, form: TeacherCreateForm) -> Teacher:
        data = form.cleaned_data
        return services.teacher_create(
            user=self.request.user,
            last_name=data["last_name"],
            first_name=data["first_name"],
            middle_name=data.get("middle_name", ""),
            snils=data["snils"],
            subjects=data.get("subjects") or [],
            qualification_category=data["qualification_category"],
            career_start=data.get("career_start"),
            email=data.get("email", ""),
            organization=data["organization"],
            position=data["position"],
            employment_kind=data["employment_kind"],
            start_date=data["start_date"],
        )


class TeacherUpdateView(ScopedUpdateView):
    model = Teacher
    form_class = TeacherForm

    def perform_save(self, form: TeacherForm) -> Teacher:
        data = dict(form.cleaned_data)
        subjects = data.pop("subjects", None)
        teacher = Teacher.objects.get(pk=form.instance.pk)
        return services.teacher_update(
            user=self.request.user, teacher=teacher, subjects=subjects, **data
        )


class EmploymentCreateView(ScopedCreateView):
    model = Employment
    parent_models = {"teacher_pk": Teacher}
    form_class = EmploymentForm
    title = _("Новое место работы")

    def get_teacher(self) -> Teacher:
        return get_object_or_404(
            Teacher.objects.for_user(self.request.user, Action.VIEW), pk=self.kwargs["teacher_pk"]
        )

    def perform_save(self, form: EmploymentForm) -> Employment:
        data = form.cleaned_data
        return services.employment_create(
            user=self.request.user,
            teacher=self.get_teacher(),
            organization=data["organization"],
            position=data["position"],
            is_management=data["is_management"],
            kind=data["kind"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
        )

    def get_success_url(self) -> str:
        return reverse("people:teacher-detail", args=[self.kwargs["teacher_pk"]])


class EmploymentUpdateView(ScopedUpdateView):
    model = Employment
    form_class = EmploymentForm

    def get_success_url(self) -> str:
        return reverse("people:teacher-detail", args=[self.object.teacher_id])


class StaffListView(ScopedListView):
    model = CenterStaff
    table_class = StaffTable
    filterset_class = StaffFilterSet
    export_filename = "center-staff"

    def get_queryset(self) -> QuerySet[CenterStaff]:
        return selectors.staff_list(user=self.request.user)


class StaffDetailView(ScopedDetailView):
    model = CenterStaff
    template_name = "people/staff_detail.html"


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    """A teacher's own page."""
    teacher_id = getattr(request.user, "teacher_id", None)
    if teacher_id is None:
        return redirect("home")
    return redirect("people:teacher-detail", pk=teacher_id)


# Form field names and element ids the picker answers for.
PICKER_NAME = re.compile(r"[A-Za-z0-9_-]{1,64}")


@login_required
@require_POST
def teacher_picker(request: HttpRequest) -> HttpResponse:
    """htmx, for `TeacherPicker`: the teachers already chosen (checked) and up to
    PICKER_LIMIT of the user's scope matching the typed name or SNILS. It posts: a SNILS must
    not travel in a URL."""
    name = request.POST.get("picker_name", "")
    element_id = request.POST.get("picker_id", "")
    if not PICKER_NAME.fullmatch(name) or not PICKER_NAME.fullmatch(element_id):
        return HttpResponse(status=400)
    picked = picked_values(request.POST.getlist(name))
    chosen = Teacher.objects.for_user(request.user, Action.VIEW).filter(pk__in=picked)
    query = request.POST.get(f"{name}__q", "").strip()
    found = list(
        selectors.teacher_search(user=request.user, query=query).exclude(pk__in=picked)[
            : PICKER_LIMIT + 1
        ]
    ) if query else None  # fmt: skip
    return render(
        request,
        "people/widgets/_teacher_choices.html",
        {
            "name": name,
            "id": element_id,
            "multiple": request.POST.get("picker_multiple") == "1",
            "picked": chosen.order_by("last_name", "first_name"),
            "found": found[:PICKER_LIMIT] if found is not None else None,
            "more": found is not None and len(found) > PICKER_LIMIT,
            "limit": PICKER_LIMIT,
        },
    )
