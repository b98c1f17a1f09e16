"""Forms of the catalogue pages: items with their extra questions as JSON, routing rules, root causes, SLA
policies edited together with their four targets, and knowledge base articles."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from biys.core.forms import BaseModelForm, FastSelect
from biys.org.models import Unit
from biys.servicedesk.choices import Priority
from biys.servicedesk.models import Article, RootCause, RoutingRule, ServiceCategory, ServiceItem, SlaPolicy, SlaTarget

FIELDS_EXAMPLE = (
    '[{"name": "dahili_no", "label": "Dahili numara", "type": "text", "required": true},\n'
    ' {"name": "sistem", "label": "Sistem", "type": "choice", "choices": ["YBS", "EBYS"]}]'
)
MAX_HOURS = Decimal(10_000)
_CLOCK = re.compile(r"^(\d{1,5}):([0-5]\d)$")


def _units() -> Any:
    return Unit.objects.filter(is_active=True).order_by("path")


class PrettyJSONField(forms.JSONField):
    """JSON in a textarea, indented so a manager can read and edit it; Turkish letters stay letters."""

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, forms.fields.InvalidJSONInput):
            return value
        return json.dumps(value, ensure_ascii=False, indent=2)


class ServiceCategoryForm(BaseModelForm):
    class Meta:
        model = ServiceCategory
        fields = ["name", "icon", "sort_order"]


class ServiceItemForm(BaseModelForm):
    fields = PrettyJSONField(
        label=_("Form fields (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "font-monospace"}),
        help_text=format_lazy(
            _(
                "The extra questions of the request form, as a JSON list. Each has a name (letters, digits, _), "
                "a label, a type (text, number, date, choice, boolean), optionally required, and choices for a "
                "choice. Example: {example}"
            ),
            example=FIELDS_EXAMPLE,
        ),
    )

    class Meta:
        model = ServiceItem
        fields = [
            "category",
            "code",
            "name",
            "description",
            "responsible_unit",
            "sla_policy",
            "default_priority",
            "asks_for_asset",
            "fields",
            "directive_ref",
            "is_active",
            "sort_order",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "responsible_unit": FastSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_unit"].queryset = _units()
        self.fields["sla_policy"].empty_label = _("The default policy")

    def clean_fields(self) -> Any:
        value = self.cleaned_data.get("fields")
        return [] if value in (None, "") else value


class RoutingRuleForm(BaseModelForm):
    class Meta:
        model = RoutingRule
        fields = ["item", "requester_unit", "building", "target_unit", "note"]
        widgets = {"requester_unit": FastSelect, "target_unit": FastSelect}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester_unit"].queryset = _units()
        self.fields["target_unit"].queryset = _units()
        self.fields["item"].queryset = ServiceItem.objects.order_by("name")


class RootCauseForm(BaseModelForm):
    class Meta:
        model = RootCause
        fields = ["code", "name", "group", "is_active"]


class ArticleForm(BaseModelForm):
    class Meta:
        model = Article
        fields = ["title", "summary", "body", "items", "status", "is_internal"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14}), "items": forms.SelectMultiple(attrs={"size": 8})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = ServiceItem.objects.order_by("name")


# --- SLA policies ------------------------------------------------------------------------------------------------


def hours_text(value: timedelta | None) -> str:
    """A duration as hours for a form field: "4", "1,5" (with the language's decimal mark)."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    if seconds % 3600 == 0:
        return str(seconds // 3600)
    text = number_format((Decimal(seconds) / 3600).quantize(Decimal("0.01")), decimal_pos=2)
    return text.rstrip("0")


def parse_hours(text: str) -> timedelta:
    """ "4", "1,5", "1.5" or "1:30" → a duration; raises ValueError for anything else or a negative value."""
    text = (text or "").strip().replace(" ", "")
    clock = _CLOCK.match(text)
    if clock:
        hours = Decimal(clock[1]) + Decimal(clock[2]) / 60
    else:
        try:
            hours = Decimal(text.replace(",", "."))
        except InvalidOperation as exc:
            raise ValueError(text) from exc
    if not hours.is_finite() or hours < 0 or hours > MAX_HOURS:
        raise ValueError(text)
    return timedelta(seconds=int((hours * 3600).to_integral_value()))


class SlaPolicyForm(BaseModelForm):
    """A policy and its four targets (one row per priority) in one form: a gap, a zero or a response slower than
    the resolution is refused, naming the row, and nothing is saved."""

    KINDS = ("response", "resolution")

    class Meta:
        model = SlaPolicy
        fields = ["name", "is_default", "count_half_days", "observe_idari_izin", "pause_on_parts", "warn_percent"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        existing = {t.priority: t for t in self.instance.targets.all()} if self.instance.pk else {}
        labels = {"response": _("Response time (hours)"), "resolution": _("Resolution time (hours)")}
        for priority in Priority:
            target = existing.get(priority.value)
            for kind in self.KINDS:
                self.fields[self.row_field(priority, kind)] = forms.CharField(
                    label=labels[kind],
                    required=False,
                    max_length=12,
                    initial=hours_text(getattr(target, f"{kind}_time")) if target else "",
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "form-control", "size": 6}),
                )
        self.targets: dict[int, tuple[timedelta, timedelta]] = {}

    @staticmethod
    def row_field(priority: Priority, kind: str) -> str:
        return f"{kind}_{priority.value}"

    def target_rows(self) -> list[tuple[Any, Any, Any]]:
        """(priority label, response field, resolution field) for the template's table."""
        return [(p.label, self[self.row_field(p, "response")], self[self.row_field(p, "resolution")]) for p in Priority]

    def clean_is_default(self) -> bool:
        value = bool(self.cleaned_data.get("is_default"))
        other = SlaPolicy.objects.filter(is_default=True).exclude(pk=self.instance.pk).first()
        if value and other is not None:
            raise ValidationError(
                gettext("%(policy)s is already the default policy; clear its default box first.") % {"policy": other}
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for priority in Priority:
            row = self._clean_row(priority, cleaned)
            if row is not None:
                self.targets[priority.value] = row
        return cleaned

    def _clean_row(self, priority: Priority, cleaned: dict[str, Any]) -> tuple[timedelta, timedelta] | None:
        values: dict[str, timedelta] = {}
        what = {"response": gettext("response time"), "resolution": gettext("resolution time")}
        for kind in self.KINDS:
            name = self.row_field(priority, kind)
            raw = (cleaned.get(name) or "").strip()
            params = {"priority": priority.label, "what": what[kind], "value": raw}
            if not raw:
                self.add_error(name, gettext("%(priority)s: enter the %(what)s (a policy may not have gaps).") % params)
                continue
            try:
                values[kind] = parse_hours(raw)
            except ValueError:
                self.add_error(
                    name, gettext("%(priority)s: “%(value)s” is not a number of hours, e.g. 4 or 1,5.") % params
                )
                continue
            if values[kind] <= timedelta(0):
                self.add_error(name, gettext("%(priority)s: the %(what)s must be longer than zero.") % params)
                del values[kind]
        if len(values) < 2:
            return None
        if values["response"] > values["resolution"]:
            self.add_error(
                self.row_field(priority, "response"),
                gettext("%(priority)s: the response time cannot be longer than the resolution time.")
                % {"priority": priority.label},
            )
            return None
        return values["response"], values["resolution"]

    def save(self, commit: bool = True) -> SlaPolicy:
        policy: SlaPolicy = super().save(commit=True)
        current = {t.priority: t for t in policy.targets.all()}
        for priority, (response, resolution) in sorted(self.targets.items()):
            target = current.get(priority) or SlaTarget(policy=policy, priority=priority)
            if target.pk and (target.response_time, target.resolution_time) == (response, resolution):
                continue  # unchanged rows stay out of the change log
            target.response_time, target.resolution_time = response, resolution
            target.full_clean()
            target.save()
        policy.check_complete()
        return policy
