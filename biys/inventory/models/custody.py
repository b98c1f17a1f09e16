"""Custody: the Taşınır Teslim Belgesi (TMY md. 10/1-b, replaces the Zimmet Fişi) and shared-area lists."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel, sees_all_units

from .register import Asset, Location


class CustodyDocument(BaseModel):
    """One Taşınır Teslim Belgesi: items handed to one public servant; no VİF for custody moves (md. 18/3)."""

    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"))
    date = models.DateField(_("date"))
    staff = models.ForeignKey(
        "org.Staff", verbose_name=_("received by"), on_delete=models.PROTECT, related_name="custody_documents"
    )
    unit = models.ForeignKey("org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+")
    issued_by = models.ForeignKey(
        "org.Staff",
        verbose_name=_("handed over by"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The Taşınır Kayıt Yetkilisi."),
    )
    note = models.TextField(_("note"), blank=True)

    scope_unit_field = "unit"

    class Meta:
        ordering = ["-year", "-number"]
        verbose_name = _("Taşınır Teslim Belgesi")
        verbose_name_plural = _("Taşınır Teslim Belgeleri")
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="custody_document_number")]

    def __str__(self) -> str:
        return f"{self.year}/{self.number} {self.staff}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        if sees_all_units(user) or user.has_perm("inventory.view_all_assets"):
            return Q()
        query = super().scope(user)
        return query | Q(staff__user_id=user.pk) if query else query


class CustodyItem(BaseModel):
    """One asset on a Taşınır Teslim Belgesi; ``returned_at`` is the signed "geri alındı" part."""

    document = models.ForeignKey(
        CustodyDocument, verbose_name=_("document"), on_delete=models.PROTECT, related_name="items"
    )
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="custody_items")
    returned_at = models.DateField(_("returned on"), null=True, blank=True)
    returned_to = models.ForeignKey(
        "org.Staff", verbose_name=_("taken back by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    condition = models.CharField(_("condition on return"), max_length=200, blank=True)

    scope_unit_field = "document__unit"

    class Meta:
        ordering = ["document", "id"]
        verbose_name = _("custody item")
        verbose_name_plural = _("custody items")
        constraints = [
            # An item is held by one person at a time: at most one open custody line per asset.
            models.UniqueConstraint(fields=["asset"], condition=Q(returned_at__isnull=True), name="custody_one_open")
        ]

    def __str__(self) -> str:
        return f"{self.asset} → {self.document.staff}"

    def clean(self) -> None:
        super().clean()
        if self.returned_at and self.document_id and self.returned_at < self.document.date:
            raise ValidationError({"returned_at": _("An item cannot be returned before it was handed over.")})


class SharedAreaList(BaseModel):
    """A Dayanıklı Taşınırlar Listesi (TMY md. 10/1-ç): items of a room or shared area, signed by its responsible."""

    location = models.ForeignKey(
        Location, verbose_name=_("location"), on_delete=models.PROTECT, related_name="area_lists"
    )
    date = models.DateField(_("date"))
    responsible = models.ForeignKey(
        "org.Staff", verbose_name=_("responsible"), on_delete=models.PROTECT, related_name="+"
    )
    assets = models.ManyToManyField(Asset, verbose_name=_("assets"), related_name="area_lists", blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    scope_unit_field = "location__unit"

    class Meta:
        ordering = ["-date"]
        verbose_name = _("Dayanıklı Taşınırlar Listesi")
        verbose_name_plural = _("Dayanıklı Taşınırlar Listeleri")

    @classmethod
    def scope(cls, user: Any) -> Q:
        if not user.is_authenticated:
            return Q(pk__in=[])
        if sees_all_units(user) or user.has_perm("inventory.view_all_assets"):
            return Q()
        query = super().scope(user)
        return query | Q(responsible__user_id=user.pk) if query else query

    def __str__(self) -> str:
        return f"{self.location} {self.date:%d.%m.%Y}"
