"""The form that assigns a consultant to an enrolment."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Trainer


class AssignmentForm(forms.Form):
    trainer = forms.ModelChoiceField(queryset=Trainer.objects.none(), label=_("Consultant"))

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers
