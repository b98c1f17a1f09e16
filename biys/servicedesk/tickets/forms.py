"""Ticket forms. They parse and narrow choices to what the user may pick; the rules live in ``services``,
whose ValidationErrors are put back on the form field they name (``apply_errors``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.forms import BaseModelForm, FastSelect, ListedModelChoiceField, bootstrap
from biys.core.models import in_subtree
from biys.core.views import restrict
from biys.inventory.models import Asset, Contract, Location, StockItem
from biys.org.models import Staff, Unit
from biys.servicedesk import services
from biys.servicedesk.choices import WAITING_STATUSES, Channel, FieldType, FollowUpKind, Impact, Priority
from biys.servicedesk.models import RootCause, ServiceItem, Ticket

DATETIME_INPUT = {"type": "datetime-local"}
DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
# A service form may end a little after "now": the technician's watch and the server's clock differ.
INTERVENTION_CLOCK_SKEW = timedelta(minutes=5)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by ``services.validate_upload`` (the message names it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        uploads = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        errors: list[str] = []
        cleaned = []
        for upload in uploads:
            upload = super().clean(upload, initial)
            try:
                services.validate_upload(upload)
            except ValidationError as exc:
                errors.extend(exc.messages)
            cleaned.append(upload)
        if errors:
            raise ValidationError(errors)
        return cleaned


def style(form: forms.BaseForm, mark_errors: bool = True) -> None:
    """Bootstrap classes; radio buttons and check lists are laid out by the template, one input each."""
    bootstrap(form, mark_errors=mark_errors)
    for field in form.fields.values():
        if isinstance(field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
            field.widget.attrs["class"] = "form-check-input"


class Form(forms.Form):
    """Bootstrap widgets; ``configure`` narrows querysets before the form is validated."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.configure()
        style(self, mark_errors=False)

    def configure(self) -> None:
        """Set the user's choices."""

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            style(self)


class VersionedForm(Form):
    """A form acting on a ticket: carries the ticket's ``_version`` token (its updated_at when shown)."""

    _version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, ticket: Ticket, user: Any, **kwargs: Any) -> None:
        self.ticket, self.user = ticket, user
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["_version"].initial = ticket.updated_at.isoformat()

    def action_data(self) -> dict[str, Any]:
        """The keyword arguments of ``services.act`` for this form's action."""
        return {}


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the fields it names; unknown keys become form errors with the
    field's name in front, so no message loses its subject."""
    if not hasattr(exc, "error_dict"):
        for message in exc.messages:
            form.add_error(None, message)
        return
    for field, errors in exc.message_dict.items():
        for message in errors:
            if field in form.fields:
                form.add_error(field, message)
            elif field == NON_FIELD_ERRORS:
                form.add_error(None, message)
            else:
                form.add_error(None, f"{field_label(field)}: {message}")


def field_label(name: str) -> str:
    try:
        field = Ticket._meta.get_field(name)
    except Exception:
        return name.replace("_", " ").capitalize()
    return str(getattr(field, "verbose_name", name)).capitalize()


def error_messages(form: forms.Form) -> list[str]:
    """Every error of a form, each with the label of its field (for flash messages)."""
    result = []
    for name, errors in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        for message in errors:
            result.append(f"{label}: {message}" if label and name != NON_FIELD_ERRORS else str(message))
    return result


# --- Intake ------------------------------------------------------------------------------------------------


