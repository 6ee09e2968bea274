from django.contrib.auth import views as auth_views
from django.urls import path

from profdev.accounts import user_views, views

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
    path("users/", user_views.UserListView.as_view(), name="user-list"),
    path("users/new/", user_views.user_create, name="user-create"),
    path("users/<int:pk>/", user_views.UserDetailView.as_view(), name="user-detail"),
    path("users/<int:pk>/edit/", user_views.user_update, name="user-update"),
    path("users/<int:pk>/active/", user_views.user_set_active, name="user-set-active"),
    path("users/<int:pk>/password/", user_views.user_set_password, name="user-password"),
]
