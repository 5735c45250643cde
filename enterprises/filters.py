"""The enterprise list's search, filters and sorting (django-filter)."""

import django_filters
from django.db.models import Exists, OuterRef, Q
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from catalogue.models import Module
from score_portal.access import access_for, partners_for

from .choices import PROVINCE_CHOICES, SECTOR_CHOICES, SIZE_BAND_CHOICES, SIZE_BANDS
from .models import Enrolment, Enterprise, EnterpriseGroup


def _descending(label) -> str:
    return gettext("%s (descending)") % label


descending_label = lazy(_descending, str)


class OrderingFilter(django_filters.OrderingFilter):
    """django-filter's sort choices with a descending label that is translated when shown.

    django-filter builds "Name (descending)" once, when the filter class is defined (in
    English), from a catalogue that has zh_CN only: on zh-hans pages it stayed English. Here
    the label is lazy and comes from our catalogue ("名称（降序）")."""

    def build_choices(self, fields, labels):
        choices = super().build_choices(fields, labels)
        ascending = {value: label for value, label in choices if not value.startswith("-")}
        return [
            (value, descending_label(ascending[value[1:]]))
            if value.startswith("-") and value not in labels
            else (value, label)
            for value, label in choices
        ]


def _partners(request):
    return partners_for(request.user) if request else Enterprise.objects.none()


def _groups(request):
    from score_portal.access import scope

    if request is None:
        return EnterpriseGroup.objects.none()
    return scope(request.user, EnterpriseGroup.objects.all()).order_by("name")


def _modules(request):
    return Module.objects.filter(is_active=True)


# The indicators' "trained" (enterprises.models.Enrolment.TRAINED_STATUSES) as a list filter.
TRAINED = "trained"


class EnterpriseFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        method="search", label=_("Search"), help_text=_("Name, Chinese name, credit code or group")
    )
    partner = django_filters.ModelChoiceFilter(queryset=_partners, label=_("Partner"))
    group = django_filters.ModelChoiceFilter(queryset=_groups, label=_("Enterprise group"))
    province = django_filters.ChoiceFilter(choices=PROVINCE_CHOICES, label=_("Province"))
    sector = django_filters.ChoiceFilter(choices=SECTOR_CHOICES, label=_("Sector"))
    size = django_filters.ChoiceFilter(
        choices=SIZE_BAND_CHOICES, method="filter_size", label=_("Size")
    )
    status = django_filters.ChoiceFilter(choices=Enterprise.Status.choices, label=_("Status"))
    module = django_filters.ModelChoiceFilter(
        queryset=_modules, method="filter_enrolment", label=_("Module")
    )
    enrolment_status = django_filters.ChoiceFilter(
        choices=[*Enrolment.Status.choices, (TRAINED, _("Trained (in consulting or completed)"))],
        method="filter_enrolment",
        label=_("Enrolment status"),
    )
    sort = OrderingFilter(
        fields=(
            ("name", "name"),
            ("province", "province"),
            ("employees_total", "employees"),
            ("status", "status"),
            ("created_at", "created"),
        ),
        field_labels={
            "name": _("Name"),
            "province": _("Province"),
            "employees_total": _("Employees"),
            "status": _("Status"),
            "created_at": _("Date added"),
        },
        label=_("Sort by"),
    )

    class Meta:
        model = Enterprise
        fields: list[str] = []

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is None or not access_for(request.user).programme:
            # Partner people see one partner: the filter would only add noise.
            self.filters.pop("partner")
        self.filters["group"].field.label_from_instance = lambda g: g.display_name

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value)
            | Q(name_zh__icontains=value)
            | Q(credit_code__iexact=value)
            | Q(group__name__icontains=value)
            | Q(group__name_zh__icontains=value)
        )

    def filter_size(self, queryset, name, value):
        for code, _label, low, high in SIZE_BANDS:
            if code == value:
                queryset = queryset.filter(employees_total__gte=low)
                return queryset if high is None else queryset.filter(employees_total__lte=high)
        return queryset

    def filter_enrolment(self, queryset, name, value):
        """Module and enrolment status apply to the same enrolment."""
        module = self.form.cleaned_data.get("module")
        status = self.form.cleaned_data.get("enrolment_status")
        if name == "enrolment_status" and module:
            return queryset  # handled together with the module
        enrolments = Enrolment.objects.filter(enterprise=OuterRef("pk"))
        if module:
            enrolments = enrolments.filter(module=module)
        if status == TRAINED:
            enrolments = enrolments.filter(status__in=Enrolment.TRAINED_STATUSES)
        elif status:
            enrolments = enrolments.filter(status=status)
        return queryset.filter(Exists(enrolments))
