"""Forms for workshops."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import Module
from enterprises.models import Enrolment
from score_portal.forms import DateInput

from ..models import Workshop


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "module",
            "title",
            "start_date",
            "end_date",
            "venue",
            "city",
            "capacity",
            "status",
            "notes",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, partner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(is_active=True)
        self.fields["status"].choices = [
            (value, label)
            for value, label in Workshop.Status.choices
            if value in {Workshop.Status.PLANNED, Workshop.Status.OPEN}
            or value == self.instance.status
        ]
        first = []
        if partner_choices is not None:
            self.fields["partner"] = forms.ModelChoiceField(
                queryset=partner_choices,
                label=_("Partner"),
                initial=partner_choices.first() if partner_choices.count() == 1 else None,
            )
            first = ["partner"]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            *first,
            Row(Column("module", css_class="col-md-4"), Column("title", css_class="col-md-8")),
            Row(
                Column("start_date", css_class="col-6 col-md-3"),
                Column("end_date", css_class="col-6 col-md-3"),
                Column("capacity", css_class="col-6 col-md-3"),
                Column("status", css_class="col-6 col-md-3"),
            ),
            Row(Column("venue", css_class="col-md-8"), Column("city", css_class="col-md-4")),
            "notes",
            Submit("save", _("Save")),
        )


class InviteForm(forms.Form):
    enrolments = forms.ModelMultipleChoiceField(
        queryset=Enrolment.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label=_("Enterprises enrolled in this module"),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["enrolments"]
        field.queryset = queryset
        field.label_from_instance = lambda e: (
            f"{e.enterprise.display_name} ({e.get_status_display()})"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout("enrolments", Submit("save", _("Invite")))


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "reason", Submit("save", _("Cancel the workshop"), css_class="btn-danger")
        )
