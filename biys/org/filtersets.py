from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from biys.core.filtersets import BaseFilterSet
from biys.core.forms import FastSelect
from biys.core.models import in_subtree
from biys.org import tree
from biys.org.models import (
    Acknowledgement,
    Departure,
    Directive,
    Duty,
    DutyAssignment,
    Leave,
    Position,
    Staff,
    Unit,
)


def unit_choices() -> list[tuple[int, str]]:
    # Plain tuples from the process's copy of the tree: the list is on every list page and has hundreds of units.
    return tree.current().choices()


@extend_schema_field(OpenApiTypes.INT)
class UnitTreeFilter(django_filters.ChoiceFilter):
    """Rows of a unit and every unit below it (the choice is the unit's id)."""

    def __init__(self, *args: Any, field_path: str = "unit", literal_ids: bool = False, **kwargs: Any) -> None:
        # literal_ids: filter with the subtree's ids as a list instead of an IN (subquery), so PostgreSQL can
        # walk an index that starts with the unit in its sort order (the ticket queue) — worth it where the
        # subtree is small and the table is large.
        self.field_path = field_path
        self.literal_ids = literal_ids
        kwargs.setdefault("choices", unit_choices)
        kwargs.setdefault("label", _("Unit"))
        kwargs.setdefault("empty_label", _("All"))
        kwargs.setdefault("widget", FastSelect)
        super().__init__(*args, **kwargs)

    def filter(self, qs: QuerySet[Any], value: int | str | None) -> QuerySet[Any]:
        if value in (None, ""):
            return qs
        units = tree.current()
        path = units.path_of(value)
        if not path:
            return qs.none()
        if self.literal_ids:
            return qs.filter(**{f"{self.field_path}__in": units.subtree_ids(path)})
        return qs.filter(in_subtree(self.field_path, path))


class UnitFilterSet(BaseFilterSet):
    kind = django_filters.ChoiceFilter(choices=Unit.Kind.choices, label=_("Kind"))
    parent = UnitTreeFilter(field_path="parent", label=_("Within unit"))
    is_it = django_filters.BooleanFilter(label=_("IT department"))

    class Meta:
        model = Unit
        fields = ["kind", "is_it", "is_active"]


class PositionFilterSet(django_filters.FilterSet):
    unit = UnitTreeFilter()

    class Meta:
        model = Position
        fields = ["is_head"]


class StaffFilterSet(BaseFilterSet):
    unit = UnitTreeFilter()
    status = django_filters.ChoiceFilter(choices=Staff.Status.choices, label=_("Status"))

    class Meta:
        model = Staff
        fields = ["status"]


class LeaveFilterSet(django_filters.FilterSet):
    unit = UnitTreeFilter(field_path="staff__unit")
    kind = django_filters.ChoiceFilter(choices=Leave.Kind.choices, label=_("Kind"))
    on = django_filters.DateFilter(method="on_date", label=_("On date"))

    class Meta:
        model = Leave
        fields = ["kind"]

    def on_date(self, qs: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return qs.filter(start_date__lte=value, end_date__gte=value)


class DirectiveFilterSet(BaseFilterSet):
    class Meta:
        model = Directive
        fields = ["kind"]


class DutyFilterSet(BaseFilterSet):
    directive = django_filters.ModelChoiceFilter(queryset=Directive.objects.all(), label=_("Directive"))
    unit = UnitTreeFilter()
    unassigned = django_filters.BooleanFilter(method="by_unassigned", label=_("Unassigned today"))

    class Meta:
        model = Duty
        fields = ["directive", "is_sensitive", "is_active"]

    def by_unassigned(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        from biys.org.services import unassigned_duties

        if value is None:
            return qs
        ids = unassigned_duties().values("pk")
        return qs.filter(pk__in=ids) if value else qs.exclude(pk__in=ids)


class DutyAssignmentFilterSet(django_filters.FilterSet):
    unit = UnitTreeFilter(field_path="staff__unit")
    staff = django_filters.NumberFilter(field_name="staff_id", label=_("Staff id"))
    duty = django_filters.NumberFilter(field_name="duty_id", label=_("Duty id"))

    class Meta:
        model = DutyAssignment
        fields = ["staff", "duty"]


class AcknowledgementFilterSet(django_filters.FilterSet):
    unit = UnitTreeFilter(field_path="staff__unit")

    class Meta:
        model = Acknowledgement
        fields = ["version"]


class DepartureFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Departure.Status.choices, label=_("Status"))
    reason = django_filters.ChoiceFilter(choices=Departure.Reason.choices, label=_("Reason"))
    unit = UnitTreeFilter(field_path="staff__unit")

    class Meta:
        model = Departure
        fields = ["status", "reason"]