def item_fields(item: ServiceItem) -> dict[str, forms.Field]:
    """The catalogue item's extra questions as form fields named ``form_<name>`` (the keys of the service's
    errors). Values are passed to ``services.clean_form_data`` as typed; it checks them again."""
    result: dict[str, forms.Field] = {}
    for spec in item.fields or []:
        label = str(spec.get("label") or spec["name"])
        required = bool(spec.get("required"))
        kind = spec.get("type", FieldType.TEXT)
        messages = {"required": _("%(field)s is required.") % {"field": label}}
        field: forms.Field
        if kind == FieldType.NUMBER:
            widget = forms.NumberInput(attrs={"step": "any", "inputmode": "decimal"})
            field = forms.CharField(label=label, required=required, widget=widget, error_messages=messages)
        elif kind == FieldType.DATE:
            field = forms.CharField(label=label, required=required, widget=forms.DateInput(), error_messages=messages)
        elif kind == FieldType.CHOICE:
            choices = [("", "—"), *((str(c), str(c)) for c in spec.get("choices", []))]
            messages["invalid_choice"] = _("%(field)s: choose one of the listed values.") % {"field": label}
            field = forms.ChoiceField(label=label, required=required, choices=choices, error_messages=messages)
        elif kind == FieldType.BOOLEAN:
            field = forms.BooleanField(label=label, required=False)
        else:
            field = forms.CharField(label=label, required=required, max_length=2000, error_messages=messages)
        field.help_text = str(spec.get("help", ""))
        result[f"form_{spec['name']}"] = field
    return result


def held_assets(staff: Staff | None, user: Any) -> QuerySet[Asset]:
    """The devices a person holds now (open lines of their Taşınır Teslim Belgeleri), as the user may see them."""
    if staff is None:
        return Asset.objects.none()
    held = Asset.objects.filter(custody_items__returned_at__isnull=True, custody_items__document__staff=staff)
    return restrict(held, user).select_related("kind").order_by("sicil_no").distinct()


def location_choices(user: Any, unit: Unit | None = None) -> QuerySet[Location]:
    """Locations the user may see, and those of the requester's unit (IT staff record requests for anyone)."""
    query = Location.scope(user)
    if unit is not None and unit.path and user.has_perm("servicedesk.work_ticket"):
        query |= in_subtree("unit", unit.path)
    return Location.objects.filter(query).order_by("building", "floor", "room")


class _IntakeForm(Form):
    title = forms.CharField(label=_("Subject"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What happens, since when, any error message."),
    )
    impact = forms.ChoiceField(label=_("Who is affected"), choices=Impact.choices, initial=Impact.PERSON)
    location = forms.ModelChoiceField(
        label=_("Location"), queryset=Location.objects.none(), required=False, widget=FastSelect
    )
    contact_phone = forms.CharField(label=_("Contact phone (work)"), max_length=40, required=False)
    uploads = MultipleFileField(
        label=_("Files"), help_text=_("Screenshots, error logs, PDF: several files may be chosen at once.")
    )

    def __init__(self, *args: Any, item: ServiceItem, user: Any, staff: Staff | None, **kwargs: Any) -> None:
        self.item, self.user, self.person = item, user, staff
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        unit = self.person.unit if self.person is not None else None
        location = cast(forms.ModelChoiceField, self.fields["location"])  # type: ignore[type-arg]
        location.queryset = location_choices(self.user, unit)
        location.empty_label = "—"
        self.fields.update(item_fields(self.item))

    def form_data(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {spec["name"]: data.get(f"form_{spec['name']}") for spec in self.item.fields or []}

    def extra_field_names(self) -> list[str]:
        return [f"form_{spec['name']}" for spec in self.item.fields or []]


class NewTicketForm(_IntakeForm):
    """A request from the portal: the requester asks for a catalogue item for themselves."""

    assets = forms.ModelMultipleChoiceField(
        label=_("Device"),
        queryset=Asset.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The devices you hold (your Taşınır Teslim Belgesi) that this is about."),
    )

    def configure(self) -> None:
        super().configure()
        if self.item.asks_for_asset:
            field = cast(forms.ModelMultipleChoiceField, self.fields["assets"])  # type: ignore[type-arg]
            field.queryset = held_assets(self.person, self.user)
        else:
            del self.fields["assets"]


def agent_staff(user: Any) -> QuerySet[Staff]:
    """People an agent may record a request for: IT staff serve every unit."""
    if user.has_perm("servicedesk.work_ticket"):
        return Staff.objects.all()
    return restrict(Staff.objects.all(), user)


class AgentTicketForm(_IntakeForm):
    """A phone or walk-in request recorded by IT staff on behalf of a staff member."""

    staff = forms.ModelChoiceField(label=_("Requester"), queryset=Staff.objects.none())
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[(Channel.PHONE, Channel.PHONE.label), (Channel.WALK_IN, Channel.WALK_IN.label)]
    )
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)

    def configure(self) -> None:
        super().configure()
        cast(forms.ModelChoiceField, self.fields["staff"]).queryset = agent_staff(self.user).filter(  # type: ignore[type-arg]
            status__in=(Staff.Status.ACTIVE, Staff.Status.LEAVING)
        )
        self.fields["priority"].initial = self.item.default_priority


