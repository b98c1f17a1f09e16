from __future__ import annotations

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from biys.inventory.imports.readers import EXTENSIONS


class ImportFileForm(forms.Form):
    """An uploaded spreadsheet: .xlsx or .csv, within the upload size limit."""

    file = forms.FileField(
        label=_("File"), help_text=_("Excel (.xlsx) or CSV (UTF-8 or Windows-1254, “;” or “,” between columns).")
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        limit = settings.BIYS_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(
                _("The file is larger than %(limit)d MB; split it into several files.") % {"limit": limit}
            )
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in EXTENSIONS:
            raise forms.ValidationError(_("Upload an Excel (.xlsx) or CSV (.csv) file."))
        return upload


class AssetImportForm(ImportFileForm):
    commissioned = forms.BooleanField(
        label=_("Mark commissioning as done (existing items)"),
        required=False,
        help_text=_(
            "For computers already in service: their commissioning checklist is recorded as complete "
            "in your name (Nizip md. 12/49)."
        ),
    )


class StockImportForm(ImportFileForm):
    """The stock file has no options: every row is an opening quantity on an inventory-entry VİF."""
