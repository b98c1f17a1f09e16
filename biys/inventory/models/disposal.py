"""Scrapping (hurda/imha, TMY md. 27-28) and counting (sayım, md. 32-34)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel
from biys.core.validators import validate_pdf_upload

from .movements import DepotScopeMixin, Voucher
from .register import Asset, Depot, Location

MIN_COMMISSION = 3  # TMY md. 27: a commission of at least three, including an expert


class ScrapProposal(DepotScopeMixin, BaseModel):
    """A Kayıttan Düşme Teklif ve Onay Tutanağı (TMY md. 10/1-e): the commission's proposal and the approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSED = "proposed", _("Proposed by the commission")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        COMPLETED = "completed", _("Written off")

    class Disposal(models.TextChoices):
        SCRAP = "scrap", _("Scrap (to MKE A.Ş., Law 7330)")
        DESTROY = "destroy", _("Destruction (imha)")
        LOSS = "loss", _("Loss, theft or breakage")

    depot = models.ForeignKey(Depot, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="scrap_proposals")
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(_("number"), null=True, blank=True, editable=False)
    date = models.DateField(_("date"))
    disposal = models.CharField(_("disposal"), max_length=10, choices=Disposal.choices, default=Disposal.SCRAP)
    reason = models.TextField(_("reason"))
    assets = models.ManyToManyField(Asset, verbose_name=_("assets"), related_name="scrap_proposals")
    commission = models.ManyToManyField("org.Staff", verbose_name=_("commission"), related_name="+")
    expert = models.ForeignKey(
        "org.Staff", verbose_name=_("expert member"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, editable=False)
    decision_note = models.TextField(_("decision"), blank=True)
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
    exit_voucher = models.OneToOneField(
        Voucher,
        verbose_name=_("exit VİF"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-year", "-number", "-id"]
        verbose_name = _("write-off proposal")
        verbose_name_plural = _("write-off proposals")
        permissions = [("approve_scrapproposal", _("Can approve a write-off (harcama yetkilisi)"))]
        constraints = [models.UniqueConstraint(fields=["depot", "year", "number"], name="scrap_number_per_year")]

    def __str__(self) -> str:
        return f"{self.year}/{self.number or '—'} {self.get_disposal_display()}"


class DataSanitization(BaseModel):
    """Evidence that a storage device was wiped or destroyed before leaving (BİG 3.1.1.6)."""

    class Method(models.TextChoices):
        WIPE = "wipe", _("Overwritten (secure erase)")
        DEGAUSS = "degauss", _("Degaussed")
        SHRED = "shred", _("Physically destroyed")

    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, related_name="sanitizations")
    method = models.CharField(_("method"), max_length=10, choices=Method.choices)
    done_on = models.DateField(_("done on"))
    done_by = models.ForeignKey("org.Staff", verbose_name=_("done by"), on_delete=models.PROTECT, related_name="+")
    tool = models.CharField(_("tool / standard"), max_length=120, blank=True, help_text=_("e.g. nwipe DoD 5220.22-M"))
    evidence = models.FileField(
        _("evidence (PDF)"), upload_to="sanitization/%Y/", blank=True, validators=[validate_pdf_upload]
    )

    scope_unit_field = "asset__owner_unit"

    class Meta:
        ordering = ["-done_on"]
        verbose_name = _("data sanitization")
        verbose_name_plural = _("data sanitizations")

    def __str__(self) -> str:
        return f"{self.asset} {self.get_method_display()}"


class CountSession(DepotScopeMixin, BaseModel):
    """A sayım of a depot or a shared area by a count board (sayım kurulu, TMY md. 32)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Counting")
        SECOND = "second", _("Second count of differences")
        CLOSED = "closed", _("Closed")

    depot = models.ForeignKey(Depot, verbose_name=_("depot"), on_delete=models.PROTECT, related_name="counts")
    location = models.ForeignKey(
        Location, verbose_name=_("area"), on_delete=models.PROTECT, null=True, blank=True, related_name="counts"
    )
    date = models.DateField(_("date"))
    board = models.ManyToManyField("org.Staff", verbose_name=_("count board"), related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN, editable=False)
    freeze_movements = models.BooleanField(_("freeze movements during the count"), default=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("count")
        verbose_name_plural = _("counts")

    def __str__(self) -> str:
        return f"{self.depot} {self.date:%d.%m.%Y}"


class CountLine(BaseModel):
    """One expected or found item of a count; differences are counted twice (md. 32)."""

    session = models.ForeignKey(CountSession, verbose_name=_("count"), on_delete=models.CASCADE, related_name="lines")
    asset = models.ForeignKey(Asset, verbose_name=_("asset"), on_delete=models.PROTECT, null=True, blank=True)
    stock_item = models.ForeignKey(
        "inventory.StockItem", verbose_name=_("stock item"), on_delete=models.PROTECT, null=True, blank=True
    )
    expected = models.DecimalField(_("expected"), max_digits=12, decimal_places=3, default=0)
    first_count = models.DecimalField(_("first count"), max_digits=12, decimal_places=3, null=True, blank=True)
    second_count = models.DecimalField(_("second count"), max_digits=12, decimal_places=3, null=True, blank=True)
    scanned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("scanned by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    scope_unit_field = "session__depot__unit"

    class Meta:
        ordering = ["session", "id"]
        verbose_name = _("count line")
        verbose_name_plural = _("count lines")

    def __str__(self) -> str:
        return f"{self.asset or self.stock_item}: {self.expected} / {self.first_count}"

    def clean(self) -> None:
        super().clean()
        if (self.stock_item_id is None) == (self.asset_id is None):
            raise ValidationError(_("A count line names either a stock item or an asset."))
