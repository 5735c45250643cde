from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Channel, Kind


class PreferencesForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in Kind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label, choices=Channel.choices, initial=Channel.EMAIL
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(*Kind.values, Submit("save", _("Save")))
