"""Directives, their duty items, who holds each duty, and who has read the directive."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biys.core.models import BaseModel, SearchableModel

from .staff import Staff
from .units import Unit


class Directive(SearchableModel):
    """A regulation or directive that defines the department's duties (yönerge / yönetmelik)."""

    class Kind(models.TextChoices):
        DIRECTIVE = "yonerge", _("Directive (yönerge)")
        REGULATION = "yonetmelik", _("Regulation (yönetmelik)")
        PROCEDURE = "prosedur", _("Procedure")

    title = models.CharField(pgettext_lazy("directive", "title"), max_length=300)
    source_name = models.CharField(
        _("reference name"), max_length=40, help_text=_('Used in article references, e.g. "Mersin md. 7/2-f".')
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DIRECTIVE)
    unit = models.ForeignKey(Unit, verbose_name=_("governed unit"), on_delete=models.PROTECT, related_name="directives")

    class Meta:
        ordering = ["title"]
        verbose_name = _("directive")
        verbose_name_plural = _("directives")

    def __str__(self) -> str:
        return self.title

    def search_source(self) -> str:
        return f"{self.title} {self.source_name}"

    def current_version(self, on: date | None = None) -> DirectiveVersion | None:
        on = on or timezone.localdate()
        return self.versions.filter(effective_date__lte=on).order_by("-effective_date", "-id").first()


class DirectiveVersion(BaseModel):
    """One approved text of a directive; staff acknowledge a version, not the directive (Mersin md. 10/2-3)."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.PROTECT, related_name="versions"
    )
    label = models.CharField(_("version"), max_length=40)
    effective_date = models.DateField(_("effective date"))
    approval = models.CharField(_("approval"), max_length=200, blank=True, help_text=_("e.g. Başkan Oluru, date"))
    text = models.TextField(_("text"))

    class Meta:
        ordering = ["directive", "-effective_date"]
        verbose_name = _("directive version")
        verbose_name_plural = _("directive versions")
        constraints = [models.UniqueConstraint(fields=["directive", "label"], name="directive_version_label")]

    def __str__(self) -> str:
        return f"{self.directive} — {self.label}"

    @property
    def is_current(self) -> bool:
        current = self.directive.current_version()
        return current is not None and current.pk == self.pk


class Duty(SearchableModel):
    """One duty item of a directive, with its article reference ("Nizip md. 12/24")."""

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.PROTECT, related_name="duties"
    )
    ref = models.CharField(_("article"), max_length=60)
    article = models.CharField(_("article no"), max_length=10)
    paragraph = models.CharField(_("paragraph"), max_length=10, blank=True)
    item = models.CharField(_("item"), max_length=10, blank=True)
    text = models.TextField(_("text"))
    unit = models.ForeignKey(
        Unit, verbose_name=_("responsible unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="duties"
    )
    unit_hint = models.CharField(_("unit named in the text"), max_length=200, blank=True)
    is_sensitive = models.BooleanField(
        _("sensitive duty"),
        default=False,
        help_text=_("A critical duty under internal control standard KOS 2.6 (hassas görev)."),
    )
    is_active = models.BooleanField(_("in force"), default=True)
    sort_order = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["directive", "sort_order"]
        verbose_name = _("duty")
        verbose_name_plural = _("duties")
        constraints = [models.UniqueConstraint(fields=["directive", "ref"], name="duty_ref_unique")]

    def __str__(self) -> str:
        return self.ref

    def search_source(self) -> str:
        return f"{self.ref} {self.text} {self.unit_hint}"


class DutyAssignment(BaseModel):
    """A duty given to a staff member for a period, with a deputy (vekil) (Nizip md. 9/5, 9/17)."""

    duty = models.ForeignKey(Duty, verbose_name=_("duty"), on_delete=models.PROTECT, related_name="assignments")
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="duty_assignments"
    )
    deputy = models.ForeignKey(
        Staff,
        verbose_name=_("deputy"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deputy_assignments",
    )
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_unit_field = "staff__unit"

    class Meta:
        ordering = ["duty__sort_order", "-valid_from"]
        verbose_name = _("duty assignment")
        verbose_name_plural = _("duty assignments")
        indexes = [models.Index(fields=["duty", "valid_from", "valid_until"], name="assignment_validity")]

    def __str__(self) -> str:
        return f"{self.duty} → {self.staff}"

    def clean(self) -> None:
        super().clean()
        if self.deputy_id is not None and self.deputy_id == self.staff_id:
            raise ValidationError({"deputy": _("The deputy must be another person.")})
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError({"valid_until": _("The end date cannot be before the start date.")})

    @staticmethod
    def valid_on(on: date) -> Q:
        return Q(valid_from__lte=on) & (Q(valid_until__isnull=True) | Q(valid_until__gte=on))


class Acknowledgement(BaseModel):
    """A staff member has read and acknowledged one directive version (Mersin md. 10/2-3)."""

    version = models.ForeignKey(
        DirectiveVersion, verbose_name=_("version"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    staff = models.ForeignKey(
        Staff, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), default=timezone.now)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed in as"), on_delete=models.PROTECT, related_name="+"
    )

    scope_unit_field = "staff__unit"

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [models.UniqueConstraint(fields=["version", "staff"], name="acknowledgement_once")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.version}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        query = super().scope(user)
        return query | Q(staff__user_id=user.pk) if query and user.is_authenticated else query


class DirectiveReview(BaseModel):
    """The yearly review of a directive by the head of department (Mersin md. 13/1, md. 12/2)."""

    class Outcome(models.TextChoices):
        NO_CHANGE = "no_change", _("Reviewed, no change needed")
        AMEND = "amend", _("Amendment proposed")

    directive = models.ForeignKey(
        Directive, verbose_name=_("directive"), on_delete=models.PROTECT, related_name="reviews"
    )
    reviewed_on = models.DateField(_("reviewed on"))
    reviewer = models.ForeignKey(
        Staff, verbose_name=_("reviewer"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["-reviewed_on"]
        verbose_name = _("directive review")
        verbose_name_plural = _("directive reviews")

    def __str__(self) -> str:
        return f"{self.directive} {self.reviewed_on:%d.%m.%Y}"
