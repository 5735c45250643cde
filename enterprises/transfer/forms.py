"""The import upload form: which partner, which file. The request checks only the name,
the size and the first bytes; the worker reads the file (``transfer.parsing``)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from score_portal.access import Perm, partners_for

from .parsing import max_bytes

EXTENSIONS = (".xlsx", ".csv")


class ImportUploadForm(forms.Form):
    partner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Partner"), queryset=None, empty_label=None
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_(
            "An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK), "
            "with the columns of the template."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partner"].queryset = partners_for(user, Perm.CHANGE)
        self.helper = FormHelper()
        self.helper.layout = Layout("partner", "file", Submit("upload", _("Check the file")))
        self.data_bytes = b""

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = upload.name or ""
        if not name.lower().endswith(EXTENSIONS):
            raise forms.ValidationError(_("Upload an .xlsx or a .csv file."))
        limit = max_bytes()
        if upload.size > limit:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.") % {"size": f"{limit / 1024 / 1024:g}"}
            )
        if upload.size == 0:
            raise forms.ValidationError(_("The file is empty."))
        head = upload.read(1024)
        if name.lower().endswith(".xlsx") and head[:4] != b"PK\x03\x04":
            raise forms.ValidationError(_("This file is not an Excel workbook (.xlsx)."))
        if name.lower().endswith(".csv") and b"\x00" in head:
            raise forms.ValidationError(
                _("This file is not a spreadsheet: upload an Excel workbook (.xlsx) or a CSV file.")
            )
        upload.seek(0)
        self.data_bytes = upload.read(limit + 1)
        return upload
