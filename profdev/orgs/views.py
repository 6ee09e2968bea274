"""Pages of the organization tree."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from profdev.common.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from profdev.orgs import selectors, services
from profdev.orgs.filtersets import MunicipalityFilterSet, OrganizationFilterSet
from profdev.orgs.forms import OrganizationForm
from profdev.orgs.models import Municipality, Organization
from profdev.orgs.scoping import url_if_viewable
from profdev.orgs.tables import MunicipalityTable, OrganizationTable


class MunicipalityListView(ScopedListView):
    model = Municipality
    table_class = MunicipalityTable
    filterset_class = MunicipalityFilterSet
    export_filename = "municipalities"

    def get_queryset(self) -> QuerySet[Municipality]:
        return selectors.municipality_list(user=self.request.user)


class MunicipalityDetailView(ScopedDetailView):
    model = Municipality
    template_name = "orgs/municipality_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["organizations"] = OrganizationTable(
            selectors.organization_list(user=self.request.user).filter(municipality=self.object),
            request=self.request,
        )
        context["organizations"].paginate(page=self.request.GET.get("page", 1), per_page=25)
        context["breadcrumbs"] = [
            {"label": self.object.region.name, "url": None},
            {"label": self.object.name, "url": None},
        ]
        return context


class OrganizationListView(ScopedListView):
    model = Organization
    table_class = OrganizationTable
    filterset_class = OrganizationFilterSet
    export_filename = "organizations"
    create_url_name = "orgs:organization-create"
    empty_hint = _("Добавьте организацию кнопкой «Добавить» или загрузите реестр через «Импорт».")

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.organization_list(user=self.request.user)


class OrganizationDetailView(ScopedDetailView):
    model = Organization
    template_name = "orgs/organization_detail.html"
    select_related = ("municipality", "region")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from profdev.people.selectors import teacher_list
        from profdev.people.tables import TeacherTable

        context = super().get_context_data(**kwargs)
        teachers = (
            teacher_list(user=self.request.user)
            .filter(employments__organization=self.object)
            .distinct()
        )
        table = TeacherTable(teachers, request=self.request)
        table.paginate(page=self.request.GET.get("page", 1), per_page=25)
        context["teachers"] = table
        context["municipality_url"] = url_if_viewable(self.request.user, self.object.municipality)
        return context


class OrganizationCreateView(ScopedCreateView):
    model = Organization
    form_class = OrganizationForm
    title = _("Новая организация")

    def perform_save(self, form: OrganizationForm) -> Organization:
        return services.organization_save(organization=form.instance, user=self.request.user)


class OrganizationUpdateView(ScopedUpdateView):
    model = Organization
    form_class = OrganizationForm

    def perform_save(self, form: OrganizationForm) -> Organization:
        return services.organization_save(organization=form.instance, user=self.request.user)
