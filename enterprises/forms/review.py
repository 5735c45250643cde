"""Forms of the data review loop: the queue's filters, a return's comment, an answer."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import KPIDefinition
from score_portal.forms import DateInput

from ..models import COMMENT_MAX_LENGTH, KPIReading
from .kpi import unusual_box, unusual_fields

ALL_STATUSES = "all"


class ReviewFilterForm(forms.Form):
    """The review queue's filters (a GET form); an empty status means "waiting"."""

    enterprise: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Enterprise"), empty_label=_("All enterprises")
    )
    kpi = forms.ModelChoiceField(
        queryset=KPIDefinition.objects.order_by("order", "code"),
        required=False,
        label=_("KPI"),
        empty_label=_("All KPIs"),
    )
    trainer: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Trainer"), empty_label=_("All trainers")
    )
    status = forms.ChoiceField(
        choices=[*KPIReading.Review.choices, (ALL_STATUSES, _("Any status"))],
        required=False,
        label=_("Status"),
    )

    def __init__(self, *args, enterprises, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enterprise"].queryset = enterprises
        self.fields["enterprise"].label_from_instance = lambda e: e.display_name
        self.fields["kpi"].label_from_instance = lambda k: k.name
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].label_from_instance = lambda u: u.get_full_name() or u.username

    def filters(self) -> dict:
        """The queue's keyword arguments from what the form accepted."""
        data = self.cleaned_data if self.is_valid() else {}
        status = data.get("status") or KPIReading.Review.WAITING
        return {
            "status": None if status == ALL_STATUSES else status,
            "enterprise": data.get("enterprise"),
            "kpi": data.get("kpi"),
            "trainer": data.get("trainer"),
        }


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label=_("What needs revising"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The author sees this comment on their home page and answers it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("comment", Submit("save", _("Return for revision")))


class AnswerForm(forms.ModelForm):
    """The author's answer to a return, with the reading's corrected value and period."""

    answer = forms.CharField(
        label=_("Your answer"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = forms.FileField(
        label=_("Evidence file (optional)"),
        required=False,
        help_text=_("PDF, picture or spreadsheet, at most 5 MB."),
    )

    class Meta:
        model = KPIReading
        fields = ["value", "period_start", "period_end", "note"]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(unusual_fields())
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "value",
            unusual_box(shown=self.is_bound),
            "period_start",
            "period_end",
            "note",
            "evidence",
            "answer",
            Submit("save", _("Send the answer")),
        )

    def _post_clean(self):
        # The service validates and saves the reading; the form only collects the fields.
        pass
