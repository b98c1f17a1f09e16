"""Paging of the generic lists.

A deep page (``OFFSET 19,950``) makes the database read and throw away every row before it: on 20,000
staff that is 20,000 table rows for 50 shown. :class:`DeferredJoinPaginator` reads such a page in two
steps inside one query: the 50 ids from the ordering index (``SELECT id … ORDER BY … LIMIT 50 OFFSET n``,
which the index alone answers: ``staff_sort_name`` is ``(sort_name, id)``), then only those rows. The
rows and their order are exactly those of the plain ``OFFSET`` query.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django_tables2.rows import BoundRows

DEFERRED_FROM = 500  # rows skipped before the two-step read pays off


class DeferredJoinPaginator(Paginator):  # type: ignore[type-arg]
    def page(self, number: Any) -> Page:  # type: ignore[type-arg]
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        rows = self.object_list
        queryset = getattr(rows, "data", None)  # BoundRows → TableQuerysetData → QuerySet
        queryset = getattr(queryset, "data", queryset)
        if bottom < DEFERRED_FROM or not isinstance(rows, BoundRows) or not isinstance(queryset, QuerySet):
            return super().page(number)
        if not queryset.ordered:
            return super().page(number)
        # The id last, if the order does not end with it: rows that tie on the order would otherwise be free to
        # come in one order in the id query and in another in the row query.
        order = list(queryset.query.order_by or queryset.model._meta.ordering)
        last = order[-1] if order else None
        if isinstance(last, str) and last.lstrip("-") not in ("pk", "id"):
            queryset = queryset.order_by(*order, "-pk" if last.startswith("-") else "pk")
        ids = queryset.values("pk")[bottom:top]
        shown = BoundRows(data=queryset.filter(pk__in=ids), table=rows.table, pinned_data=rows.pinned_data)
        return Page(shown, number, self)
