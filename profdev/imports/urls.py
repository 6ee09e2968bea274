from django.urls import path

from profdev.imports import views

app_name = "imports"

urlpatterns = [
    path("", views.index, name="index"),
    path("jobs/<int:pk>/", views.job_detail, name="job-detail"),
    path("jobs/<int:pk>/commit/", views.job_commit, name="job-commit"),
    path("jobs/<int:pk>/rejected.xlsx", views.job_rejected, name="job-rejected"),
    path("templates/<slug:kind>.xlsx", views.template_download, name="template"),
    path("export/<slug:kind>.xlsx", views.export_kind, name="export"),
]
