from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ChecklistItem, EvaluationQuestion, KPIDefinition, Module


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = [
            "code",
            "name_en",
            "name_zh",
            "description",
            "classroom_days",
            "planned_visits",
            "order",
            "is_entry",
            "is_active",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("code", css_class="col-md-3"),
                Column("name_en", css_class="col-md-5"),
                Column("name_zh", css_class="col-md-4"),
            ),
            "description",
            Row(Column("classroom_days"), Column("planned_visits"), Column("order")),
            Row(Column("is_entry"), Column("is_active")),
            Submit("save", _("Save")),
        )


class KPIDefinitionForm(forms.ModelForm):
    class Meta:
        model = KPIDefinition
        fields = [
            "code",
            "name_en",
            "name_zh",
            "unit",
            "unit_zh",
            "direction",
            "normalisation",
            "module",
            "plausible_min",
            "plausible_max",
            "headline",
            "order",
            "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("code", css_class="col-md-3"),
                Column("unit", css_class="col-md-3"),
                Column("unit_zh", css_class="col-md-3"),
                Column("order", css_class="col-md-3"),
            ),
            Row(Column("name_en", css_class="col-md-6"), Column("name_zh", css_class="col-md-6")),
            Row(
                Column("direction", css_class="col-md-4"),
                Column("normalisation", css_class="col-md-4"),
                Column("module", css_class="col-md-4"),
            ),
            Row(
                Column("plausible_min", css_class="col-md-4"),
                Column("plausible_max", css_class="col-md-4"),
                Column("headline", css_class="col-md-4"),
            ),
            "is_active",
            Submit("save", _("Save")),
        )


class ChecklistItemForm(forms.ModelForm):
    class Meta:
        model = ChecklistItem
        fields = ["theme_en", "theme_zh", "name_en", "name_zh", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(Column("theme_en", css_class="col-md-6"), Column("theme_zh", css_class="col-md-6")),
            "name_en",
            "name_zh",
            Row(Column("order", css_class="col-md-3")),
            Submit("save", _("Save as a new version")),
        )


class EvaluationQuestionForm(forms.ModelForm):
    class Meta:
        model = EvaluationQuestion
        fields = ["code", "kind", "text_en", "text_zh", "order", "required", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # The code ties the versions of a question together: it does not change.
            self.fields["code"].disabled = True
        self.helper = FormHelper()
        self.helper.layout = Layout(
            Row(
                Column("code", css_class="col-md-4"),
                Column("kind", css_class="col-md-4"),
                Column("order", css_class="col-md-4"),
            ),
            "text_en",
            "text_zh",
            Row(Column("required"), Column("is_active")),
            Submit("save", _("Save")),
        )

    def validate_unique(self):
        # The service makes the next version; uniqueness is its business (and the database's).
        pass
