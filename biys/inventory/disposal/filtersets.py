from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from biys.core.views import restrict
from biys.inventory.models import CountSession, Depot, ScrapProposal


class _DepotFilterMixin:
    """The depot choices are the depots the user may see."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        request = getattr(self, "request", None)
        if request is not None and "depot" in self.filters:  # type: ignore[attr-defined]
            self.filters["depot"].queryset = restrict(Depot.objects.all(), request.user)  # type: ignore[attr-defined]


class ScrapProposalFilterSet(_DepotFilterMixin, django_filters.FilterSet):
    # Registry numbers are codes (digits, dots, dashes): a prefix match needs no Turkish folding.
    q = django_filters.CharFilter(method="by_asset", label=_("Registry number"))
    depot = django_filters.ModelChoiceFilter(queryset=Depot.objects.all(), label=_("Depot"))
    status = django_filters.ChoiceFilter(choices=ScrapProposal.Status.choices, label=_("Status"))
    disposal = django_filters.ChoiceFilter(choices=ScrapProposal.Disposal.choices, label=_("Disposal"))
    year = django_filters.NumberFilter(label=_("Year"))

    class Meta:
        model = ScrapProposal
        fields = ["depot", "status", "disposal", "year"]

    def by_asset(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip()
        if not value:
            return queryset
        links = ScrapProposal.assets.through.objects.filter(asset__sicil_no__startswith=value)
        return queryset.filter(pk__in=links.values("scrapproposal_id"))


class CountSessionFilterSet(_DepotFilterMixin, django_filters.FilterSet):
    depot = django_filters.ModelChoiceFilter(queryset=Depot.objects.all(), label=_("Depot"))
    status = django_filters.ChoiceFilter(choices=CountSession.Status.choices, label=_("Status"))
    year = django_filters.NumberFilter(field_name="date", lookup_expr="year", label=_("Year"))

    class Meta:
        model = CountSession
        fields = ["depot", "status", "freeze_movements"]
