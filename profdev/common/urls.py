from django.urls import path

from profdev.common import files

app_name = "common"

urlpatterns = [
    path(
        "<slug:app_label>/<slug:model_name>/<int:pk>/<slug:field>/",
        files.file_download,
        name="file-download",
    ),
]
