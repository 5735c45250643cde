"""Forms for recording and cancelling a consulting visit."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Fieldset, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.models import EITMember
from enterprises.selectors import eit_active_q
from score_portal.dates import PLANNED, plausible_date
from score_portal.forms import DateInput

from ..models import VISIT_FILE_EXTENSIONS, ConsultingVisit, VisitAction


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos of a visit)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class VisitForm(forms.ModelForm):
    """The visit, the actions agreed (a few blank rows) and the review of earlier open
    actions, in one form that works on a phone."""

    ACTION_ROWS = 3

    class Meta:
        model = ConsultingVisit
        fields = [
            "visit_date",
            "duration_hours",
            "mode",
            "co_visitor",
            "eit_present",
            "topics",
            "findings",
            "next_visit_date",
        ]
        widgets = {
            "visit_date": DateInput,
            "next_visit_date": DateInput,
            "eit_present": forms.CheckboxSelectMultiple,
            "duration_hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
            "topics": forms.Textarea(attrs={"rows": 3}),
            "findings": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, enterprise, open_actions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photos"] = MultipleFileField(
            label=_("Photos or evidence files"),
            required=False,
            help_text=_("Pictures or PDF, at most 5 MB each."),
            widget=MultipleFileInput(
                attrs={"accept": ",".join(f".{ext}" for ext in VISIT_FILE_EXTENSIONS)}
            ),
        )
        self.fields["visit_date"].required = True
        members = list(
            EITMember.objects.filter(eit_active_q(), enterprise=enterprise).order_by("role", "name")
        )
        self.fields["eit_present"].queryset = EITMember.objects.filter(
            pk__in=[m.pk for m in members]
        ).order_by("role", "name")
        # The owners an action usually has: the enterprise's EIT members (offered as
        # suggestions, free text still allowed for someone outside the team).
        self.eit_members = members
        if not members:
            self.fields["eit_present"].help_text = _(
                "No EIT members are recorded for this enterprise yet: add them on the "
                "enterprise page, then tick who was present."
            )
        self.open_actions = list(open_actions)
        review_fields = []
        for action in self.open_actions:
            name = f"review_{action.pk}"
            self.fields[name] = forms.ChoiceField(
                label=action.description,
                required=False,
                initial=VisitAction.Status.OPEN,
                # Three answers that cannot be mistaken for one another (in Chinese "仍未完成"
                # and "未完成" could): keep following it up, it is done, or it is dropped.
                choices=[
                    (VisitAction.Status.OPEN, pgettext_lazy("action review", "Still open")),
                    (VisitAction.Status.DONE, pgettext_lazy("action review", "Done")),
                    (
                        VisitAction.Status.NOT_DONE,
                        pgettext_lazy("action review", "Dropped (will not be done)"),
                    ),
                ],
                widget=forms.RadioSelect,
            )
            review_fields.append(name)
        action_rows = []
        for index in range(self.ACTION_ROWS):
            self.fields[f"action_{index}"] = forms.CharField(
                label=_("Action %(n)d") % {"n": index + 1}, required=False, max_length=300
            )
            self.fields[f"owner_{index}"] = forms.CharField(
                label=_("Owner"),
                required=False,
                max_length=100,
                widget=forms.TextInput(attrs={"list": "eit-owners", "autocomplete": "off"}),
                help_text=_("An EIT member, or anyone else.") if members else "",
            )
            self.fields[f"due_{index}"] = forms.DateField(
                label=_("Due"),
                required=False,
                widget=DateInput,
                validators=[plausible_date(PLANNED)],
            )
            action_rows.append(
                Row(
                    Column(f"action_{index}", css_class="col-md-6"),
                    Column(f"owner_{index}", css_class="col-7 col-md-3"),
                    Column(f"due_{index}", css_class="col-5 col-md-3"),
                )
            )
        review = (
            [Fieldset(_("Actions from earlier visits"), *review_fields)] if review_fields else []
        )
        self.helper = FormHelper()
        self.helper.form_tag = False  # one <form> with the KPI readings (visit_form.html)
        self.helper.layout = Layout(
            Row(
                Column("visit_date", css_class="col-6"), Column("duration_hours", css_class="col-6")
            ),
            Row(Column("mode", css_class="col-6"), Column("co_visitor", css_class="col-6")),
            "eit_present",
            "topics",
            "findings",
            "photos",
            *review,
            Fieldset(_("Actions agreed"), *action_rows),
            "next_visit_date",
        )

    def clean(self):
        data = super().clean()
        actions = []
        for index in range(self.ACTION_ROWS):
            description = (data.get(f"action_{index}") or "").strip()
            if description:
                actions.append(
                    {
                        "description": description,
                        "owner": data.get(f"owner_{index}", ""),
                        "due_date": data.get(f"due_{index}"),
                    }
                )
            elif data.get(f"owner_{index}") or data.get(f"due_{index}"):
                self.add_error(f"action_{index}", _("Describe the action."))
        data["actions"] = actions
        data["reviews"] = {
            action.pk: data.get(f"review_{action.pk}") for action in self.open_actions
        }
        return data

    def service_data(self) -> dict:
        data = self.cleaned_data
        return {
            "eit_present": data["eit_present"],
            "files": data.get("photos") or [],
            "actions": data["actions"],
            "reviews": data["reviews"],
            **{
                name: data.get(name)
                for name in (
                    "visit_date",
                    "duration_hours",
                    "mode",
                    "co_visitor",
                    "topics",
                    "findings",
                    "next_visit_date",
                )
            },
        }


class VisitCancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False  # one <form> with the KPI readings (visit_form.html)
        self.helper.layout = Layout(
            "reason", Submit("save", _("Cancel the visit"), css_class="btn-danger")
        )


class VisitPlanFilterForm(forms.Form):
    """The visit plan's one filter: a consultant (among the trainers the user may see)."""

    trainer: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, required=False, label=_("Consultant"), empty_label=_("All consultants")
    )

    def __init__(self, *args, trainers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = trainers
        self.fields["trainer"].widget.attrs["class"] = "form-select"
