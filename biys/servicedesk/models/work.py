"""The work on a ticket beyond its timeline: files, transfers, service forms (interventions), parts, vendor
cases, mails and the requester's rating."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel
from biys.servicedesk import sla
from biys.servicedesk.choices import DONE_STATUSES, VendorCaseStatus

from .tickets import (
    FollowUp,
    InternalRows,
    Ticket,
    TicketPart,
    _through_ticket,
    attachment_path,
    is_it_staff,
    vendor_form_path,
)


class Attachment(InternalRows, BaseModel):
    """A file on a ticket (a screenshot, an error log, a signed form). Stored under a hash, not its name."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="attachments")
    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.CASCADE, null=True, blank=True, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    is_internal = models.BooleanField(_("internal"), default=False)

    class Meta:
        ordering = ["ticket", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name


class Transfer(TicketPart, BaseModel):
    """A ticket sent from one unit's queue to another's, with the reason (Mersin md. 7/3-d)."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="transfers")
    from_unit = models.ForeignKey("org.Unit", verbose_name=_("from"), on_delete=models.PROTECT, related_name="+")
    to_unit = models.ForeignKey("org.Unit", verbose_name=_("to"), on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))

    class Meta:
        ordering = ["ticket", "created_at"]
        verbose_name = _("transfer")
        verbose_name_plural = _("transfers")

    def __str__(self) -> str:
        return f"{self.from_unit} → {self.to_unit}"


class Intervention(TicketPart, BaseModel):
    """One visit or repair on a ticket, printed as a numbered servis formu with signature blocks."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="interventions")
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    number = models.PositiveIntegerField(_("form number"), editable=False)
    technician = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("technician"), on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"))
    on_site = models.BooleanField(_("on site"), default=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    work_done = models.TextField(_("work done"))
    signed_by = models.CharField(
        _("signed by (requester side)"), max_length=150, blank=True, help_text=_("Name of the person who signs.")
    )

    class Meta:
        ordering = ["ticket", "started_at"]
        verbose_name = _("service form")
        verbose_name_plural = _("service forms")
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="intervention_number")]

    def __str__(self) -> str:
        return f"{self.year}/{self.number}"

    def clean(self) -> None:
        super().clean()
        if self.started_at and self.ended_at and self.ended_at < self.started_at:
            raise ValidationError({"ended_at": gettext("The end cannot be before the start.")})

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at


class PartUsage(TicketPart, BaseModel):
    """A consumable or spare part used on a ticket, issued from the depot on a consumption VİF."""

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="parts")
    intervention = models.ForeignKey(
        Intervention,
        verbose_name=_("service form"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
    )
    stock_item = models.ForeignKey(
        "inventory.StockItem", verbose_name=_("stock item"), on_delete=models.PROTECT, related_name="+"
    )
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    voucher = models.ForeignKey(
        "inventory.Voucher", verbose_name=_("VİF"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["ticket", "id"]
        verbose_name = _("part used")
        verbose_name_plural = _("parts used")

    def __str__(self) -> str:
        return f"{self.quantity} × {self.stock_item}"


class VendorCase(TicketPart, BaseModel):
    """A device sent to the vendor under warranty or a maintenance contract (Mersin md. 7/1-r; Nizip md. 12/24).

    The vendor's service form is uploaded on return and approved by a manager; the time at the vendor is
    tracked apart from our own working time.
    """

    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="vendor_cases")
    asset = models.ForeignKey(
        "inventory.Asset", verbose_name=_("device"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    contract = models.ForeignKey(
        "inventory.Contract",
        verbose_name=_("warranty / contract"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    vendor = models.CharField(_("vendor"), max_length=200)
    contact = models.CharField(_("vendor contact"), max_length=200, blank=True)
    vendor_reference = models.CharField(_("vendor's case number"), max_length=100, blank=True)
    sent_at = models.DateTimeField(_("sent"))
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VendorCaseStatus.choices, default=VendorCaseStatus.SENT
    )
    service_form = models.FileField(_("vendor's service form (PDF)"), upload_to=vendor_form_path, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["ticket", "sent_at"]
        verbose_name = _("vendor case")
        verbose_name_plural = _("vendor cases")

    def __str__(self) -> str:
        return f"{self.vendor} {self.vendor_reference}".strip()

    def clean(self) -> None:
        super().clean()
        if self.sent_at and self.returned_at and self.returned_at < self.sent_at:
            raise ValidationError({"returned_at": gettext("The return cannot be before the dispatch.")})

    def time_at_vendor(self, until: datetime | None = None) -> timedelta:
        """Business time the device spent at the vendor (so far)."""
        end = self.returned_at or until or timezone.now()
        return sla.calendar_for(self.ticket.sla_policy).business_time_between(self.sent_at, end)


class MailMessage(BaseModel):
    """A mail that became a ticket or a follow-up; its Message-ID makes intake idempotent (reply-all, re-polls)."""

    class Direction(models.TextChoices):
        IN = "in", _("Incoming")
        OUT = "out", _("Outgoing")

    message_id = models.CharField(_("Message-ID"), max_length=255, unique=True)
    ticket = models.ForeignKey(Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="mails")
    followup = models.ForeignKey(
        FollowUp, verbose_name=_("follow-up"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    direction = models.CharField(_("direction"), max_length=3, choices=Direction.choices, default=Direction.IN)
    sender = models.CharField(_("from"), max_length=255, blank=True)
    subject = models.CharField(_("subject"), max_length=255, blank=True)

    class Meta:
        ordering = ["ticket", "created_at"]
        verbose_name = _("mail")
        verbose_name_plural = _("mails")

    def __str__(self) -> str:
        return self.subject or self.message_id

    @classmethod
    def scope(cls, user: Any) -> Q:
        query = _through_ticket(user)
        return query if not user.is_authenticated or is_it_staff(user) else Q(pk__in=[])


class Satisfaction(TicketPart, BaseModel):
    """The requester's rating of a resolved ticket (ISO 9001, Nizip md. 7/27)."""

    ticket = models.OneToOneField(
        Ticket, verbose_name=_("ticket"), on_delete=models.CASCADE, related_name="satisfaction"
    )
    score = models.PositiveSmallIntegerField(_("score"), help_text=_("1 (very poor) to 5 (very good)."))
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        constraints = [models.CheckConstraint(condition=Q(score__gte=1, score__lte=5), name="satisfaction_score")]

    def __str__(self) -> str:
        return f"{self.ticket.reference if self.ticket_id else ''}: {self.score}/5"

    def clean(self) -> None:
        super().clean()
        if self.score is not None and not 1 <= self.score <= 5:
            raise ValidationError({"score": gettext("Give a score from 1 to 5.")})
        if self.ticket_id is not None and self.ticket.status not in DONE_STATUSES[:2]:
            raise ValidationError(gettext("Only a resolved or closed ticket can be rated."))
