"""Custody API: Teslim Belgeleri are read here and created only through ``issue_custody`` (POST to the
collection) and taken back through ``return_custody`` (POST .../<id>/return/); nothing is edited or deleted."""

from __future__ import annotations

from typing import Any, cast

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from biys.core.api import BaseSerializer, BaseViewSet
from biys.core.views import require, restrict
from biys.inventory.custody import filtersets, services
from biys.inventory.custody.forms import visible_staff
from biys.inventory.models import Asset, CustodyDocument, CustodyItem, SharedAreaList
from biys.org.models import Staff


class CustodyItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    sicil_no = serializers.CharField(source="asset.sicil_no", read_only=True)
    asset_name = serializers.CharField(source="asset.name", read_only=True)
    serial = serializers.CharField(source="asset.serial", read_only=True)

    class Meta:
        model = CustodyItem
        fields = ["id", "asset", "sicil_no", "asset_name", "serial", "returned_at", "returned_to", "condition"]
        read_only_fields = fields


class CustodyDocumentSerializer(BaseSerializer):
    document_no = serializers.SerializerMethodField()
    items = CustodyItemSerializer(many=True, read_only=True)

    class Meta:
        model = CustodyDocument
        fields = [
            "id",
            "display",
            "document_no",
            "year",
            "number",
            "date",
            "staff",
            "unit",
            "issued_by",
            "note",
            "items",
        ]
        read_only_fields = fields

    def get_document_no(self, obj: CustodyDocument) -> str:
        return services.document_label(obj)


class IssueSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """A new Teslim Belgesi; the signed-in user's staff record is the officer handing over."""

    staff = serializers.PrimaryKeyRelatedField(queryset=Staff.objects.none())
    assets = serializers.PrimaryKeyRelatedField(many=True, queryset=Asset.objects.none(), allow_empty=False)
    date = serializers.DateField(required=False)
    note = serializers.CharField(required=False, allow_blank=True, default="")

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        request = self.context.get("request")  # absent while the OpenAPI schema is generated
        if request is not None:
            cast("serializers.PrimaryKeyRelatedField[Any]", fields["staff"]).queryset = visible_staff(request.user)
            assets = cast(serializers.ManyRelatedField, fields["assets"]).child_relation
            assets.queryset = restrict(Asset.objects.all(), request.user)
        return fields


class ReturnSerializer(serializers.Serializer):  # type: ignore[type-arg]
    items = serializers.PrimaryKeyRelatedField(many=True, queryset=CustodyItem.objects.none(), allow_empty=False)
    date = serializers.DateField(required=False)
    condition = serializers.CharField(required=False, allow_blank=True, default="", max_length=200)

    def get_fields(self) -> dict[str, Any]:
        fields = super().get_fields()
        document = self.context.get("document")
        if document is not None:
            cast(serializers.ManyRelatedField, fields["items"]).child_relation.queryset = document.items.all()
        return fields


class CustodyDocumentViewSet(BaseViewSet):
    queryset = CustodyDocument.objects.select_related("staff", "unit", "issued_by").prefetch_related(
        Prefetch("items", queryset=CustodyItem.objects.select_related("asset"))
    )
    serializer_class = CustodyDocumentSerializer
    filterset_class = filtersets.CustodyDocumentFilterSet
    http_method_names = ["get", "post", "head", "options"]

    @extend_schema(request=IssueSerializer, responses={201: CustodyDocumentSerializer})
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = IssueSerializer(data=request.data, context=self.get_serializer_context())
        data.is_valid(raise_exception=True)
        values = data.validated_data
        document = services.issue_custody(
            values["staff"],
            values["assets"],
            services.officer_of(request.user),
            on=values.get("date"),
            note=values["note"],
        )
        body = self.get_serializer(self.get_queryset().get(pk=document.pk)).data
        return Response(body, status=status.HTTP_201_CREATED)

    @extend_schema(request=ReturnSerializer, responses={200: CustodyDocumentSerializer})
    @action(detail=True, methods=["post"], url_path="return", permission_classes=[IsAuthenticated])
    def take_back(self, request: Request, pk: Any = None) -> Response:
        """The "geri alındı" part: the listed items of this document come back to the depot."""
        require(request.user, CustodyDocument, "view")
        require(request.user, CustodyItem, "change")
        document = self.get_object()
        data = ReturnSerializer(data=request.data, context={"document": document, "request": request})
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.return_custody(
            values["items"], services.officer_of(request.user), on=values.get("date"), condition=values["condition"]
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=document.pk)).data)


class SharedAreaListSerializer(BaseSerializer):
    class Meta:
        model = SharedAreaList
        fields = ["id", "display", "location", "date", "responsible", "assets", "signed_by"]
        read_only_fields = fields


class SharedAreaListViewSet(BaseViewSet):
    queryset = SharedAreaList.objects.select_related("location").prefetch_related("assets")
    serializer_class = SharedAreaListSerializer
    filterset_class = filtersets.SharedAreaListFilterSet
    http_method_names = ["get", "head", "options"]


# (prefix, viewset, basename) registered under /api/inventory/ by biys/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("custody-documents", CustodyDocumentViewSet, "custodydocument"),
    ("shared-area-lists", SharedAreaListViewSet, "sharedarealist"),
]
