from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from score_portal.dates import PLANNED, plausible_date

from . import selectors
from .models import ReportRun, ReportSubscription


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Report"))
    partner = forms.ModelChoiceField(label=_("Implementing partner"), queryset=None, required=False)
    enterprise = forms.ModelChoiceField(
        label=_("Enterprise"),
        queryset=None,
        required=False,
        help_text=_("For an enterprise progress report."),
    )
    group = forms.ModelChoiceField(
        label=_("Enterprise group"),
        queryset=None,
        required=False,
        help_text=_("For an enterprise group report."),
    )
    period_from = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[plausible_date(PLANNED)],
    )
    period_to = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        validators=[plausible_date(PLANNED)],
    )
    language = forms.ChoiceField(label=_("Language"), choices=ReportRun.Language.choices)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        kinds = [
            (ReportRun.Kind.PARTNER, ReportRun.Kind.PARTNER.label),
            (ReportRun.Kind.ENTERPRISE, ReportRun.Kind.ENTERPRISE.label),
            (ReportRun.Kind.GROUP, ReportRun.Kind.GROUP.label),
        ]
        if selectors.may_request_programme_report(user):
            kinds.append((ReportRun.Kind.PROGRAMME, ReportRun.Kind.PROGRAMME.label))
        self.fields["kind"].choices = kinds
        self.fields["partner"].queryset = selectors.report_partners(user)
        self.fields["partner"].help_text = _("For a partner progress report.")
        self.fields["enterprise"].queryset = selectors.report_enterprises(user)
        self.fields["enterprise"].label_from_instance = lambda e: (
            f"{e.display_name} ({e.partner.code})"
        )
        self.fields["group"].queryset = selectors.report_groups(user)
        self.fields["group"].label_from_instance = lambda g: f"{g.display_name} ({g.partner.code})"
        self.fields["language"].initial = (
            ReportRun.Language.ZH_HANS
            if (get_language() or "").startswith("zh")
            else ReportRun.Language.EN
        )
        partners = list(self.fields["partner"].queryset[:2])
        if len(partners) == 1:
            self.fields["partner"].initial = partners[0].pk
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("kind", css_class="col-md-6"), Column("language", css_class="col-md-6")),
            Row(
                Column("partner", css_class="col-md-6"), Column("enterprise", css_class="col-md-6")
            ),
            Row(Column("group", css_class="col-md-6")),
            Row(Column("period_from", css_class="col-6"), Column("period_to", css_class="col-6")),
            Submit("request", _("Request the report")),
        )

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ReportRun.Kind.PARTNER and not data.get("partner"):
            self.add_error("partner", _("Choose the partner to report on."))
        if kind == ReportRun.Kind.ENTERPRISE and not data.get("enterprise"):
            self.add_error("enterprise", _("Choose the enterprise to report on."))
        if kind == ReportRun.Kind.GROUP and not data.get("group"):
            self.add_error("group", _("Choose the enterprise group to report on."))
        start, end = data.get("period_from"), data.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("The end of the period comes before its start."))
        return data


def field_name(code: str, module_id: int | None, sex: str, quarter: int | None = None) -> str:
    """A grid field's name: indicator, module, sex, then the quarter (``kind`` for the row's
    kind)."""
    base = f"{code}__{module_id or 0}__{sex or 'all'}"
    return f"{base}__kind" if quarter is None else f"{base}__q{quarter}"


