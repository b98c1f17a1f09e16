"""Service desk API serializers. Tickets are read and edited here but created and moved only through
``services`` (``open_ticket``, ``act``, ``add_followup``), so the API obeys the same rules as the pages."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Q
from django.utils.dateparse import parse_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from biys.core.api import BaseSerializer
from biys.core.views import restrict
from biys.inventory.models import Location
from biys.org.models import Staff, Unit
from biys.servicedesk import deskconfig, sla
from biys.servicedesk.choices import WAITING_STATUSES, FieldType, FollowUpKind, Impact, Priority, Status
from biys.servicedesk.models import Article, FollowUp, RootCause, ServiceCategory, ServiceItem, Ticket
from biys.servicedesk.models.tickets import is_it_staff
from biys.servicedesk.services import allowed_actions
from biys.users.models import User

# The state changes POST .../actions/ accepts, each a branch of ``services.act``.
ACTIONS = ("assign", "start", "wait", "resume", "resolve", "close", "reopen", "cancel", "transfer", "priority")
# What a client may post as a follow-up: the timeline's events are written by the system only.
FOLLOWUP_KINDS = (FollowUpKind.COMMENT, FollowUpKind.NOTE, FollowUpKind.WORK)
# What IT staff may correct on a ticket (PATCH); state, people and SLA change only through the actions.
TICKET_EDITABLE = ("title", "description", "impact", "location", "contact_phone")


def _user(serializer: serializers.Serializer) -> Any:  # type: ignore[type-arg]
    request = serializer.context.get("request")
    return getattr(request, "user", None)


# -- catalogue and knowledge -----------------------------------------------------------------------------------------


class ServiceCategorySerializer(BaseSerializer):
    class Meta:
        model = ServiceCategory
        fields = ["id", "display", "name", "icon", "sort_order"]


class ServiceItemSerializer(BaseSerializer):
    category_name = serializers.CharField(source="category.name", read_only=True)

    class Meta:
        model = ServiceItem
        fields = [
            "id",
            "display",
            "category",
            "category_name",
            "code",
            "name",
            "description",
            "responsible_unit",
            "sla_policy",
            "default_priority",
            "asks_for_asset",
            "fields",
            "directive_ref",
            "is_active",
            "sort_order",
        ]


class RootCauseSerializer(BaseSerializer):
    class Meta:
        model = RootCause
        fields = ["id", "display", "code", "name", "group", "is_active"]


class ArticleSerializer(BaseSerializer):
    class Meta:
        model = Article
        fields = ["id", "display", "title", "summary", "body", "items", "status", "is_internal", "views"]
        read_only_fields = ["views"]


# -- tickets ---------------------------------------------------------------------------------------------------------


class TicketSerializer(BaseSerializer):
    """A ticket as its reader sees it, with the SLA state and the actions the caller may take now.

    Only the wording and the place of a request are edited (PATCH, IT staff); everything else changes
    through the actions.
    """

    reference = serializers.CharField(read_only=True)
    item_name = serializers.CharField(source="item.name", read_only=True)
    requester_display = serializers.SerializerMethodField()
    requester_unit_name = serializers.CharField(source="requester_unit.name", read_only=True)
    assigned_unit_name = serializers.CharField(source="assigned_unit.name", read_only=True)
    assignee_name = serializers.SerializerMethodField()
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), allow_null=True, required=False)
    location_display = serializers.SerializerMethodField()
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    priority_display = serializers.CharField(source="get_priority_display", read_only=True)
    sla_state = serializers.SerializerMethodField()
    is_paused = serializers.BooleanField(read_only=True)
    allowed_actions = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "display",
            "reference",
            "title",
            "description",
            "item",
            "item_name",
            "form_data",
            "requester",
            "requester_display",
            "requester_unit",
            "requester_unit_name",
            "location",
            "location_display",
            "contact_phone",
            "channel",
            "status",
            "status_display",
            "priority",
            "priority_display",
            "impact",
            "assigned_unit",
            "assigned_unit_name",
            "assignee",
            "assignee_name",
            "root_cause",
            "resolution",
            "reopen_count",
            "response_due",
            "resolution_due",
            "first_response_at",
            "response_breached",
            "resolution_breached",
            "sla_state",
            "is_paused",
            "resolved_at",
            "closed_at",
            "created_at",
            "updated_at",
            "allowed_actions",
        ]
        read_only_fields = [f for f in fields if f not in TICKET_EDITABLE]

    def get_requester_display(self, obj: Ticket) -> str:
        if obj.requester_id is not None:
            return str(obj.requester)
        return obj.requester_name or obj.requester_email

    def get_assignee_name(self, obj: Ticket) -> str:
        return str(obj.assignee) if obj.assignee_id is not None else ""

    def get_location_display(self, obj: Ticket) -> str:
        return str(obj.location) if obj.location_id is not None else ""

    @extend_schema_field(serializers.ChoiceField(choices=["", "ok", "warning", "paused", "breached"]))
    def get_sla_state(self, obj: Ticket) -> str:
        return sla.state(obj)

    def get_allowed_actions(self, obj: Ticket) -> list[str]:
        user = _user(self)
        return sorted(allowed_actions(obj, user)) if user is not None else []


class CatalogueItemField(serializers.RelatedField):  # type: ignore[type-arg]
    """A catalogue item by its id or by its code ("yazici-arizasi")."""

    default_error_messages = {
        "does_not_exist": _("No catalogue item %(value)s."),
        "invalid": _("Give the catalogue item's id or code."),
    }

    def to_internal_value(self, data: Any) -> ServiceItem:
        if isinstance(data, bool) or not isinstance(data, int | str) or data == "":
            self.fail("invalid")
        text = str(data).strip()
        user = _user(cast(Any, self.parent))
        if user is not None and ServiceItem.scope(user) == Q():  # every item is visible: the desk's own copy
            item = deskconfig.current().item(text)
        else:
            lookup = {"pk": int(text)} if text.isdigit() else {"code": text}
            queryset = cast(Any, self.get_queryset())
            item = queryset.select_related("category", "responsible_unit", "sla_policy").filter(**lookup).first()
        if item is None:
            raise serializers.ValidationError(self.error_messages["does_not_exist"] % {"value": text})
        return cast(ServiceItem, item)

    def to_representation(self, value: Any) -> Any:
        return value.pk


@extend_schema_field(OpenApiTypes.STR)
class _CatalogueItemSchemaField(CatalogueItemField):
    """The same field, described in the schema as "an id or a code"."""


class TicketCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A new request. ``requester`` defaults to the caller's own staff record; IT staff may open one on
    behalf of any active staff member (phone, walk-in). Only IT staff set the priority."""

    item = _CatalogueItemSchemaField(queryset=ServiceItem.objects.all())
    title = serializers.CharField(max_length=200)
    description = serializers.CharField()
    requester = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.all(), required=False)
    impact = serializers.ChoiceField(choices=Impact.choices, required=False)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)
    location = serializers.PrimaryKeyRelatedField(queryset=Location.objects.all(), required=False, allow_null=True)
    contact_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    form_data = serializers.DictField(required=False, default=dict)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        user = _user(self)
        if user is not None:  # absent while the OpenAPI schema is generated
            cast(Any, fields["item"]).queryset = restrict(ServiceItem.objects.all(), user)
            cast(Any, fields["requester"]).queryset = Staff.objects.select_related("unit")
        return fields

    def validate_location(self, value: Location | None) -> Location | None:
        # A requester names a place of their own unit; IT staff entering a call may name any place.
        user = _user(self)
        if value is None or user is None or is_it_staff(user):
            return value
        if not restrict(Location.objects.filter(pk=value.pk), user).exists():
            raise serializers.ValidationError(gettext("Choose a place of your own unit."))
        return value

    def validate_requester(self, value: Staff) -> Staff:
        user = _user(self)
        if user is not None and value.user_id != user.pk:
            if not is_it_staff(user):
                raise serializers.ValidationError(gettext("You can open requests only for yourself."))
            if not value.is_active:
                raise serializers.ValidationError(gettext("%(staff)s no longer works here.") % {"staff": value})
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        errors = _impossible_iso_dates(attrs["item"], attrs.get("form_data") or {})
        if errors:
            raise serializers.ValidationError(errors)
        if attrs.get("requester") is None:
            user: Any = _user(self)
            own = Staff.objects.select_related("unit").filter(user__pk=user.pk).first() if user else None
            if own is None:
                raise serializers.ValidationError(
                    {"requester": gettext("Your account is not linked to a staff record; name the requester.")}
                )
            attrs["requester"] = own
        return attrs


