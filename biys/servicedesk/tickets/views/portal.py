"""Intake: the requester portal (catalogue, my requests, my unit's requests), a new request from a catalogue
item, the agent's phone / walk-in entry, and the suggestions shown while a requester types."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Case, Count, Q, QuerySet, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from biys.core.models import in_subtree, user_unit_path
from biys.core.text import search_terms
from biys.core.views import require, restrict
from biys.org.models import Staff
from biys.servicedesk import services
from biys.servicedesk.choices import OPEN_STATUSES, Channel, Status
from biys.servicedesk.models import Article, ServiceItem, Ticket
from biys.servicedesk.tickets import forms
from biys.servicedesk.tickets.tables import decorate
from biys.servicedesk.tickets.views.common import optional_url

PORTAL_PAGE = 20
MAX_STAFF_CHOICES = 50


def active_items(user: Any) -> QuerySet[ServiceItem]:
    return restrict(ServiceItem.objects.filter(is_active=True).select_related("category"), user)


def own_requests(user: Any) -> Q:
    """The user's own requests: for their staff record, or opened by them naming nobody (``is_requester``)."""
    return Q(requester__user_id=user.pk) | Q(requester__isnull=True, created_by_id=user.pk)


def portal(request: HttpRequest) -> HttpResponse:
    """The service desk's front door for every employee."""
    user = request.user
    require(user, Ticket, "view")
    items = list(active_items(user).order_by("category__sort_order", "category__name", "sort_order", "name"))
    catalogue = [(category, list(rows)) for category, rows in groupby(items, key=lambda item: item.category)]
    path = user_unit_path(user)
    can_see_unit = path is not None and user.has_perm("servicedesk.view_unit_tickets")
    tab = "unit" if request.GET.get("tab") == "unit" and can_see_unit else "mine"
    mine = restrict(Ticket.objects.filter(own_requests(user)), user)
    if tab == "unit":
        rows = restrict(Ticket.objects.filter(in_subtree("requester_unit", path or "")), user).order_by(
            "-created_at", "-id"
        )
    else:  # what waits for the requester's confirmation first, then newest first
        waiting_first = Case(When(status=Status.RESOLVED, then=Value(0)), default=Value(1))
        rows = mine.alias(waiting=waiting_first).order_by("waiting", "-created_at", "-id")
    rows = rows.select_related("item", "assigned_unit", "requester", "satisfaction")
    page = Paginator(rows, PORTAL_PAGE).get_page(request.GET.get("page"))
    now = timezone.now()
    for ticket in page.object_list:
        decorate(ticket, now)
        own = services.is_requester(ticket, user)
        ticket.awaits_confirmation = own and ticket.status == Status.RESOLVED  # type: ignore[attr-defined]
        ticket.awaits_rating = (  # type: ignore[attr-defined]
            own and ticket.status == Status.CLOSED and not services.hasattr_satisfaction(ticket)
        )
    counts = mine.aggregate(
        waiting=Count("pk", filter=Q(status=Status.RESOLVED)), open=Count("pk", filter=Q(status__in=OPEN_STATUSES))
    )
    waiting = counts["waiting"]
    context = {
        "catalogue": catalogue,
        "page": page,
        "tab": tab,
        "waiting": waiting,
        "open_count": counts["open"],
        # On a phone the page shows one pane at a time: the requests first when something waits for the
        # requester or they are paging through them, the catalogue otherwise.
        "requests_first": bool(waiting or "tab" in request.GET or "page" in request.GET),
        "can_see_unit": can_see_unit,
        "can_add": user.has_perm("servicedesk.add_ticket"),
        "can_work": user.has_perm("servicedesk.work_ticket"),
    }
    return render(request, "servicedesk/portal/portal.html", context)


def ticket_add(request: HttpRequest) -> HttpResponse:
    """ "New" on the ticket list: IT staff record a request for someone, everyone else picks from the catalogue."""
    require(request.user, Ticket, "add")
    if request.user.has_perm("servicedesk.work_ticket"):
        return redirect("servicedesk:ticket_agent_new")
    return redirect("servicedesk:portal")


def staff_of(user: Any) -> Staff | None:
    return Staff.objects.select_related("unit").filter(user_id=user.pk).first()


def item_articles(item: ServiceItem, user: Any) -> list[tuple[Article, str]]:
    articles = restrict(item.articles.all(), user).order_by("-views", "title")[:5]
    return [(article, optional_url("servicedesk:article", pk=article.pk)) for article in articles]


