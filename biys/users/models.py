"""Accounts: the user, roles (groups with settings) and revocable API tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, Group
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel, sees_all_units, user_unit_path


class User(AbstractUser):
    """A person who signs in: IT staff, any municipal employee (as a requester), or an auditor.

    ``directory_id`` is the directory's immutable id (AD objectGUID / OpenLDAP entryUUID): a
    renamed login name must not turn one person into another.
    """

    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    directory_id = models.CharField(_("directory id"), max_length=64, unique=True, null=True, blank=True)

    changelog_exclude: ClassVar[tuple[str, ...]] = ()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        permissions = [
            ("view_all_units", _("Can see the records of every unit")),
            ("view_personal_data", _("Can see unmasked personal data (TCKN, personal phone)")),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.username

    @classmethod
    def scope(cls, user: Any) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        if sees_all_units(user):
            return Q()
        path = user_unit_path(user)
        return Q(pk=user.pk) | (Q(unit__path__startswith=path) if path else Q(pk__in=[]))

    def requires_mfa(self) -> bool:
        """Superusers always, everyone else when one of their roles says so."""
        return self.is_superuser or Role.objects.filter(group_ptr__user=self, require_mfa=True).exists()


class Role(Group):
    """A role is a permission group with BİYS settings: a stable code and whether it needs TOTP."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    description = models.TextField(_("description"), blank=True)
    require_mfa = models.BooleanField(_("requires two-factor login"), default=False)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope(cls, user: Any) -> Q:
        return Q() if user.is_authenticated else Q(pk__in=[])


def _hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(BaseModel):
    """A personal API token. Only its hash is stored; the key is shown once, at creation."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True, editable=False)

    changelog_exclude: ClassVar[tuple[str, ...]] = ("last_used_at",)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @classmethod
    def scope(cls, user: Any) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        return Q() if user.is_superuser else Q(user=user)

    @classmethod
    def issue(cls, user: User, name: str, days: int | None = None) -> tuple[ApiToken, str]:
        key = secrets.token_urlsafe(32)
        expires = timezone.now() + timedelta(days=days) if days else None
        token = cls.objects.create(user=user, name=name, prefix=key[:8], key_hash=_hash_key(key), expires_at=expires)
        return token, key

    @classmethod
    def find(cls, key: str) -> ApiToken | None:
        return cls.objects.select_related("user").filter(key_hash=_hash_key(key)).first()

    @property
    def is_active(self) -> bool:
        if self.revoked_at is not None:
            return False
        return self.expires_at is None or self.expires_at > timezone.now()

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])
