from django.contrib.auth import views as auth_views
from django.urls import path

from profdev.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="set-language"),
    path("audit/", views.audit_log, name="audit"),
    path(
        "personal-data/<int:teacher_pk>/",
        views.person_data_export,
        name="person-data-export",
    ),
    path("sessions/end/", views.end_sessions, name="end-sessions"),
]
