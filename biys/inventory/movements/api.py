"""Movement API: VİFs (read, draft create, post), stock items with their on-hand quantity, İstek Belgeleri
(create, submit, approve, reject, issue). Same scoping and rules as the pages: the services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from biys.core.api import BaseSerializer, BaseViewSet
from biys.inventory import vouchers
from biys.inventory.models import (
    Asset,
    Depot,
    StockItem,
    StockRequest,
    StockRequestLine,
    TasinirCode,
    Voucher,
    VoucherLine,
)
from biys.inventory.movements import filtersets, orders, services
from biys.inventory.movements.forms import visible_depots


class CanView(permissions.BasePermission):
    """Workflow actions: the caller must be able to read the records; the service decides the step itself
    (post_voucher, approve_stockrequest …), so a manager who only reads may still approve."""

    def has_permission(self, request: Request, view: Any) -> bool:
        meta = view.queryset.model._meta
        return bool(request.user.is_authenticated and request.user.has_perm(f"{meta.app_label}.view_{meta.model_name}"))


CODE = serializers.SlugRelatedField(slug_field="code", queryset=TasinirCode.objects.filter(is_active=True))


def _depot_for(serializer: serializers.Serializer, depot: Depot) -> Depot:  # type: ignore[type-arg]
    if not visible_depots(serializer.context["request"].user).filter(pk=depot.pk).exists():
        raise serializers.ValidationError(_("You do not keep this depot."))
    return depot


# --- VİF -----------------------------------------------------------------------------------------------


class VoucherLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    tasinir_code: serializers.SlugRelatedField[TasinirCode] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )
    sicil_no = serializers.CharField(source="asset.sicil_no", read_only=True, default="")
    amount = serializers.DecimalField(max_digits=16, decimal_places=2, read_only=True)

    class Meta:
        model = VoucherLine
        fields = [
            "id",
            "tasinir_code",
            "description",
            "unit_of_measure",
            "quantity",
            "unit_price",
            "amount",
            "asset",
            "sicil_no",
            "stock_item",
        ]
        read_only_fields = fields


class VoucherSerializer(BaseSerializer):
    lines = VoucherLineSerializer(many=True, read_only=True)
    total = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)

    class Meta:
        model = Voucher
        fields = [
            "id",
            "display",
            "depot",
            "fiscal_year",
            "number",
            "date",
            "direction",
            "kind",
            "status",
            "source_document",
            "source_date",
            "counterparty",
            "request",
            "reverses",
            "posted_at",
            "posted_by",
            "note",
            "lines",
            "total",
        ]
        read_only_fields = fields


class NewLineSerializer(serializers.Serializer):  # type: ignore[type-arg]
    tasinir_code = serializers.SlugRelatedField(
        slug_field="code", queryset=TasinirCode.objects.filter(is_active=True), required=False
    )
    description = serializers.CharField(max_length=200, required=False, default="")
    unit_of_measure = serializers.CharField(max_length=20, required=False, default="")
    quantity = serializers.DecimalField(max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    unit_price = serializers.DecimalField(max_digits=14, decimal_places=2, min_value=Decimal(0))
    stock_item = serializers.PrimaryKeyRelatedField(
        queryset=StockItem.objects.select_related("tasinir_code"), required=False
    )
    sicil_no = serializers.SlugRelatedField(
        source="asset",
        slug_field="sicil_no",
        queryset=Asset.objects.select_related("kind", "tasinir_code"),
        required=False,
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        item, asset = attrs.get("stock_item"), attrs.get("asset")
        if item is not None and asset is not None:
            raise serializers.ValidationError(_("A line names either a stock item or an asset, not both."))
        source = item or asset
        code = attrs.get("tasinir_code") or (source.tasinir_code if source else None)
        if code is None:
            raise serializers.ValidationError({"tasinir_code": _("Give the Taşınır code, a stock item or an asset.")})
        unit = item.unit_of_measure if item else asset.kind.unit_of_measure if asset else "Adet"
        return {
            "line": vouchers.Line(
                tasinir_code=code,
                description=attrs["description"] or (source.name if source else code.name),
                quantity=attrs["quantity"],
                unit_price=attrs["unit_price"],
                unit_of_measure=attrs["unit_of_measure"] or unit,
                asset=asset,
                stock_item=item,
            )
        }


class NewVoucherSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A draft VİF with its lines; numbered when posted."""

    depot = serializers.PrimaryKeyRelatedField(queryset=Depot.objects.filter(is_active=True))
    kind = serializers.ChoiceField(choices=[c for c in Voucher.Kind.choices if c[0] not in services.WORKFLOW_KINDS])
    date = serializers.DateField()
    source_document = serializers.CharField(max_length=120, required=False, default="")
    source_date = serializers.DateField(required=False, allow_null=True, default=None)
    counterparty = serializers.CharField(max_length=200, required=False, default="")
    note = serializers.CharField(required=False, default="", allow_blank=True)
    lines = NewLineSerializer(many=True, allow_empty=False)

    def validate_depot(self, depot: Depot) -> Depot:
        return _depot_for(self, depot)

    def create(self, validated_data: dict[str, Any]) -> Voucher:
        data = dict(validated_data)
        lines = [row["line"] for row in data.pop("lines")]
        return services.create_draft(data.pop("depot"), data.pop("kind"), data.pop("date"), lines, **data)


