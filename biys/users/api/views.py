from __future__ import annotations

from typing import Any

from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from biys.users.models import ApiToken


class ApiTokenSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
        read_only_fields = fields


class ApiTokenViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):  # type: ignore[type-arg]
    """The caller's own tokens; revoke one with POST .../revoke/. New tokens are made on the profile page."""

    queryset = ApiToken.objects.none()  # for the schema; requests use get_queryset
    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> Any:
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user)

    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: Any = None) -> Response:
        token = self.get_object()
        token.revoke()
        return Response(self.get_serializer(token).data)
