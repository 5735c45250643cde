from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from score_portal.dates import PAST, plausible_date
from score_portal.forms import DateInput, form_helper

from ..models import (
    MANUAL_STATUSES,
    EITMember,
    Enterprise,
    EnterpriseGroup,
    ImprovementProject,
)
from ..validators import clean_uscc


class EnterpriseForm(forms.ModelForm):
    """Also carries the version the form was opened with, so a stale save is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "name",
            "name_zh",
            "credit_code",
            "sector",
            "ownership",
            "status",
            "province",
            "city",
            "address",
            "employees_total",
            "employees_women",
            "year_founded",
            "group",
            "lead_buyer",
            "contact_person",
            "phone",
            "email",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version
        status = self.fields["status"]
        status.help_text = _(
            "Follows the enrolments. By hand only prospect or withdrawn, for an enterprise "
            "without enrolments."
        )
        if not self.instance.pk:  # no enrolments yet
            status.choices = [(s, Enterprise.Status(s).label) for s in MANUAL_STATUSES]
        # Room for a pasted code with spaces or hyphens: clean_credit_code makes it 18.
        code = self.fields["credit_code"]
        code.max_length = 40
        code.widget.attrs["maxlength"] = "40"
        code.validators = [v for v in code.validators if not hasattr(v, "limit_value")]
        groups = EnterpriseGroup.objects.select_related("partner").order_by("partner__code", "name")
        if self.instance.pk:
            groups = groups.filter(partner_id=self.instance.partner_id)
        elif partner_choices is not None:
            groups = groups.filter(partner__in=partner_choices)
        else:
            groups = groups.none()
        self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: (
            g.display_name if self.instance.pk else f"{g.partner.code} · {g.display_name}"
        )
        fields = []
        if partner_choices is not None:
            self.fields["partner"] = forms.ModelChoiceField(
                queryset=partner_choices,
                label=_("Partner"),
                initial=partner_choices.first() if partner_choices.count() == 1 else None,
            )
            fields = ["partner"]
        self.helper = form_helper(
            Fieldset(
                _("Enterprise"),
                *fields,
                Row(Column("name", css_class="col-md-6"), Column("name_zh", css_class="col-md-6")),
                Row(
                    Column("credit_code", css_class="col-md-6"),
                    Column("status", css_class="col-md-6"),
                ),
                Row(
                    Column("sector", css_class="col-md-6"),
                    Column("ownership", css_class="col-md-6"),
                ),
            ),
            Fieldset(
                _("Location and size"),
                Row(
                    Column("province", css_class="col-md-4"),
                    Column("city", css_class="col-md-4"),
                    Column("year_founded", css_class="col-md-4"),
                ),
                "address",
                Row(
                    Column("employees_total", css_class="col-6"),
                    Column("employees_women", css_class="col-6"),
                ),
            ),
            Fieldset(
                _("Cluster and contact"),
                Row(
                    Column("group", css_class="col-md-6"),
                    Column("lead_buyer", css_class="col-md-6"),
                ),
                Row(
                    Column("contact_person", css_class="col-md-4"),
                    Column("phone", css_class="col-md-4"),
                    Column("email", css_class="col-md-4"),
                ),
                "notes",
            ),
            "version",
        )

    def clean_credit_code(self):
        """The import's cleaning: full-width characters, spaces, hyphens and zero-width
        characters go; a masked code or one with lost digits gets its own message."""
        return clean_uscc(self.cleaned_data.get("credit_code") or "")

    def clean(self):
        data = super().clean()
        if self.instance.pk and data.get("version") is None:
            # Without the version it was opened with, a save could overwrite someone
            # else's newer save unnoticed.
            raise forms.ValidationError(
                _(
                    "This form is incomplete or out of date: reload the page and enter your "
                    "changes again."
                ),
                code="no_version",
            )
        return data


class EITMemberForm(forms.ModelForm):
    class Meta:
        model = EITMember
        fields = ["name", "role", "level", "sex", "department", "active_from", "active_to"]
        widgets = {"active_from": DateInput, "active_to": DateInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(Column("name", css_class="col-md-6"), Column("role", css_class="col-md-6")),
            Row(Column("level", css_class="col-6"), Column("sex", css_class="col-6")),
            "department",
            Row(Column("active_from", css_class="col-6"), Column("active_to", css_class="col-6")),
        )


class ProjectForm(forms.ModelForm):
    class Meta:
        model = ImprovementProject
        fields = [
            "title",
            "module",
            "status",
            "start_date",
            "end_date",
            "estimated_saving",
            "realised_saving",
            "currency",
            "description",
        ]
        widgets = {
            "start_date": DateInput,
            "end_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = self.fields["module"].queryset.filter(is_active=True)
        self.helper = form_helper(
            "title",
            Row(Column("module", css_class="col-md-6"), Column("status", css_class="col-md-6")),
            Row(Column("start_date", css_class="col-6"), Column("end_date", css_class="col-6")),
            Row(
                Column("estimated_saving", css_class="col-md-5"),
                Column("realised_saving", css_class="col-md-5"),
                Column("currency", css_class="col-md-2"),
            ),
            "description",
        )


class SuggestionForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
        validators=[plausible_date(PAST)],
        help_text=_("The month the counts cover."),
    )
    made = forms.IntegerField(label=_("Suggestions made"), min_value=0)
    implemented = forms.IntegerField(label=_("Suggestions implemented"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(
            Row(
                Column("month", css_class="col-md-4"),
                Column("made", css_class="col-md-4"),
                Column("implemented", css_class="col-md-4"),
            ),
        )

    def clean(self):
        data = super().clean()
        made, implemented = data.get("made"), data.get("implemented")
        if made is not None and implemented is not None and implemented > made:
            self.add_error(
                "implemented", _("Implemented suggestions cannot exceed the suggestions made.")
            )
        return data


class BulkActionForm(forms.Form):
    ACTIONS = [
        ("status", _("Change status")),
        ("group", _("Put in an enterprise group")),
        ("ungroup", _("Take out of their group")),
        ("csv", _("Export selection (CSV)")),
        ("xlsx", _("Export selection (Excel)")),
    ]
    action = forms.ChoiceField(choices=ACTIONS, label=_("Action"))
    status = forms.ChoiceField(
        choices=[("", "—"), *((s, Enterprise.Status(s).label) for s in MANUAL_STATUSES)],
        required=False,
        label=_("New status"),
        help_text=_("For enterprises without enrolments: the others' status follows them."),
    )
    group = forms.ModelChoiceField(
        queryset=EnterpriseGroup.objects.none(),
        required=False,
        label=_("Enterprise group"),
        help_text=_("A group of the enterprises' own partner."),
    )
    selected = forms.ModelMultipleChoiceField(
        queryset=Enterprise.objects.none(), label=_("Enterprises")
    )

    def __init__(self, *args, queryset, groups=None, **kwargs):
        # The list's filter has a "status" and a "group" too: ids of its own, so each label
        # points at its control (the posted names stay the same).
        kwargs.setdefault("auto_id", "id_bulk_%s")
        super().__init__(*args, **kwargs)
        self.fields["selected"].queryset = queryset
        if groups is not None:
            self.fields["group"].queryset = groups
        self.fields["group"].label_from_instance = lambda g: f"{g.partner.code} · {g.display_name}"

    def clean(self):
        data = super().clean()
        if data.get("action") == "status" and not data.get("status"):
            self.add_error("status", _("Choose the new status."))
        if data.get("action") == "group" and not data.get("group"):
            self.add_error("group", _("Choose the group."))
        return data


class EnterpriseMergeForm(forms.Form):
    """Merge a duplicate record into this enterprise: the other one's enrolments, EIT,
    projects, suggestions, readings and visits move here, then it is deleted (with history)."""

    duplicate = forms.ModelChoiceField(
        label=_("The duplicate record"),
        queryset=Enterprise.objects.none(),
        help_text=_("Its records move to this enterprise; then it is deleted."),
    )
    confirm = forms.BooleanField(
        label=_("I checked that both records are the same enterprise."), required=True
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["duplicate"].queryset = candidates
        self.fields["duplicate"].label_from_instance = lambda e: (
            f"{e.display_name} · {e.credit_code or _('no credit code')}"
        )
        self.helper = form_helper("duplicate", "confirm", submit=_("Merge into this enterprise"))
