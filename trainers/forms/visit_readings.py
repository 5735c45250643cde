"""The KPI readings of a visit, on the visit's own form: one row per KPI of the catalogue
(a formset), each optional; a row with a value becomes a reading."""

import datetime

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import KPIDefinition
from enterprises.forms.kpi import unusual_box, unusual_fields
from enterprises.models import EVIDENCE_EXTENSIONS, KPIReading
from enterprises.services.kpi import FAR_FROM_PREVIOUS
from score_portal.forms import DateInput
from score_portal.web import add_service_error


def last_month(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The calendar month before ``day``: the usual period of a visit's readings."""
    end = day.replace(day=1) - datetime.timedelta(days=1)
    return end.replace(day=1), end


def _plain(value) -> str:
    return "" if value is None else str(value.normalize())


class VisitReadingForm(forms.Form):
    """One KPI's reading on the visit form. The KPI is fixed by the row's position (never
    taken from the request)."""

    value = forms.DecimalField(
        label=_("Value"),
        required=False,
        max_digits=16,
        decimal_places=4,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "any"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=KPIReading.Kind.choices, required=False)
    period_start = forms.DateField(label=_("Period from"), widget=DateInput, required=False)
    period_end = forms.DateField(label=_("Period to"), widget=DateInput, required=False)
    evidence = forms.FileField(
        label=_("Photo or evidence file"),
        required=False,
        widget=forms.ClearableFileInput(
            attrs={"accept": ",".join(f".{ext}" for ext in EVIDENCE_EXTENSIONS)}
        ),
    )

    def __init__(self, *args, kpi: KPIDefinition, previous=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kpi = kpi
        self.previous = previous
        self.fields.update(unusual_fields())
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.show_unusual(bool(self.is_bound and self.data.get(self.add_prefix("confirm_unusual"))))
        self.fields["value"].label = f"{kpi.name} ({kpi.unit})"
        self.fields["value"].widget.attrs.update(
            {
                "data-unusual-check": "",
                "data-far": str(FAR_FROM_PREVIOUS),
                "data-min": _plain(kpi.plausible_min),
                "data-max": _plain(kpi.plausible_max),
                "data-previous": _plain(previous),
            }
        )

    def show_unusual(self, shown: bool = True) -> None:
        """Lay the row out, with the unusual-value confirmation shown or hidden."""
        self.helper.layout = Layout(
            "value",
            unusual_box(shown=shown),
            Row(
                Column("kind", css_class="col-12 col-sm-4"),
                Column("period_start", css_class="col-6 col-sm-4"),
                Column("period_end", css_class="col-6 col-sm-4"),
            ),
            "evidence",
        )

    def clean(self):
        data = super().clean()
        if data.get("value") is None:
            return data
        for name in ("kind", "period_start", "period_end"):
            if not data.get(name) and name not in self.errors:
                self.add_error(name, _("This field is required."))
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end after it starts."))
        return data

    def service_data(self) -> dict | None:
        """The reading for ``kpi_reading_record``, or None when the row was left empty."""
        data = self.cleaned_data
        if data.get("value") is None:
            return None
        return {
            "kpi": self.kpi,
            "kind": data["kind"],
            "period_start": data["period_start"],
            "period_end": data["period_end"],
            "value": data["value"],
            "source": KPIReading.Source.VISIT,
            "evidence": data.get("evidence"),
            "confirm_unusual": data.get("confirm_unusual", False),
            "unusual_reason": data.get("unusual_reason", ""),
        }


class VisitReadings:
    """The set of rows (one ``VisitReadingForm`` per KPI, prefixed ``kpi-<code>``). Not a
    Django formset: the rows are fixed by the catalogue, so there is no management form to
    forge or forget, and the names stay the same offline."""

    def __init__(self, data, files, *, kpis, previous, initial):
        self.forms = [
            VisitReadingForm(
                data,
                files,
                prefix=f"kpi-{kpi.code}",
                kpi=kpi,
                previous=previous.get(kpi.pk),
                initial=initial[kpi.pk],
            )
            for kpi in kpis
        ]

    def __iter__(self):
        return iter(self.forms)

    def is_valid(self) -> bool:
        valid = [form.is_valid() for form in self.forms]  # every row, to show every error
        return all(valid)

    def readings(self) -> list[tuple[str, dict]]:
        """(row prefix, reading) for each filled row."""
        rows = []
        for form in self.forms:
            data = form.service_data()
            if data is not None:
                rows.append((form.prefix, data))
        return rows

    def row(self, prefix: str) -> VisitReadingForm | None:
        return next((form for form in self.forms if form.prefix == prefix), None)


def add_row_error(readings: VisitReadings, prefix: str, error) -> None:
    """Put a service's ValidationError on its row (per field where the row has it)."""
    form = readings.row(prefix)
    if form is not None:
        add_service_error(form, error)
        if {"confirm_unusual", "unusual_reason"} & set(getattr(error, "error_dict", {})):
            form.show_unusual()


def visit_readings(data, files, *, enterprise, visit_date: datetime.date) -> VisitReadings:
    """The rows for ``enterprise``: its active KPIs in catalogue order, each defaulting to
    the baseline while the enterprise has none, else a follow-up, for last month."""
    kpis = list(KPIDefinition.objects.filter(is_active=True).order_by("order", "code"))
    previous: dict[int, object] = {}
    baselines: set[int] = set()
    for kpi_id, kind, value in enterprise.kpi_readings.order_by("period_end", "pk").values_list(
        "kpi_id", "kind", "value"
    ):
        previous[kpi_id] = value
        if kind == KPIReading.Kind.BASELINE:
            baselines.add(kpi_id)
    start, end = last_month(visit_date)
    initial = {
        kpi.pk: {
            "kind": KPIReading.Kind.FOLLOW_UP if kpi.pk in baselines else KPIReading.Kind.BASELINE,
            "period_start": start,
            "period_end": end,
        }
        for kpi in kpis
    }
    return VisitReadings(data, files, kpis=kpis, previous=previous, initial=initial)