class VoucherViewSet(BaseViewSet):
    """VİFs: read, create a draft, post it (``POST …/{id}/post/``). Posted VİFs are never changed (md. 39)."""

    queryset = Voucher.objects.select_related("depot").prefetch_related("lines__tasinir_code", "lines__asset")
    serializer_class = VoucherSerializer
    filterset_class = filtersets.VoucherFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_serializer_class(self) -> Any:
        return NewVoucherSerializer if self.action == "create" else VoucherSerializer

    @extend_schema(request=NewVoucherSerializer, responses={201: VoucherSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = NewVoucherSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        voucher = serializer.save()
        return Response(
            VoucherSerializer(voucher, context=self.get_serializer_context()).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(request=None, responses={200: VoucherSerializer})
    @action(detail=True, methods=["post"], permission_classes=[CanView], url_path="post", url_name="post")
    def post_voucher(self, request: Request, pk: Any = None) -> Response:
        """Post the draft: it takes the next number of its depot's fiscal year; entry stock lines become lots."""
        posted = services.post_and_receive(self.get_object(), request.user)
        return Response(
            VoucherSerializer(Voucher.objects.get(pk=posted.pk), context=self.get_serializer_context()).data
        )


# --- Stock items ----------------------------------------------------------------------------------------


class StockItemSerializer(BaseSerializer):
    tasinir_code = CODE
    below_reorder_level = serializers.BooleanField(read_only=True)

    class Meta:
        model = StockItem
        fields = [
            "id",
            "display",
            "depot",
            "tasinir_code",
            "name",
            "part_number",
            "unit_of_measure",
            "reorder_level",
            "quantity_on_hand",
            "below_reorder_level",
        ]
        read_only_fields = ["quantity_on_hand"]

    def validate_depot(self, depot: Depot) -> Depot:
        return _depot_for(self, depot)


class StockItemViewSet(BaseViewSet):
    queryset = StockItem.objects.select_related("depot", "tasinir_code")
    serializer_class = StockItemSerializer
    filterset_class = filtersets.StockItemFilterSet


# --- Taşınır İstek Belgesi ---------------------------------------------------------------------------------


class RequestLineSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sicil_no = serializers.SlugRelatedField(
        source="asset", slug_field="sicil_no", queryset=Asset.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = StockRequestLine
        fields = ["id", "stock_item", "sicil_no", "quantity", "note"]
        extra_kwargs = {"stock_item": {"queryset": StockItem.objects.filter(depot__is_active=True)}}


class StockRequestSerializer(BaseSerializer):
    lines = RequestLineSerializer(many=True)
    vouchers: serializers.PrimaryKeyRelatedField[Voucher] = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True
    )

    class Meta:
        model = StockRequest
        fields = [
            "id",
            "display",
            "depot",
            "year",
            "number",
            "date",
            "unit",
            "requested_by",
            "status",
            "approved_by",
            "approved_at",
            "purpose",
            "lines",
            "vouchers",
        ]
        read_only_fields = ["year", "number", "date", "unit", "requested_by", "status", "approved_by", "approved_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        return attrs  # the workflow (orders.create_request) checks the request and every line

    def create(self, validated_data: dict[str, Any]) -> StockRequest:
        wanted = [
            orders.Wanted(
                quantity=row["quantity"],
                stock_item=row.get("stock_item"),
                asset=row.get("asset"),
                note=row.get("note", ""),
            )
            for row in validated_data["lines"]
        ]
        user = self.context["request"].user
        return orders.create_request(validated_data["depot"], user, validated_data.get("purpose", ""), wanted)


class ReasonSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField()


class StockRequestViewSet(BaseViewSet):
    """İstek Belgeleri: create (with lines), then ``submit``, ``approve``, ``reject`` and ``issue`` actions."""

    queryset = StockRequest.objects.select_related("depot", "unit", "requested_by").prefetch_related(
        "lines", "vouchers"
    )
    serializer_class = StockRequestSerializer
    filterset_class = filtersets.StockRequestFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def get_queryset(self) -> QuerySet[StockRequest]:
        return self.queryset.filter(orders.visible_requests(self.request.user))

    def _answer(self, order: StockRequest) -> Response:
        fresh = self.get_queryset().get(pk=order.pk)
        return Response(StockRequestSerializer(fresh, context=self.get_serializer_context()).data)

    @extend_schema(request=None, responses={200: StockRequestSerializer})
    @action(detail=True, methods=["post"], permission_classes=[CanView])
    def submit(self, request: Request, pk: Any = None) -> Response:
        return self._answer(orders.submit(self.get_object(), request.user))

    @extend_schema(request=None, responses={200: StockRequestSerializer})
    @action(detail=True, methods=["post"], permission_classes=[CanView])
    def approve(self, request: Request, pk: Any = None) -> Response:
        return self._answer(orders.approve(self.get_object(), request.user))

    @extend_schema(request=ReasonSerializer, responses={200: StockRequestSerializer})
    @action(detail=True, methods=["post"], permission_classes=[CanView])
    def reject(self, request: Request, pk: Any = None) -> Response:
        reason = ReasonSerializer(data=request.data)
        reason.is_valid(raise_exception=True)
        return self._answer(orders.reject(self.get_object(), request.user, reason.validated_data["reason"]))

    @extend_schema(request=None, responses={200: StockRequestSerializer})
    @action(detail=True, methods=["post"], permission_classes=[CanView])
    def issue(self, request: Request, pk: Any = None) -> Response:
        """Issue an approved request: consumables FIFO on a posted consumption VİF, assets to the unit."""
        order = self.get_object()
        orders.issue_request(order, request.user)
        return self._answer(order)


ROUTES: list[tuple[str, Any, str]] = [
    ("vouchers", VoucherViewSet, "voucher"),
    ("stock-items", StockItemViewSet, "stockitem"),
    ("stock-requests", StockRequestViewSet, "stockrequest"),
]
