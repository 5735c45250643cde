"""The public evaluation form: one field per question on the form today."""

from django import forms
from django.utils.translation import gettext_lazy as _

from catalogue.models import EvaluationQuestion


def _field(question: EvaluationQuestion) -> forms.Field:
    if question.kind == EvaluationQuestion.Kind.RATING:
        return forms.TypedChoiceField(
            label=question.text,
            choices=[(str(n), str(n)) for n in range(1, 6)],
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            required=question.required,
        )
    if question.kind == EvaluationQuestion.Kind.YES_NO:
        return forms.ChoiceField(
            label=question.text,
            choices=[("yes", _("Yes")), ("no", _("No"))],
            widget=forms.RadioSelect(attrs={"class": "btn-check"}),
            required=question.required,
        )
    return forms.CharField(
        label=question.text,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        required=question.required,
    )


class EvaluationForm(forms.Form):
    def __init__(self, *args, questions, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            self.fields[f"q{question.pk}"] = _field(question)

    def rows(self):
        """(question, bound field) for the template."""
        return [(question, self[f"q{question.pk}"]) for question in self.questions]

    def answers(self) -> dict[int, object]:
        return {q.pk: self.cleaned_data.get(f"q{q.pk}") for q in self.questions}
