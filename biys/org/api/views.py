from __future__ import annotations

from biys.core.api import BaseViewSet
from biys.org import filtersets
from biys.org.api import serializers
from biys.org.models import Departure, Duty, DutyAssignment, Leave, Position, Staff, Unit


class UnitViewSet(BaseViewSet):
    queryset = Unit.objects.all()
    serializer_class = serializers.UnitSerializer
    filterset_class = filtersets.UnitFilterSet


class PositionViewSet(BaseViewSet):
    queryset = Position.objects.all()
    serializer_class = serializers.PositionSerializer
    filterset_class = filtersets.PositionFilterSet


class StaffViewSet(BaseViewSet):
    queryset = Staff.objects.all()
    serializer_class = serializers.StaffSerializer
    filterset_class = filtersets.StaffFilterSet


class LeaveViewSet(BaseViewSet):
    queryset = Leave.objects.all()
    serializer_class = serializers.LeaveSerializer
    filterset_class = filtersets.LeaveFilterSet


class DutyViewSet(BaseViewSet):
    queryset = Duty.objects.all()
    serializer_class = serializers.DutySerializer
    filterset_class = filtersets.DutyFilterSet


class DutyAssignmentViewSet(BaseViewSet):
    queryset = DutyAssignment.objects.all()
    serializer_class = serializers.DutyAssignmentSerializer
    filterset_class = filtersets.DutyAssignmentFilterSet


class DepartureViewSet(BaseViewSet):
    queryset = Departure.objects.all()
    serializer_class = serializers.DepartureSerializer
    filterset_class = filtersets.DepartureFilterSet
