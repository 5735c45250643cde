"""The preferences form (kept apart from the shared form helpers)."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .access import access_for, partners_for


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Follow the browser")), *settings.LANGUAGES],
    )
    default_partner: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("Default partner on the dashboard"),
        queryset=None,
        required=False,
        empty_label=_("All partners"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if access_for(user).programme:
            self.fields["default_partner"].queryset = (
                partners_for(user).filter(is_active=True).order_by("code")
            )
        else:
            del self.fields["default_partner"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("save", _("Save")))
