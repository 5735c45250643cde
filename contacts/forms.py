"""Forms of the enterprise contact's portal, and of inviting a contact."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from catalogue.models import KPIDefinition
from enterprises.models import ImprovementProject
from reports.models import ReportRun
from score_portal.forms import form_helper
from trainers.models import ActionProgress

DATE = forms.DateInput(attrs={"type": "date"})
MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class ContactInviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail address"))
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("name", "email", "language", submit=_("Send the invitation"))


class SuggestionsForm(forms.Form):
    month = forms.DateField(label=_("Month"), widget=MONTH, input_formats=["%Y-%m", "%Y-%m-%d"])
    made = forms.IntegerField(label=_("Suggestions made"), min_value=0, max_value=1_000_000)
    implemented = forms.IntegerField(
        label=_("Suggestions implemented"), min_value=0, max_value=1_000_000
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("month", "made", "implemented", submit=_("Submit"))


class ReadingForm(forms.Form):
    kpi = forms.ModelChoiceField(label=_("KPI"), queryset=KPIDefinition.objects.none())
    period_start = forms.DateField(label=_("Period from"), widget=DATE)
    period_end = forms.DateField(label=_("Period to"), widget=DATE)
    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    confirm_unusual = forms.BooleanField(label=_("The value is right"), required=False)
    unusual_reason = forms.CharField(label=_("Why it is unusual"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = KPIDefinition.objects.filter(is_active=True).order_by("order")
        self.helper = form_helper(
            "kpi",
            "period_start",
            "period_end",
            "value",
            "note",
            "confirm_unusual",
            "unusual_reason",
            submit=_("Submit"),
        )


class ProjectForm(forms.ModelForm):
    class Meta:
        model = ImprovementProject
        fields = ["title", "status", "start_date", "end_date", "estimated_saving", "description"]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(*self.Meta.fields, submit=_("Submit"))


class ActionProgressForm(forms.Form):
    note = forms.CharField(
        label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
    proposed_status = forms.ChoiceField(
        label=_("Proposed status"), choices=ActionProgress.Proposal.choices
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("note", "proposed_status", submit=_("Report progress"))


class ReportForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=ReportRun.Language.choices)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("language", submit=_("Request the report"))


class AnswerForm(forms.Form):
    """The enterprise's answer to a reading returned for revision: the corrected value (or
    the same one) and a word for the reviewer."""

    value = forms.DecimalField(label=_("Value"), max_digits=16, decimal_places=4)
    answer = forms.CharField(
        label=_("Your answer to the reviewer"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    confirm_unusual = forms.BooleanField(label=_("The value is right"), required=False)
    unusual_reason = forms.CharField(label=_("Why it is unusual"), max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            "value", "answer", "confirm_unusual", "unusual_reason", submit=_("Send the correction")
        )
