"""Forms for participants and delegations."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Participant


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = ["name", "sex", "level", "position", "phone"]


class DelegationForm(forms.Form):
    """Several participants of one enterprise at once: the usual delegation is about two
    managers and two workers."""

    ROWS = 4

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {name: field.label for name, field in ParticipantForm().fields.items()}
        for index in range(self.ROWS):
            self.fields[f"name_{index}"] = forms.CharField(
                label=f"{labels['name']} {index + 1}", required=False, max_length=100
            )
            self.fields[f"sex_{index}"] = forms.ChoiceField(
                label=labels["sex"], required=False, choices=[("", "—"), *Participant.Sex.choices]
            )
            self.fields[f"level_{index}"] = forms.ChoiceField(
                label=labels["level"],
                required=False,
                choices=[("", "—"), *Participant.Level.choices],
            )
            self.fields[f"position_{index}"] = forms.CharField(
                label=labels["position"], required=False, max_length=100
            )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *[
                Row(
                    Column(f"name_{i}", css_class="col-md-4"),
                    Column(f"sex_{i}", css_class="col-4 col-md-2"),
                    Column(f"level_{i}", css_class="col-8 col-md-3"),
                    Column(f"position_{i}", css_class="col-md-3"),
                )
                for i in range(self.ROWS)
            ],
            Submit("save", _("Add participants")),
        )

    def clean(self):
        data = super().clean()
        people = []
        for index in range(self.ROWS):
            name = (data.get(f"name_{index}") or "").strip()
            sex, level = data.get(f"sex_{index}"), data.get(f"level_{index}")
            if not name:
                continue
            if not sex:
                self.add_error(f"sex_{index}", _("Choose the sex."))
            if not level:
                self.add_error(f"level_{index}", _("Choose manager or worker."))
            people.append(
                {
                    "name": name,
                    "sex": sex,
                    "level": level,
                    "position": data.get(f"position_{index}", ""),
                }
            )
        if not people:
            raise forms.ValidationError(_("Enter at least one participant."))
        data["people"] = people
        return data
