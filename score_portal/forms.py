"""What every app's forms share."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _


class DateInput(forms.DateInput):
    """The browser's date picker (on phones too)."""

    input_type = "date"


def form_helper(*layout, submit=None) -> FormHelper:
    """A crispy helper with ``layout`` and a submit button (“Save” unless told otherwise)."""
    helper = FormHelper()
    helper.layout = Layout(*layout, Submit("save", submit or _("Save")))
    return helper
