from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import KPIDefinition
from score_portal.forms import DateInput

from ..models import EVIDENCE_EXTENSIONS, KPIReading
from ..services.kpi import UNLOCK_REASON_MAX_LENGTH


class KPIReadingForm(forms.ModelForm):
    evidence = forms.FileField(
        label=_("Evidence file (optional)"),
        required=False,
        help_text=_("PDF, picture or spreadsheet, at most 5 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in EVIDENCE_EXTENSIONS)}
        ),
    )

    class Meta:
        model = KPIReading
        fields = ["kpi", "kind", "period_start", "period_end", "value", "source", "note"]
        widgets = {
            "period_start": DateInput,
            "period_end": DateInput,
            "value": forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kpi"].queryset = KPIDefinition.objects.filter(is_active=True)
        self.fields["kpi"].label_from_instance = lambda k: f"{k.name} ({k.unit_label})"
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "kpi",
            Row(Column("kind", css_class="col-6"), Column("source", css_class="col-6")),
            Row(Column("period_start", css_class="col-6"), Column("period_end", css_class="col-6")),
            "value",
            "note",
            "evidence",
            Submit("save", _("Save reading")),
        )


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for unlocking"),
        max_length=UNLOCK_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout("reason", Submit("save", _("Unlock")))
