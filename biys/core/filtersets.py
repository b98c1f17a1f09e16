from __future__ import annotations

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from biys.core.text import search_terms


class BaseFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    """Adds ``q``: every term must occur in the row's stored Turkish-folded search key."""

    q = django_filters.CharFilter(method="search", label=_("Search"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A yes/no filter offers "All" when it is not used, like every other filter (django-filter says
        # "Unknown").
        for filter_ in self.filters.values():
            if isinstance(filter_, django_filters.BooleanFilter) and "widget" not in filter_.extra:
                filter_.extra["widget"] = forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))])

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        for term in search_terms(value)[:8]:
            queryset = queryset.filter(search_key__contains=term)
        return queryset
