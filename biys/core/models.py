"""The generic base every BİYS model stands on, and the append-only change log."""

from __future__ import annotations

from typing import Any, ClassVar, cast

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from biys.core import context
from biys.core.text import search_key


def sees_all_units(user: Any) -> bool:
    """Yönetici and Denetçi (and superusers) see every unit's rows; everyone else their subtree."""
    return bool(user.is_superuser or user.has_perm("users.view_all_units"))


def user_unit_path(user: Any) -> str | None:
    """The path of the user's unit: from the unit already loaded on the user, else from the process's copy of
    the unit tree (``org.tree``; no query on most requests)."""
    unit_id = getattr(user, "unit_id", None)
    if unit_id is None:
        return None
    state = getattr(user, "_state", None)
    if state is not None and "unit" in state.fields_cache:
        unit = state.fields_cache["unit"]
        return unit.path if unit is not None and unit.path else None
    from biys.org import tree

    return tree.current().path_of(unit_id) or None


def in_subtree(field: str, path: str) -> Q:
    """Rows whose ``field`` (a Unit foreign key path) lies in the subtree at ``path``.

    An ``IN (subquery)`` on the unit ids, not a join on the path: the planner can then walk the rows'
    own (unit, sort) index instead of testing every row of a large table against the unit's path.
    """
    unit_model = apps.get_model("org", "Unit")
    return Q(**{f"{field}__in": unit_model.objects.filter(path__startswith=path).values("pk")})


class BaseModel(models.Model):
    """Timestamps, authorship and row scoping shared by every model.

    Class attributes a model may set:
    - ``scope_unit_field``: the path to the org.Unit that owns a row (``"unit"``, ``"staff__unit"``);
      ``None`` means every signed-in user may see every row (public municipal data).
    - ``changelog_exclude``: derived fields kept out of the change log (search keys, tree paths).
    - ``personal_fields``: personal data (KVKK) masked in lists and in the change log.
    """

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("updated by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    scope_unit_field: ClassVar[str | None] = None
    changelog_exclude: ClassVar[tuple[str, ...]] = ()
    personal_fields: ClassVar[tuple[str, ...]] = ()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        user = context.current_user()
        if user is not None:
            if self._state.adding and self.created_by_id is None:
                self.created_by = user
            self.updated_by = user
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_by", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        meta = self._meta
        try:
            return reverse(f"{meta.app_label}:{meta.model_name}", kwargs={"pk": self.pk})
        except NoReverseMatch:
            return ""

    @classmethod
    def scope(cls, user: Any) -> Q:
        """Rows ``user`` may see. Override for rules beyond "the owning unit's subtree"."""
        if not user.is_authenticated:
            return Q(pk__in=[])
        if cls.scope_unit_field is None or sees_all_units(user):
            return Q()
        path = user_unit_path(user)
        if path is None:
            return Q(pk__in=[])
        return in_subtree(cls.scope_unit_field, path)

    @classmethod
    def restrict(cls, queryset: models.QuerySet[Any], user: Any) -> models.QuerySet[Any]:
        return queryset.filter(cls.scope(user))


class SearchableModel(BaseModel):
    """A model with a stored Turkish-folded search key (see core.text.search_key).

    ``search_source()`` returns the text to index; the key is rebuilt on every save, so the
    same ``LIKE`` query works on SQLite and PostgreSQL alike.
    """

    search_key = models.TextField(editable=False, default="")

    changelog_exclude: ClassVar[tuple[str, ...]] = ("search_key",)

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.search_key = search_key(self.search_source())
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_key"}
        super().save(*args, **kwargs)

    def search_source(self) -> str:
        return str(self)


class CalendarDay(BaseModel):
    """An exception to the public-holiday calendar: an idari izin day, a half day or an extra working day.

    Presidential circulars grant bridge days (idari izin) that the holidays package cannot know,
    and sometimes require a Saturday to be worked in return.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off (idari izin)")
        HALF_DAY = "half_day", _("Half day (afternoon off)")
        WORKING_DAY = "working_day", _("Extra working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.CharField(_("description"), max_length=200)

    class Meta:
        ordering = ["-date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"


class ChangeLogEntry(models.Model):
    """One line of the append-only audit trail: a change, a login event or a view of personal data.

    Entries are hash-chained: ``hash = sha256(canonical(entry) + prev_hash)``. ``biys audit verify``
    recomputes the chain and names the first altered or missing entry (BİG 3.1.8.4, TMY md. 10/3).
    """

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Login failed")
        LOGOUT = "logout", _("Logged out")
        VIEW_PERSONAL = "view_personal", _("Viewed personal data")

    id = models.BigIntegerField(primary_key=True)
    time = models.DateTimeField(_("time"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    user_name = models.CharField(_("user name"), max_length=150, blank=True)
    request_id = models.CharField(_("request id"), max_length=64, blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("object type"), on_delete=models.DO_NOTHING, db_constraint=False, null=True
    )
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=200, blank=True)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")
        indexes = [
            models.Index(fields=["content_type", "object_id", "-id"], name="changelog_object"),
            models.Index(fields=["user", "-id"], name="changelog_user"),
            models.Index(fields=["action", "-id"], name="changelog_action"),
            models.Index(fields=["user_name", "-id"], name="changelog_user_name"),
            models.Index(fields=["content_type", "-id"], name="changelog_type"),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_action_display()} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ValidationError(_("The change log is append-only."))
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValidationError(_("The change log is append-only."))

    @property
    def changed_names(self) -> str:
        """The changed fields' names for a list column, at most six."""
        names = [name for name, _before, _after in self.changed_fields_display()]
        return ", ".join(names[:6]) + (" …" if len(names) > 6 else "")

    def changed_fields_display(self) -> list[tuple[str, Any, Any]]:
        """Like ``changed_fields`` with each field's translated name, for people to read."""
        model = cast(ContentType, self.content_type).model_class() if self.content_type_id else None
        names: dict[str, str] = {}
        if model is not None:
            for field in model._meta.get_fields():
                if hasattr(field, "attname"):
                    names[field.attname] = names[field.name] = str(getattr(field, "verbose_name", field.name))
        return [(names.get(name, name), before, after) for name, before, after in self.changed_fields()]

    def changed_fields(self) -> list[tuple[str, Any, Any]]:
        before, after = self.before or {}, self.after or {}
        names = sorted(set(before) | set(after))
        return [(n, before.get(n), after.get(n)) for n in names if before.get(n) != after.get(n)]


class ChangeLogHead(models.Model):
    """The single row holding the chain's last id and hash; locked while an entry is appended."""

    last_id = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64, default="0" * 64)

    class Meta:
        verbose_name = _("change log head")

    def __str__(self) -> str:
        return f"#{self.last_id}"
