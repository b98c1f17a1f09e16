"""Forms of the movement pages: VİF header and lines, İstek Belgesi, stock items and the workflow steps."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.forms import BaseModelForm, bootstrap
from biys.core.models import sees_all_units
from biys.core.views import restrict
from biys.inventory import vouchers
from biys.inventory.models import Asset, Depot, StockItem, StockRequest, TasinirCode, Voucher
from biys.inventory.movements import orders, services
from biys.org.models import Unit


def limit(field: forms.Field, queryset: QuerySet[Any]) -> None:
    """Narrow the choices of a model choice field."""
    cast(forms.ModelChoiceField, field).queryset = queryset  # type: ignore[type-arg]


def visible_depots(user: Any) -> QuerySet[Depot]:
    """Depots whose VİFs and stock the user keeps: the same rule as the VİF scope (TMY staff see all)."""
    depots = Depot.objects.filter(is_active=True).order_by("institutional_code", "code")
    if sees_all_units(user) or user.has_perm("inventory.view_all_assets"):
        return depots
    return restrict(depots, user)


class AmountField(forms.DecimalField):
    """A decimal typed the Turkish way (1.250,50) or the plain way (1250.50)."""

    widget = forms.TextInput

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "decimal")

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
            if "," in value:
                value = value.replace(".", "").replace(",", ".")
        return super().to_python(value)


class StockItemChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: StockItem) -> str:
        return f"{obj.depot.code} · {obj.name} ({obj.unit_of_measure})"


class TasinirCodeField(forms.CharField):
    """A Taşınır code typed as text ("150.01.04.01"), cleaned to the code row in force."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("label", _("Taşınır code"))
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("placeholder", "150.01.04.01")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, TasinirCode):
            return value.code
        if isinstance(value, int):
            return TasinirCode.objects.filter(pk=value).values_list("code", flat=True).first() or ""
        return value

    def clean(self, value: Any) -> TasinirCode | None:
        text = super().clean(value)
        if not text:
            return None
        code = TasinirCode.objects.filter(code=text).first()
        if code is None:
            raise ValidationError(_("There is no Taşınır code “%(code)s”."), params={"code": text}, code="unknown")
        if not code.is_active:
            raise ValidationError(_("Taşınır code %(code)s is no longer in force."), params={"code": text})
        return code


def _asset_by_sicil(form: forms.Form, sicil: str) -> Asset | None:
    if not sicil:
        return None
    asset = Asset.objects.select_related("kind", "tasinir_code").filter(sicil_no=sicil).first()
    if asset is None:
        form.add_error("sicil_no", _("There is no asset with registry number “%(sicil)s”.") % {"sicil": sicil})
    return asset


# --- VİF ------------------------------------------------------------------------------------------------


