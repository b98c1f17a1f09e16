"""Custody forms. They only parse and scope the input; the rules live in ``services``, whose messages
name the sicil no of every refused asset."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biys.core.forms import bootstrap
from biys.core.views import restrict
from biys.inventory.models import Asset, CustodyItem, Location
from biys.org.models import Staff


def visible_staff(user: Any) -> QuerySet[Staff]:
    """People a user may hand items to: IT staff serve every unit, others only their own subtree."""
    if user.has_perm("inventory.view_all_assets"):
        return Staff.objects.all()
    return restrict(Staff.objects.all(), user)


class _Form(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.configure()
        bootstrap(self)  # reads ``errors`` of a bound form: the querysets must be in place before

    def configure(self) -> None:
        """Set the user's querysets; called before the form is validated."""

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound:
            bootstrap(self)


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField:  # type: ignore[type-arg]
    return cast(forms.ModelChoiceField, form.fields[name])  # type: ignore[type-arg]


def _date_field(label: Any) -> forms.DateField:
    return forms.DateField(label=label, initial=timezone.localdate, widget=forms.DateInput())


class IssueForm(_Form):
    """A new Taşınır Teslim Belgesi. The page lists search results; any visible asset id is accepted
    here so that the service can say exactly why an asset cannot be handed over."""

    staff = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("Received by"))
    date = _date_field(_("Date"))
    assets = forms.ModelMultipleChoiceField(
        queryset=Asset.objects.none(), label=_("Assets"), widget=forms.CheckboxSelectMultiple
    )
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        _choices(self, "staff").queryset = visible_staff(self.user)
        _choices(self, "assets").queryset = restrict(Asset.objects.all(), self.user)
        self.fields["assets"].error_messages["required"] = _("Choose at least one asset to hand over.")


class ReturnForm(_Form):
    """The "geri alındı" part: which of the open lines come back, when, and in what condition."""

    items = forms.ModelMultipleChoiceField(
        queryset=CustodyItem.objects.none(), label=_("Items"), widget=forms.CheckboxSelectMultiple
    )
    date = _date_field(_("Returned on"))
    condition = forms.CharField(label=_("Condition on return"), max_length=200, required=False)

    def __init__(self, *args: Any, items: QuerySet[CustodyItem], **kwargs: Any) -> None:
        self.item_choices = items
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        _choices(self, "items").queryset = self.item_choices
        self.fields["items"].error_messages["required"] = _("Choose at least one item to take back.")


class TransferForm(_Form):
    """Items one person holds, handed straight to another person on a new Teslim Belgesi."""

    items = forms.ModelMultipleChoiceField(
        queryset=CustodyItem.objects.none(), label=_("Items"), widget=forms.CheckboxSelectMultiple
    )
    to_staff = forms.ModelChoiceField(queryset=Staff.objects.none(), label=_("Hand to"))
    date = _date_field(_("Date"))

    def __init__(self, *args: Any, items: QuerySet[CustodyItem], user: Any, **kwargs: Any) -> None:
        self.item_choices, self.user = items, user
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        _choices(self, "items").queryset = self.item_choices
        self.fields["items"].error_messages["required"] = _("Choose at least one item to hand over.")
        _choices(self, "to_staff").queryset = visible_staff(self.user)


class SuccessorHandoverForm(_Form):
    date = _date_field(_("Date"))


class SharedAreaListForm(_Form):
    location = forms.ModelChoiceField(queryset=Location.objects.none(), label=_("Location"))
    date = _date_field(_("Date"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        self.user = user
        super().__init__(*args, **kwargs)

    def configure(self) -> None:
        _choices(self, "location").queryset = restrict(Location.objects.select_related("responsible"), self.user)