def _impossible_iso_dates(item: ServiceItem, answers: dict[str, Any]) -> dict[str, str]:
    """Date answers such as "2026-02-31": well-formed, but ``services.clean_form_data`` would fail on them with a
    ValueError (a 500) instead of its field message, so the API names them first with the same message."""
    errors: dict[str, str] = {}
    for spec in item.fields or []:
        raw = answers.get(spec.get("name"))
        if spec.get("type") != FieldType.DATE or not isinstance(raw, str):
            continue
        try:
            parse_date(raw.strip())
        except ValueError:
            errors[f"form_{spec['name']}"] = gettext("%(field)s must be a date (dd.mm.yyyy).") % {
                "field": spec["label"]
            }
    return errors


class TicketActionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One state change. Which fields an action reads: assign → assignee (null unassigns); wait → waiting_for,
    note; resolve → resolution, root_cause; reopen, cancel → reason; transfer → to_unit, reason;
    priority → priority."""

    action = serializers.ChoiceField(choices=[(a, a) for a in ACTIONS])
    assignee = serializers.PrimaryKeyRelatedField(
        queryset=User.objects.filter(is_active=True), required=False, allow_null=True
    )
    waiting_for = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in WAITING_STATUSES], required=False, default=Status.WAITING_REQUESTER
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")
    resolution = serializers.CharField(required=False, allow_blank=True, default="")
    root_cause = serializers.PrimaryKeyRelatedField(
        queryset=RootCause.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    to_unit = serializers.PrimaryKeyRelatedField(
        queryset=Unit.objects.filter(is_active=True), required=False, allow_null=True, default=None
    )
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, allow_null=True, default=None)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["action"] == "assign" and "assignee" not in attrs:
            raise serializers.ValidationError({"assignee": gettext("Choose the assignee (null to unassign).")})
        if attrs["action"] == "priority" and attrs.get("priority") is None:
            raise serializers.ValidationError({"priority": gettext("Choose the priority.")})
        return attrs

    def service_data(self) -> dict[str, Any]:
        """The keyword arguments of ``services.act`` for the validated action."""
        data = dict(self.validated_data)
        data.pop("action")
        return data


class FollowUpSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    kind_display = serializers.CharField(source="get_kind_display", read_only=True)
    author = serializers.SerializerMethodField()

    class Meta:
        model = FollowUp
        fields = ["id", "ticket", "kind", "kind_display", "body", "is_internal", "minutes", "on_site", "author"]
        fields += ["created_at"]
        read_only_fields = fields

    def get_author(self, obj: FollowUp) -> str:
        return str(obj.created_by) if obj.created_by_id is not None else ""


class FollowUpCreateSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A comment (everyone on the ticket), an internal note or a work log (IT staff)."""

    kind = serializers.ChoiceField(choices=[(k.value, k.label) for k in FOLLOWUP_KINDS], default=FollowUpKind.COMMENT)
    body = serializers.CharField()
    minutes = serializers.IntegerField(min_value=0, max_value=24 * 60 * 31, default=0)
    on_site = serializers.BooleanField(default=False)
