from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from catalogue.models import Module
from catalogue.selectors import entry_module
from score_portal.dates import PAST, plausible_date
from score_portal.forms import DateInput

from ..models import Enrolment


class EnrolmentForm(forms.ModelForm):
    override_reason = forms.CharField(
        label=_("Reason to start with this module"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Programme managers only: needed when the enterprise has not taken the entry module."
        ),
    )

    class Meta:
        model = Enrolment
        fields = [
            "module",
            "status",
            "applied_on",
            "currency",
            "paid_enterprise",
            "paid_sponsor",
            "paid_government",
            "paid_ilo",
        ]
        widgets = {"applied_on": DateInput}

    def __init__(self, *args, can_override=False, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = Module.objects.filter(is_active=True)
        self.fields["status"].choices = [
            (value, label)
            for value, label in Enrolment.Status.choices
            if value in Enrolment.OPEN_STATUSES
        ]
        if not self.instance.pk:
            self.fields["applied_on"].initial = timezone.localdate
            self.fields["module"].initial = entry_module()
        if editing:
            del self.fields["module"], self.fields["status"], self.fields["override_reason"]
        elif not can_override:
            del self.fields["override_reason"]
        first = ["module", "status"] if not editing else []
        extra = ["override_reason"] if "override_reason" in self.fields else []
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(*[Column(name, css_class="col-md-4") for name in [*first, "applied_on"]]),
            Fieldset(
                _("Fee and who pays"),
                Row(
                    Column("paid_enterprise", css_class="col-md-6"),
                    Column("paid_sponsor", css_class="col-md-6"),
                ),
                Row(
                    Column("paid_government", css_class="col-md-6"),
                    Column("paid_ilo", css_class="col-md-6"),
                ),
                Row(Column("currency", css_class="col-md-3")),
            ),
            *extra,
            Submit("save", _("Save")),
        )


class EnrolmentTransitionForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"))
    on_date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=DateInput,
        validators=[plausible_date(PAST)],
        help_text=_("Leave empty for today."),
    )
    reason = forms.CharField(
        label=_("Reason (required for a withdrawal)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, enrolment, **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Enrolment.Status.choices)
        self.fields["status"].choices = [(s, labels[s]) for s in enrolment.next_statuses()]
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "status", "on_date", "reason", Submit("save", _("Change status"))
        )
