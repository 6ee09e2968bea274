"""Pages of regional events: list, record with participants (htmx), forms."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from profdev.common import snils_queries
from profdev.common.views import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    ServiceFormMixin,
)
from profdev.events import selectors, services
from profdev.events.filtersets import EventFilterSet
from profdev.events.forms import EventForm, ParticipationForm
from profdev.events.models import Event, EventParticipation
from profdev.events.tables import EventTable
from profdev.orgs.scoping import Action, url_if_viewable


class EventListView(ScopedListView):
    model = Event
    table_class = EventTable
    filterset_class = EventFilterSet
    export_filename = "events"
    create_url_name = "events:event-create"
    title = gettext_lazy("Мероприятия")
    empty_hint = gettext_lazy("Мероприятий не найдено. Измените фильтры или добавьте мероприятие.")

    def get_queryset(self) -> QuerySet[Event]:
        return selectors.event_list(user=self.request.user)


class EventDetailView(ScopedDetailView):
    model = Event
    template_name = "events/event_detail.html"
    select_related = ("region", "municipality", "organizer_organization")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.update(participants_context(self.request, self.object))
        context["organizer_url"] = url_if_viewable(
            self.request.user, self.object.organizer_organization
        )
        return context


def participants_context(
    request: HttpRequest, event: Event, form: ParticipationForm | None = None
) -> dict[str, Any]:
    can_change = Event.objects.for_user(request.user, Action.CHANGE).filter(pk=event.pk).exists()
    return {
        "event": event,
        "participations": selectors.event_participations(event=event, user=request.user),
        "can_edit_participants": can_change,
        "participation_form": form
        or (ParticipationForm(user=request.user) if can_change else None),
    }


class EventCreateView(ServiceFormMixin, ScopedCreateView):
    model = Event
    form_class = EventForm
    title = gettext_lazy("Новое мероприятие")
    success_message = gettext_lazy("Мероприятие создано.")

    def perform_save(self, form: EventForm) -> Event:
        data = dict(form.cleaned_data)
        return services.event_create(user=self.request.user, **data)


class EventUpdateView(ServiceFormMixin, ScopedUpdateView):
    model = Event
    form_class = EventForm

    def perform_save(self, form: EventForm) -> Event:
        event = Event.objects.get(pk=form.instance.pk)
        return services.event_update(user=self.request.user, event=event, **form.cleaned_data)


class EventDeleteView(ScopedDeleteView):
    model = Event
    success_url = reverse_lazy("events:event-list")

    def form_valid(self, form: Any) -> HttpResponse:
        services.event_delete(user=self.request.user, event=self.object)
        messages.success(self.request, _("Мероприятие удалено."))
        return HttpResponseRedirect(str(self.success_url))


def _participants_response(
    request: HttpRequest, event: Event, form: ParticipationForm | None = None
) -> HttpResponse:
    if getattr(request, "htmx", False):
        return render(
            request, "events/_participants.html", participants_context(request, event, form)
        )
    return HttpResponseRedirect(event.get_absolute_url())


@login_required
@require_POST
def participation_add(request: HttpRequest, pk: int) -> HttpResponse:
    """Add a participant (htmx: returns the participants block)."""
    event = get_object_or_404(Event.objects.for_user(request.user, Action.VIEW), pk=pk)
    if not Event.objects.for_user(request.user, Action.CHANGE).filter(pk=event.pk).exists():
        raise PermissionDenied(_("У вас нет прав изменять участников этого мероприятия."))
    form = ParticipationForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.participation_add(
                user=request.user,
                event=event,
                teacher=form.cleaned_data.get("teacher"),
                organization=form.cleaned_data.get("organization"),
                role=form.cleaned_data["role"],
            )
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            messages.success(request, _("Участник добавлен."))
            form = None  # type: ignore[assignment]
    if form is not None and not getattr(request, "htmx", False):
        for problem in form.non_field_errors():
            messages.error(request, str(problem))
    return _participants_response(request, event, form)


TEACHER_SEARCH_LIMIT = 20


@login_required
def teacher_options(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: a short list of teachers in the user's scope matching the typed name or SNILS.

    The search box posts (a SNILS must not travel in a URL); a GET still works for names.
    """
    event = get_object_or_404(Event.objects.for_user(request.user, Action.CHANGE), pk=pk)
    params = request.POST if request.method == "POST" else request.GET
    query = snils_queries.resolve(request, params).get("teacher_q", "").strip()
    teachers = selectors.teacher_search(user=request.user, query=query, exclude_event=event)
    return render(
        request,
        "events/_teacher_options.html",
        {"teachers": teachers[:TEACHER_SEARCH_LIMIT], "query": query},
    )


@login_required
@require_POST
def participation_remove(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove a participant (htmx: returns the participants block)."""
    participation = get_object_or_404(
        EventParticipation.objects.for_user(request.user, Action.VIEW).select_related("event"),
        pk=pk,
    )
    services.participation_remove(user=request.user, participation=participation)
    return _participants_response(request, participation.event)
