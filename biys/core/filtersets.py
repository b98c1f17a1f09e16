from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from biys.core.text import search_terms


class BaseFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    """Adds ``q``: every term must occur in the row's stored Turkish-folded search key."""

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for term in search_terms(value)[:8]:
            queryset = queryset.filter(search_key__contains=term)
        return queryset