# --- The ticket's own fields ---------------------------------------------------------------------------------


class TicketForm(BaseModelForm):
    """What IT staff may correct on a ticket; state, queue and priority change only through actions."""

    class Meta:
        model = Ticket
        fields = ["title", "description", "impact", "location", "contact_phone"]
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "location": FastSelect}

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        location = cast(forms.ModelChoiceField, self.fields["location"])  # type: ignore[type-arg]
        location.queryset = location_choices(user, self.instance.requester_unit if self.instance.pk else None)
        location.empty_label = "—"


# --- Actions (services.act) ----------------------------------------------------------------------------------


def workers_of(unit: Unit, user: Any) -> QuerySet[Any]:
    """Active users who work tickets in the unit's subtree (who a ticket of this queue may be assigned to),
    among the users ``user`` may see."""
    perm = Permission.objects.filter(content_type__app_label="servicedesk", codename="work_ticket")
    users = (
        get_user_model()
        .objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=perm) | Q(user_permissions__in=perm) | Q(is_superuser=True))
    )
    users = restrict(users.filter(in_subtree("unit", unit.path)), user)
    return users.distinct().order_by("first_name", "last_name", "username")


class UserChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.get_full_name() or obj.get_username())


class AssignForm(VersionedForm):
    assignee = UserChoiceField(label=_("Assignee"), queryset=get_user_model().objects.none())

    def configure(self) -> None:
        cast(UserChoiceField, self.fields["assignee"]).queryset = workers_of(self.ticket.assigned_unit, self.user)

    def action_data(self) -> dict[str, Any]:
        return {"assignee": self.cleaned_data["assignee"]}


class WaitForm(VersionedForm):
    waiting_for = forms.ChoiceField(label=_("Waiting for"), choices=[(s.value, s.label) for s in WAITING_STATUSES])
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def action_data(self) -> dict[str, Any]:
        return {"waiting_for": self.cleaned_data["waiting_for"], "note": self.cleaned_data["note"]}


class ResolveForm(VersionedForm):
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    root_cause = forms.ModelChoiceField(label=_("Root cause"), queryset=RootCause.objects.none(), required=False)

    def configure(self) -> None:
        field = cast(forms.ModelChoiceField, self.fields["root_cause"])  # type: ignore[type-arg]
        field.queryset = restrict(RootCause.objects.filter(is_active=True), self.user)
        field.empty_label = "—"

    def action_data(self) -> dict[str, Any]:
        return {"resolution": self.cleaned_data["resolution"], "root_cause": self.cleaned_data["root_cause"]}


def unit_choices() -> list[tuple[Any, str]]:
    return [("", "—"), *Unit.objects.filter(is_active=True).order_by("path").values_list("pk", "name")]


class TransferForm(VersionedForm):
    to_unit = forms.TypedChoiceField(label=_("To unit"), choices=(), coerce=int, widget=FastSelect)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def configure(self) -> None:
        cast(forms.ChoiceField, self.fields["to_unit"]).choices = unit_choices()

    def action_data(self) -> dict[str, Any]:
        return {"to_unit": Unit.objects.get(pk=self.cleaned_data["to_unit"]), "reason": self.cleaned_data["reason"]}


