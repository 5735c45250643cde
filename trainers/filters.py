"""The trainer list's search and filters (django-filter)."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from catalogue.models import Module
from score_portal.access import access_for, partners_for

from .models import Certification, Trainer
from .selectors import active_recently_q, qualified_q


def _partners(request):
    return partners_for(request.user) if request else Trainer.objects.none()


def _modules(request):
    return Module.objects.filter(is_active=True)


class TrainerFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Search"), help_text=_("Name, Chinese name, city or organisation")
    )
    partner = django_filters.ModelChoiceFilter(
        queryset=_partners, method="filter_partner", label=_("Partner")
    )
    module = django_filters.ModelChoiceFilter(
        queryset=_modules, method="filter_certification", label=_("Certified in module")
    )
    grade = django_filters.ChoiceFilter(
        choices=Certification.Grade.choices, method="filter_certification", label=_("Grade")
    )
    active = django_filters.ChoiceFilter(
        choices=[
            ("yes", _("Active in the last 12 months")),
            ("no", _("Not active in the last 12 months")),
        ],
        method="filter_active",
        label=_("Activity"),
    )

    class Meta:
        model = Trainer
        fields = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        access = access_for(request.user) if request else None
        if access is None or (not access.programme and len(access.partner_ids) < 2):
            self.filters.pop("partner")  # one partner: the filter would only add noise

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(city__icontains=value)
            | Q(organisation__icontains=value)
        )

    def filter_partner(self, queryset, name, value):
        return queryset.filter(Trainer.partner_q([value.pk])) if value else queryset

    def filter_certification(self, queryset, name, value):
        """Module and grade apply to the same certification; a module alone means a valid
        certified or expert grade in it."""
        module = self.form.cleaned_data.get("module")
        grade = self.form.cleaned_data.get("grade")
        if name == "grade" and module:
            return queryset  # handled together with the module
        return queryset.filter(qualified_q(module, grade or None))

    def filter_active(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(active_recently_q())
        if value == "no":
            return queryset.exclude(active_recently_q())
        return queryset
