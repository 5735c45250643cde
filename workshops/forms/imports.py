"""The attendance-sheet upload: one file; the worker reads it (``workshops.sheets``)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django.utils.translation import gettext_lazy as _

from enterprises.transfer.forms import ImportUploadForm


class SheetUploadForm(ImportUploadForm):
    """The enterprise import's file checks (name, size, first bytes), without a partner:
    the workshop says whose sheet it is."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["partner"]
        self.fields["file"].help_text = _(
            "An Excel workbook (.xlsx) or a CSV file (UTF-8 or GBK): one row per participant "
            "with 姓名, 性别, 职务, 单位, 手机号码, and a column per workshop day "
            "(✓, 迟到, 请假 or 缺席)."
        )
        self.helper = FormHelper()
        self.helper.layout = Layout("file", Submit("upload", _("Check the sheet")))
