"""KPI pages: an enterprise's KPI table and charts, recording, verifying and unlocking
readings and evidence downloads (the KPI catalogue pages are in ``catalogue.views``)."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from score_portal.access import Perm, access_for, require_perm
from score_portal.charts import data_uri, trend_svg
from score_portal.web import form_page

from .. import selectors
from ..forms.kpi import KPIReadingForm, UnlockForm
from ..models import KPIReading
from ..selectors import kpi as selectors_kpi
from ..services import kpi as services_kpi
from ..services import review as services_review


@require_perm(Perm.VIEW)
def kpi_overview(request, pk):
    enterprise = selectors.enterprise_get(request.user, pk)
    rows = selectors_kpi.kpi_table(enterprise)
    for row in rows:
        row.chart = data_uri(
            trend_svg(
                [(r.period_end, r.value) for r in row.follow_ups],
                baseline=row.baseline.value if row.baseline else None,
                unit=row.kpi.unit_label,
                title=row.kpi.name,
                baseline_label=_("Baseline"),
                follow_up_label=_("Follow-up"),
            )
        )
        row.chart_alt = _("%(kpi)s over time: baseline %(baseline)s, follow-ups %(values)s") % {
            "kpi": row.kpi.name,
            "baseline": row.baseline.value.normalize() if row.baseline else "—",
            "values": ", ".join(str(r.value.normalize()) for r in row.follow_ups) or "—",
        }
    access = access_for(request.user)
    return render(
        request,
        "enterprises/kpi_overview.html",
        {
            "enterprise": enterprise,
            "rows": rows,
            "can_record": access.has_perm(Perm.RECORD, enterprise.partner_id),
            "can_verify": access.has_perm(Perm.VERIFY, enterprise.partner_id),
            "unverified": sum(
                1
                for row in rows
                for r in row.readings
                if r.review_status == KPIReading.Review.WAITING
                and request.user.pk not in r.entered_by_ids()
            ),
        },
    )


def _kpi_page(enterprise) -> str:
    return reverse("enterprises:kpi:overview", args=[enterprise.pk])


@require_perm(Perm.VIEW)
def kpi_record(request, pk):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.RECORD)
    initial = {key: request.GET[key] for key in ("kpi", "kind", "source") if key in request.GET}
    form = KPIReadingForm(
        request.POST or None, request.FILES or None, initial=initial, enterprise=enterprise
    )

    def save(data):
        return services_kpi.kpi_reading_record(
            acting_user=request.user, enterprise=enterprise, **data
        )

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        context={
            "title": _("Record a KPI reading"),
            "enterprise": enterprise,
            "scripts": ["js/kpi-check.js"],
            "back_url": _kpi_page(enterprise),
        },
        success_url=_kpi_page(enterprise),
        success_message=_("Reading saved."),
        once=True,
    )


def _reading(request, pk, reading_pk, perm=Perm.VIEW) -> KPIReading:
    enterprise = selectors.enterprise_get(request.user, pk, perm)
    return get_object_or_404(
        KPIReading.objects.select_related("kpi", "enterprise"), pk=reading_pk, enterprise=enterprise
    )


@require_perm(Perm.VIEW)
def kpi_edit(request, pk, reading_pk):
    reading = _reading(request, pk, reading_pk, Perm.RECORD)
    if reading.is_verified:
        messages.error(request, _("This reading is verified and locked."))
        return redirect(_kpi_page(reading.enterprise))
    form = KPIReadingForm(
        request.POST or None, request.FILES or None, instance=reading, enterprise=reading.enterprise
    )
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services_kpi.kpi_reading_update(
            acting_user=request.user, reading=reading, **data
        ),
        context={
            "title": _("Correct a KPI reading"),
            "enterprise": reading.enterprise,
            "scripts": ["js/kpi-check.js"],
            "back_url": _kpi_page(reading.enterprise),
        },
        success_url=_kpi_page(reading.enterprise),
        success_message=_("Reading saved."),
    )


@require_POST
@require_perm(Perm.VIEW)
def kpi_verify(request, pk):
    enterprise = selectors.enterprise_get(request.user, pk, Perm.VERIFY)
    ids = [value for value in request.POST.getlist("reading") if value.isdigit()]
    readings = enterprise.kpi_readings.all()
    if ids:
        readings = readings.filter(pk__in=ids)
    outcome = services_review.kpi_readings_verify(acting_user=request.user, readings=readings)
    for level, text in outcome.messages():
        getattr(messages, level)(request, text)
    return redirect(_kpi_page(enterprise))


@require_perm(Perm.VIEW)
def kpi_unlock(request, pk, reading_pk):
    reading = _reading(request, pk, reading_pk, Perm.VERIFY)
    form = UnlockForm(request.POST or None)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services_kpi.kpi_reading_unlock(
            acting_user=request.user, reading=reading, **data
        ),
        context={
            "title": _("Unlock a verified reading"),
            "enterprise": reading.enterprise,
            "back_url": _kpi_page(reading.enterprise),
        },
        success_url=_kpi_page(reading.enterprise),
        success_message=_("Reading unlocked."),
    )


@require_perm(Perm.VIEW)
def kpi_evidence(request, pk, reading_pk):
    """Evidence files live outside the web root and are served only through this check."""
    reading = _reading(request, pk, reading_pk)
    if not reading.evidence:
        raise Http404
    try:
        handle = reading.evidence.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    extension = reading.evidence.name.rsplit(".", 1)[-1]
    name = f"{reading.kpi.code}-{reading.period_end:%Y%m%d}.{extension}"
    return FileResponse(handle, as_attachment=True, filename=name)
