from functools import cached_property
from typing import Any

import django_tables2 as tables
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_tables2.data import TableQuerysetData
from django_tables2.utils import OrderBy

from profdev.orgs.scoping import Scope
from profdev.people import selectors
from profdev.people.choices import Position, QualificationCategory
from profdev.people.models import CenterStaff, Teacher

EMPTY = "—"


class TeacherTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("ФИО"), linkify=True, order_by=("last_name", "first_name", "middle_name")
    )
    snils_masked = tables.Column(
        verbose_name=_("СНИЛС"), orderable=False, attrs={"td": {"class": "text-nowrap"}}
    )
    organization_name = tables.Column(verbose_name=_("Организация"))
    municipality_name = tables.Column(verbose_name=_("Муниципалитет"))
    position = tables.Column(verbose_name=_("Должность"))
    is_young = tables.BooleanColumn(verbose_name=_("Молодой специалист"))

    class Meta:
        model = Teacher
        # Writes the body from `body_cells` (the same markup as django-tables2's cells).
        template_name = "people/teacher_table.html"
        fields = (
            "full_name",
            "snils_masked",
            "organization_name",
            "municipality_name",
            "position",
            "qualification_category",
            "is_young",
        )

    def render_position(self, value: str) -> str:
        return str(Position(value).label) if value in Position.values else value

    def value_position(self, value: str) -> str:
        return self.render_position(value)

    @cached_property
    def body_cells(self) -> list[dict[str, Any]]:
        """The page's cells as django-tables2 would render them ("—" for an empty value),
        computed in one pass: its per-cell machinery cost more than the rest of the page.
        Once per table: the view keys the rendered table by them, the template shows them."""
        categories = dict(QualificationCategory.choices)
        rows = []
        for row in self.paginated_rows:
            record = row.record
            rows.append(
                {
                    "url": record.get_absolute_url(),
                    "full_name": record.full_name or EMPTY,
                    "snils": record.snils_masked or EMPTY,
                    "organization": getattr(record, "organization_name", None) or EMPTY,
                    "municipality": getattr(record, "municipality_name", None) or EMPTY,
                    "position": (
                        self.render_position(record.position)
                        if getattr(record, "position", None)
                        else EMPTY
                    ),
                    "category": categories.get(
                        record.qualification_category, record.qualification_category
                    )
                    or EMPTY,
                    "is_young": bool(getattr(record, "is_young", False)),
                }
            )
        return rows


class StaffTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("ФИО"), linkify=True, order_by=("last_name", "first_name")
    )

    class Meta:
        model = CenterStaff
        fields = ("full_name", "position", "organization", "start_date", "end_date")


class TeachersByPlace(TableQuerysetData):
    """The unfiltered teacher list of a region, municipality or school in name order, read a page
    at a time from `TeacherPlace` instead of sorting every teacher of the node.

    The count and the page's ids come from one index range; the page's rows are then read
    through the list's own queryset (`for_user` scope and annotations), so nothing outside the
    scope can appear. Sorting by another column falls back to the queryset.
    """

    def __init__(
        self, data: QuerySet[Teacher], *, scope: Scope, stamps: tuple[Any, ...] | None
    ) -> None:
        super().__init__(data)
        self.scope = scope
        self.stamps = stamps
        self.by_places = True
        self.descending = False
        self._length: int | None = None

    def __len__(self) -> int:
        if not self.by_places:
            return super().__len__()
        if self._length is None:
            self._length = selectors.teacher_count_by_places(scope=self.scope, stamps=self.stamps)
        return self._length

    def __getitem__(self, key: Any) -> Any:
        if not self.by_places or not isinstance(key, slice):
            return super().__getitem__(key)
        start, stop = key.start or 0, key.stop if key.stop is not None else len(self)
        ids = selectors.teacher_ids_by_name(
            scope=self.scope, start=start, stop=stop, descending=self.descending
        )
        rows = {teacher.pk: teacher for teacher in self.data.filter(pk__in=ids)}
        return [rows[pk] for pk in ids if pk in rows]

    def order_by(self, aliases: Any) -> None:
        if [OrderBy(alias).bare for alias in aliases] == ["full_name"]:
            self.descending = OrderBy(aliases[0]).is_descending
            return
        self.by_places = False
        self._length = None
        super().order_by(aliases)
