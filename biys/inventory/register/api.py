"""Register API: the same rules as the pages. Assets are created through ``register_asset``, so the
sicil no is always given by the system (TMY md. 36) and never written by a client."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from biys.core.api import BaseSerializer, BaseViewSet
from biys.core.views import restrict
from biys.inventory.models import Asset, AssetKind, Contract, Depot, Location, TasinirCode
from biys.inventory.register import filtersets, services
from biys.inventory.register.forms import MANUAL_STATUSES


def _as_drf(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(serializers.as_serializer_error(exc))


class TasinirCodeSerializer(BaseSerializer):
    class Meta:
        model = TasinirCode
        fields = ["id", "display", "code", "level", "name", "parent", "list_version", "is_active"]
        read_only_fields = fields


class AssetKindSerializer(BaseSerializer):
    tasinir_code: serializers.SlugRelatedField[TasinirCode] = serializers.SlugRelatedField(
        slug_field="code", queryset=TasinirCode.objects.filter(is_active=True)
    )

    class Meta:
        model = AssetKind
        fields = [
            "id",
            "display",
            "name",
            "category",
            "tasinir_code",
            "unit_of_measure",
            "needs_commissioning",
            "has_storage",
        ]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        merged = self._merged(attrs)
        try:
            services.check_kind_code(merged.get("category", ""), merged.get("tasinir_code"))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return super().validate(attrs)


class DepotSerializer(BaseSerializer):
    class Meta:
        model = Depot
        fields = [
            "id",
            "display",
            "unit",
            "institutional_code",
            "code",
            "name",
            "records_officer",
            "control_officer",
            "is_active",
        ]


class LocationSerializer(BaseSerializer):
    class Meta:
        model = Location
        fields = ["id", "display", "unit", "building", "floor", "room", "responsible"]


class ContractSerializer(BaseSerializer):
    class Meta:
        model = Contract
        fields = ["id", "display", "name", "vendor", "vendor_tax_no", "contact", "start_date", "end_date", "coverage"]


FIXED_AFTER_REGISTRATION = ("kind", "depot", "entry_year")


class AssetSerializer(BaseSerializer):
    tasinir_code: serializers.SlugRelatedField[TasinirCode] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    entry_year = serializers.IntegerField(required=False, min_value=1950)

    class Meta:
        model = Asset
        fields = [
            "id",
            "display",
            "sicil_no",
            "tasinir_code",
            "kind",
            "entry_year",
            "sequence",
            "name",
            "brand",
            "model",
            "serial",
            "specifications",
            "status",
            "depot",
            "owner_unit",
            "holder",
            "location",
            "parent",
            "invoice_no",
            "invoice_date",
            "price",
            "supplier",
            "acceptance_report",
            "warranty_end",
            "contract",
            "hostname",
            "ip_address",
            "mac_address",
            "hardware_uuid",
            "is_approved",
            "commissioned_at",
            "last_seen_at",
        ]
        read_only_fields = ["sicil_no", "sequence", "holder", "commissioned_at", "last_seen_at"]
        extra_kwargs = {"name": {"required": False}}

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        # The number's parts and the depot are fixed at registration; the status then follows documents.
        fixed = FIXED_AFTER_REGISTRATION if self.instance is not None else ("status",)
        for name in fixed:
            fields[name].read_only = True
        return fields

    def validate_mac_address(self, value: str) -> str:
        try:
            return services.normalize_mac(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from exc

    def validate_status(self, value: str) -> str:
        current = getattr(self.instance, "status", None)
        if value != current and (value not in MANUAL_STATUSES or current not in MANUAL_STATUSES):
            raise serializers.ValidationError(_("This status is set by the asset's documents, not by hand."))
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            attrs.setdefault("entry_year", timezone.localdate().year)
            if attrs.get("kind") is not None:
                attrs.setdefault("name", attrs["kind"].name)
        try:
            services.check_parent(self.instance or Asset(), attrs.get("parent"))
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc
        return super().validate(attrs)

    def create(self, validated_data: dict[str, Any]) -> Asset:
        data = dict(validated_data)
        kind, depot, owner_unit, year = (data.pop(name) for name in ("kind", "depot", "owner_unit", "entry_year"))
        try:
            return services.register_asset(kind, depot, owner_unit, year, **data)
        except DjangoValidationError as exc:
            raise _as_drf(exc) from exc


class RegisterViewSet(BaseViewSet):
    """Refuses to save a row the client could not read back (e.g. another unit's), as the pages do."""

    def perform_create(self, serializer: Any) -> None:
        super().perform_create(serializer)
        self._check_visible(serializer.instance)

    def perform_update(self, serializer: Any) -> None:
        super().perform_update(serializer)
        self._check_visible(serializer.instance)

    def _check_visible(self, instance: Any) -> None:
        model = type(instance)
        if not restrict(model.objects.filter(pk=instance.pk), self.request.user).exists():
            raise serializers.ValidationError({"detail": _("You may only save records that belong to your own unit.")})


class TasinirCodeViewSet(BaseViewSet):
    """The Taşınır Kod Listesi, read-only: it changes only by ``biys import_tasinir_codes``."""

    queryset = TasinirCode.objects.all()
    serializer_class = TasinirCodeSerializer
    filterset_class = filtersets.TasinirCodeFilterSet
    http_method_names = ["get", "head", "options"]


class AssetKindViewSet(RegisterViewSet):
    queryset = AssetKind.objects.select_related("tasinir_code")
    serializer_class = AssetKindSerializer
    filterset_class = filtersets.AssetKindFilterSet


class DepotViewSet(RegisterViewSet):
    queryset = Depot.objects.all()
    serializer_class = DepotSerializer
    filterset_class = filtersets.DepotFilterSet


class LocationViewSet(RegisterViewSet):
    queryset = Location.objects.all()
    serializer_class = LocationSerializer
    filterset_class = filtersets.LocationFilterSet


class ContractViewSet(RegisterViewSet):
    queryset = Contract.objects.all()
    serializer_class = ContractSerializer
    filterset_class = filtersets.ContractFilterSet


class AssetViewSet(RegisterViewSet):
    queryset = Asset.objects.select_related("tasinir_code")
    serializer_class = AssetSerializer
    filterset_class = filtersets.AssetFilterSet


# (prefix, viewset, basename) registered under /api/inventory/ by biys/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("assets", AssetViewSet, "asset"),
    ("asset-kinds", AssetKindViewSet, "assetkind"),
    ("depots", DepotViewSet, "depot"),
    ("locations", LocationViewSet, "location"),
    ("contracts", ContractViewSet, "contract"),
    ("tasinir-codes", TasinirCodeViewSet, "tasinircode"),
]
