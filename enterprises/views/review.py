"""The data review loop's pages: the staff's review queue (verify many, return one), a
reading's page with its comment thread, returning a reading with a comment and the author's
answer (with the correction)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from score_portal.access import Perm, access_for, require_perm, scope
from score_portal.formatting import format_date
from score_portal.web import bad_filter_messages, form_page

from .. import selectors
from ..forms.review import AnswerForm, ReturnForm, ReviewFilterForm
from ..models import KPIReading
from ..selectors import review as selectors_review
from ..services import review as services_review

PAGE_SIZE = 50
MAX_ID = 2**31  # a larger "id" is no reading (and would overflow the column)


@require_perm(Perm.VERIFY)
def review_queue(request):
    """Readings waiting for review in the staff's partners (or another status), filtered;
    select many and verify them, or open one to return it with a comment."""
    form = ReviewFilterForm(
        request.GET or None,
        enterprises=selectors_review.review_enterprises(request.user),
        trainers=selectors_review.review_trainers(request.user),
    )
    bad_filter_messages(request, form)
    filters = form.filters()
    readings = selectors_review.review_queue(request.user, **filters)
    page = Paginator(readings, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    for reading in page:
        reading.own = request.user.pk in reading.entered_by_ids()
    return render(
        request,
        "enterprises/review_queue.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "status": filters["status"],
            "counts": selectors_review.review_counts(request.user),
            "here": request.get_full_path(),
        },
    )


def _back(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


@require_POST
@require_perm(Perm.VERIFY)
def review_verify(request):
    """Verify the selected readings (those the user may review; the others are ignored),
    with one message per reason a reading was skipped."""
    ids = [
        int(value)
        for value in request.POST.getlist("reading")
        if value.isdigit() and int(value) < MAX_ID
    ]
    back = _back(request, reverse("enterprises:review:queue"))
    if not ids:
        messages.error(request, _("Select at least one reading to verify."))
        return redirect(back)
    readings = scope(request.user, KPIReading.objects.all(), Perm.VERIFY).filter(pk__in=ids)
    outcome = services_review.kpi_readings_verify(acting_user=request.user, readings=readings)
    for level, text in outcome.messages():
        getattr(messages, level)(request, text)
    return redirect(back)


def _reading(request, pk, reading_pk, perm=Perm.VIEW) -> KPIReading:
    enterprise = selectors.enterprise_get(request.user, pk, perm)
    return selectors_review.reading_get(request.user, enterprise, reading_pk)


def _reading_url(reading) -> str:
    return reverse("enterprises:kpi:detail", args=[reading.enterprise_id, reading.pk])


@require_perm(Perm.VIEW)
def kpi_detail(request, pk, reading_pk):
    """One reading: its values, who entered, returned and verified it, and the thread."""
    reading = _reading(request, pk, reading_pk)
    access = access_for(request.user)
    partner_id = reading.enterprise.partner_id
    reviewer = access.has_perm(Perm.VERIFY, partner_id)
    own = request.user.pk in reading.entered_by_ids()
    waiting = reading.review_status == KPIReading.Review.WAITING
    return render(
        request,
        "enterprises/kpi_detail.html",
        {
            "enterprise": reading.enterprise,
            "reading": reading,
            "comments": list(reading.comments.all()),
            "can_review": reviewer and waiting and not own,
            "own": own and reviewer and waiting,
            "can_unlock": reviewer and reading.is_verified,
            "can_answer": reading.is_returned
            and access.has_perm(Perm.RECORD, partner_id)
            and services_review.may_answer(request.user, reading),
        },
    )


@require_perm(Perm.VIEW)
def kpi_return(request, pk, reading_pk):
    reading = _reading(request, pk, reading_pk, Perm.VERIFY)
    form = ReturnForm(request.POST or None)
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services_review.kpi_reading_return(
            acting_user=request.user, reading=reading, comment=data["comment"]
        ),
        context={
            "title": _("Return a reading for revision"),
            "intro": _("%(kpi)s, %(start)s to %(end)s: %(value)s %(unit)s")
            % {
                "kpi": reading.kpi.name,
                "start": format_date(reading.period_start),
                "end": format_date(reading.period_end),
                "value": reading.value.normalize(),
                "unit": reading.kpi.unit_label,
            },
            "enterprise": reading.enterprise,
            "back_url": _reading_url(reading),
        },
        success_url=reverse("enterprises:review:queue"),
        success_message=_("Reading returned to its author with your comment."),
    )


@require_perm(Perm.VIEW)
def kpi_answer(request, pk, reading_pk):
    reading = _reading(request, pk, reading_pk, Perm.RECORD)
    if not services_review.may_answer(request.user, reading):
        raise PermissionDenied
    if not reading.is_returned:
        messages.info(request, _("This reading is not returned for revision."))
        return redirect(_reading_url(reading))
    form = AnswerForm(request.POST or None, request.FILES or None, instance=reading)
    comment = next(
        (c for c in reversed(list(reading.comments.all())) if c.kind == c.Kind.RETURN), None
    )
    return form_page(
        request,
        form,
        template="score_portal/form_page.html",
        save=lambda data: services_review.kpi_reading_answer(
            acting_user=request.user, reading=reading, **data
        ),
        context={
            "title": _("Correct and answer a returned reading"),
            "intro": _("%(reviewer)s asked: “%(comment)s”")
            % {
                "reviewer": (comment.author.get_full_name() or comment.author.username)
                if comment and comment.author
                else "—",
                "comment": comment.text if comment else "",
            },
            "enterprise": reading.enterprise,
            "scripts": ["js/kpi-check.js"],
            "back_url": _reading_url(reading),
        },
        success_url=_reading_url(reading),
        success_message=_("Answer sent: the reading waits for review again."),
    )
