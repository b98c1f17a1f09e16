"""Depot movements: the Varlık İşlem Fişi (VİF), the Taşınır İstek Belgesi and consumable stock (FIFO)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel, SearchableModel, sees_all_units, user_unit_path

from .register import Asset, Depot, TasinirCode


class DepotScopeMixin:
    """Rows of a depot: IT and taşınır staff see every depot's rows; others their own unit's."""

    scope_unit_field = "depot__unit"

    @classmethod
    def scope(cls, user: Any) -> Q:
        if user.is_authenticated and (sees_all_units(user) or user.has_perm("inventory.view_all_assets")):
            return Q()
        return super().scope(user)  # type: ignore[misc, no-any-return]


class Voucher(DepotScopeMixin, BaseModel):
    """A Varlık İşlem Fişi (TMY md. 10/1-a): every entry to and exit from a depot.

    Numbered from 1 in each fiscal year per depot; dated no earlier than its source document; once
    posted never edited — a mistake is corrected by a reversing VİF and a new one (md. 39).
    """

    class Direction(models.TextChoices):
        ENTRY = "entry", _("Entry")
        EXIT = "exit", _("Exit")

    class Kind(models.TextChoices):
        PURCHASE = "purchase", _("Purchase (md. 15)")
        DONATION_IN = "donation_in", _("Donation received (md. 16)")
        COUNT_SURPLUS = "count_surplus", _("Count surplus (md. 17)")
        RETURN = "return", _("Returned from use (md. 18)")
        TRANSFER_IN = "transfer_in", _("Transfer in from another institution (md. 19)")
        INVENTORY_ENTRY = "inventory_entry", _("Inventory entry (md. 15/5)")
        CONSUMPTION = "consumption", _("Consumption (md. 22)")
        TRANSFER_OUT = "transfer_out", _("Transfer out (md. 24)")
        DONATION_OUT = "donation_out", _("Donation given (md. 25)")
        SALE = "sale", _("Sale (md. 26)")
        LOSS = "loss", _("Unusable, lost or stolen (md. 27)")
        COUNT_SHORTAGE = "count_shortage", _("Count shortage (md. 27)")
        SCRAP = "scrap", _("Scrapping or destruction (md. 28)")
        REVERSAL = "reversal", _("Reversal of a posted VİF (md. 39)")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        POSTED = "posted", _("Posted")
        REVERSED = "reversed", _("Reversed")

    ENTRY_KINDS = ("purchase", "donation_in", "count_surplus", "return", "transfer_in", "inventory_entry")

    depot = models.ForeignKey(Depot, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="vouchers")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    date = models.DateField(_("date"))
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices)
    kind = models.CharField(_("transaction"), max_length=20, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    source_document = models.CharField(
        _("source document"),
        max_length=120,
        blank=True,
        help_text=_("Invoice, inspection report, count report, order …"),
    )
    source_date = models.DateField(_("source document date"), null=True, blank=True)
    counterparty = models.CharField(_("from / to"), max_length=200, blank=True)
    request = models.ForeignKey(
        "inventory.StockRequest",
        verbose_name=_("approved request"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="vouchers",
    )
    reverses = models.OneToOneField(
        "self",
        verbose_name=_("reverses"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        editable=False,
    )
    posted_at = models.DateTimeField(_("posted at"), null=True, blank=True, editable=False)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("posted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-fiscal_year", "-number", "-id"]
        verbose_name = _("Varlık İşlem Fişi")
        verbose_name_plural = _("Varlık İşlem Fişleri")
        permissions = [("post_voucher", _("Can post and reverse a VİF"))]
        constraints = [
            models.UniqueConstraint(fields=["depot", "fiscal_year", "number"], name="voucher_number_per_year"),
        ]

    def __str__(self) -> str:
        number = self.number if self.number is not None else "—"
        return f"VİF {self.depot.code}/{self.fiscal_year}/{number}"

    def clean(self) -> None:
        super().clean()
        if self.date and self.source_date and self.date < self.source_date:
            raise ValidationError({"date": _("A VİF cannot be dated before its source document (TMY md. 10/1-a).")})
        if self.date and self.fiscal_year and self.date.year != self.fiscal_year:
            raise ValidationError({"date": _("The date must fall in the fiscal year.")})

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines.all()), Decimal("0"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        # TMY md. 39: a posted VİF is never edited; only its status may move to "reversed".
        if self.pk is not None:
            stored = Voucher.objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] != self.Status.DRAFT and not self._only_reversing(stored["status"]):
                raise ValidationError(_("A posted VİF cannot be changed; post a reversing VİF instead (md. 39)."))
        super().save(*args, **kwargs)

    def _only_reversing(self, stored_status: str) -> bool:
        return stored_status == self.Status.POSTED and self.status == self.Status.REVERSED

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.status != self.Status.DRAFT:
            raise ValidationError(_("A posted VİF cannot be deleted; post a reversing VİF instead (md. 39)."))
        return super().delete(*args, **kwargs)


class VoucherLine(BaseModel):
    """One line of a VİF: a code, a quantity and a unit price; durable items carry their sicil no."""

    voucher = models.ForeignKey(Voucher, verbose_name=_("VİF"), on_delete=models.CASCADE, related_name="lines")
    tasinir_code = models.ForeignKey(TasinirCode, verbose_name=_("Taşınır code"), on_delete=models.PROTECT)
    description = models.CharField(_("description"), max_length=200)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, default="Adet")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)
    asset = models.ForeignKey(
        Asset, verbose_name=_("asset"), on_delete=models.PROTECT, null=True, blank=True, related_name="voucher_lines"
    )
    stock_item = models.ForeignKey(
        "inventory.StockItem",
        verbose_name=_("stock item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher_lines",
    )

    scope_unit_field = "voucher__depot__unit"

    class Meta:
        ordering = ["voucher", "id"]
        verbose_name = _("VİF line")
        verbose_name_plural = _("VİF lines")

    def __str__(self) -> str:
        return f"{self.tasinir_code.code} {self.description} × {self.quantity}"

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.voucher.status != Voucher.Status.DRAFT:
            raise ValidationError(_("The lines of a posted VİF cannot be changed (md. 39)."))
        super().save(*args, **kwargs)


class StockRequest(DepotScopeMixin, BaseModel):
    """A Taşınır İstek Belgesi (TMY md. 10/1-c): a unit asks the depot for items; nothing leaves the
    depot without an approved written order (Nizip md. 12/17)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        ISSUED = "issued", _("Issued")

    depot = models.ForeignKey(Depot, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="requests")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    date = models.DateField(_("date"))
    unit = models.ForeignKey("org.Unit", verbose_name=_("requesting unit"), on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(
        "org.Staff", verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True, editable=False)
    purpose = models.TextField(_("purpose"), blank=True)

    @classmethod
    def scope(cls, user: Any) -> Q:
        """The depot's side sees its requests; the requesting unit sees its own, whoever keeps the depot."""
        query = super().scope(user)
        path = user_unit_path(user) if user.is_authenticated else None
        return query | Q(unit__path__startswith=path) if query and path else query

    class Meta:
        ordering = ["-year", "-number", "-id"]
        verbose_name = _("Taşınır İstek Belgesi")
        verbose_name_plural = _("Taşınır İstek Belgeleri")
        permissions = [("approve_stockrequest", _("Can approve a Taşınır İstek Belgesi (written order)"))]
        constraints = [models.UniqueConstraint(fields=["depot", "year", "number"], name="request_number_per_year")]

    def __str__(self) -> str:
        return f"{self.year}/{self.number or '—'} {self.unit}"


class StockRequestLine(BaseModel):
    request = models.ForeignKey(StockRequest, verbose_name=_("request"), on_delete=models.CASCADE, related_name="lines")
    stock_item = models.ForeignKey(
        "inventory.StockItem", verbose_name=_("stock item"), on_delete=models.PROTECT, null=True, blank=True
    )
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=Decimal("1"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_unit_field = "request__depot__unit"

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("request line")
        verbose_name_plural = _("request lines")

    def __str__(self) -> str:
        return f"{self.stock_item or self.asset} × {self.quantity}"

    def clean(self) -> None:
        super().clean()
        if (self.stock_item_id is None) == (self.asset_id is None):
            raise ValidationError(_("A request line names either a stock item or an asset."))


class StockItem(DepotScopeMixin, SearchableModel):
    """A consumable or spare part kept by quantity in a depot (toner, cable, RAM …), with a reorder level."""

    depot = models.ForeignKey(Depot, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="stock_items")
    tasinir_code = models.ForeignKey(TasinirCode, verbose_name=_("Taşınır code"), on_delete=models.PROTECT)
    name = models.CharField(_("name"), max_length=200)
    part_number = models.CharField(_("part number"), max_length=80, blank=True)
    unit_of_measure = models.CharField(_("unit of measure"), max_length=20, default="Adet")
    reorder_level = models.DecimalField(_("reorder level"), max_digits=12, decimal_places=3, default=Decimal("0"))
    quantity_on_hand = models.DecimalField(
        _("on hand"), max_digits=12, decimal_places=3, default=Decimal("0"), editable=False
    )

    changelog_exclude = ("search_key",)

    class Meta:
        ordering = ["name"]
        verbose_name = _("stock item")
        verbose_name_plural = _("stock items")
        constraints = [models.UniqueConstraint(fields=["depot", "name"], name="stock_item_name_per_depot")]

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> str:
        return f"{self.name} {self.part_number} {self.tasinir_code.code}"

    @property
    def below_reorder_level(self) -> bool:
        return self.quantity_on_hand <= self.reorder_level


class StockLot(BaseModel):
    """What one entry VİF line brought in; consumption takes from the oldest lot first (FIFO, md. 22)."""

    stock_item = models.ForeignKey(
        StockItem, verbose_name=_("stock item"), on_delete=models.PROTECT, related_name="lots"
    )
    entry_line = models.OneToOneField(
        VoucherLine, verbose_name=_("entry line"), on_delete=models.PROTECT, related_name="lot"
    )
    received_on = models.DateField(_("received on"))
    quantity_in = models.DecimalField(_("quantity in"), max_digits=12, decimal_places=3)
    quantity_left = models.DecimalField(_("quantity left"), max_digits=12, decimal_places=3)
    unit_price = models.DecimalField(_("unit price"), max_digits=14, decimal_places=2)

    scope_unit_field = "stock_item__depot__unit"

    class Meta:
        ordering = ["stock_item", "received_on", "id"]
        verbose_name = _("stock lot")
        verbose_name_plural = _("stock lots")
        indexes = [models.Index(fields=["stock_item", "received_on", "id"], name="lot_fifo")]

    def __str__(self) -> str:
        return f"{self.stock_item} {self.received_on:%d.%m.%Y} ({self.quantity_left}/{self.quantity_in})"


class StockIssue(BaseModel):
    """Stock given out: to a unit, or used as a part on a service-desk ticket (``ticket_ref``)."""

    stock_item = models.ForeignKey(
        StockItem, verbose_name=_("stock item"), on_delete=models.PROTECT, related_name="issues"
    )
    lot = models.ForeignKey(StockLot, verbose_name=_("lot"), on_delete=models.PROTECT, related_name="issues")
    exit_line = models.ForeignKey(
        VoucherLine, verbose_name=_("exit line"), on_delete=models.PROTECT, related_name="issues"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    unit = models.ForeignKey("org.Unit", verbose_name=_("issued to unit"), on_delete=models.PROTECT, related_name="+")
    ticket_ref = models.CharField(_("ticket"), max_length=40, blank=True)
    date = models.DateField(_("date"))

    scope_unit_field = "stock_item__depot__unit"

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("stock issue")
        verbose_name_plural = _("stock issues")

    def __str__(self) -> str:
        return f"{self.stock_item} × {self.quantity} → {self.unit}"
