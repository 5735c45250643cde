"""Forms for trainer profiles and certification."""

from crispy_forms.layout import Column, Fieldset, Row
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from catalogue.models import Module
from score_portal.forms import DateInput, form_helper

from ..models import Certification, Trainer


class TrainerForm(forms.ModelForm):
    """Profile, the partners served (among those the user may change) and an optional login."""

    partners = forms.ModelMultipleChoiceField(
        queryset=None,
        label=_("Partners served"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Partners you do not manage that the trainer serves are kept."),
    )
    login_username = forms.CharField(
        label=_("Login username"),
        max_length=150,
        required=False,
        help_text=_("Optional. A new login gets a one-time password, shown once after saving."),
    )

    class Meta:
        model = Trainer
        fields = [
            "name",
            "name_zh",
            "sex",
            "phone",
            "email",
            "city",
            "region",
            "organisation",
            "is_active",
            "bio",
        ]
        widgets = {"bio": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = partner_choices
        if self.instance.pk and not self.is_bound:
            self.initial["partners"] = [
                p for p in self.instance.partners.all() if p in set(partner_choices)
            ]
            if self.instance.user_id:
                self.initial["login_username"] = self.instance.user.username
        elif not self.is_bound and len(partner_choices) == 1:
            self.initial["partners"] = list(partner_choices)
        self.helper = form_helper(
            Fieldset(
                _("Trainer"),
                Row(Column("name", css_class="col-md-6"), Column("name_zh", css_class="col-md-6")),
                Row(
                    Column("sex", css_class="col-md-4"),
                    Column("phone", css_class="col-md-4"),
                    Column("email", css_class="col-md-4"),
                ),
                Row(
                    Column("city", css_class="col-md-4"),
                    Column("region", css_class="col-md-4"),
                    Column("organisation", css_class="col-md-4"),
                ),
                "bio",
                "is_active",
            ),
            Fieldset(_("Partners and login"), "partners", "login_username"),
        )


class CertificationForm(forms.ModelForm):
    """A trainer's grade in one module; the module is chosen only when adding."""

    module = forms.ModelChoiceField(
        queryset=Module.objects.filter(is_active=True), label=_("Module")
    )

    class Meta:
        model = Certification
        fields = ["grade", "tot_date", "recommended_by", "decision_date", "valid_until", "notes"]
        widgets = {
            "tot_date": DateInput,
            "decision_date": DateInput,
            "valid_until": DateInput,
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, trainer, experts, module=None, **kwargs):
        super().__init__(*args, **kwargs)
        expert_grade = Certification.objects.filter(
            trainer=OuterRef("pk"), grade=Certification.Grade.EXPERT
        )
        self.fields["recommended_by"].queryset = experts.filter(Exists(expert_grade)).exclude(
            pk=trainer.pk
        )
        fields = ["module"]
        if module is not None:
            del self.fields["module"]
            fields = []
        self.helper = form_helper(
            *fields,
            Row(
                Column("grade", css_class="col-md-6"),
                Column("recommended_by", css_class="col-md-6"),
            ),
            Row(
                Column("tot_date", css_class="col-md-4"),
                Column("decision_date", css_class="col-md-4"),
                Column("valid_until", css_class="col-md-4"),
            ),
            "notes",
        )

    def _post_clean(self):
        # The trainer and module are not on the form: the service validates the whole row.
        pass