class TargetGridForm(forms.Form):
    """A partner's targets for a year: one row per indicator (and sex where it has one), a
    column for the whole year and one per quarter; empty = no target. Rows of indicators
    that count what happens in a period also choose their kind."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Target

        self.rows = []
        self.cells = {}
        self.kind_fields = {}
        for row in rows:
            share = row.indicator.is_share
            decimals = 1 if share else (2 if row.indicator.decimals else 0)
            names = []
            for quarter, label in Target.Quarter.choices:
                name = field_name(*row.key, quarter)
                self.fields[name] = forms.DecimalField(
                    label=f"{row.label} · {label}",
                    required=False,
                    min_value=0,
                    max_value=100 if share else None,
                    max_digits=12,
                    decimal_places=decimals,
                    widget=forms.NumberInput(
                        attrs={
                            "step": "0.1" if share else ("0.01" if decimals else "1"),
                            "inputmode": "decimal",
                        }
                    ),
                )
                self.cells[name] = (*row.key, quarter)
                names.append(name)
            kind = None
            if row.kind_matters:
                kind = field_name(*row.key)
                self.fields[kind] = forms.ChoiceField(
                    label=_("Kind of %(row)s") % {"row": row.label},
                    choices=Target.Kind.choices,
                    initial=Target.Kind.INCREMENTAL,
                    required=False,  # not sent: the target keeps its kind
                )
                self.kind_fields[kind] = row.key
            self.rows.append({"row": row, "cells": names, "kind": kind})

    def grid(self):
        """Rows with their bound fields, for the template."""
        return [
            {
                "row": entry["row"],
                "cells": [self[name] for name in entry["cells"]],
                "kind": self[entry["kind"]] if entry["kind"] else None,
            }
            for entry in self.rows
        ]

    def values(self) -> dict:
        return {key: self.cleaned_data.get(name) for name, key in self.cells.items()}

    def kinds(self) -> dict:
        from .models import Target

        kinds = {
            key: self.cleaned_data[name]
            for name, key in self.kind_fields.items()
            if self.cleaned_data.get(name)
        }
        for entry in self.rows:
            if entry["kind"] is None:
                kinds[entry["row"].key] = Target.Kind.CUMULATIVE
        return kinds


class TargetCopyForm(forms.Form):
    from_year = forms.TypedChoiceField(label=_("Copy the targets of"), coerce=int)
    replace = forms.BooleanField(
        label=_("Replace the targets this year already has with a different value"),
        required=False,
    )

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = [(year, str(year)) for year in years]


class TargetPeriodForm(forms.Form):
    """The period of the indicators × partners grid: a year, or one of its quarters."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    quarter = forms.TypedChoiceField(label=_("Period"), coerce=int, required=False, empty_value=0)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import Target

        self.fields["year"].choices = [(year, str(year)) for year in years]
        self.fields["quarter"].choices = Target.Quarter.choices


