from django.urls import path

from profdev.events import views

app_name = "events"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event-list"),
    path("new/", views.EventCreateView.as_view(), name="event-create"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event-detail"),
    path("<int:pk>/edit/", views.EventUpdateView.as_view(), name="event-update"),
    path("<int:pk>/delete/", views.EventDeleteView.as_view(), name="event-delete"),
    path("<int:pk>/participants/add/", views.participation_add, name="participation-add"),
    path("<int:pk>/participants/teachers/", views.teacher_options, name="teacher-options"),
    path(
        "participations/<int:pk>/delete/",
        views.participation_remove,
        name="participation-remove",
    ),
]
