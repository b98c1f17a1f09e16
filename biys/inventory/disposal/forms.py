"""Forms of the write-off and count pages."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.forms import BaseModelForm
from biys.core.views import restrict
from biys.inventory.disposal import counting, services
from biys.inventory.models import Asset, CountSession, DataSanitization, Depot, Location, ScrapProposal
from biys.org.models import Staff

MAX_ASSETS = 500


def active_staff() -> Any:
    return Staff.objects.filter(status__in=(Staff.Status.ACTIVE, Staff.Status.LEAVING)).order_by(
        "last_name", "first_name"
    )


def revalidate(form: forms.BaseForm) -> None:
    """BaseModelForm validates while it is built (to style invalid fields); after narrowing the choices to
    what the user may see, the bound form must be validated again against them."""
    if form.is_bound:
        form._errors = None  # type: ignore[assignment]


def parse_codes(text: str) -> list[str]:
    """Registry numbers typed or scanned one per line (commas, semicolons and spaces also separate them)."""
    codes: list[str] = []
    for code in re.split(r"[\s,;]+", text or ""):
        if code and code not in codes:
            codes.append(code)
    return codes


class ScrapProposalForm(BaseModelForm):
    """A draft Kayıttan Düşme Teklif ve Onay Tutanağı: the items by registry number and the commission."""

    asset_codes = forms.CharField(
        label=_("Assets (registry numbers)"),
        widget=forms.Textarea(attrs={"rows": 5, "autocapitalize": "off", "spellcheck": "false"}),
        help_text=_("One registry number per line; a barcode or QR scanner can type them."),
    )

    class Meta:
        model = ScrapProposal
        fields = ["depot", "date", "disposal", "reason", "asset_codes", "commission", "expert"]
        widgets = {"date": forms.DateInput(), "reason": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "reason": _("For a loss backed by a report (tutanak), name the report here; no commission is needed then."),
            "commission": _("At least three members, one of them the expert (TMY md. 27)."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)
        self.fields["depot"].queryset = restrict(Depot.objects.filter(is_active=True), user)
        self.fields["commission"].queryset = active_staff()
        self.fields["commission"].required = False
        self.fields["expert"].queryset = active_staff()
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
        if self.instance.pk and not self.is_bound:
            self.initial["asset_codes"] = "\n".join(
                self.instance.assets.order_by("sicil_no").values_list("sicil_no", flat=True)
            )
        revalidate(self)

    def clean_asset_codes(self) -> list[Asset]:
        codes = parse_codes(self.cleaned_data["asset_codes"])
        if not codes:
            raise forms.ValidationError(_("Enter at least one registry number."))
        if len(codes) > MAX_ASSETS:
            raise forms.ValidationError(_("At most %(count)d items per proposal.") % {"count": MAX_ASSETS})
        visible = restrict(Asset.objects.filter(sicil_no__in=codes), self.user).select_related("holder")
        found = {asset.sicil_no: asset for asset in visible}
        unknown = [code for code in codes if code not in found]
        if unknown:
            raise forms.ValidationError(_("Not in the register: %(codes)s.") % {"codes": ", ".join(unknown[:20])})
        return [found[code] for code in codes]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        depot, assets = data.get("depot"), data.get("asset_codes")
        if depot is not None and assets:
            for problem in services.asset_problems(assets, depot, self.instance):
                self.add_error("asset_codes", problem)
        expert, commission = data.get("expert"), data.get("commission")
        if expert is not None and commission is not None and expert not in commission:
            self.add_error("expert", _("The expert member must be one of the commission members."))
        return data

    def save(self, commit: bool = True) -> ScrapProposal:
        self.instance.year = self.cleaned_data["date"].year
        return super().save(commit=commit)  # type: ignore[no-any-return]

    def _save_m2m(self) -> None:
        super()._save_m2m()  # type: ignore[misc]
        self.instance.assets.set(self.cleaned_data["asset_codes"])


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("decision"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class SanitizationForm(BaseModelForm):
    """Wipe or destruction evidence of one storage device of a proposal (BİG 3.1.1.6)."""

    class Meta:
        model = DataSanitization
        fields = ["asset", "method", "done_on", "done_by", "tool", "evidence"]
        widgets = {"done_on": forms.DateInput()}

    def __init__(self, *args: Any, proposal: ScrapProposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["asset"].queryset = proposal.assets.filter(kind__has_storage=True).order_by("sicil_no")
        self.fields["done_by"].queryset = active_staff()
        self.fields["evidence"].widget.attrs["accept"] = "application/pdf"
        revalidate(self)

    def clean_done_on(self) -> Any:
        done_on = self.cleaned_data["done_on"]
        if done_on and done_on > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return done_on


class CountSessionForm(BaseModelForm):
    """Open a count (sayım) of a depot or of one shared area, with its count board (TMY md. 32)."""

    class Meta:
        model = CountSession
        fields = ["depot", "location", "date", "board", "freeze_movements"]
        widgets = {"date": forms.DateInput()}
        help_texts = {
            "location": _("Leave empty to count the whole depot and its stock; choose a room for a shared area."),
            "board": _("At least three members, the depot's records officer among them (TMY md. 32)."),
        }

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["depot"].queryset = restrict(Depot.objects.filter(is_active=True), user)
        self.fields["location"].queryset = restrict(Location.objects.all(), user)
        self.fields["board"].queryset = active_staff()
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
        if self.instance.pk:  # the lines were listed from this depot and area when the count opened
            self.fields["depot"].disabled = True
            self.fields["location"].disabled = True
        revalidate(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        depot, board = data.get("depot"), data.get("board")
        if depot is not None and board is not None:
            for problem in counting.board_problems(depot, {member.pk for member in board}):
                self.add_error("board", problem)
        return data


class ScanForm(forms.Form):
    code = forms.CharField(label=_("registry number"), max_length=100)


class QuantityForm(forms.Form):
    quantity = forms.DecimalField(label=_("counted quantity"), min_value=0, max_digits=12, decimal_places=3)
