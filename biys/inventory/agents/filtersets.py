from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from biys.core.filtersets import BaseFilterSet
from biys.core.text import search_terms, tr_lower, tr_upper
from biys.inventory.models import AgentLink, DiscoveredDevice


class DiscoveredDeviceFilterSet(django_filters.FilterSet):
    """Queued devices have no stored search key: ``q`` matches the beginning of the host name, serial
    or device id as typed or in Turkish-correct upper or lower case (agents report "PC-042" or "pc-042")."""

    q = django_filters.CharFilter(method="search", label=_("Search"))

    class Meta:
        model = DiscoveredDevice
        fields = ["status", "reason", "agent_type"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for term in search_terms(value, ascii_fold=False)[:4]:
            spellings = {term, tr_upper(term), tr_lower(term)}
            query = Q()
            for spelling in spellings:
                query |= (
                    Q(hostname__startswith=spelling)
                    | Q(serial__startswith=spelling)
                    | Q(device_id__startswith=spelling)
                )
            queryset = queryset.filter(query)
        return queryset


class AgentLinkFilterSet(BaseFilterSet):
    """``q`` searches the linked asset's stored key (registry number, name, serial, host name)."""

    class Meta:
        model = AgentLink
        fields = ["agent_type"]

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for term in search_terms(value)[:8]:
            queryset = queryset.filter(asset__search_key__contains=term)
        return queryset