class TicketNewView(View):
    """A request for one catalogue item, from the portal, for the requester themselves."""

    template_name = "servicedesk/portal/new.html"

    def setup_item(self, request: HttpRequest, code: str) -> tuple[ServiceItem, Staff | None]:
        require(request.user, Ticket, "add")
        item = get_object_or_404(active_items(request.user), code=code)
        return item, staff_of(request.user)

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        item, staff = self.setup_item(request, code)
        initial = {"contact_phone": staff.work_phone if staff else ""}
        form = forms.NewTicketForm(item=item, user=request.user, staff=staff, initial=initial)
        return self.render_page(request, item, staff, form)

    def post(self, request: HttpRequest, code: str) -> HttpResponse:
        item, staff = self.setup_item(request, code)
        form = forms.NewTicketForm(request.POST, request.FILES, item=item, user=request.user, staff=staff)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.open_ticket(
                    item=item,
                    title=data["title"],
                    description=data["description"],
                    by=request.user,
                    requester=staff,
                    requester_unit=None if staff is not None else getattr(request.user, "unit", None),
                    channel=Channel.PORTAL,
                    impact=data["impact"],
                    location=data["location"],
                    contact_phone=data["contact_phone"],
                    form_data=form.form_data(),
                    assets=data.get("assets") or (),
                    files=data["uploads"],
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Your request is recorded with reference %(ref)s. You can follow it on this page.")
                    % {"ref": ticket.reference},
                )
                return redirect(ticket.get_absolute_url())
        return self.render_page(request, item, staff, form, status=422)

    def render_page(
        self, request: HttpRequest, item: ServiceItem, staff: Staff | None, form: Any, status: int = 200
    ) -> HttpResponse:
        context = {
            "item": item,
            "staff": staff,
            "form": form,
            "extra_fields": [form[name] for name in form.extra_field_names()],
            "articles": item_articles(item, request.user),
        }
        return render(request, self.template_name, context, status=status)


def _find_staff(queryset: QuerySet[Staff], query: str) -> QuerySet[Staff]:
    for term in search_terms(query)[:8]:
        queryset = queryset.filter(search_key__contains=term)
    return queryset


class AgentTicketView(View):
    """A phone or walk-in request recorded by IT staff for a staff member (choose the item, find the person)."""

    template_name = "servicedesk/tickets/agent_new.html"

    def check(self, request: HttpRequest) -> None:
        require(request.user, Ticket, "add")
        if not request.user.has_perm("servicedesk.work_ticket"):
            raise PermissionDenied

    def get(self, request: HttpRequest) -> HttpResponse:
        self.check(request)
        item = self.item(request, request.GET.get("item"))
        staff = self.staff(request, request.GET.get("staff"))
        form = None
        if item is not None:
            initial = {
                "staff": staff.pk if staff else None,
                "priority": item.default_priority,
                "channel": Channel.PHONE,
                "contact_phone": staff.work_phone if staff else "",
            }
            form = forms.AgentTicketForm(item=item, user=request.user, staff=staff, initial=initial)
        return self.render_page(request, item, staff, form)

    def post(self, request: HttpRequest) -> HttpResponse:
        self.check(request)
        item = self.item(request, request.POST.get("item"))
        if item is None:
            messages.error(request, _("Choose the catalogue item."))
            return redirect("servicedesk:ticket_agent_new")
        staff = self.staff(request, request.POST.get("staff"))
        form = forms.AgentTicketForm(request.POST, request.FILES, item=item, user=request.user, staff=staff)
        if form.is_valid():
            data = form.cleaned_data
            person = data["staff"]
            try:
                ticket = services.open_ticket(
                    item=item,
                    title=data["title"],
                    description=data["description"],
                    by=request.user,
                    requester=person,
                    channel=data["channel"],
                    priority=data["priority"],
                    impact=data["impact"],
                    location=data["location"],
                    contact_phone=data["contact_phone"],
                    form_data=form.form_data(),
                    files=data["uploads"],
                )
            except ValidationError as exc:
                forms.apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Request %(ref)s is recorded for %(person)s.") % {"ref": ticket.reference, "person": person},
                )
                return redirect(ticket.get_absolute_url())
        return self.render_page(request, item, staff, form, status=422)

    def item(self, request: HttpRequest, raw: str | None) -> ServiceItem | None:
        if not raw or not raw.isdigit():
            return None
        return active_items(request.user).filter(pk=int(raw)).first()

    def staff(self, request: HttpRequest, raw: str | None) -> Staff | None:
        if not raw or not raw.isdigit():
            return None
        return forms.agent_staff(request.user).select_related("unit").filter(pk=int(raw)).first()

    def render_page(
        self, request: HttpRequest, item: ServiceItem | None, staff: Staff | None, form: Any, status: int = 200
    ) -> HttpResponse:
        staff_q = request.GET.get("staff_q", "")
        found = _find_staff(forms.agent_staff(request.user).filter(status=Staff.Status.ACTIVE), staff_q)
        people = list(found.select_related("unit").order_by("sort_name", "pk")[:MAX_STAFF_CHOICES]) if staff_q else []
        if staff is not None and staff.pk not in {person.pk for person in people}:
            people.insert(0, staff)
        if staff is None and len(people) == 1:
            staff = people[0]  # the only match is the person meant
        context = {
            "items": active_items(request.user).order_by("category__sort_order", "sort_order", "name"),
            "item": item,
            "staff": staff,
            "staff_q": staff_q,
            "people": people,
            "form": form,
            "extra_fields": [form[name] for name in form.extra_field_names()] if form is not None else [],
        }
        return render(request, self.template_name, context, status=status)


def suggest(request: HttpRequest) -> HttpResponse:
    """Knowledge base articles and similar resolved tickets for what the requester is typing (htmx)."""
    require(request.user, Ticket, "view")
    text = " ".join(request.GET.get(name, "") for name in ("title", "description", "q"))[:500]
    articles, tickets = services.suggest(text, request.user)
    context = {
        "articles": [(article, optional_url("servicedesk:article", pk=article.pk)) for article in articles],
        "tickets": tickets,
    }
    return render(request, "servicedesk/portal/inc/suggestions.html", context)
