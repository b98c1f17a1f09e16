from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from biys.core.text import search_terms
from biys.inventory.models import CustodyDocument, CustodyItem, SharedAreaList
from biys.org.filtersets import UnitTreeFilter


def _open_lines() -> QuerySet[CustodyItem]:
    return CustodyItem.objects.filter(document=OuterRef("pk"), returned_at__isnull=True)


class CustodyDocumentFilterSet(django_filters.FilterSet):
    """Teslim Belgeleri by year, unit subtree, person and whether anything is still held."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    year = django_filters.NumberFilter(label=_("Year"))
    unit = UnitTreeFilter()
    staff = django_filters.NumberFilter(field_name="staff_id", label=_("Staff id"))
    state = django_filters.ChoiceFilter(
        method="by_state",
        label=_("State"),
        choices=(("open", _("Items still held")), ("returned", _("Everything returned"))),
    )

    class Meta:
        model = CustodyDocument
        fields = ["year", "staff"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        """Each term must occur in the person's name or registry number, or in the sicil no / name of an item."""
        for term in search_terms(value)[:8]:
            items = CustodyItem.objects.filter(document=OuterRef("pk"), asset__search_key__contains=term)
            queryset = queryset.filter(Q(staff__search_key__contains=term) | Exists(items))
        return queryset

    def by_state(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        if value == "open":
            return queryset.filter(Exists(_open_lines()))
        if value == "returned":
            return queryset.exclude(Exists(_open_lines()))
        return queryset


class SharedAreaListFilterSet(django_filters.FilterSet):
    unit = UnitTreeFilter(field_path="location__unit")
    location = django_filters.NumberFilter(field_name="location_id", label=_("Location id"))
    signed = django_filters.BooleanFilter(field_name="signed_by", lookup_expr="isnull", exclude=True, label=_("Signed"))

    class Meta:
        model = SharedAreaList
        fields = ["location"]
