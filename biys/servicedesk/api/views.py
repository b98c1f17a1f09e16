"""Service desk API: tickets (open, read, correct the wording, move through the actions, follow-ups) and the
catalogue and knowledge base. Row scoping, model permissions and If-Match come from ``core.api``; every state
change goes through ``services``, exactly as on the pages."""

from __future__ import annotations

from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from biys.core.api import BaseViewSet
from biys.core.filtersets import BaseFilterSet
from biys.core.models import in_subtree
from biys.core.permissions import ModelPermissions
from biys.core.views import require
from biys.org.models import Unit
from biys.servicedesk import services
from biys.servicedesk.api import serializers
from biys.servicedesk.choices import (
    DONE_STATUSES,
    OPEN_STATUSES,
    WAITING_STATUSES,
    ArticleStatus,
    Channel,
    Priority,
    Status,
)
from biys.servicedesk.models import Article, FollowUp, RootCause, ServiceCategory, ServiceItem, Ticket
from biys.servicedesk.models.tickets import is_it_staff
from biys.servicedesk.search import search_tickets

# -- permissions -----------------------------------------------------------------------------------------------------


class SignedInReads(ModelPermissions):
    """The catalogue is public inside the municipality: any signed-in user reads it; writing needs the
    model permissions (managers)."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in permissions.SAFE_METHODS:
            return bool(request.user and request.user.is_authenticated)
        return bool(super().has_permission(request, view))


def _forbidden(exc: PermissionDenied) -> Response:
    detail = str(exc) or gettext("You do not have permission to perform this action.")
    return Response({"detail": detail}, status=status.HTTP_403_FORBIDDEN)


# -- filters ---------------------------------------------------------------------------------------------------------

STATUS_FILTER_CHOICES = [
    ("open", _("Open (any open state)")),
    ("waiting", _("Waiting (requester, vendor or parts)")),
    ("done", _("Resolved, closed or cancelled")),
    *Status.choices,
]
ORDERINGS = ["resolution_due", "-resolution_due", "priority", "-priority", "created_at", "-created_at"]


class TicketFilterSet(django_filters.FilterSet):  # type: ignore[misc]
    status = django_filters.ChoiceFilter(choices=STATUS_FILTER_CHOICES, method="filter_status", label=_("Status"))
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label=_("Priority"))
    item = django_filters.NumberFilter(field_name="item_id", label=_("Catalogue item"))
    assigned_unit = django_filters.NumberFilter(method="filter_unit", label=_("Responsible unit (and sub-units)"))
    requester_unit = django_filters.NumberFilter(method="filter_unit", label=_("Requester unit (and sub-units)"))
    assignee = django_filters.CharFilter(method="filter_assignee", label=_("Assignee (user id, me or none)"))
    breached = django_filters.BooleanFilter(method="filter_breached", label=_("SLA target missed"))
    q = django_filters.CharFilter(method="search", label=_("Search"))
    ordering = django_filters.ChoiceFilter(choices=[(o, o) for o in ORDERINGS], method="order", label=_("Order by"))

    class Meta:
        model = Ticket
        fields: list[str] = []

    def filter_status(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        groups = {"open": OPEN_STATUSES, "waiting": WAITING_STATUSES, "done": DONE_STATUSES}
        if value in groups:
            return queryset.filter(status__in=groups[value])
        return queryset.filter(status=value)

    def filter_unit(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        path = Unit.objects.filter(pk=int(value)).values_list("path", flat=True).first()
        return queryset.filter(in_subtree(name, path)) if path else queryset.none()

    def filter_assignee(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        value = value.strip().lower()
        if value == "me":
            return queryset.filter(assignee_id=getattr(getattr(self.request, "user", None), "pk", None))
        if value == "none":
            return queryset.filter(assignee__isnull=True)
        return queryset.filter(assignee_id=int(value)) if value.isdigit() else queryset.none()

    def filter_breached(self, queryset: QuerySet[Any], name: str, value: bool | None) -> QuerySet[Any]:
        if value is None:
            return queryset
        now = timezone.now()
        running = Q(status__in=OPEN_STATUSES, sla_paused_at__isnull=True)
        late = (
            Q(resolution_breached=True)
            | Q(response_breached=True)
            | (running & Q(resolution_due__lt=now))
            | (running & Q(first_response_at__isnull=True, response_due__lt=now))
        )
        return queryset.filter(late) if value else queryset.exclude(late)

    def search(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        return search_tickets(queryset, value)

    def order(self, queryset: QuerySet[Any], name: str, value: str) -> QuerySet[Any]:
        # A unique tie-breaker keeps pages stable when many tickets share a due date or a priority.
        return queryset.order_by(value, "-id" if value.startswith("-") else "id")


class ServiceItemFilterSet(BaseFilterSet):
    class Meta:
        model = ServiceItem
        fields = ["category", "is_active", "asks_for_asset"]


class ArticleFilterSet(BaseFilterSet):
    status = django_filters.ChoiceFilter(choices=ArticleStatus.choices, label=_("Status"))
    item = django_filters.NumberFilter(field_name="items", label=_("Catalogue item"))

    class Meta:
        model = Article
        fields = ["status", "is_internal"]


# -- tickets ---------------------------------------------------------------------------------------------------------


def ticket_queryset() -> QuerySet[Ticket]:
    """Everything a ticket row shows in one query (the satisfaction decides the "rate" action)."""
    return Ticket.objects.select_related(
        "item", "requester", "requester_unit", "assigned_unit", "assignee", "location", "satisfaction"
    )


class TicketViewSet(BaseViewSet):
    """Tickets in the caller's scope. POST opens one (``services.open_ticket``, channel API); PATCH corrects
    its wording (IT staff); ``actions/`` moves it; ``followups/`` reads and writes its timeline. No DELETE:
    a ticket is cancelled, never removed."""

    queryset = ticket_queryset()
    serializer_class = serializers.TicketSerializer
    filterset_class = TicketFilterSet
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[Any]:
        if self.action == "create":
            # Opening reads no rows; the permission check only needs the model. Skipping the scope saves its
            # unit lookup on the hottest write of the desk.
            return self.queryset.none()
        return super().get_queryset()

    @extend_schema(request=serializers.TicketCreateSerializer, responses={201: serializers.TicketSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = serializers.TicketCreateSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        ticket = services.open_ticket(
            item=values["item"],
            title=values["title"],
            description=values["description"],
            by=request.user,
            requester=values["requester"],
            channel=Channel.API,
            priority=values.get("priority"),
            impact=values.get("impact"),
            location=values.get("location"),
            contact_phone=values["contact_phone"],
            form_data=values["form_data"],
        )
        # The new ticket already holds its item, units and requester: no query for the answer.
        return Response(self.get_serializer(ticket).data, status=status.HTTP_201_CREATED)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not is_it_staff(request.user):
            return _forbidden(PermissionDenied(gettext("Only IT staff correct a ticket; comment on it instead.")))
        return super().update(request, *args, **kwargs)

    @extend_schema(request=serializers.TicketActionSerializer, responses={200: serializers.TicketSerializer})
    @action(
        detail=True,
        methods=["post"],
        url_path="actions",
        url_name="actions",
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def run_action(self, request: Request, pk: Any = None) -> Response:
        """Assign, start, wait, resume, resolve, close, reopen, cancel, transfer or change the priority."""
        require(request.user, Ticket, "view")
        ticket = self.get_object()
        data = serializers.TicketActionSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        try:
            changed = services.act(ticket, data.validated_data["action"], request.user, **data.service_data())
        except PermissionDenied as exc:
            return _forbidden(exc)
        # Read back without the scope: after a transfer the caller may no longer see it, but may see the result.
        return Response(self.get_serializer(ticket_queryset().get(pk=changed.pk)).data)

    @extend_schema(methods=["GET"], responses=serializers.FollowUpSerializer(many=True))
    @extend_schema(
        methods=["POST"],
        request=serializers.FollowUpCreateSerializer,
        responses={201: serializers.FollowUpSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[permissions.IsAuthenticated],
        filter_backends=[],
    )
    def followups(self, request: Request, pk: Any = None) -> Response:
        """The ticket's timeline (internal notes only for IT staff), or a new comment, note or work log."""
        require(request.user, Ticket, "view")
        require(request.user, FollowUp, "view" if request.method == "GET" else "add")
        ticket = self.get_object()
        if request.method == "GET":
            rows = FollowUp.restrict(ticket.followups.select_related("created_by"), request.user).order_by(
                "created_at", "id"
            )
            page = self.paginate_queryset(rows)
            body = serializers.FollowUpSerializer(page if page is not None else rows, many=True).data
            return self.get_paginated_response(body) if page is not None else Response(body)
        data = serializers.FollowUpCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            followup = services.add_followup(
                ticket,
                request.user,
                values["body"],
                kind=values["kind"],
                minutes=values["minutes"],
                on_site=values["on_site"],
            )
        except PermissionDenied as exc:
            return _forbidden(exc)
        return Response(serializers.FollowUpSerializer(followup).data, status=status.HTTP_201_CREATED)


