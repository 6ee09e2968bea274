from django.urls import path

from profdev.roadmap import views

app_name = "roadmap"

urlpatterns = [
    path("", views.index, name="index"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("activities/new/", views.ActivityCreateView.as_view(), name="activity-create"),
    path("activities/<int:pk>/edit/", views.ActivityUpdateView.as_view(), name="activity-update"),
    path("rules/", views.ValidationRuleListView.as_view(), name="rule-list"),
    path("rules/new/", views.ValidationRuleCreateView.as_view(), name="rule-create"),
    path("rules/<int:pk>/edit/", views.ValidationRuleUpdateView.as_view(), name="rule-update"),
    path("rules/<int:pk>/delete/", views.ValidationRuleDeleteView.as_view(), name="rule-delete"),
    path("campaigns/new/", views.campaign_open, name="campaign-open"),
    path("campaigns/<int:pk>/", views.CampaignDetailView.as_view(), name="campaign-detail"),
    path("campaigns/<int:pk>/remind/", views.campaign_remind, name="campaign-remind"),
    path("campaigns/<int:pk>/close/", views.campaign_close, name="campaign-close"),
    path("reports/", views.ReportListView.as_view(), name="report-list"),
    path("reports/<int:pk>/", views.ReportDetailView.as_view(), name="report-detail"),
    path("reports/<int:pk>/<str:action>/", views.report_action, name="report-action"),
    path("items/<int:pk>/", views.report_item_save, name="item-save"),
]
