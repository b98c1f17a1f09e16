from __future__ import annotations

from rest_framework import serializers

from biys.core.api import BaseSerializer
from biys.core.changelog import mask
from biys.org.models import Departure, Duty, DutyAssignment, Leave, Position, Staff, Unit


class UnitSerializer(BaseSerializer):
    class Meta:
        model = Unit
        fields = [
            "id",
            "display",
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "depth",
            "is_it",
            "manager",
            "building",
            "location",
            "phone",
            "email",
            "detsis_no",
            "is_active",
        ]
        read_only_fields = ["depth"]


class PositionSerializer(BaseSerializer):
    class Meta:
        model = Position
        fields = ["id", "display", "name", "unit", "is_head", "description"]


class StaffSerializer(BaseSerializer):
    """TCKN and personal phone are write-only here: reading them goes through the logged page (KVKK)."""

    tckn_masked = serializers.SerializerMethodField()

    class Meta:
        model = Staff
        fields = [
            "id",
            "display",
            "first_name",
            "last_name",
            "tckn",
            "tckn_masked",
            "registry_no",
            "title",
            "unit",
            "position",
            "work_phone",
            "mobile_phone",
            "email",
            "start_date",
            "end_date",
            "status",
            "user",
        ]
        extra_kwargs = {"tckn": {"write_only": True}, "mobile_phone": {"write_only": True}}
        read_only_fields = ["status"]

    def get_tckn_masked(self, obj: Staff) -> str:
        return str(mask(obj.tckn) or "")


class LeaveSerializer(BaseSerializer):
    class Meta:
        model = Leave
        fields = ["id", "display", "staff", "kind", "start_date", "end_date", "note"]


class DutySerializer(BaseSerializer):
    class Meta:
        model = Duty
        fields = [
            "id",
            "display",
            "directive",
            "ref",
            "article",
            "paragraph",
            "item",
            "text",
            "unit",
            "unit_hint",
            "is_sensitive",
            "is_active",
        ]


class DutyAssignmentSerializer(BaseSerializer):
    class Meta:
        model = DutyAssignment
        fields = ["id", "display", "duty", "staff", "deputy", "valid_from", "valid_until", "note"]


class DepartureSerializer(BaseSerializer):
    class Meta:
        model = Departure
        fields = [
            "id",
            "display",
            "staff",
            "reason",
            "last_day",
            "successor",
            "chief",
            "chief_report",
            "status",
            "accepted_at",
            "completed_at",
        ]
        read_only_fields = ["status", "accepted_at", "completed_at"]