class VoucherForm(BaseModelForm):
    """The VİF header; direction and fiscal year follow from the kind and the date."""

    class Meta:
        model = Voucher
        fields = ["depot", "kind", "date", "source_document", "source_date", "counterparty", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        depots = visible_depots(user)
        limit(self.fields["depot"], depots)
        if not self.instance.pk and not self.is_bound:
            only = depots[:2]
            self.fields["depot"].initial = only[0].pk if len(only) == 1 else None
        kinds = [c for c in Voucher.Kind.choices if c[0] not in services.WORKFLOW_KINDS]
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds
        self.fields["date"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        if data.get("date"):
            self.instance.fiscal_year = data["date"].year
        if data.get("kind"):
            self.instance.direction = vouchers.direction_of(data["kind"])
        return data

    def header(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {name: data[name] for name in ("source_document", "source_date", "counterparty", "note")}


class VoucherLineForm(forms.Form):
    """One VİF line: a Taşınır code typed as text, or a stock item or an asset that brings its own code."""

    tasinir_code = TasinirCodeField(required=False)
    description = forms.CharField(label=_("description"), max_length=200, required=False)
    unit_of_measure = forms.CharField(label=_("unit of measure"), max_length=20, required=False)
    quantity = AmountField(label=_("quantity"), max_digits=12, decimal_places=3, min_value=Decimal("0.001"))
    unit_price = AmountField(label=_("unit price"), max_digits=14, decimal_places=2, min_value=Decimal(0))
    stock_item = StockItemChoiceField(label=_("stock item"), queryset=StockItem.objects.none(), required=False)
    sicil_no = forms.CharField(label=_("registry number"), max_length=40, required=False)

    def __init__(self, *args: Any, user: Any, depot: Depot | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = StockItem.objects.select_related("depot").order_by("depot__code", "name")
        if depot is not None:
            items = items.filter(depot=depot)
        limit(self.fields["stock_item"], restrict(items, user))
        bootstrap(self)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        item: StockItem | None = data.get("stock_item")
        asset = _asset_by_sicil(self, data.get("sicil_no", ""))
        if item is not None and asset is not None:
            raise ValidationError(_("A line names either a stock item or an asset, not both."))
        source = item or asset
        code = data.get("tasinir_code") or (source.tasinir_code if source else None)
        if code is None and not self.has_error("tasinir_code"):
            self.add_error("tasinir_code", _("Type the Taşınır code, or choose a stock item or an asset."))
        unit_of_measure = item.unit_of_measure if item else asset.kind.unit_of_measure if asset else "Adet"
        data["code"], data["asset"] = code, asset
        data["description"] = data.get("description") or (source.name if source else code.name if code else "")
        data["unit_of_measure"] = data.get("unit_of_measure") or unit_of_measure
        return data

    def line(self) -> vouchers.Line:
        data = self.cleaned_data
        return vouchers.Line(
            tasinir_code=data["code"],
            description=data["description"],
            quantity=data["quantity"],
            unit_price=data["unit_price"],
            unit_of_measure=data["unit_of_measure"],
            asset=data["asset"],
            stock_item=data.get("stock_item"),
        )


VoucherLineFormSet = forms.formset_factory(VoucherLineForm, extra=4, max_num=200, validate_max=True)


def filled(formset: forms.BaseFormSet) -> list[Any]:  # type: ignore[type-arg]
    """The forms of a valid formset that the user filled in, in page order."""
    return [form for form in formset.forms if form.has_changed()]


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("reason for the reversal"), widget=forms.Textarea(attrs={"rows": 3}))
    date = forms.DateField(label=_("date of the reversing VİF"), required=False, widget=forms.DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        bootstrap(self)


# --- Stock items -------------------------------------------------------------------------------------------


class StockItemForm(BaseModelForm):
    tasinir_code = TasinirCodeField()
    reorder_level = AmountField(label=_("reorder level"), max_digits=12, decimal_places=3, min_value=Decimal(0))

    class Meta:
        model = StockItem
        fields = ["depot", "tasinir_code", "name", "part_number", "unit_of_measure", "reorder_level"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self.fields["depot"], visible_depots(user))


# --- Taşınır İstek Belgesi ------------------------------------------------------------------------------


class StockRequestForm(BaseModelForm):
    """The request header; the asking person and unit come from the signed-in user."""

    class Meta:
        model = StockRequest
        fields = ["depot", "purpose"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Any unit may ask any depot: the list of depots is not private.
        limit(self.fields["depot"], Depot.objects.filter(is_active=True).order_by("institutional_code", "code"))


class RequestLineForm(forms.Form):
    stock_item = StockItemChoiceField(label=_("stock item"), queryset=StockItem.objects.none(), required=False)
    sicil_no = forms.CharField(label=_("or a specific asset (registry number)"), max_length=40, required=False)
    quantity = AmountField(
        label=_("quantity"), max_digits=12, decimal_places=3, min_value=Decimal("0.001"), initial=Decimal(1)
    )
    note = forms.CharField(label=_("note"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        items = StockItem.objects.filter(depot__is_active=True).select_related("depot").order_by("depot__code", "name")
        limit(self.fields["stock_item"], items)
        bootstrap(self)

    def has_changed(self) -> bool:
        # A row is filled in when it names something; the pre-filled quantity alone is not a line.
        return any(self[name].value() for name in ("stock_item", "sicil_no", "note"))

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        data["asset"] = _asset_by_sicil(self, data.get("sicil_no", ""))
        if (data.get("stock_item") is None) == (data["asset"] is None) and not self.has_error("sicil_no"):
            raise ValidationError(_("Choose a stock item or type the registry number of one asset."))
        return data

    def wanted(self) -> orders.Wanted:
        data = self.cleaned_data
        return orders.Wanted(
            quantity=data["quantity"], stock_item=data.get("stock_item"), asset=data["asset"], note=data["note"]
        )


RequestLineFormSet = forms.formset_factory(RequestLineForm, extra=4, max_num=100, validate_max=True)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("reason for the rejection"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bootstrap(self)


class TransferOutForm(forms.Form):
    counterparty = forms.CharField(label=_("institution the items are given to"), max_length=200)
    date = forms.DateField(label=_("date of the VİF"), required=False, widget=forms.DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()
        bootstrap(self)


class UnitTransferForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("new owner unit"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit(self.fields["unit"], Unit.objects.filter(is_active=True).order_by("path"))
        bootstrap(self)
