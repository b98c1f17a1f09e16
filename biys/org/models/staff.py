"""Staff members and their leave (izin) records."""

from __future__ import annotations

from datetime import date
from typing import Any, ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from stdnum.tr import tckimlik

from biys.core.models import BaseModel, SearchableModel
from biys.core.text import tr_collation_key

from .units import Position, Unit


def validate_tckn(value: str) -> None:
    # TCKN: 11 digits, first not 0, two check digits (DOMAIN §7.2).
    if not tckimlik.is_valid(value):
        raise ValidationError(_("%(value)s is not a valid T.C. identity number."), params={"value": value})


class Staff(SearchableModel):
    """A person working for the municipality: IT staff and every employee the IT department serves."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LEAVING = "leaving", _("Leaving (handover open)")
        LEFT = "left", _("Left")
        DECEASED = "deceased", _("Deceased")

    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    tckn = models.CharField(
        _("T.C. identity number"), max_length=11, unique=True, null=True, blank=True, validators=[validate_tckn]
    )
    registry_no = models.CharField(_("registry number"), max_length=20, unique=True, null=True, blank=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="staff")
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.SET_NULL, null=True, blank=True, related_name="staff"
    )
    work_phone = models.CharField(_("work phone"), max_length=30, blank=True)
    mobile_phone = models.CharField(_("personal phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE)
    sort_name = models.CharField(max_length=400, editable=False, default="")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="staff",
    )

    scope_unit_field = "unit"
    personal_fields: ClassVar[tuple[str, ...]] = ("tckn", "mobile_phone")
    changelog_exclude = ("search_key", "sort_name")

    class Meta:
        ordering = ["sort_name", "id"]
        verbose_name = _("staff member")
        verbose_name_plural = _("staff")
        indexes = [
            models.Index(fields=["sort_name", "id"], name="staff_sort_name"),
            models.Index(fields=["unit", "sort_name"], name="staff_unit_sort_name"),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"

    def search_source(self) -> str:
        return f"{self.first_name} {self.last_name} {self.registry_no or ''} {self.title} {self.email}"

    def collation_key(self) -> str:
        """Surname then name in Turkish alphabet order (Ç after C, Ö after O …), for ORDER BY in SQL."""
        return tr_collation_key(f"{self.last_name} {self.first_name}")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.sort_name = self.collation_key()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "sort_name"}
        super().save(*args, **kwargs)

    @classmethod
    def scope(cls, user: Any) -> Q:
        # Everyone sees their own record, whatever their unit.
        query = super().scope(user)
        # An empty Q means "every row"; OR-ing it with anything would narrow it, so keep it as is.
        return query | Q(user_id=user.pk) if query and user.is_authenticated else query

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def is_active(self) -> bool:
        return self.status in (self.Status.ACTIVE, self.Status.LEAVING)

    def on_leave(self, on: date) -> bool:
        return self.leaves.filter(start_date__lte=on, end_date__gte=on).exists()


class Leave(BaseModel):
    """An absence of one staff member for a date range (izin, rapor, görevlendirme): duties pass to deputies."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual leave")
        SICK = "sick", _("Sick leave")
        EXCUSE = "excuse", _("Excuse leave")
        ASSIGNMENT = "assignment", _("Official assignment elsewhere")
        TRAINING = "training", _("Training")
        OTHER = "other", _("Other")

    staff = models.ForeignKey(Staff, verbose_name=_("staff member"), on_delete=models.CASCADE, related_name="leaves")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ANNUAL)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    scope_unit_field = "staff__unit"

    class Meta:
        ordering = ["-start_date"]
        verbose_name = _("leave")
        verbose_name_plural = _("leave records")
        indexes = [models.Index(fields=["staff", "start_date", "end_date"], name="leave_staff_dates")]

    def __str__(self) -> str:
        return f"{self.staff} {self.start_date:%d.%m.%Y}–{self.end_date:%d.%m.%Y}"

    def clean(self) -> None:
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
