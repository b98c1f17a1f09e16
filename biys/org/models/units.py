"""The municipality and its unit tree."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, RegexValidator
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Concat, Substr
from django.utils.translation import gettext_lazy as _

from biys.core.caching import ProcessCache
from biys.core.models import BaseModel, SearchableModel
from biys.core.validators import validate_image_upload
from biys.org import tree

PATH_DIGITS = 8  # fixed width so that ordering by path lists a tree depth-first, in creation order
detsis_validator = RegexValidator(r"^\d{8}$", _("The DETSİS number has 8 digits."))


class Municipality(BaseModel):
    """The one municipality this installation serves (a singleton row, pk=1)."""

    class Kind(models.TextChoices):
        METROPOLITAN = "buyuksehir", _("Metropolitan municipality")
        PROVINCIAL = "il", _("Provincial municipality")
        DISTRICT = "ilce", _("District municipality")
        TOWN = "belde", _("Town municipality")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT)
    detsis_no = models.CharField(_("DETSİS number"), max_length=8, blank=True, validators=[detsis_validator])
    logo = models.FileField(
        _("logo"),
        upload_to="logo/",
        blank=True,
        validators=[FileExtensionValidator(["png", "jpg", "jpeg"]), validate_image_upload],
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipality")

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.pk = 1  # one municipality per installation
        super().save(*args, **kwargs)
        _municipality_cache.clear()

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("org:municipality")

    @classmethod
    def cached(cls) -> Municipality | None:
        """Read at most once a minute per process: every page header shows it."""
        return _municipality_cache.get(lambda: cls.objects.filter(pk=1).first())


_municipality_cache: ProcessCache[Municipality | None] = ProcessCache(60)


class Unit(SearchableModel):
    """One unit of the municipality's organization tree, of any depth.

    ``path`` is a materialized path of zero-padded ids ("00000012.00000040.") so that a subtree is one indexed
    ``LIKE 'prefix%'`` query on SQLite and PostgreSQL alike; it is derived and kept in ``save``.
    """

    class Kind(models.TextChoices):
        PRESIDENCY = "baskanlik", _("Presidency (Başkanlık)")
        SECRETARIAT = "genel_sekreterlik", _("General secretariat")
        DEPARTMENT = "daire_baskanligi", _("Department (Daire Başkanlığı)")
        DIRECTORATE = "mudurluk", _("Directorate (Müdürlük)")
        BRANCH = "sube_mudurlugu", _("Branch directorate (Şube Müdürlüğü)")
        SECTION = "seflik", _("Section (Şeflik)")
        OFFICE = "birim", _("Office (Birim)")

    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent unit"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(editable=False, default=0)
    is_it = models.BooleanField(
        _("IT department"), default=False, help_text=_("Part of the IT department (Bilgi İşlem) itself.")
    )
    manager = models.ForeignKey(
        "org.Staff", verbose_name=_("manager"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    building = models.CharField(_("building"), max_length=120, blank=True)
    location = models.CharField(_("floor / room"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    detsis_no = models.CharField(_("DETSİS number"), max_length=8, blank=True, validators=[detsis_validator])
    is_active = models.BooleanField(_("active"), default=True)

    changelog_exclude = ("search_key", "path", "depth")

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> str:
        return f"{self.name} {self.short_name} {self.code} {self.building}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        # The organization chart is public inside the municipality.
        return Q() if user.is_authenticated else Q(pk__in=[])

    def clean(self) -> None:
        super().clean()
        if self.parent_id is not None and self.pk is not None:
            parent = Unit.objects.filter(pk=self.parent_id).only("path").first()
            if parent is not None and (parent.pk == self.pk or parent.path.startswith(self.path or "\0")):
                raise ValidationError(
                    {"parent": _("A unit cannot be placed under itself or one of its own sub-units.")}
                )

    def save(self, *args: Any, **kwargs: Any) -> None:
        old_path = self.path
        self.clean()
        super().save(*args, **kwargs)
        parent_path = self.parent.path if self.parent_id else ""
        new_path = f"{parent_path}{self.pk:0{PATH_DIGITS}d}."
        if new_path != old_path:
            self.path, self.depth = new_path, new_path.count(".") - 1
            Unit.objects.filter(pk=self.pk).update(path=new_path, depth=self.depth)
            if old_path:
                self._move_descendants(old_path, new_path)
            tree.changed()  # the paths changed after post_save: a copy read in between is dropped

    @staticmethod
    def _move_descendants(old: str, new: str) -> None:
        shift = new.count(".") - old.count(".")
        Unit.objects.filter(path__startswith=old).exclude(path=new).update(
            path=Concat(Value(new), Substr("path", len(old) + 1)),
            depth=models.F("depth") + shift,
        )

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.children.exists():
            raise ValidationError(_("%(unit)s has sub-units; move or delete them first.") % {"unit": self})
        if self.staff.exists() or self.users.exists():
            raise ValidationError(
                _("%(unit)s still has staff or user accounts; move them to another unit first.") % {"unit": self}
            )
        return super().delete(*args, **kwargs)

    def ancestors(self) -> models.QuerySet[Unit]:
        ids = [int(part) for part in self.path.split(".") if part][:-1]
        return Unit.objects.filter(pk__in=ids).order_by("depth")

    def descendants(self, include_self: bool = False) -> models.QuerySet[Unit]:
        queryset = Unit.objects.filter(path__startswith=self.path)
        return queryset if include_self else queryset.exclude(pk=self.pk)


class Position(BaseModel):
    """A post (kadro/görev yeri) in a unit, such as "Şef" in Teknik Destek Hizmetleri Şefliği."""

    name = models.CharField(_("title"), max_length=120)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="positions")
    is_head = models.BooleanField(_("head of unit"), default=False)
    description = models.TextField(_("description"), blank=True)

    scope_unit_field = "unit"

    class Meta:
        ordering = ["unit__path", "-is_head", "name"]
        verbose_name = _("position")
        verbose_name_plural = _("positions")

    def __str__(self) -> str:
        return f"{self.name} — {self.unit}"
