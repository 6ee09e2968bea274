from django.urls import path

from profdev.learning import views

app_name = "learning"

urlpatterns = [
    path("", views.index, name="index"),
    path("routes/", views.RouteListView.as_view(), name="route-list"),
    path(
        "teachers/<int:teacher_pk>/routes/new/",
        views.RouteCreateView.as_view(),
        name="route-create",
    ),
    path("routes/<int:pk>/", views.RouteDetailView.as_view(), name="route-detail"),
    path("routes/<int:pk>/edit/", views.RouteUpdateView.as_view(), name="route-update"),
    path("routes/<int:pk>/status/", views.route_transition, name="route-transition"),
    path("routes/<int:pk>/propose/", views.route_add_proposals, name="route-propose"),
    path(
        "routes/<int:route_pk>/steps/new/",
        views.RouteStepCreateView.as_view(),
        name="step-create",
    ),
    path("steps/<int:pk>/edit/", views.RouteStepUpdateView.as_view(), name="step-update"),
    path("diagnostics/", views.DiagnosticListView.as_view(), name="diagnostic-list"),
    path(
        "teachers/<int:teacher_pk>/diagnostics/new/",
        views.DiagnosticCreateView.as_view(),
        name="diagnostic-create",
    ),
    path("diagnostics/<int:pk>/", views.DiagnosticDetailView.as_view(), name="diagnostic-detail"),
    path(
        "diagnostics/<int:pk>/edit/",
        views.DiagnosticUpdateView.as_view(),
        name="diagnostic-update",
    ),
    path("programs/", views.ProgramListView.as_view(), name="program-list"),
    path("programs/new/", views.ProgramCreateView.as_view(), name="program-create"),
    path("programs/<int:pk>/", views.ProgramDetailView.as_view(), name="program-detail"),
    path("programs/<int:pk>/edit/", views.ProgramUpdateView.as_view(), name="program-update"),
    path(
        "programs/<int:program_pk>/cohorts/new/",
        views.CohortCreateView.as_view(),
        name="cohort-create",
    ),
    path("cohorts/<int:pk>/", views.CohortDetailView.as_view(), name="cohort-detail"),
    path(
        "cohorts/<int:cohort_pk>/enroll/",
        views.EnrollmentCreateView.as_view(),
        name="enrollment-create",
    ),
    path("enrollments/", views.EnrollmentListView.as_view(), name="enrollment-list"),
    path("enrollments/<int:pk>/", views.EnrollmentDetailView.as_view(), name="enrollment-detail"),
    path("enrollments/<int:pk>/complete/", views.enrollment_complete, name="enrollment-complete"),
    path("staff-training/", views.StaffTrainingListView.as_view(), name="stafftraining-list"),
    path(
        "staff-training/new/",
        views.StaffTrainingCreateView.as_view(),
        name="stafftraining-create",
    ),
    path(
        "staff-training/<int:pk>/",
        views.StaffTrainingDetailView.as_view(),
        name="stafftraining-detail",
    ),
    path("reports/deficit-closure/", views.deficit_closure_report, name="deficit-closure"),
]
