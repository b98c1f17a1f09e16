"""Write-off proposals and counts through the API: read-only, plus the scan action of a count."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import MethodNotAllowed
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from biys.core.api import BaseSerializer, BaseViewSet
from biys.core.views import require
from biys.inventory.disposal import counting, filtersets
from biys.inventory.models import CountLine, CountSession, ScrapProposal


class ScrapProposalSerializer(BaseSerializer):
    class Meta:
        model = ScrapProposal
        fields = [
            "id",
            "display",
            "depot",
            "year",
            "number",
            "date",
            "disposal",
            "reason",
            "assets",
            "commission",
            "expert",
            "status",
            "decision_note",
            "approved_by",
            "approved_at",
            "exit_voucher",
        ]
        read_only_fields = fields


class CountSessionSerializer(BaseSerializer):
    class Meta:
        model = CountSession
        fields = ["id", "display", "depot", "location", "date", "board", "status", "freeze_movements"]
        read_only_fields = fields


class ScanRequestSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(max_length=100, help_text="The registry number (sicil no) on the label or QR code.")


class ScanResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    outcome = serializers.ChoiceField(
        choices=["found", "recounted", "again", "records", "not_recounted", "elsewhere", "unknown"]
    )
    counted = serializers.BooleanField()
    message = serializers.CharField()
    line = serializers.IntegerField(allow_null=True)
    asset = serializers.DictField(allow_null=True)


class ScrapProposalViewSet(BaseViewSet):
    """Kayıttan Düşme Teklif ve Onay Tutanakları (read-only: the workflow runs on the pages)."""

    queryset = ScrapProposal.objects.select_related("depot").prefetch_related("assets", "commission")
    serializer_class = ScrapProposalSerializer
    filterset_class = filtersets.ScrapProposalFilterSet
    http_method_names = ["get", "head", "options"]


class CountSessionViewSet(BaseViewSet):
    """Counts (read-only) and the scanning of registry numbers during a count."""

    queryset = CountSession.objects.select_related("depot").prefetch_related("board")
    serializer_class = CountSessionSerializer
    filterset_class = filtersets.CountSessionFilterSet
    http_method_names = ["get", "post", "head", "options"]

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        raise MethodNotAllowed(request.method)  # counts are opened on the page, with their board

    @extend_schema(request=ScanRequestSerializer, responses=ScanResultSerializer)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def scan(self, request: Request, pk: Any = None) -> Response:
        require(request.user, CountSession, "view")
        require(request.user, CountLine, "change")
        session = self.get_object()
        payload = ScanRequestSerializer(data=request.data)
        payload.is_valid(raise_exception=True)
        result = counting.scan(session, payload.validated_data["code"], request.user)
        asset = result.asset or (result.line.asset if result.line is not None else None)
        return Response(
            {
                "outcome": result.outcome,
                "counted": result.counted,
                "message": str(result.message),
                "line": result.line.pk if result.line is not None else None,
                "asset": {"id": asset.pk, "sicil_no": asset.sicil_no, "name": asset.name} if asset else None,
            }
        )


# (prefix, viewset, basename) registered under /api/inventory/ by biys/api_urls.py
ROUTES: list[tuple[str, Any, str]] = [
    ("scrap-proposals", ScrapProposalViewSet, "scrapproposal"),
    ("counts", CountSessionViewSet, "countsession"),
]
