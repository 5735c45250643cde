from django import forms
from django.utils.translation import gettext_lazy as _

from score_portal.access import Perm, access_for
from score_portal.forms import form_helper

from .models import EVENT_CHOICES
from .outbox import object_choices
from .selectors import webhook_partner_choices


class EndpointForm(forms.Form):
    url = forms.URLField(
        label=_("URL"),
        max_length=500,
        assume_scheme="https",
        help_text=_("Where the portal posts each event (https)."),
    )
    description = forms.CharField(label=_("Description"), max_length=200, required=False)
    partner = forms.ModelChoiceField(label=_("Partner"), queryset=None, required=False)
    objects_subscribed = forms.MultipleChoiceField(
        label=_("Records"), choices=(), widget=forms.CheckboxSelectMultiple
    )
    events = forms.MultipleChoiceField(
        label=_("Events"), choices=EVENT_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objects_subscribed"].choices = object_choices()
        partners = webhook_partner_choices(user)
        field = self.fields["partner"]
        field.queryset = partners
        if access_for(user).sees_all(Perm.MANAGE_WEBHOOKS):
            field.empty_label = _("Every partner")
        else:
            field.required = True
            if partners.count() == 1:
                field.initial = partners.first()
        self.helper = form_helper(*self.fields, submit=_("Register endpoint"))
