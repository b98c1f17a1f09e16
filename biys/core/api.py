"""The API base: the same scoping and permissions as the pages, and Turkish error messages."""

from __future__ import annotations

import contextvars
import copy
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import ProtectedError, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from biys.core import context
from biys.core.middleware import client_ip
from biys.core.views import restrict


class BaseSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    """Runs the model's own ``full_clean`` so API and form enforce the same rules."""

    display = serializers.SerializerMethodField()

    def get_fields(self) -> dict[str, Any]:
        """The fields, built from the model once per class and deep-copied for each instance.

        ``ModelSerializer`` inspects the model and builds every field again for each serializer (1 ms for a
        ticket's 41 fields, two thirds of drawing it); the result depends on the class only, so it is kept
        and each instance gets its own copies, exactly as DRF copies declared fields. Subclasses that adjust
        fields per request do so on the copies in their own ``get_fields``.
        """
        cls = type(self)
        prototype = cls.__dict__.get("_field_prototype")
        if prototype is None:
            prototype = super().get_fields()
            cls._field_prototype = prototype  # type: ignore[attr-defined]
        return copy.deepcopy(prototype)

    def get_display(self, obj: Any) -> str:
        return str(obj)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        model: Any = self.Meta.model
        m2m = {f.name for f in model._meta.many_to_many}
        instance = model(**{k: v for k, v in self._merged(attrs).items() if k not in m2m})
        if self.instance is not None:
            instance.pk = self.instance.pk
            instance._state.adding = False
        try:
            instance.full_clean(exclude=[*m2m, *self._unchecked_fields()])
        except DjangoValidationError as exc:
            raise serializers.ValidationError(serializers.as_serializer_error(exc)) from exc
        return attrs

    def _merged(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if self.instance is None:
            return attrs
        model: Any = self.Meta.model
        current = {f.name: getattr(self.instance, f.name) for f in model._meta.concrete_fields}
        return {**current, **attrs}

    def _unchecked_fields(self) -> list[str]:
        # Fields the API does not write (authorship, derived keys) are not the client's fault.
        writable = {name for name, field in self.fields.items() if not field.read_only}
        model: Any = self.Meta.model
        return [f.name for f in model._meta.concrete_fields if f.name not in writable and not f.primary_key]


class BaseViewSet(viewsets.ModelViewSet):  # type: ignore[type-arg]
    """CRUD over a model with the model's ``scope`` always applied."""

    _actor_token: contextvars.Token[context.Actor | None] | None

    def perform_authentication(self, request: Request) -> None:
        super().perform_authentication(request)
        from biys.users.permcache import prime

        prime(request.user)  # token-authenticated users too: their permissions without two queries

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        # Token authentication happens here, after the middleware: record the real actor.
        self._actor_token = context.set_actor(
            context.Actor(
                user=request.user,
                request_id=getattr(request._request, "request_id", ""),
                ip=client_ip(request._request),
            )
        )

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        token = getattr(self, "_actor_token", None)
        if token is not None:
            context.reset(token)
            self._actor_token = None
        return super().finalize_response(request, response, *args, **kwargs)

    def get_queryset(self) -> QuerySet[Any]:
        return restrict(super().get_queryset(), self.request.user)

    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        response = super().retrieve(request, *args, **kwargs)
        response["ETag"] = _etag(self.get_object())
        return response

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().create(request, *args, **kwargs)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Optimistic concurrency: with ``If-Match: <ETag from GET>`` a stale update answers 412."""
        with transaction.atomic():
            expected = request.headers.get("If-Match", "").strip()
            if expected:
                instance = self.get_object()
                current = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
                if _etag(current) != expected:
                    return Response(
                        {"detail": _("This record was changed by someone else; fetch it again and reapply.")},
                        status=status.HTTP_412_PRECONDITION_FAILED,
                    )
            response = super().update(request, *args, **kwargs)
        if response.status_code == status.HTTP_200_OK:
            response["ETag"] = _etag(self.get_object())
        return response

    def destroy(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        with transaction.atomic():
            return super().destroy(request, *args, **kwargs)


def _etag(instance: Any) -> str:
    return f'"{instance.updated_at.isoformat()}"'


def exception_handler(exc: Exception, ctx: dict[str, Any]) -> Response | None:
    """Model rules (ValidationError) and protected rows answer 400/409, never 500."""
    if isinstance(exc, DjangoValidationError):
        return Response(serializers.as_serializer_error(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ProtectedError):
        return Response({"detail": _("This record is in use and cannot be deleted.")}, status=status.HTTP_409_CONFLICT)
    return drf_exception_handler(exc, ctx)
