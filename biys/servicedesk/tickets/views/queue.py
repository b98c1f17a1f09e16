"""The ticket list: the technician's queue, the manager's overview and a requester's own list, with quick
links and saved views (a named query string, private or shared with the owner's unit)."""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlencode

import django_tables2 as tables
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_tables2.paginators import LazyPaginator

from biys.core.exports import export_table
from biys.core.views import ObjectListView, capped, perm_name, require, restrict
from biys.servicedesk.models import SavedView, Ticket
from biys.servicedesk.tickets import filtersets, forms
from biys.servicedesk.tickets import tables as ticket_tables

LIST_NAME = "servicedesk:ticket_list"
# Never part of a saved view: the page shown, an export request.
TRANSIENT = ("page", "export")
QUEUE_DEFAULT = {"status": filtersets.OPEN, "sort": "resolution_due"}


def quick_links(user: Any) -> list[tuple[Any, str, str]]:
    """(label, query, test id) of the standard queues of IT staff."""
    links: list[tuple[Any, dict[str, Any], str]] = [
        (gettext_lazy("My queue"), {"assignee": "me"}, "queue-mine"),
    ]
    if getattr(user, "unit_id", None):
        links.append((gettext_lazy("My unit's queue"), {"assigned_unit": user.unit_id}, "queue-unit"))
    links += [
        (gettext_lazy("Unassigned"), {"assignee": "none"}, "queue-unassigned"),
        (gettext_lazy("Breaching"), {"sla": "at_risk"}, "queue-breaching"),
    ]
    return [(label, urlencode({**query, **QUEUE_DEFAULT}), testid) for label, query, testid in links]


def view_query(query: QueryDict) -> str:
    kept = query.copy()
    for name in TRANSIENT:
        kept.pop(name, None)
    return kept.urlencode()


def filtered_unit(filterset: Any) -> int | None:
    """The responsible unit the list is filtered to (its rows need not repeat its name), if any."""
    if not filterset.is_bound or not filterset.is_valid():
        return None
    value = filterset.form.cleaned_data.get("assigned_unit")
    return int(value) if value not in (None, "") and str(value).isdigit() else None


class TicketListView(ObjectListView):
    # prefetch, not select_related: five joins make SQLite pick a plan that scans the whole table before the
    # LIMIT; five small "IN (50 ids)" queries instead cost under a millisecond each.
    queryset = Ticket.objects.prefetch_related(
        "item", "requester", "requester_unit", "assigned_unit", "assignee"
    ).defer("description", "form_data", "resolution", "search_key")
    filterset = filtersets.TicketFilterSet
    table = ticket_tables.TicketTable
    template_name = "servicedesk/tickets/ticket_list.html"
    filter_fields = (
        "status",
        "priority",
        "item",
        "assigned_unit",
        "assignee",
        "sla",
        "created_after",
        "created_before",
    )

    def get(self, request: HttpRequest) -> HttpResponse:
        require(request.user, Ticket, "view")
        if not request.GET and request.user.has_perm("servicedesk.work_ticket"):
            # IT staff start on the open queue, most urgent first; the URL shows it, "All" undoes it.
            return redirect(f"{request.path}?{urlencode(QUEUE_DEFAULT)}")
        filterset = self.filterset(request.GET or None, queryset=self.get_queryset(request), request=request)
        rows = filterset.qs if filterset.is_bound and filterset.is_valid() else filterset.queryset
        if filterset.is_bound and not filterset.is_valid():
            rows = rows.none()
        table = self.table(rows, unit_id=filtered_unit(filterset))
        paginate: dict[str, Any] = {"per_page": self.per_page}
        # A common word matches a hundred thousand tickets: counting them all costs more than the page.
        # Search results page with previous/next only.
        table.lazy_pagination = bool(request.GET.get("q", "").strip())
        if table.lazy_pagination:
            paginate["paginator_class"] = LazyPaginator
        tables.RequestConfig(capped(request), paginate=paginate).configure(table)
        if request.GET.get("export") in ("xlsx", "csv"):
            return export_table(table, Ticket, request.GET["export"])
        context = {
            "model": Ticket,
            "meta": Ticket._meta,
            "table": table,
            "filterset": filterset,
            "filter_fields": [filterset.form[name] for name in self.filter_fields],
            "can_add": request.user.has_perm(perm_name(Ticket, "add")),
            "add_url": reverse("servicedesk:ticket_add"),
            **self.extra_context(request),
        }
        htmx = cast(Any, request).htmx
        template = "core/inc/object_table.html" if htmx.target == "object-table" else self.template_name
        return render(request, template, context)

    def extra_context(self, request: HttpRequest) -> dict[str, Any]:
        user = request.user
        current = view_query(request.GET)
        saved = restrict(SavedView.objects.filter(list_name=LIST_NAME), user).select_related("owner")
        return {
            "quick_links": quick_links(user) if user.has_perm("servicedesk.work_ticket") else [],
            "current_query": current,
            "saved_views": list(saved.order_by("name", "pk")),
            "can_save_view": user.has_perm("servicedesk.add_savedview"),
            "save_form": forms.SavedViewForm(initial={"query": current}),
        }


@require_POST
def savedview_add(request: HttpRequest) -> HttpResponse:
    """Save the list's current filters under a name; the same name again replaces the owner's view."""
    require(request.user, SavedView, "add")
    form = forms.SavedViewForm(request.POST)
    if not form.is_valid():
        for message in forms.error_messages(form):
            messages.error(request, message)
        return redirect(LIST_NAME)
    data = form.cleaned_data
    query = view_query(QueryDict(data["query"]))
    owner = cast(Any, request.user)
    view = SavedView.objects.filter(owner=owner, list_name=LIST_NAME, name=data["name"]).first()
    if view is None:
        view = SavedView(owner=owner, list_name=LIST_NAME, name=data["name"])
    view.query, view.is_shared = query, data["is_shared"]
    try:
        view.full_clean()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect(f"{reverse(LIST_NAME)}?{query}")
    view.save()
    messages.success(request, _("View saved: %(name)s") % {"name": view.name})
    return redirect(f"{reverse(LIST_NAME)}?{query}")


@require_POST
def savedview_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete one of the user's own saved views (a colleague's shared view is not theirs to delete)."""
    require(request.user, SavedView, "delete")
    own = SavedView.objects.filter(owner_id=request.user.pk, list_name=LIST_NAME)
    view = get_object_or_404(restrict(own, request.user), pk=pk)
    view.delete()
    messages.success(request, _("View deleted: %(name)s") % {"name": view.name})
    return redirect(LIST_NAME)
