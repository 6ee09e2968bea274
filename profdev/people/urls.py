from django.urls import path

from profdev.people import views

app_name = "people"

urlpatterns = [
    path("teachers/", views.TeacherListView.as_view(), name="teacher-list"),
    path("teachers/new/", views.TeacherCreateView.as_view(), name="teacher-create"),
    path("teachers/<int:pk>/", views.TeacherDetailView.as_view(), name="teacher-detail"),
    path("teachers/<int:pk>/edit/", views.TeacherUpdateView.as_view(), name="teacher-update"),
    path(
        "teachers/<int:teacher_pk>/employments/new/",
        views.EmploymentCreateView.as_view(),
        name="employment-create",
    ),
    path(
        "employments/<int:pk>/edit/", views.EmploymentUpdateView.as_view(), name="employment-update"
    ),
    path("staff/", views.StaffListView.as_view(), name="staff-list"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff-detail"),
    path("me/", views.my_profile, name="my-profile"),
    path("teacher-picker/", views.teacher_picker, name="teacher-picker"),
]
