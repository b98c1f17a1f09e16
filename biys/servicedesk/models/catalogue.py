"""The service catalogue (what can be asked for), its routing and its SLA policies. All of it is data that
managers edit; nothing about a service is hard-coded."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from biys.core.models import BaseModel, SearchableModel
from biys.servicedesk.choices import CauseGroup, FieldType, Priority


def _public(user: Any) -> Q:
    return Q() if user.is_authenticated else Q(pk__in=[])


class ServiceCategory(BaseModel):
    """A group of the catalogue shown on the portal (Donanım, Yazılım, Ağ, Telefon …)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    icon = models.CharField(_("icon"), max_length=40, blank=True, help_text=_("A Bootstrap Icons name, e.g. printer."))
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope(cls, user: Any) -> Q:
        return _public(user)


class SlaPolicy(BaseModel):
    """Response and resolution targets per priority, in business time of ``core.calendar``.

    A policy is complete only with a target for every priority; an incomplete policy cannot be attached
    to a catalogue item (a gap would leave some tickets without a deadline).
    """

    name = models.CharField(_("name"), max_length=100, unique=True)
    is_default = models.BooleanField(
        _("default policy"), default=False, help_text=_("Used for catalogue items without their own policy.")
    )
    count_half_days = models.BooleanField(
        _("half days are half days"),
        default=True,
        help_text=_("Arife and 28 Ekim afternoons are off; clear this to count them as full working days."),
    )
    observe_idari_izin = models.BooleanField(
        _("observe idari izin"), default=True, help_text=_("Administrative leave days stop the clock.")
    )
    pause_on_parts = models.BooleanField(
        _("pause while waiting for parts"),
        default=False,
        help_text=_("Waiting for the requester or the vendor always pauses the clock; parts are our own delay."),
    )
    warn_percent = models.PositiveSmallIntegerField(
        _("warn at (% of the time used)"),
        default=80,
        help_text=_("Assignees and their chief are warned when this share of the resolution time is used."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(fields=["is_default"], condition=Q(is_default=True), name="sla_one_default"),
            models.CheckConstraint(
                condition=Q(warn_percent__gte=1, warn_percent__lte=99), name="sla_warn_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def scope(cls, user: Any) -> Q:
        return _public(user)

    def missing_priorities(self) -> list[Any]:
        """Priorities without a target: the policy's gaps."""
        have = set(self.targets.values_list("priority", flat=True)) if self.pk else set()
        return [p for p in Priority if p.value not in have]

    def check_complete(self) -> None:
        missing = self.missing_priorities()
        if missing:
            raise ValidationError(
                _("SLA policy %(policy)s has no target for: %(priorities)s.")
                % {"policy": self.name, "priorities": ", ".join(str(p.label) for p in missing)}
            )


class SlaTarget(BaseModel):
    """One row of a policy: the targets for one priority."""

    policy = models.ForeignKey(SlaPolicy, verbose_name=_("policy"), on_delete=models.CASCADE, related_name="targets")
    priority = models.PositiveSmallIntegerField(_("priority"), choices=Priority.choices)
    response_time = models.DurationField(_("response time"), help_text=_("Business time, e.g. 02:00:00."))
    resolution_time = models.DurationField(_("resolution time"), help_text=_("Business time, e.g. 16:00:00."))

    class Meta:
        ordering = ["policy", "priority"]
        verbose_name = _("SLA target")
        verbose_name_plural = _("SLA targets")
        constraints = [models.UniqueConstraint(fields=["policy", "priority"], name="sla_target_unique")]

    def __str__(self) -> str:
        return f"{self.policy} / {self.get_priority_display()}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        return _public(user)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        for field in ("response_time", "resolution_time"):
            value = getattr(self, field)
            if value is not None and value <= timedelta(0):
                errors[field] = _("The time must be longer than zero.")
        if not errors and self.response_time and self.resolution_time and self.response_time > self.resolution_time:
            errors["response_time"] = _("The response time cannot be longer than the resolution time.")
        if errors:
            raise ValidationError(errors)


class ServiceItem(SearchableModel):
    """One thing a municipal employee can ask for: a printer fault, a new e-mail account, a phone line …

    ``fields`` lists the extra questions of the item's form:
    ``[{"name": "extension", "label": "Dahili no", "type": "text", "required": true, "choices": []}]``.
    """

    category = models.ForeignKey(
        ServiceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="items"
    )
    code = models.SlugField(_("code"), max_length=40, unique=True, allow_unicode=True)
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    responsible_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The şeflik or birim that receives these requests unless a routing rule says otherwise."),
    )
    sla_policy = models.ForeignKey(
        SlaPolicy, verbose_name=_("SLA policy"), on_delete=models.PROTECT, null=True, blank=True, related_name="items"
    )
    default_priority = models.PositiveSmallIntegerField(
        _("default priority"), choices=Priority.choices, default=Priority.NORMAL
    )
    asks_for_asset = models.BooleanField(
        _("asks for a device"), default=False, help_text=_("The requester picks the faulty device from their custody.")
    )
    fields = models.JSONField(_("form fields"), default=list, blank=True)
    directive_ref = models.CharField(
        _("directive article"), max_length=100, blank=True, help_text=_("e.g. Mersin md. 7/3-d")
    )
    is_active = models.BooleanField(_("active"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["category__sort_order", "sort_order", "name"]
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")

    def __str__(self) -> str:
        return self.name

    def search_source(self) -> str:
        return f"{self.name} {self.description} {self.category.name if self.category_id else ''}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        return _public(user)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.sla_policy_id is not None:
            try:
                self.sla_policy.check_complete()
            except ValidationError as exc:
                errors["sla_policy"] = exc.messages
        try:
            validate_field_specs(self.fields)
        except ValidationError as exc:
            errors["fields"] = exc.messages
        if errors:
            raise ValidationError(errors)

    def policy(self) -> SlaPolicy | None:
        if self.sla_policy_id is not None:
            return self.sla_policy
        return SlaPolicy.objects.filter(is_default=True).first()


def validate_field_specs(specs: Any) -> None:
    """The catalogue item's extra form fields must be a list of well-formed field descriptions."""
    if not isinstance(specs, list):
        raise ValidationError(_("Form fields must be a list."))
    names: set[str] = set()
    types = set(FieldType.values)
    for number, spec in enumerate(specs, start=1):
        if not isinstance(spec, dict) or not spec.get("name") or not spec.get("label"):
            raise ValidationError(_("Form field %(n)s needs a name and a label.") % {"n": number})
        name = str(spec["name"])
        if not name.isidentifier():
            raise ValidationError(_("Form field %(n)s: the name may hold only letters, digits and _.") % {"n": number})
        if name in names:
            raise ValidationError(_("Form field %(n)s: the name %(name)s is used twice.") % {"n": number, "name": name})
        names.add(name)
        if spec.get("type", FieldType.TEXT) not in types:
            raise ValidationError(_("Form field %(n)s has an unknown type.") % {"n": number})
        if spec.get("type") == FieldType.CHOICE and not spec.get("choices"):
            raise ValidationError(_("Form field %(n)s is a choice without choices.") % {"n": number})


class RoutingRule(BaseModel):
    """Sends an item's requests from a part of the organization or a building to a given unit.

    The most specific matching rule wins (item and requester unit, then item, then requester unit or
    building alone); without a match the item's responsible unit receives the request.
    """

    item = models.ForeignKey(
        ServiceItem, verbose_name=_("catalogue item"), on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    requester_unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("requester unit (and its sub-units)"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    building = models.CharField(_("building"), max_length=120, blank=True)
    target_unit = models.ForeignKey("org.Unit", verbose_name=_("route to"), on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["item", "requester_unit", "building"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        parts = [str(p) for p in (self.item, self.requester_unit, self.building) if p]
        return f"{' / '.join(parts) or '*'} → {self.target_unit}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        return _public(user)

    def clean(self) -> None:
        super().clean()
        if self.item_id is None and self.requester_unit_id is None and not self.building:
            raise ValidationError(_("A rule needs a catalogue item, a requester unit or a building."))


class RootCause(BaseModel):
    """A coded fault cause recorded when a ticket is resolved (reports: what breaks, and why)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    group = models.CharField(_("group"), max_length=20, choices=CauseGroup.choices)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["group", "code"]
        verbose_name = _("root cause")
        verbose_name_plural = _("root causes")

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    @classmethod
    def scope(cls, user: Any) -> Q:
        return _public(user)
