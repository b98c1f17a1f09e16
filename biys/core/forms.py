from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe


def bootstrap(form: forms.BaseForm, mark_errors: bool = True) -> None:
    """Give every widget the Bootstrap class it needs; errors mark the field invalid.

    ``mark_errors=False`` must be used before validation (in ``__init__``): reading ``form.errors``
    validates the form at once, before a subclass has narrowed its querysets.
    """
    for name, field in form.fields.items():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        if mark_errors and form.is_bound and name in form.errors:
            css += " is-invalid"
        widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


class BaseModelForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form with Bootstrap widgets and an optimistic-concurrency token.

    ``_version`` carries the row's ``updated_at`` as it was when the form was shown; the edit
    view refuses to save if someone else saved the row in between.
    """

    _version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["_version"].initial = self.instance.updated_at.isoformat()
        bootstrap(self, mark_errors=False)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            bootstrap(self)


class FastSelect(forms.Select):
    """A single select rendered in one pass. Django renders one template per option (~30 µs each), which
    costs a 300-unit filter list ~10 ms on every page; option groups are not supported here."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = {str(value)} if value not in (None, "") else set()
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((str(v), mark_safe(" selected") if str(v) in chosen else "", label) for v, label in self.choices),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class ListedChoiceIterator(ModelChoiceIterator):  # type: ignore[type-arg]
    """A select's model choices read with one plain query, kept on the field's queryset.

    Django's iterator reads them through ``QuerySet.iterator()``, which on PostgreSQL opens a server-side cursor
    (DECLARE, FETCH, CLOSE: three round trips) and reads again each time the choices are drawn or checked; the
    choices of a form are a short list.
    """

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A ModelChoiceField whose choices are read once per form (see ``ListedChoiceIterator``)."""

    iterator = ListedChoiceIterator
