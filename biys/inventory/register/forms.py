from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum.tr import vkn

from biys.core.forms import BaseModelForm, bootstrap
from biys.core.views import restrict
from biys.inventory.models import Asset, AssetKind, Contract, Depot, Location, TasinirCode
from biys.inventory.register import services
from biys.org.models import Staff, Unit

# Statuses a person may set by hand; the others follow from documents (custody, VİF, scrapping, checklist).
MANUAL_STATUSES = (
    Asset.Status.IN_DEPOT,
    Asset.Status.IN_USE,
    Asset.Status.IN_REPAIR,
    Asset.Status.AT_VENDOR,
    Asset.Status.LENT,
)


def add_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Put a service's errors on the form's fields; errors about other fields go on top."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def active_staff() -> Any:
    return Staff.objects.filter(status__in=[Staff.Status.ACTIVE, Staff.Status.LEAVING]).order_by(
        "last_name", "first_name"
    )


class NarrowedModelForm(BaseModelForm):
    """BaseModelForm validates a bound form inside its own ``__init__`` (``bootstrap`` reads the errors),
    before a subclass narrows querysets and choices; ``narrowed()`` makes the form validate again."""

    def narrowed(self) -> None:
        if self.is_bound:
            self._errors = None


class TasinirCodeField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A code typed as text ("255.02.01.01.02"): a select of 3,000 codes would be unusable."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Taşınır code"))
        kwargs.setdefault("help_text", _("Type the code, e.g. 255.02.01.01.02; see the Taşınır code list."))
        super().__init__(
            queryset=TasinirCode.objects.filter(is_active=True),
            to_field_name="code",
            widget=forms.TextInput(attrs={"placeholder": "255.02.01.01.02", "inputmode": "decimal"}),
            error_messages={"invalid_choice": _("No Taşınır code in force has this number.")},
            **kwargs,
        )

    def to_python(self, value: Any) -> Any:
        return super().to_python(value.strip() if isinstance(value, str) else value)


