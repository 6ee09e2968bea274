from rest_framework.routers import DefaultRouter

from profdev.people.api.views import CenterStaffViewSet, EmploymentViewSet, TeacherViewSet


def register(router: DefaultRouter) -> None:
    router.register("teachers", TeacherViewSet, basename="teacher")
    router.register("employments", EmploymentViewSet, basename="employment")
    router.register("staff", CenterStaffViewSet, basename="staff")