# -- catalogue and knowledge -----------------------------------------------------------------------------------------


class ServiceCategoryViewSet(BaseViewSet):
    queryset = ServiceCategory.objects.all()
    serializer_class = serializers.ServiceCategorySerializer
    permission_classes = [SignedInReads]


class ServiceItemViewSet(BaseViewSet):
    queryset = ServiceItem.objects.select_related("category")
    serializer_class = serializers.ServiceItemSerializer
    filterset_class = ServiceItemFilterSet
    permission_classes = [SignedInReads]


class RootCauseViewSet(BaseViewSet):
    queryset = RootCause.objects.all()
    serializer_class = serializers.RootCauseSerializer
    permission_classes = [SignedInReads]


class ArticleViewSet(BaseViewSet):
    """Published, public articles for everyone; drafts and internal ones for IT staff (``Article.scope``)."""

    queryset = Article.objects.prefetch_related("items")
    serializer_class = serializers.ArticleSerializer
    filterset_class = ArticleFilterSet
    permission_classes = [SignedInReads]


# (prefix, viewset, basename) registered under /api/servicedesk/ by biys/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("tickets", TicketViewSet, "servicedesk-ticket"),
    ("catalogue-items", ServiceItemViewSet, "servicedesk-serviceitem"),
    ("categories", ServiceCategoryViewSet, "servicedesk-servicecategory"),
    ("articles", ArticleViewSet, "servicedesk-article"),
    ("root-causes", RootCauseViewSet, "servicedesk-rootcause"),
]
