"""Departures and the handover (devir-teslim) list that must be accepted before a person leaves.

Nizip md. 15/4: no one leaves before handing over files and custody items to the successor;
md. 15/5: on death the unit chief's report (tutanak) takes the departing person's place.
Taşınır Yön. md. 5/4: "teslim yapılmadan personelin kurumla ilişiği kesilmez".
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel

from .staff import Staff


class Departure(BaseModel):
    """One staff member leaving their post, with the state of their handover."""

    class Reason(models.TextChoices):
        TRANSFER = "transfer", _("Transfer to another unit or institution")
        RETIREMENT = "retirement", _("Retirement")
        RESIGNATION = "resignation", _("Resignation")
        DISMISSAL = "dismissal", _("End of contract / dismissal")
        DEATH = "death", _("Death")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PREPARED = "prepared", _("Handover list prepared")
        ACCEPTED = "accepted", _("Accepted by the successor")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    staff = models.ForeignKey(
        Staff, verbose_name=_("departing staff"), on_delete=models.PROTECT, related_name="departures"
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    last_day = models.DateField(_("last working day"))
    successor = models.ForeignKey(
        Staff, verbose_name=_("successor"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    chief = models.ForeignKey(
        Staff,
        verbose_name=_("unit chief"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Signs the handover in place of the departing person on death (Nizip md. 15/5)."),
    )
    chief_report = models.TextField(_("unit chief's report"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    prepared_at = models.DateTimeField(_("prepared at"), null=True, blank=True, editable=False)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True, editable=False)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    scope_unit_field = "staff__unit"

    class Meta:
        ordering = ["-last_day", "-id"]
        verbose_name = _("departure")
        verbose_name_plural = _("departures")
        constraints = [
            models.UniqueConstraint(
                fields=["staff"],
                condition=~Q(status__in=["completed", "cancelled"]),
                name="departure_one_open_per_staff",
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff} ({self.last_day:%d.%m.%Y})"

    def clean(self) -> None:
        super().clean()
        if self.successor_id is not None and self.successor_id == self.staff_id:
            raise ValidationError({"successor": _("The successor must be another person.")})
        if self.reason == self.Reason.DEATH and self.chief_id is not None and self.chief_id == self.staff_id:
            raise ValidationError({"chief": _("The unit chief must be another person.")})

    @property
    def is_open(self) -> bool:
        return self.status not in (self.Status.COMPLETED, self.Status.CANCELLED)

    def require_status(self, *allowed: str) -> None:
        if self.status not in allowed:
            raise ValidationError(
                _("This step is not allowed while the departure is “%(status)s”.")
                % {"status": self.get_status_display()}
            )

    def check_can_accept(self, user: Any) -> None:
        """The successor accepts; on death only after the unit chief's report is on file."""
        self.require_status(self.Status.PREPARED)
        if self.successor_id is None:
            raise ValidationError(_("Name a successor before the handover can be accepted."))
        if self.successor.user_id != getattr(user, "pk", None):
            raise ValidationError(_("Only the successor can accept this handover."))
        if self.reason == self.Reason.DEATH and (self.chief_id is None or not self.chief_report.strip()):
            raise ValidationError(_("On death the unit chief's report is required before acceptance."))


class HandoverItem(BaseModel):
    """One line of a handover list: a duty, an open piece of work, a custody item, a file."""

    class Kind(models.TextChoices):
        DUTY = "duty", _("Duty")
        OPEN_WORK = "open_work", _("Open work")
        CUSTODY = "custody", _("Custody item")
        DOCUMENT = "document", _("Files and documents")
        OTHER = "other", _("Other")

    departure = models.ForeignKey(
        Departure, verbose_name=_("departure"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    description = models.TextField(_("description"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    source = models.CharField(
        _("source"),
        max_length=100,
        blank=True,
        editable=False,
        help_text=_('"app_label.model:pk" of what this line lists'),
    )
    position = models.PositiveIntegerField(default=0, editable=False)

    scope_unit_field = "departure__staff__unit"

    class Meta:
        ordering = ["departure", "position", "id"]
        verbose_name = _("handover item")
        verbose_name_plural = _("handover items")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.reference or self.description[:40]}"

    def clean(self) -> None:
        super().clean()
        if self.departure_id and not self.departure.is_open:
            raise ValidationError(_("A closed handover list cannot be changed."))
