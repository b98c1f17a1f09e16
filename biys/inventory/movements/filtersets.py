"""Filters of the VİF, stock item and İstek Belgesi lists (pages and API alike)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from biys.core.filtersets import BaseFilterSet
from biys.inventory.models import Depot, StockItem, StockRequest, Voucher
from biys.inventory.movements.stock import below_reorder_level
from biys.org.filtersets import UnitTreeFilter


def depot_filter() -> django_filters.ModelChoiceFilter:
    queryset = Depot.objects.only("id", "institutional_code", "code", "name").order_by("institutional_code", "code")
    return django_filters.ModelChoiceFilter(queryset=queryset, label=_("Depot"))


class VoucherFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    depot = depot_filter()
    fiscal_year = django_filters.NumberFilter(label=_("Fiscal year"))
    number = django_filters.NumberFilter(label=_("Number"))
    direction = django_filters.ChoiceFilter(choices=Voucher.Direction.choices, label=_("Direction"))
    kind = django_filters.ChoiceFilter(choices=Voucher.Kind.choices, label=_("Transaction"))
    status = django_filters.ChoiceFilter(choices=Voucher.Status.choices, label=_("Status"))

    class Meta:
        model = Voucher
        fields = ["depot", "fiscal_year", "number", "direction", "kind", "status"]


class StockItemFilterSet(BaseFilterSet):
    depot = depot_filter()
    reorder = django_filters.BooleanFilter(method="by_reorder", label=_("At or below reorder level"))

    class Meta:
        model = StockItem
        fields = ["depot"]

    def by_reorder(self, qs: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return qs
        low = below_reorder_level(qs)
        return low if value else qs.exclude(pk__in=low.values("pk"))


class StockRequestFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    depot = depot_filter()
    year = django_filters.NumberFilter(label=_("Year"))
    status = django_filters.ChoiceFilter(choices=StockRequest.Status.choices, label=_("Status"))
    unit = UnitTreeFilter(label=_("Requesting unit"))

    class Meta:
        model = StockRequest
        fields = ["depot", "year", "status", "unit"]
