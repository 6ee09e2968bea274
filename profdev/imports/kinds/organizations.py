"""Organizations: matched by INN, or by the name within the municipality."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from profdev.common.identifiers import inn_error, ogrn_error
from profdev.imports.columns import Column
from profdev.imports.kinds.base import (
    CREATED,
    REJECTED,
    UNCHANGED,
    UPDATED,
    ExportData,
    ImportContext,
    ImportKind,
    Outcome,
    Plan,
    SourceRow,
)
from profdev.imports.kinds.teachers import _field_errors
from profdev.imports.values import CellError, clean_text, normalize_key, parse_bool, parse_choice
from profdev.orgs.choices import Founder, OrganizationKind
from profdev.orgs.models import Municipality, Organization
from profdev.orgs.scoping import Action, Level

YES_NO = ["да", "нет"]


class OrganizationsKind(ImportKind):
    """The register of organizations («Реестр образовательных организаций»)."""

    key = "organizations"
    title = gettext_lazy("Организации")
    columns = (
        Column("number", "№ п/п", ("№", "номер", "п/п"), example=1, width=6),
        Column(
            "name",
            "Полное наименование",
            ("Наименование", "Полное название", "Наименование организации", "Организация"),
            required=True,
            example="Муниципальное бюджетное общеобразовательное учреждение «СОШ № 1»",
            width=50,
        ),
        Column(
            "short_name",
            "Краткое наименование",
            ("Краткое название",),
            example="МБОУ «СОШ № 1»",
            width=30,
        ),
        Column("inn", "ИНН", example="7017000008", width=14),
        Column("ogrn", "ОГРН", width=16),
        Column(
            "municipality",
            "Муниципальное образование",
            ("Муниципалитет", "МО", "Район", "Муниципальный район"),
            example="Томский район",
            width=26,
        ),
        Column(
            "kind",
            "Тип",
            ("Тип организации", "Вид организации"),
            example=str(OrganizationKind.SCHOOL.label),
            choices=[str(label) for _c, label in OrganizationKind.choices],
            width=30,
        ),
        Column(
            "founder",
            "Учредитель",
            example=str(Founder.MUNICIPALITY.label),
            choices=[str(label) for _c, label in Founder.choices],
            width=30,
        ),
        Column("address", "Адрес", ("Юридический адрес",), width=40),
        Column(
            "low_results",
            "ШНОР",
            ("Школа с низкими результатами",),
            example="нет",
            choices=YES_NO,
            width=8,
        ),
    )

    def check_access(self, ctx: ImportContext) -> None:
        if ctx.scope.role not in Organization.scope_write_roles:
            raise PermissionDenied(_("Ваша роль не позволяет загружать организации."))

    def plan(self, rows: list[SourceRow], ctx: ImportContext) -> Plan:
        municipalities = list(
            Municipality.objects.for_scope(ctx.scope, Action.VIEW).select_related("region")
        )
        by_name = {normalize_key(m.name): m for m in municipalities}
        default_municipality = (
            municipalities[0]
            if ctx.scope.level == Level.MUNICIPALITY and len(municipalities) == 1
            else None
        )
        existing = list(Organization.objects.all())
        by_inn = {o.inn: o for o in existing if o.inn}
        by_key = {(o.municipality_id, normalize_key(o.name)): o for o in existing}
        outcomes: list[Outcome] = []
        new: list[Organization] = []
        changed: list[Organization] = []
        fields: set[str] = set()
        seen: dict[str, str] = {}
        for row in rows:
            try:
                data = self._parse(row, by_name, default_municipality)
            except CellError as error:
                outcomes.append(Outcome(row, REJECTED, str(error)))
                continue
            key = data["inn"] or f"{data['municipality'].pk}:{normalize_key(data['name'])}"
            if key in seen:
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _("Организация повторяется: она уже указана в строке %(other)s.")
                        % {"other": seen[key]},
                    )
                )
                continue
            seen[key] = row.number
            org = (by_inn.get(data["inn"]) if data["inn"] else None) or by_key.get(
                (data["municipality"].pk, normalize_key(data["name"]))
            )
            if org is None:
                org = Organization(region=data["municipality"].region, **data)
                problem = _field_errors(org)
                if problem:
                    outcomes.append(Outcome(row, REJECTED, problem))
                    continue
                new.append(org)
                outcomes.append(Outcome(row, CREATED))
                continue
            if org.municipality_id not in by_name_ids(municipalities):
                outcomes.append(
                    Outcome(
                        row,
                        REJECTED,
                        _("Организация «%(name)s» вне вашей зоны ответственности.") % {"name": org},
                    )
                )
                continue
            changes = {
                n: v for n, v in data.items() if n in row_given(row, n) and getattr(org, n) != v
            }
            if data["municipality"].pk != org.municipality_id:
                changes["municipality"] = data["municipality"]
            if not changes:
                outcomes.append(Outcome(row, UNCHANGED))
                continue
            for name, value in changes.items():
                setattr(org, name, value)
            problem = _field_errors(org)
            if problem:
                outcomes.append(Outcome(row, REJECTED, problem))
                continue
            fields.update(changes)
            changed.append(org)
            outcomes.append(Outcome(row, UPDATED))

        def apply() -> None:
            bulk_create_with_history(new, Organization, batch_size=1000, default_user=ctx.user)
            if changed:
                bulk_update_with_history(
                    changed, Organization, sorted(fields), batch_size=1000, default_user=ctx.user
                )

        return Plan(outcomes=outcomes, apply=apply)

    def _parse(
        self, row: SourceRow, by_name: dict[str, Municipality], default: Municipality | None
    ) -> dict[str, Any]:
        cells = row.cells
        name = clean_text(cells.get("name"))
        if not name:
            raise CellError(_("Не указано наименование организации."))
        municipality_name = clean_text(cells.get("municipality"))
        if municipality_name:
            municipality = by_name.get(normalize_key(municipality_name))
            if municipality is None:
                raise CellError(
                    _("Муниципалитет «%(name)s» не найден или вне вашей зоны ответственности.")
                    % {"name": municipality_name}
                )
        elif default is not None:
            municipality = default
        else:
            raise CellError(_("Не указан муниципалитет."))
        inn = clean_text(cells.get("inn"))
        if inn and (error := inn_error(inn)):
            raise CellError(error)
        ogrn = clean_text(cells.get("ogrn"))
        if ogrn and (error := ogrn_error(ogrn)):
            raise CellError(error)
        return {
            "name": name,
            "short_name": clean_text(cells.get("short_name")),
            "inn": inn,
            "ogrn": ogrn,
            "municipality": municipality,
            "kind": parse_choice(
                cells.get("kind"), OrganizationKind, default=OrganizationKind.SCHOOL
            ),
            "founder": parse_choice(cells.get("founder"), Founder, default=Founder.MUNICIPALITY),
            "address": clean_text(cells.get("address")),
            "low_results": parse_bool(cells.get("low_results")),
        }

    def export_rows(self, ctx: ImportContext) -> ExportData:
        data = ExportData()
        rows = data.rows
        orgs = Organization.objects.for_scope(ctx.scope, Action.CHANGE).select_related(
            "municipality"
        )
        for number, org in enumerate(orgs.order_by("pk"), start=1):
            rows.append(
                [
                    number,
                    org.name,
                    org.short_name,
                    org.inn,
                    org.ogrn,
                    org.municipality.name,
                    org.get_kind_display(),
                    org.get_founder_display(),
                    org.address,
                    "да" if org.low_results else "нет",
                ]
            )
        return data


def by_name_ids(municipalities: list[Municipality]) -> set[int]:
    return {m.pk for m in municipalities}


def row_given(row: SourceRow, name: str) -> set[str]:
    """Filled cells only: an absent column or a blank cell never erases a stored value."""
    if name == "municipality":
        return set()
    return {name} if clean_text(row.cells.get(name)) else set()
