"""Forms of the review queue: link a reported machine to an asset, or register it as a new one."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.forms import bootstrap
from biys.core.views import restrict
from biys.inventory.models import Asset, AssetKind, Depot
from biys.org.models import Unit


class LinkForm(forms.Form):
    sicil_no = forms.CharField(label=_("Registry number"), max_length=40)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        bootstrap(self)

    def clean_sicil_no(self) -> Asset:
        sicil_no = self.cleaned_data["sicil_no"].strip()
        asset: Asset | None = restrict(Asset.objects.filter(sicil_no=sicil_no), self.user).first()
        if asset is None:
            raise forms.ValidationError(_("No asset with registry number %(sicil_no)s."), params={"sicil_no": sicil_no})
        return asset


class RegisterForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=AssetKind.objects.none())
    depot = forms.ModelChoiceField(label=_("Depot"), queryset=Depot.objects.none())
    owner_unit = forms.ModelChoiceField(label=_("Owner unit"), queryset=Unit.objects.none())
    entry_year = forms.IntegerField(label=_("Entry year"), min_value=1950, max_value=2100)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = {
            "kind": AssetKind.objects.select_related("tasinir_code").order_by("name"),
            "depot": restrict(Depot.objects.filter(is_active=True), user).order_by("name"),
            "owner_unit": restrict(Unit.objects.filter(is_active=True), user).order_by("path"),
        }
        for name, queryset in choices.items():
            cast("forms.ModelChoiceField[Any]", self.fields[name]).queryset = queryset
        self.fields["entry_year"].initial = timezone.localdate().year
        bootstrap(self)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            bootstrap(self)
