from django.urls import path

from profdev.indicators import views

app_name = "indicators"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/", views.ExportView.as_view(), name="export"),
    path("<str:code>/list/", views.DrillDownView.as_view(), name="drill-down"),
    path("targets/", views.TargetListView.as_view(), name="target-list"),
    path("targets/new/", views.TargetCreateView.as_view(), name="target-create"),
    path("targets/<int:pk>/edit/", views.TargetUpdateView.as_view(), name="target-update"),
]
