"""Uploaded files are served only here: the record must be in the user's scope, else 404.

MEDIA_ROOT lies outside the static root and no URL maps `/media/` to it, so a file is never
reachable by its path; pages link to `file_download` through `{% file_url obj "field" %}`.
"""

import os
from typing import Any

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_GET
from rest_framework import serializers

from profdev.orgs.scoping import Action


def file_url(obj: models.Model, field: str) -> str:
    """The address of the scope-checking download of `obj.<field>`."""
    return reverse(
        "common:file-download",
        kwargs={
            "app_label": obj._meta.app_label,
            "model_name": obj._meta.model_name,
            "pk": obj.pk,
            "field": field,
        },
    )


@login_required
@require_GET
def file_download(
    request: HttpRequest, app_label: str, model_name: str, pk: int, field: str
) -> FileResponse:
    """Send the file of a record the user may see, as an attachment; 404 otherwise."""
    try:
        model: Any = apps.get_model(app_label, model_name)
        model_field = model._meta.get_field(field)
    except (LookupError, FieldDoesNotExist) as error:
        raise Http404 from error
    if not isinstance(model_field, models.FileField) or not hasattr(model.objects, "for_user"):
        raise Http404
    obj = get_object_or_404(model.objects.for_user(request.user, Action.VIEW), pk=pk)
    stored = getattr(obj, field)
    if not stored:
        raise Http404
    try:
        handle = stored.open("rb")
    except (FileNotFoundError, OSError) as error:
        raise Http404 from error
    return FileResponse(
        handle,
        as_attachment=True,
        filename=os.path.basename(stored.name),
        content_type="application/octet-stream",
    )


class DownloadFileField(serializers.FileField):
    """An API file field whose value is the scope-checking download address, not a media path."""

    def to_representation(self, value: Any) -> str | None:
        if not value:
            return None
        url = file_url(value.instance, value.field.name)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url
