from crispy_forms.layout import Column, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from score_portal.forms import form_helper

from ..models import EnterpriseGroup


class EnterpriseGroupForm(forms.ModelForm):
    class Meta:
        model = EnterpriseGroup
        fields = ["name", "name_zh", "code", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, partner_choices=None, **kwargs):
        super().__init__(*args, **kwargs)
        fields = []
        if partner_choices is not None:
            self.fields["partner"] = forms.ModelChoiceField(
                queryset=partner_choices,
                label=_("Partner"),
                initial=partner_choices.first() if partner_choices.count() == 1 else None,
                help_text=_("The partner that enrols the group's enterprises."),
            )
            fields = ["partner"]
        self.helper = form_helper(
            *fields,
            Row(Column("name", css_class="col-md-6"), Column("name_zh", css_class="col-md-6")),
            "code",
            "notes",
        )


class GroupAssignForm(forms.Form):
    """Which of the partner's enterprises are in the group: tick to add, untick to remove."""

    add: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Add to the group"),
    )
    remove: forms.ModelMultipleChoiceField = forms.ModelMultipleChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Take out of the group"),
    )

    def __init__(self, *args, candidates, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["add"].queryset = candidates
        self.fields["remove"].queryset = members
        for name in ("add", "remove"):
            self.fields[name].label_from_instance = lambda e: (
                f"{e.display_name} ({e.group.display_name})" if e.group_id else e.display_name
            )
        self.helper = form_helper("add", "remove", submit=_("Save the group's enterprises"))

    def clean(self):
        data = super().clean()
        if not data.get("add") and not data.get("remove"):
            raise forms.ValidationError(_("Tick at least one enterprise to add or take out."))
        return data