class AssetKindForm(BaseModelForm):
    tasinir_code = TasinirCodeField()

    class Meta:
        model = AssetKind
        fields = ["name", "category", "tasinir_code", "unit_of_measure", "needs_commissioning", "has_storage"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["tasinir_code"] = self.instance.tasinir_code.code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        try:
            services.check_kind_code(data.get("category", ""), data.get("tasinir_code"))
        except ValidationError as exc:
            add_errors(self, exc)
        return data


class DepotForm(NarrowedModelForm):
    class Meta:
        model = Depot
        fields = ["unit", "institutional_code", "code", "name", "records_officer", "control_officer", "is_active"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["records_officer"].queryset = active_staff()
        self.fields["control_officer"].queryset = active_staff()
        self.narrowed()

    def clean_code(self) -> str:
        return str(self.cleaned_data.get("code") or "").strip().upper()


class LocationForm(NarrowedModelForm):
    class Meta:
        model = Location
        fields = ["unit", "building", "floor", "room", "responsible"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["responsible"].queryset = active_staff()
        self.narrowed()


class ContractForm(BaseModelForm):
    class Meta:
        model = Contract
        fields = ["name", "vendor", "vendor_tax_no", "contact", "start_date", "end_date", "coverage"]
        widgets = {"coverage": forms.Textarea(attrs={"rows": 4})}

    def clean_vendor_tax_no(self) -> str:
        value = str(self.cleaned_data.get("vendor_tax_no") or "").strip()
        if value and not vkn.is_valid(value):
            raise ValidationError(_("This is not a valid tax number (VKN: 10 digits with a check digit)."))
        return value


class ParentSicilField(forms.CharField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            label=_("Attached to (sicil no)"),
            required=False,
            help_text=_("The computer a monitor or peripheral belongs to; leave empty for a stand-alone asset."),
            **kwargs,
        )


def find_parent(user: Any, sicil_no: str) -> Asset | None:
    sicil_no = sicil_no.strip()
    if not sicil_no:
        return None
    parent: Asset | None = restrict(Asset.objects.all(), user).filter(sicil_no=sicil_no).first()
    if parent is None:
        raise ValidationError(_("No asset you can see has the sicil no %(sicil)s.") % {"sicil": sicil_no})
    return parent


class AssetForm(NarrowedModelForm):
    """Editing a registered asset. The sicil no, code, kind, entry year and depot are fixed at registration
    (TMY md. 36: the number is marked on the item for good; depot moves go through a VİF)."""

    parent_sicil_no = ParentSicilField()

    class Meta:
        model = Asset
        fields = [
            "name",
            "brand",
            "model",
            "serial",
            "specifications",
            "status",
            "owner_unit",
            "location",
            "invoice_no",
            "invoice_date",
            "price",
            "supplier",
            "acceptance_report",
            "warranty_end",
            "contract",
            "hostname",
            "ip_address",
            "mac_address",
            "hardware_uuid",
            "is_approved",
        ]
        widgets = {"specifications": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        self.user = user
        instance = kwargs.get("instance")
        self.stored_status = instance.status if instance is not None else Asset.Status.IN_DEPOT
        super().__init__(*args, **kwargs)
        self.fields["owner_unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["location"].queryset = Location.objects.order_by("building", "floor", "room")
        status = self.fields["status"]
        if self.stored_status in MANUAL_STATUSES:
            status.choices = [(value, label) for value, label in Asset.Status.choices if value in MANUAL_STATUSES]
        else:
            status.disabled = True
            status.help_text = _("Set by its documents (commissioning, VİF, scrapping); not editable here.")
        if self.instance.parent_id and not self.is_bound:
            self.initial["parent_sicil_no"] = self.instance.parent.sicil_no
        self.narrowed()

    def clean_mac_address(self) -> str:
        return services.normalize_mac(self.cleaned_data.get("mac_address"))

    def clean_serial(self) -> str:
        serial = str(self.cleaned_data.get("serial") or "").strip()
        other = Asset.objects.filter(serial=serial).exclude(pk=self.instance.pk).first() if serial else None
        if other is not None:
            raise ValidationError(_("Serial number already registered as %(sicil)s.") % {"sicil": other.sicil_no})
        return serial

    def clean_parent_sicil_no(self) -> str:
        value = str(self.cleaned_data.get("parent_sicil_no") or "")
        parent = find_parent(self.user, value)
        try:
            services.check_parent(self.instance, parent)
        except ValidationError as exc:
            raise ValidationError(exc.messages) from exc
        self.instance.parent = parent
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") == Asset.Status.IN_DEPOT and self.instance.holder_id:
            self.add_error("status", _("It is held by someone; take it back with its Taşınır Teslim Belgesi first."))
        return data


REGISTER_SECTIONS = (
    (_("What and where"), ("kind", "depot", "owner_unit", "entry_year", "quantity", "location", "parent_sicil_no")),
    (_("Description"), ("name", "brand", "model", "serials", "specifications")),
    (
        _("Purchase (TMY md. 15)"),
        ("invoice_no", "invoice_date", "price", "supplier", "acceptance_report", "warranty_end", "contract"),
    ),
    (
        _("Network and approval (BİG 3.1.1.2), single items only"),
        ("hostname", "ip_address", "mac_address", "is_approved"),
    ),
    (_("Varlık İşlem Fişi"), ("create_voucher", "voucher_date")),
)


class AssetRegisterForm(forms.Form):
    """Registering one or more identical items from one purchase (TMY md. 15, 36)."""

    kind = forms.ModelChoiceField(queryset=AssetKind.objects.none(), label=_("Kind"))
    depot = forms.ModelChoiceField(queryset=Depot.objects.none(), label=_("Depot"))
    owner_unit = forms.ModelChoiceField(queryset=Unit.objects.none(), label=_("Owner unit"))
    entry_year = forms.IntegerField(label=_("Entry year"), min_value=1950)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=services.MAX_BATCH, initial=1)
    name = forms.CharField(label=_("Name"), max_length=200, required=False, help_text=_("Default: the kind's name."))
    brand = forms.CharField(label=_("Brand"), max_length=80, required=False)
    model = forms.CharField(label=_("Model"), max_length=120, required=False)
    serials = forms.CharField(
        label=_("Serial numbers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line, as many as the quantity (or none)."),
    )
    specifications = forms.CharField(
        label=_("Specifications"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    location = forms.ModelChoiceField(queryset=Location.objects.none(), label=_("Location"), required=False)
    parent_sicil_no = ParentSicilField()
    invoice_no = forms.CharField(label=_("Invoice number"), max_length=40, required=False)
    invoice_date = forms.DateField(label=_("Invoice date"), required=False, widget=forms.DateInput)
    price = forms.DecimalField(label=_("Unit price (TL)"), max_digits=14, decimal_places=2, min_value=0, required=False)
    supplier = forms.CharField(label=_("Supplier"), max_length=200, required=False)
    acceptance_report = forms.CharField(label=_("Inspection and acceptance report"), max_length=60, required=False)
    warranty_end = forms.DateField(label=_("Warranty end"), required=False, widget=forms.DateInput)
    contract = forms.ModelChoiceField(queryset=Contract.objects.none(), label=_("Maintenance contract"), required=False)
    hostname = forms.CharField(label=_("Host name"), max_length=120, required=False)
    ip_address = forms.GenericIPAddressField(label=_("IP address"), required=False)
    mac_address = forms.CharField(label=_("MAC address"), max_length=17, required=False)
    is_approved = forms.BooleanField(label=_("Approved by the institution"), required=False, initial=True)
    create_voucher = forms.BooleanField(
        label=_("Also prepare the purchase VİF (draft)"),
        required=False,
        help_text=_("One line per asset; needs invoice number, date and price."),
    )
    voucher_date = forms.DateField(label=_("VİF date"), required=False, widget=forms.DateInput)

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"].queryset = AssetKind.objects.exclude(category=AssetKind.Category.CONSUMABLE).exclude(
            tasinir_code__code__startswith="150"
        )
        self.fields["depot"].queryset = restrict(Depot.objects.filter(is_active=True), user)
        self.fields["owner_unit"].queryset = Unit.objects.filter(is_active=True).order_by("path")
        self.fields["location"].queryset = Location.objects.order_by("building", "floor", "room")
        self.fields["contract"].queryset = Contract.objects.all()
        today = timezone.localdate()
        self.fields["entry_year"].initial = today.year
        self.fields["voucher_date"].initial = today
        bootstrap(self)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            bootstrap(self)

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(str(title), [self[name] for name in names]) for title, names in REGISTER_SECTIONS]

    def clean_serials(self) -> list[str]:
        return [line.strip() for line in str(self.cleaned_data.get("serials") or "").splitlines() if line.strip()]

    def clean_mac_address(self) -> str:
        return services.normalize_mac(self.cleaned_data.get("mac_address"))

    def clean_parent_sicil_no(self) -> Asset | None:
        return find_parent(self.user, str(self.cleaned_data.get("parent_sicil_no") or ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("create_voucher"):
            for name in ("invoice_no", "invoice_date", "price", "voucher_date"):
                if data.get(name) in (None, ""):
                    self.add_error(name, _("Needed for the purchase VİF."))
        return data

    def registration_fields(self) -> dict[str, Any]:
        """Keyword arguments for ``services.register_assets``."""
        data = self.cleaned_data
        fields = {
            name: data[name]
            for name in (
                "brand",
                "model",
                "specifications",
                "location",
                "invoice_no",
                "invoice_date",
                "price",
                "supplier",
                "acceptance_report",
                "warranty_end",
                "contract",
                "hostname",
                "ip_address",
                "mac_address",
                "is_approved",
            )
        }
        if data.get("name"):
            fields["name"] = data["name"]
        return {
            **fields,
            "parent": data.get("parent_sicil_no"),
            "serials": data["serials"],
            "voucher_date": data["voucher_date"] if data.get("create_voucher") else None,
        }


class CommissioningForm(forms.Form):
    tested = forms.BooleanField(label=_("Tested"), required=False)
    installed = forms.BooleanField(label=_("Operating system and software installed"), required=False)
    network_registered = forms.BooleanField(label=_("Registered on the network"), required=False)
    done_by = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("Done by"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        it_staff = Q(unit__is_it=True) | Q(user_id=getattr(user, "pk", None))
        self.fields["done_by"].queryset = active_staff().filter(it_staff)
        bootstrap(self)

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            bootstrap(self)
