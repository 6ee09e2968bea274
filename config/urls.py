"""Root URLs: each app is mounted under its own prefix."""

from django.contrib import admin
from django.urls import include, path

from profdev.accounts import views as account_views

urlpatterns = [
    path("", account_views.home, name="home"),
    path("healthz", account_views.healthz, name="healthz"),
    path("accounts/", include("profdev.accounts.urls")),
    path("orgs/", include("profdev.orgs.urls")),
    path("people/", include("profdev.people.urls")),
    path("learning/", include("profdev.learning.urls")),
    path("events/", include("profdev.events.urls")),
    path("mentorship/", include("profdev.mentorship.urls")),
    path("roadmap/", include("profdev.roadmap.urls")),
    path("indicators/", include("profdev.indicators.urls")),
    path("reports/", include("profdev.reports.urls")),
    path("imports/", include("profdev.imports.urls")),
    path("files/", include("profdev.common.urls")),
    path("api/v1/", include(("profdev.api.urls", "api"), namespace="api")),
    path("admin/", admin.site.urls),
]
