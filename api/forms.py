from django import forms
from django.utils.translation import gettext_lazy as _

from score_portal.forms import form_helper
from score_portal.models import Role

from .models import ApiToken
from .selectors import service_token_choices
from .services import MAX_DAYS


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “M&E sync”.")
    )
    days = forms.IntegerField(
        label=_("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=ApiToken.Kind.choices,
        initial=ApiToken.Kind.PERSONAL,
        help_text=_(
            "A personal token acts as you. A service token acts as a service user of one "
            "partner, with the role chosen here, and outlives your own access."
        ),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner (service tokens)"), queryset=None, required=False
    )
    role = forms.ChoiceField(label=_("Role (service tokens)"), choices=(), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        partners, roles = service_token_choices(user)
        if roles:
            self.fields["partner"].queryset = partners
            self.fields["role"].choices = [(r, Role(r).label) for r in roles]
        else:  # only personal tokens
            for name in ("kind", "partner", "role"):
                del self.fields[name]
        self.helper = form_helper(*self.fields, submit=_("Create token"))
