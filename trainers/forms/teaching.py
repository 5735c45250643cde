"""The form that sets a workshop's teaching team."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Layout, Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..eligibility import standing_label
from ..models import Trainer


class WorkshopTrainersForm(forms.Form):
    trainers = forms.ModelMultipleChoiceField(
        queryset=Trainer.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Trainers")
    )
    lead = forms.ModelChoiceField(
        queryset=Trainer.objects.none(), required=False, label=_("Lead trainer")
    )
    reason = forms.CharField(
        label=_("Reason (when a trainer is not certified for the module)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, workshop, **kwargs):
        super().__init__(*args, **kwargs)
        available = (
            Trainer.objects.filter(partners=workshop.partner, is_active=True)
            .prefetch_related("certifications__module")
            .order_by("name")
        )
        self.fields["trainers"].queryset = available
        self.fields["lead"].queryset = available
        on = workshop.start_date or timezone.localdate()
        held = {}
        for trainer in available:
            for certification in trainer.certifications.all():
                if certification.module_id == workshop.module_id:
                    held[trainer.pk] = certification
        # The standing on the workshop's first day: "Certified trainer, expired on …" rather
        # than a bare "Certified trainer" and a refusal later (issue 20, item 2).
        self.fields["trainers"].label_from_instance = lambda t: (
            f"{t.display_name} — {standing_label(held.get(t.pk), on)}"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout("trainers", "lead", "reason", Submit("save", _("Save")))

    def clean(self):
        data = super().clean()
        lead = data.get("lead")
        if lead and lead not in data.get("trainers", []):
            self.add_error("lead", _("The lead trainer must be one of the trainers."))
        return data
