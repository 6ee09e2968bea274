from django.urls import path

from profdev.reports import views

app_name = "reports"

urlpatterns = [
    path("roadmap/campaigns/<int:pk>/", views.campaign_reports, name="campaign"),
    path("roadmap/campaigns/<int:pk>/generate/", views.generate, name="generate"),
    path("roadmap/<int:pk>/status/", views.status, name="status"),
    path("roadmap/<int:pk>/download/<str:fmt>/", views.download, name="download"),
]
