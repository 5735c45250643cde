from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Div, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import KPIDefinition
from score_portal.forms import DateInput

from ..models import EVIDENCE_EXTENSIONS, KPIReading
from ..services.kpi import (
    FAR_FROM_PREVIOUS,
    UNLOCK_REASON_MAX_LENGTH,
    UNUSUAL_REASON_MAX_LENGTH,
    unusual_value_reasons,
)


def _plain(value) -> str:
    return "" if value is None else str(value.normalize())


class KPISelect(forms.Select):
    """The KPI choice, each option carrying its plausible range and the enterprise's previous
    value, so the page (and the offline form) can ask for a confirmation before sending."""

    def __init__(self, *args, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.previous = previous or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        kpi = getattr(value, "instance", None)
        if kpi is not None:
            option["attrs"].update(
                {
                    "data-min": _plain(kpi.plausible_min),
                    "data-max": _plain(kpi.plausible_max),
                    "data-previous": _plain(self.previous.get(kpi.pk)),
                }
            )
        return option


def unusual_fields() -> dict[str, forms.Field]:
    """The confirmation an unusual value needs (the services enforce it)."""
    return {
        "confirm_unusual": forms.BooleanField(
            label=_("I confirm this unusual value"), required=False
        ),
        "unusual_reason": forms.CharField(
            label=_("Reason for the unusual value"),
            required=False,
            max_length=UNUSUAL_REASON_MAX_LENGTH,
        ),
    }


def unusual_box(prefix: str = "", shown: bool = False) -> Div:
    """The checkbox and reason, hidden until the value looks unusual (static/js/kpi-check.js
    shows them; the server shows them when it refused the value)."""
    return Div(
        f"{prefix}confirm_unusual",
        f"{prefix}unusual_reason",
        css_class="unusual-confirm" + ("" if shown else " d-none"),
    )


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

    def __init__(self, *args, enterprise=None, **kwargs):
        previous: dict[int, object] = {}
        baselines: set[int] = set()
        if enterprise is not None:
            for kpi_id, kind, value in enterprise.kpi_readings.order_by(
                "period_end", "pk"
            ).values_list("kpi_id", "kind", "value"):
                previous[kpi_id] = value
                if kind == KPIReading.Kind.BASELINE:
                    baselines.add(kpi_id)
            initial = kwargs.setdefault("initial", {})
            if kwargs.get("instance") is None and "kind" not in initial:
                # A first reading is the baseline: default to it while the KPI (the one
                # asked for, else any) has none.
                kpi_id = str(initial.get("kpi", ""))
                has_baseline = int(kpi_id) in baselines if kpi_id.isdigit() else bool(baselines)
                initial["kind"] = (
                    KPIReading.Kind.FOLLOW_UP if has_baseline else KPIReading.Kind.BASELINE
                )
        super().__init__(*args, **kwargs)
        self.fields.update(unusual_fields())
        self.fields["kpi"].queryset = KPIDefinition.objects.filter(is_active=True)
        self.fields["kpi"].label_from_instance = lambda k: f"{k.name} ({k.unit_label})"
        self.fields["kpi"].widget = KPISelect(previous=previous)
        self.fields["kpi"].widget.choices = self.fields["kpi"].choices
        self.fields["value"].widget.attrs.update(
            {"data-unusual-check": "", "data-far": str(FAR_FROM_PREVIOUS)}
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(
            "kpi",
            Row(Column("kind", css_class="col-6"), Column("source", css_class="col-6")),
            Row(Column("period_start", css_class="col-6"), Column("period_end", css_class="col-6")),
            "value",
            unusual_box(shown=self._bound_value_is_unusual(previous)),
            "note",
            "evidence",
            Submit("save", _("Save reading")),
        )

    def _bound_value_is_unusual(self, previous: dict) -> bool:
        if not self.is_bound:
            return False
        kpi_id, value = self.data.get("kpi", ""), self.data.get("value", "")
        kpi = KPIDefinition.objects.filter(pk=kpi_id).first() if str(kpi_id).isdigit() else None
        return bool(kpi and unusual_value_reasons(kpi, value, previous.get(kpi.pk)))


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
