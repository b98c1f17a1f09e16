from __future__ import annotations

from datetime import timedelta
from typing import Any

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.filtersets import BaseFilterSet
from biys.inventory.models import Asset, AssetKind, Contract, Depot, Location, TasinirCode
from biys.inventory.register.services import DEFAULT_EXPIRY_DAYS
from biys.org.filtersets import UnitTreeFilter

ACCOUNTS = (
    ("150", _("150 Raw materials and supplies")),
    ("253", _("253 Plant, machinery and equipment")),
    ("254", _("254 Vehicles")),
    ("255", _("255 Fixtures (demirbaşlar)")),
)


MAX_DAYS = 3650


def _days(value: Any) -> int:
    return min(max(int(value), 0), MAX_DAYS)


class TasinirCodeFilterSet(BaseFilterSet):
    level = django_filters.NumberFilter(label=_("Level"))
    account = django_filters.ChoiceFilter(choices=ACCOUNTS, method="by_account", label=_("Account"))
    is_active = django_filters.BooleanFilter(label=_("In force"))

    class Meta:
        model = TasinirCode
        fields = ["level", "is_active"]

    def by_account(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return queryset.filter(Q(code=value) | Q(code__startswith=f"{value}."))


class AssetKindFilterSet(BaseFilterSet):
    category = django_filters.ChoiceFilter(choices=AssetKind.Category.choices, label=_("Category"))

    class Meta:
        model = AssetKind
        fields = ["category", "needs_commissioning", "has_storage"]


class DepotFilterSet(BaseFilterSet):
    unit = UnitTreeFilter()

    class Meta:
        model = Depot
        fields = ["is_active"]


class LocationFilterSet(BaseFilterSet):
    unit = UnitTreeFilter()
    building = django_filters.CharFilter(label=_("Building"))

    class Meta:
        model = Location
        fields = ["building"]


class ContractFilterSet(BaseFilterSet):
    ends_within = django_filters.NumberFilter(method="by_end", label=_("Ends within (days)"))

    class Meta:
        model = Contract
        fields: list[str] = []

    def by_end(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        today = timezone.localdate()
        return queryset.filter(end_date__gte=today, end_date__lte=today + timedelta(days=_days(value)))


class AssetFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=Asset.Status.choices, label=_("Status"))
    kind = django_filters.ModelChoiceFilter(queryset=AssetKind.objects.only("id", "name"), label=_("Kind"))
    category = django_filters.ChoiceFilter(
        field_name="kind__category", choices=AssetKind.Category.choices, label=_("Category")
    )
    owner_unit = UnitTreeFilter(field_path="owner_unit", label=_("Owner unit"), literal_ids=True)
    depot = django_filters.ModelChoiceFilter(queryset=Depot.objects.all(), label=_("Depot"))
    location = django_filters.NumberFilter(field_name="location_id", label=_("Location id"))
    holder = django_filters.NumberFilter(field_name="holder_id", label=_("Holder (staff id)"))
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Attached to (asset id)"))
    contract = django_filters.NumberFilter(field_name="contract_id", label=_("Contract id"))
    warranty_days = django_filters.NumberFilter(method="by_warranty", label=_("Warranty ends within (days)"))
    is_approved = django_filters.BooleanFilter(label=_("Approved"))

    class Meta:
        model = Asset
        fields = ["status", "entry_year", "is_approved"]

    def by_warranty(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        today = timezone.localdate()
        return queryset.filter(warranty_end__gte=today, warranty_end__lte=today + timedelta(days=_days(value)))


def expiry_days(params: Any) -> int:
    """The report window from ``?days=``: 0…3650, 60 when missing or not a number."""
    value = str(params.get("days", ""))
    return min(int(value), MAX_DAYS) if value.isdigit() else DEFAULT_EXPIRY_DAYS


class ExpiryFilterSet(django_filters.FilterSet):
    """The window (``days``) is applied by the report view itself, so the page works without parameters."""

    days = django_filters.NumberFilter(method="keep", label=_("Days ahead"))
    group = django_filters.ChoiceFilter(
        field_name="expiry_group",
        choices=(("expired", _("Expired")), ("expiring", _("Expiring"))),
        label=_("Group"),
    )
    kind = django_filters.ModelChoiceFilter(queryset=AssetKind.objects.only("id", "name"), label=_("Kind"))
    owner_unit = UnitTreeFilter(field_path="owner_unit", label=_("Owner unit"))

    class Meta:
        model = Asset
        fields: list[str] = []

    def keep(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset

    def window_days(self) -> int:
        return expiry_days(self.request.GET if self.request is not None else {})

    def group_counts(self) -> dict[str, int]:
        """How many rows of the window are expired and how many expiring (before the other filters)."""
        rows = self.queryset.order_by().values("expiry_group").annotate(total=Count("pk"))
        counts = {"expired": 0, "expiring": 0}
        counts.update({row["expiry_group"]: row["total"] for row in rows})
        return counts
