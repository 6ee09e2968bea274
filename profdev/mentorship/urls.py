from django.urls import path

from profdev.mentorship import views

app_name = "mentorship"

urlpatterns = [
    path("", views.index, name="index"),
    path("schools/<int:org_pk>/", views.school, name="school"),
    path("schools/<int:org_pk>/edit/", views.school_edit, name="school-edit"),
    path("pairs/", views.PairListView.as_view(), name="pair-list"),
    path("pairs/new/", views.PairCreateView.as_view(), name="pair-create"),
    path("pairs/<int:pk>/", views.PairDetailView.as_view(), name="pair-detail"),
    path("pairs/<int:pk>/edit/", views.PairUpdateView.as_view(), name="pair-update"),
    path("match/<int:teacher_pk>/", views.match, name="match"),
    path("management/", views.ManagementListView.as_view(), name="management-list"),
    path("management/new/", views.ManagementCreateView.as_view(), name="management-create"),
    path("management/<int:pk>/", views.ManagementDetailView.as_view(), name="management-detail"),
]
