"""REST API of the agents area: the review queue (read, plus link/register/ignore decisions) and the
agent links (read-only). The agents themselves never use this API; they talk to /ocsinventory."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed, PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from biys.core.api import BaseViewSet
from biys.core.views import restrict
from biys.inventory.agents import filtersets, review
from biys.inventory.models import AgentLink, Asset, AssetKind, Depot, DiscoveredDevice
from biys.org.models import Unit


class DiscoveredDeviceSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = DiscoveredDevice
        fields = (
            "id",
            "device_id",
            "agent_type",
            "hostname",
            "serial",
            "hardware_uuid",
            "mac_addresses",
            "reason",
            "status",
            "candidates",
            "asset",
            "last_contact",
            "inventory",
        )
        read_only_fields = fields


class AgentLinkSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sicil_no = serializers.CharField(source="asset.sicil_no", read_only=True)
    hostname = serializers.CharField(source="asset.hostname", read_only=True)

    class Meta:
        model = AgentLink
        fields = (
            "id",
            "asset",
            "sicil_no",
            "hostname",
            "device_id",
            "agent_type",
            "agent_version",
            "os_name",
            "os_version",
            "cpu",
            "memory_mb",
            "logged_user",
            "antivirus",
            "antivirus_up_to_date",
            "last_contact",
            "last_inventory",
        )
        read_only_fields = fields


class LinkSerializer(serializers.Serializer):  # type: ignore[type-arg]
    asset = serializers.IntegerField(help_text=_("Id of the asset the device is."))


class IgnoreSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """No body: the decision is the request itself."""


class RegisterSerializer(serializers.Serializer):  # type: ignore[type-arg]
    kind = serializers.IntegerField()
    depot = serializers.IntegerField()
    owner_unit = serializers.IntegerField()
    entry_year = serializers.IntegerField(min_value=1950, max_value=2100)
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)


class ReadOnlyViewSet(BaseViewSet):
    """List and retrieve (plus the decisions below); rows are made by the agents, never by the API."""

    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise MethodNotAllowed("POST")


def _scoped(model: Any, pk: int, user: Any, field: str) -> Any:
    found = restrict(model.objects.filter(pk=pk), user).first()
    if found is None:
        raise serializers.ValidationError({field: [_("Not found.")]})
    return found


class DiscoveredDeviceViewSet(ReadOnlyViewSet):
    queryset = DiscoveredDevice.objects.prefetch_related("candidates")
    serializer_class = DiscoveredDeviceSerializer
    filterset_class = filtersets.DiscoveredDeviceFilterSet

    def _decide(self, request: Request, *perms: str) -> DiscoveredDevice:
        if not all(request.user.has_perm(p) for p in ("inventory.change_discovereddevice", *perms)):
            raise PermissionDenied
        device: DiscoveredDevice = self.get_object()
        return device

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated], serializer_class=LinkSerializer)
    def link(self, request: Request, pk: Any = None) -> Response:
        device = self._decide(request, "inventory.change_asset")
        data = LinkSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        asset = _scoped(Asset, data.validated_data["asset"], request.user, "asset")
        return self._run(lambda: review.link_device(device, asset), device)

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated], serializer_class=RegisterSerializer)
    def register(self, request: Request, pk: Any = None) -> Response:
        device = self._decide(request, "inventory.add_asset")
        data = RegisterSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        kind = AssetKind.objects.filter(pk=values["kind"]).first()
        if kind is None:
            raise serializers.ValidationError({"kind": [_("Not found.")]})
        depot = _scoped(Depot, values["depot"], request.user, "depot")
        unit = _scoped(Unit, values["owner_unit"], request.user, "owner_unit")
        return self._run(
            lambda: review.register_device(device, kind, depot, unit, values["entry_year"], values.get("name", "")),
            device,
        )

    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated], serializer_class=IgnoreSerializer)
    def ignore(self, request: Request, pk: Any = None) -> Response:
        device = self._decide(request)
        return self._run(lambda: review.ignore_device(device), device)

    def _run(self, decision: Any, device: DiscoveredDevice) -> Response:
        try:
            decision()
        except DjangoValidationError as exc:
            return Response(serializers.as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
        device.refresh_from_db()
        return Response(DiscoveredDeviceSerializer(device).data)


class AgentLinkViewSet(ReadOnlyViewSet):
    queryset = AgentLink.objects.select_related("asset")
    serializer_class = AgentLinkSerializer
    filterset_class = filtersets.AgentLinkFilterSet


# (prefix, viewset, basename) registered under /api/inventory/ by biys/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("agents/devices", DiscoveredDeviceViewSet, "agentdevice"),
    ("agents/links", AgentLinkViewSet, "agentlink"),
]
