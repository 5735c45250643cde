"""The assessment form: one yes/no question per practice of a checklist version, grouped by
theme, with the kind (new assessments), the date and a note."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.selectors import themes
from score_portal.forms import DateInput

from ..models import Assessment

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def item_field(item) -> str:
    return f"item_{item.pk}"


class AssessmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=Assessment.Kind.choices, widget=forms.RadioSelect
    )
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput())
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args, version, kinds=None, answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.version = version
        self.items = list(version.items.all())
        if kinds is None:
            del self.fields["kind"]
        else:
            self.fields["kind"].choices = [c for c in Assessment.Kind.choices if c[0] in kinds]
            self.fields["kind"].initial = kinds[0]
        self.fields["assessed_on"].initial = timezone.localdate()
        answers = answers or {}
        for item in self.items:
            self.fields[item_field(item)] = forms.ChoiceField(
                label=item.name,
                choices=YES_NO,
                widget=forms.RadioSelect(attrs={"class": "form-check-inline"}),
                error_messages={"required": _("Answer yes or no.")},
            )
            if item.pk in answers:
                self.fields[item_field(item)].initial = "yes" if answers[item.pk] else "no"
        self.helper = FormHelper()
        head = ["kind"] if kinds is not None else []
        self.helper.layout = Layout(
            *head,
            Row(Column("assessed_on", css_class="col-md-4"), Column("note", css_class="col-md-8")),
            *[
                Fieldset(theme, *[item_field(item) for item in items])
                for theme, items in themes(self.items)
            ],
            Submit("save", _("Save the assessment")),
        )

    def answers(self) -> dict[int, bool]:
        return {item.pk: self.cleaned_data[item_field(item)] == "yes" for item in self.items}
