"""Forms of people administration: partners, invitations and roles."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms import form_helper
from .models import Partner, Role


class PartnerForm(forms.ModelForm):
    class Meta:
        model = Partner
        fields = ["code", "name_en", "name_zh", "kind", "region"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.Meta.fields)


def _role_choices(roles):
    labels = dict(Role.choices)
    return [(role, labels[role]) for role in roles]


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    first_name = forms.CharField(label=_("First name"), max_length=150, required=False)
    last_name = forms.CharField(label=_("Last name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
        self.helper = form_helper(
            "email", "first_name", "last_name", "role", submit=_("Send the invitation")
        )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)