class PriorityForm(VersionedForm):
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)

    def configure(self) -> None:
        self.fields["priority"].initial = self.ticket.priority

    def action_data(self) -> dict[str, Any]:
        return {"priority": self.cleaned_data["priority"]}


class ReasonForm(VersionedForm):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def action_data(self) -> dict[str, Any]:
        return {"reason": self.cleaned_data["reason"]}


class ConfirmForm(VersionedForm):
    """start, resume, close: nothing to ask but the token."""


ACTION_FORMS: dict[str, type[VersionedForm]] = {
    "assign": AssignForm,
    "start": ConfirmForm,
    "wait": WaitForm,
    "resume": ConfirmForm,
    "resolve": ResolveForm,
    "close": ConfirmForm,
    "reopen": ReasonForm,
    "cancel": ReasonForm,
    "transfer": TransferForm,
    "priority": PriorityForm,
}


# --- Follow-ups, devices, vendor cases, service forms, parts, rating ------------------------------------------

FOLLOWUP_ACTIONS = {FollowUpKind.COMMENT: "comment", FollowUpKind.NOTE: "note", FollowUpKind.WORK: "worklog"}


class FollowUpForm(VersionedForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=())
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    minutes = forms.IntegerField(label=_("Time spent (minutes)"), min_value=0, max_value=100_000, required=False)
    on_site = forms.BooleanField(label=_("On-site visit"), required=False)
    uploads = MultipleFileField(label=_("Files"))

    def __init__(self, *args: Any, actions: set[str], **kwargs: Any) -> None:
        self.actions = actions
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        kinds = [(kind.value, kind.label) for kind, action in FOLLOWUP_ACTIONS.items() if action in self.actions]
        cast(forms.ChoiceField, self.fields["kind"]).choices = kinds


class AssetLinkForm(VersionedForm):
    sicil_no = forms.CharField(label=_("Registry number"), max_length=40)


class VendorCaseForm(VersionedForm):
    asset = ListedModelChoiceField(label=_("Device"), queryset=Asset.objects.none(), required=False, widget=FastSelect)
    vendor = forms.CharField(label=_("Vendor"), max_length=200)
    contract = ListedModelChoiceField(
        label=_("Warranty / contract"), queryset=Contract.objects.none(), required=False, widget=FastSelect
    )
    contact = forms.CharField(label=_("Vendor contact"), max_length=200, required=False)
    vendor_reference = forms.CharField(label=_("Vendor's case number"), max_length=100, required=False)
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def configure(self) -> None:
        asset = cast(forms.ModelChoiceField, self.fields["asset"])  # type: ignore[type-arg]
        if getattr(self.ticket, "has_assets", True):  # the ticket page's query tells whether any is linked
            asset.queryset = restrict(self.ticket.assets.all(), self.user).select_related("contract")
        asset.empty_label = "—"
        contract = cast(forms.ModelChoiceField, self.fields["contract"])  # type: ignore[type-arg]
        contract.queryset = restrict(Contract.objects.filter(end_date__gte=timezone.localdate()), self.user)
        contract.empty_label = "—"
        if not self.is_bound:
            self.prefill()

    def prefill(self) -> None:
        """The vendor to call comes from the warranty or contract of the first linked device."""
        first = next(iter(self.fields["asset"].queryset), None)  # type: ignore[attr-defined]
        if first is None:
            return
        cover = services.warranty_cover(first)
        self.initial.update({"asset": first.pk})
        if cover.covered:
            self.initial.update(
                {
                    "vendor": cover.vendor,
                    "contact": cover.contact,
                    "contract": cover.contract.pk if cover.contract else None,
                }
            )


class VendorReturnForm(VersionedForm):
    returned_at = forms.DateTimeField(
        label=_("Returned"), required=False, widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT)
    )
    service_form = forms.FileField(label=_("Vendor's service form (PDF)"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class VendorReviewForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("reject", _("Reject"))], widget=forms.RadioSelect
    )
    note = forms.CharField(label=_("Note"), max_length=500, required=False)