class TargetSpanForm(forms.Form):
    """The periods of a partner's indicators over time: years, or quarters, from one year
    to another (at most six years)."""

    MAX_YEARS = 6
    STEPS = [("year", _("Years")), ("quarter", _("Quarters"))]

    year_from = forms.TypedChoiceField(label=_("From"), coerce=int)
    year_to = forms.TypedChoiceField(label=_("To"), coerce=int)
    step = forms.ChoiceField(label=_("Per"), choices=STEPS, required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("year_from", "year_to"):
            self.fields[name].choices = [(year, str(year)) for year in years]

    def clean(self):
        data = super().clean()
        start, end = data.get("year_from"), data.get("year_to")
        if start is not None and end is not None:
            if start > end:
                raise forms.ValidationError(_("The first year comes after the last."))
            if end - start + 1 > self.MAX_YEARS:
                raise forms.ValidationError(
                    _("Choose at most %(count)s years.") % {"count": self.MAX_YEARS}
                )
        return data

    def periods(self) -> list[tuple[int, int]]:
        data = self.cleaned_data
        years = range(data["year_from"], data["year_to"] + 1)
        if data.get("step") == "quarter":
            return [(year, quarter) for year in years for quarter in (1, 2, 3, 4)]
        return [(year, 0) for year in years]


class DashboardFilterForm(forms.Form):
    partner = forms.ChoiceField(label=_("Partner"), required=False)
    group = forms.ChoiceField(label=_("Enterprise group"), required=False)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, partners, years, groups=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [("", _("All enterprises"))] + [
            (str(g.pk), f"{g.partner.code} · {g.display_name}") for g in groups
        ]
        choices = [(str(p.pk), f"{p.code} · {p.name}") for p in partners]
        if len(partners) > 1:
            choices.insert(0, ("", _("All partners")))
        self.fields["partner"].choices = choices
        self.fields["year"].choices = [(year, str(year)) for year in years]


class SubscriptionForm(forms.ModelForm):
    """A person's subscription: which report, for which partner or enterprise, which period,
    language and frequency. The choices are what the person may read today."""

    class Meta:
        model = ReportSubscription
        fields = [
            "kind",
            "partner",
            "enterprise",
            "group",
            "period",
            "language",
            "frequency",
            "is_active",
        ]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        default = self.instance.pk is not None and self.instance.is_default
        kinds = [
            (ReportRun.Kind.PARTNER, ReportRun.Kind.PARTNER.label),
            (ReportRun.Kind.ENTERPRISE, ReportRun.Kind.ENTERPRISE.label),
            (ReportRun.Kind.GROUP, ReportRun.Kind.GROUP.label),
        ]
        if selectors.may_request_programme_report(user):
            kinds.append((ReportRun.Kind.PROGRAMME, ReportRun.Kind.PROGRAMME.label))
        self.fields["kind"].choices = kinds
        self.fields["partner"].queryset = selectors.report_partners(user)
        self.fields["partner"].required = False
        self.fields["enterprise"].queryset = selectors.report_enterprises(user)
        self.fields["enterprise"].required = False
        self.fields["enterprise"].label_from_instance = lambda e: (
            f"{e.display_name} ({e.partner.code})"
        )
        self.fields["group"].queryset = selectors.report_groups(user)
        self.fields["group"].required = False
        self.fields["group"].label_from_instance = lambda g: f"{g.display_name} ({g.partner.code})"
        if self.instance.pk is None:
            self.instance.subscriber = user
            self.fields["language"].initial = (
                ReportRun.Language.ZH_HANS
                if (get_language() or "").startswith("zh")
                else ReportRun.Language.EN
            )
            partners = list(self.fields["partner"].queryset[:2])
            if len(partners) == 1:
                self.fields["partner"].initial = partners[0].pk
        if default:
            # A partner's default subscription stays the partner report of that partner.
            for name in ("kind", "partner", "enterprise", "group"):
                del self.fields[name]
        self.helper = FormHelper()
        rows = [
            Row(Column("period", css_class="col-md-6"), Column("frequency", css_class="col-md-6")),
            Row(
                Column("language", css_class="col-md-6"), Column("is_active", css_class="col-md-6")
            ),
            Submit("save", _("Save the subscription")),
        ]
        if not default:
            rows.insert(0, Row(Column("kind", css_class="col-md-6")))
            rows.insert(
                1,
                Row(
                    Column("partner", css_class="col-md-6"),
                    Column("enterprise", css_class="col-md-6"),
                ),
            )
            rows.insert(2, Row(Column("group", css_class="col-md-6")))
        self.helper.layout = Layout(*rows)

    def clean(self):
        data = super().clean()
        kind = data.get("kind", getattr(self.instance, "kind", None))
        if "kind" in self.fields:
            if kind != ReportRun.Kind.ENTERPRISE:
                data["enterprise"] = None
            if kind != ReportRun.Kind.GROUP:
                data["group"] = None
            if kind == ReportRun.Kind.PROGRAMME:
                data["partner"] = None
            if kind == ReportRun.Kind.PARTNER and not data.get("partner"):
                self.add_error("partner", _("Choose the partner to report on."))
            if kind == ReportRun.Kind.ENTERPRISE:
                if not data.get("enterprise"):
                    self.add_error("enterprise", _("Choose the enterprise to report on."))
                else:
                    self.instance.partner = data["enterprise"].partner
                    data["partner"] = data["enterprise"].partner
            if kind == ReportRun.Kind.GROUP:
                if not data.get("group"):
                    self.add_error("group", _("Choose the enterprise group to report on."))
                else:
                    self.instance.partner = data["group"].partner
                    data["partner"] = data["group"].partner
        return data
