from rest_framework.routers import DefaultRouter

from profdev.learning.api import views


def register(router: DefaultRouter) -> None:
    router.register("competence-areas", views.CompetenceAreaViewSet, basename="competence-area")
    router.register("programs", views.ProgramViewSet, basename="program")
    router.register("cohorts", views.CohortViewSet, basename="cohort")
    router.register("enrollments", views.EnrollmentViewSet, basename="enrollment")
    router.register("diagnostics", views.DiagnosticViewSet, basename="diagnostic")
    router.register("routes", views.RouteViewSet, basename="route")
    router.register("route-steps", views.RouteStepViewSet, basename="route-step")
    router.register("staff-trainings", views.StaffTrainingViewSet, basename="staff-training")
