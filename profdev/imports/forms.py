"""The upload form."""

import os
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from profdev.common.uploads import validate_spreadsheet
from profdev.imports.kinds import kind_choices
from profdev.imports.reader import SPREADSHEET_EXTENSIONS, max_file_size
from profdev.orgs.models import Organization
from profdev.orgs.scoping import Action


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Что загружаем"), choices=())
    file = forms.FileField(
        label=_("Файл"),
        help_text=_("XLSX, XLS, ODS или CSV (UTF-8 или Windows-1251, разделитель «;» или «,»)."),
    )
    organization = forms.ModelChoiceField(
        label=_("Организация для строк без организации"),
        queryset=Organization.objects.none(),
        required=False,
    )
    block_on_rejected = forms.BooleanField(
        label=_("Не загружать файл, если в нём есть строки с ошибками"), required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kind_choices()  # type: ignore[attr-defined]
        org_field: Any = self.fields["organization"]
        org_field.queryset = Organization.objects.for_user(user, Action.VIEW).order_by("name")
        for name, field in self.fields.items():
            css = "form-check-input" if name == "block_on_rejected" else "form-select"
            if name == "file":
                css = "form-control"
            field.widget.attrs["class"] = css
        self.fields["file"].widget.attrs["accept"] = ",".join(SPREADSHEET_EXTENSIONS)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        limit = max_file_size()
        if upload.size > limit:
            raise forms.ValidationError(
                _("Файл слишком большой: допускается не более %(limit)s МБ.")
                % {"limit": limit // 1024 // 1024}
            )
        if not upload.name.lower().endswith(SPREADSHEET_EXTENSIONS):
            raise forms.ValidationError(
                _("Загрузите таблицу XLSX, XLS, ODS или CSV; «%(name)s» не подходит.")
                % {"name": os.path.basename(upload.name)}
            )
        try:
            validate_spreadsheet(upload, field="file", max_bytes=limit)  # by content, zip-bomb safe
        except ValidationError as error:
            raise forms.ValidationError(error.message_dict["file"]) from error
        return upload