class InterventionForm(VersionedForm):
    started_at = forms.DateTimeField(
        label=_("Started"), widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT)
    )
    ended_at = forms.DateTimeField(
        label=_("Ended"), widget=forms.DateTimeInput(attrs=DATETIME_INPUT, format=DATETIME_FORMAT)
    )
    on_site = forms.BooleanField(label=_("On site"), required=False, initial=True)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    work_done = forms.CharField(label=_("Work done"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    signed_by = forms.CharField(
        label=_("Signed by (requester side)"),
        max_length=150,
        required=False,
        help_text=_("Name of the person who signs."),
    )

    def configure(self) -> None:
        # The date pickers offer nothing before the ticket was opened (the server checks it again in clean()).
        for name in ("started_at", "ended_at"):
            self.fields[name].widget.attrs["min"] = self.opened().strftime(DATETIME_FORMAT)
        if not self.is_bound:
            now = timezone.localtime().replace(second=0, microsecond=0)
            self.initial.setdefault("ended_at", now)
            # An hour's work, but never before the request existed.
            self.initial.setdefault("started_at", max(self.opened(), now - timedelta(hours=1)))
            self.initial.setdefault("place", str(self.ticket.location) if self.ticket.location_id else "")
            requester = self.ticket.requester_name or (str(self.ticket.requester) if self.ticket.requester_id else "")
            self.initial.setdefault("signed_by", requester)

    def opened(self) -> datetime:
        """When the ticket was opened, to the minute (the form's inputs have no seconds)."""
        return timezone.localtime(self.ticket.created_at).replace(second=0, microsecond=0)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        started, ended = data.get("started_at"), data.get("ended_at")
        if started is not None and started < self.opened():
            opened = self.opened().strftime("%d.%m.%Y %H:%M")
            self.add_error(
                "started_at",
                _("The start cannot be before the request was opened (%(opened)s).") % {"opened": opened},
            )
        latest = timezone.now() + INTERVENTION_CLOCK_SKEW
        if ended is not None and ended > latest:
            self.add_error("ended_at", _("The end cannot be in the future."))
        return data


def stock_choices(user: Any) -> QuerySet[StockItem]:
    return restrict(StockItem.objects.filter(quantity_on_hand__gt=0), user).select_related("depot").order_by("name")


class StockItemField(ListedModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.quantity_on_hand.normalize():f} {obj.unit_of_measure}, {obj.depot.name})"


class PartForm(Form):
    stock_item = StockItemField(label=_("Stock item"), queryset=StockItem.objects.none(), required=False)
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=12, decimal_places=3, required=False)

    def __init__(self, *args: Any, stock: QuerySet[StockItem], **kwargs: Any) -> None:
        self.stock = stock
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        field = cast(StockItemField, self.fields["stock_item"])
        field.queryset = self.stock
        field.empty_label = "—"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("stock_item") is not None and not data.get("quantity"):
            self.add_error("quantity", _("Give the quantity used."))
        if data.get("stock_item") is None and data.get("quantity"):
            self.add_error("stock_item", _("Choose the stock item."))
        return data


PartFormSet = forms.formset_factory(PartForm, extra=3, max_num=20, validate_max=True)


class PartUseForm(VersionedForm):
    stock_item = StockItemField(label=_("Stock item"), queryset=StockItem.objects.none())
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, max_digits=12, decimal_places=3)

    def configure(self) -> None:
        field = cast(StockItemField, self.fields["stock_item"])
        field.queryset = stock_choices(self.user)
        field.empty_label = "—"


class RatingForm(VersionedForm):
    score = forms.TypedChoiceField(
        label=_("Score"), choices=[(n, str(n)) for n in range(1, 6)], coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class SavedViewForm(Form):
    name = forms.CharField(label=_("Name"), max_length=100)
    query = forms.CharField(widget=forms.HiddenInput, max_length=1000, required=False)
    is_shared = forms.BooleanField(label=_("Shared with my unit"), required=False)
