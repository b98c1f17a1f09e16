from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from biys.core.forms import BaseModelForm, bootstrap
from biys.org.models import (
    Departure,
    Directive,
    DirectiveReview,
    DirectiveVersion,
    Duty,
    DutyAssignment,
    Leave,
    Municipality,
    Position,
    Staff,
    Unit,
)


class MunicipalityForm(BaseModelForm):
    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")

    class Meta:
        model = Municipality
        fields = ["name", "short_name", "kind", "detsis_no", "logo", "address", "phone", "email", "website"]


class UnitForm(BaseModelForm):
    class Meta:
        model = Unit
        fields = [
            "name",
            "short_name",
            "code",
            "kind",
            "parent",
            "is_it",
            "manager",
            "building",
            "location",
            "phone",
            "email",
            "detsis_no",
            "is_active",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.order_by("path")
        self.fields["manager"].queryset = Staff.objects.filter(status=Staff.Status.ACTIVE).select_related("unit")


class PositionForm(BaseModelForm):
    class Meta:
        model = Position
        fields = ["name", "unit", "is_head", "description"]


class StaffForm(BaseModelForm):
    class Meta:
        model = Staff
        fields = [
            "first_name",
            "last_name",
            "tckn",
            "registry_no",
            "title",
            "unit",
            "position",
            "work_phone",
            "mobile_phone",
            "email",
            "start_date",
            "end_date",
            "user",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.order_by("path")
        self.fields["position"].queryset = Position.objects.select_related("unit")

    def clean_tckn(self) -> str | None:
        return self.cleaned_data.get("tckn") or None

    def clean_registry_no(self) -> str | None:
        return self.cleaned_data.get("registry_no") or None


class LeaveForm(BaseModelForm):
    class Meta:
        model = Leave
        fields = ["staff", "kind", "start_date", "end_date", "note"]


class DirectiveForm(BaseModelForm):
    class Meta:
        model = Directive
        fields = ["title", "source_name", "kind", "unit"]


class DirectiveVersionForm(BaseModelForm):
    class Meta:
        model = DirectiveVersion
        fields = ["directive", "label", "effective_date", "approval", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 16})}


class DutyForm(BaseModelForm):
    class Meta:
        model = Duty
        fields = ["directive", "ref", "article", "paragraph", "item", "text", "unit", "is_sensitive", "is_active"]


class DutyAssignmentForm(BaseModelForm):
    class Meta:
        model = DutyAssignment
        fields = ["duty", "staff", "deputy", "valid_from", "valid_until", "note"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        active = Staff.objects.filter(status=Staff.Status.ACTIVE, unit__is_it=True)
        self.fields["staff"].queryset = active
        self.fields["deputy"].queryset = active
        self.fields["duty"].queryset = Duty.objects.filter(is_active=True)


class DirectiveReviewForm(BaseModelForm):
    class Meta:
        model = DirectiveReview
        fields = ["directive", "reviewed_on", "reviewer", "outcome", "note"]


class DepartureForm(BaseModelForm):
    class Meta:
        model = Departure
        fields = ["staff", "reason", "last_day", "successor", "chief", "chief_report"]


class DirectiveTextImportForm(forms.Form):
    text = forms.CharField(label=_("Directive text"), widget=forms.Textarea(attrs={"rows": 12}), required=False)
    file = forms.FileField(label=_("or a text file (UTF-8)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > 2 * 1024 * 1024:
                raise forms.ValidationError(_("The file is larger than 2 MB."))
            try:
                data["text"] = upload.read().decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise forms.ValidationError(_("The file is not UTF-8 text.")) from exc
        if not (data.get("text") or "").strip():
            raise forms.ValidationError(_("Paste the directive text or choose a file."))
        return data
