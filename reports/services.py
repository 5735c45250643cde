"""Writes for report runs: request (or join), retry, and the build the worker performs.

The ``ReportRun`` row is the truth. ``report_request`` creates it and queues the build on
commit; the task claims the row with a conditional UPDATE, so a duplicate delivery of the
same message does nothing.
"""

from __future__ import annotations

import logging
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from score_portal.access import Perm, access_for, can

from .models import ReportRun, report_upload_to, stuck_after

logger = logging.getLogger(__name__)


class RequestOutcome:
    """What happened to a request: the run, whether it joined an existing one, whether the
    broker accepted the message (``queued`` False: the row waits for the worker)."""

    def __init__(self, run: ReportRun, *, joined: bool, queued: bool | None = None):
        self.run, self.joined, self.queued = run, joined, queued


def _check_may_report(user, *, kind: str, partner, enterprise=None, group=None) -> None:
    access = access_for(user)
    if (
        kind == ReportRun.Kind.ENTERPRISE
        and enterprise is not None
        and can(user, Perm.ENTERPRISE, enterprise)
    ):
        return  # the enterprise's own contact: their enterprise's report only
    if kind == ReportRun.Kind.GROUP and group is not None and group.pk in access.group_ids:
        return  # the group's contact: their group's report (of enterprises all theirs)
    if kind == ReportRun.Kind.PROGRAMME:
        if not access.sees_all(Perm.REPORTS):
            raise PermissionDenied
    elif partner is None or not access.has_perm(Perm.REPORTS, partner.pk):
        raise PermissionDenied


def _enqueue(run_id) -> bool:
    """Publish the build message; False (logged, not raised) when the broker is down."""
    return ReportRun.enqueue(run_id)


def _enqueue_on_commit(run: ReportRun, outcome: RequestOutcome) -> None:
    def queued(ok: bool) -> None:
        outcome.queued = ok

    ReportRun.enqueue_on_commit(run.pk, queued)


def report_request(
    *,
    acting_user,
    kind: str,
    partner=None,
    enterprise=None,
    workshop=None,
    group=None,
    period_from: date | None = None,
    period_to: date | None = None,
    language: str = "en",
    email_managers: bool = False,
) -> RequestOutcome:
    """Request a report. Returns the pending or running run with the same parameters when
    there is one (the request joins it); otherwise creates a run and queues its build once
    the transaction commits. Raises PermissionDenied without Perm.REPORTS for the partner
    (programme reports: programme managers only) and ValidationError on bad parameters."""
    if enterprise is not None:
        partner = enterprise.partner
    if workshop is not None:
        partner = workshop.partner
    if group is not None:
        partner = group.partner
    if kind == ReportRun.Kind.GROUP and group is None:
        raise ValidationError(_("Choose the enterprise group to report on."))
    if kind == ReportRun.Kind.WORKSHOP and workshop is None:
        raise ValidationError(_("Choose the workshop."))
    if kind == ReportRun.Kind.PROGRAMME:
        partner = None
    if kind == ReportRun.Kind.ENTERPRISE and enterprise is None:
        raise ValidationError(_("Choose the enterprise to report on."))
    if kind == ReportRun.Kind.PARTNER and partner is None:
        raise ValidationError(_("Choose the partner to report on."))
    _check_may_report(acting_user, kind=kind, partner=partner, enterprise=enterprise, group=group)
    key = ReportRun.make_params_key(
        kind=kind,
        partner_id=partner.pk if partner else None,
        enterprise_id=enterprise.pk if enterprise else None,
        period_from=period_from,
        period_to=period_to,
        language=language,
        workshop_id=workshop.pk if workshop else None,
        group_id=group.pk if group else None,
    )
    for _attempt in range(2):
        try:
            with transaction.atomic():
                existing = (
                    ReportRun.objects.select_for_update()
                    .filter(params_key=key, status__in=ReportRun.ACTIVE_STATUSES)
                    .first()
                )
                if existing is not None:
                    if email_managers and not existing.email_managers:
                        existing.email_managers = True
                        existing.save(update_fields=["email_managers"])
                    return RequestOutcome(existing, joined=True, queued=True)
                run = ReportRun(
                    kind=kind,
                    partner=partner,
                    enterprise=enterprise,
                    workshop=workshop,
                    group=group,
                    period_from=period_from,
                    period_to=period_to,
                    language=language,
                    params_key=key,
                    email_managers=email_managers,
                    requested_by=acting_user,
                )
                run.full_clean()
                run.save()
                outcome = RequestOutcome(run, joined=False)
                _enqueue_on_commit(run, outcome)
            return outcome
        except IntegrityError:
            # Another request created the same run between our read and our insert: join it.
            continue
    existing = ReportRun.objects.get(params_key=key, status__in=ReportRun.ACTIVE_STATUSES)
    return RequestOutcome(existing, joined=True, queued=True)


def report_retry(*, acting_user, run: ReportRun) -> RequestOutcome:
    """ "Try again": re-queue a failed run, a pending run whose message may have been lost
    (broker down) or a run stuck in running. A done run is regenerated as a new request
    with the same parameters (fresh data)."""
    _check_may_report(
        acting_user, kind=run.kind, partner=run.partner, enterprise=run.enterprise, group=run.group
    )
    if run.status == ReportRun.Status.DONE:
        return report_request(
            acting_user=acting_user,
            kind=run.kind,
            partner=run.partner,
            enterprise=run.enterprise,
            workshop=run.workshop,
            group=run.group,
            period_from=run.period_from,
            period_to=run.period_to,
            language=run.language,
        )
    with transaction.atomic():
        stuck = Q(status=ReportRun.Status.RUNNING, started_at__lt=timezone.now() - stuck_after())
        retryable = Q(status__in=[ReportRun.Status.FAILED, ReportRun.Status.PENDING]) | stuck
        updated = ReportRun.objects.filter(retryable, pk=run.pk).update(
            status=ReportRun.Status.PENDING,
            progress=0,
            error="",
            attempts=0,
            started_at=None,
            finished_at=None,
        )
        if not updated:
            # Running normally or a newer run with the same parameters is active.
            run.refresh_from_db()
            return RequestOutcome(run, joined=True, queued=True)
        run.refresh_from_db()
        outcome = RequestOutcome(run, joined=False)
        _enqueue_on_commit(run, outcome)
    return outcome


def reports_requeue_waiting(*, older_than: timedelta | None = None) -> int:
    """Queue again every run still waiting for its first start after ``older_than`` (default
    ``WAITING_AFTER``): its message was probably never published (broker down when it was
    requested). Beat calls this every few minutes, so a queued run starts soon after the
    broker is back. A duplicate message is harmless: the claim lets one build it."""
    return ReportRun.requeue_waiting(older_than=older_than)


# --- What the worker does -------------------------------------------------------------------


def report_claim(*, run_id) -> bool:
    """Claim the run for this worker with a conditional UPDATE, pending → running. A
    duplicate delivery finds the row no longer pending and gets False. (A transient error
    hands the row back to pending before the retry, so retries claim it the same way.)

    A row still running after ``stuck_after()`` (longer than the hard time limit) lost its
    worker (killed, machine gone): the broker redelivers the unacknowledged message
    (``acks_late``, Redis ``visibility_timeout``) and this claims the row again."""
    return ReportRun.claim(run_id, progress=1)


def report_progress(*, run_id, percent: int) -> None:
    ReportRun.set_progress(run_id, percent)


def report_build(*, run_id) -> ReportRun:
    """Build and render a claimed run, save its PDF and XLSX, mark it done. Exceptions
    propagate to the task, which decides between retry and failure."""
    from .builders import build_for_run
    from .rendering import render_pdf, render_xlsx

    run = ReportRun.objects.select_related("partner", "enterprise", "group").get(pk=run_id)
    with override(run.language):
        context = build_for_run(run, progress=lambda p: report_progress(run_id=run_id, percent=p))
        report_progress(run_id=run_id, percent=75)
        pdf = render_pdf(context)
        report_progress(run_id=run_id, percent=92)
        xlsx = render_xlsx(context)
    for field, data, extension in ((run.file, pdf, "pdf"), (run.xlsx_file, xlsx, "xlsx")):
        # A worker killed after saving a file left it behind: replace it rather than let
        # the storage add a second copy under another name.
        name = report_upload_to(run, run.file_name(extension))
        if field.storage.exists(name):
            field.storage.delete(name)
        field.save(run.file_name(extension), ContentFile(data), save=False)
    ReportRun.finish(
        run_id, status=ReportRun.Status.DONE, file=run.file.name, xlsx_file=run.xlsx_file.name
    )
    run.refresh_from_db()
    return run


def report_release(*, run_id, message: str) -> None:
    """A transient error: hand the run back (running → pending) for the task's retry."""
    ReportRun.release(run_id, message)


def report_fail(*, run_id, message: str) -> None:
    ReportRun.fail(run_id, message)


def report_email_managers(*, run_id) -> int:
    """E-mail a done run's PDF to the partner's managers, once. Returns the recipients."""
    from django.conf import settings
    from django.core.mail import EmailMessage

    from score_portal.access import people_with_role
    from score_portal.models import Role

    with transaction.atomic():
        claimed = ReportRun.objects.filter(
            pk=run_id, status=ReportRun.Status.DONE, email_managers=True, emailed_at__isnull=True
        ).update(emailed_at=timezone.now())
        if not claimed:
            return 0
        run = ReportRun.objects.select_related("partner").get(pk=run_id)
        recipients = list(
            people_with_role(Role.PARTNER_MANAGER, [run.partner_id])
            .exclude(email="")
            .values_list("email", flat=True)
        )
        if not recipients:
            return 0
        with override(run.language):
            subject = _("SCORE progress report: %(partner)s, %(period)s") % {
                "partner": run.partner.name,
                "period": f"{run.period_from:%Y-%m}",
            }
            body = _(
                "Dear colleague,\n\nAttached is the monthly SCORE progress report of "
                "%(partner)s for %(period)s. You can also download it, and request other "
                "reports, on the SCORE Portal.\n\nSCORE Portal"
            ) % {"partner": run.partner.name, "period": f"{run.period_from:%Y-%m}"}
        message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to=recipients)
        with run.file.open("rb") as handle:
            message.attach(run.file_name("pdf"), handle.read(), "application/pdf")
        message.send()
    return len(recipients)


def report_request_for_system(
    *,
    kind: str,
    partner=None,
    period_from: date | None = None,
    period_to: date | None = None,
    language: str = "en",
) -> ReportRun:
    """A report requested by the system (a partner's default subscription), joining an
    identical pending or running run. It skips the permission check that
    ``report_request`` makes for people: each recipient is checked when it is sent."""
    key = ReportRun.make_params_key(
        kind=kind,
        partner_id=partner.pk if partner else None,
        enterprise_id=None,
        period_from=period_from,
        period_to=period_to,
        language=language,
    )
    for _attempt in range(2):
        try:
            with transaction.atomic():
                run = (
                    ReportRun.objects.select_for_update()
                    .filter(params_key=key, status__in=ReportRun.ACTIVE_STATUSES)
                    .first()
                )
                if run is None:
                    run = ReportRun(
                        kind=kind,
                        partner=partner,
                        period_from=period_from,
                        period_to=period_to,
                        language=language,
                        params_key=key,
                    )
                    run.full_clean()
                    run.save()
                    ReportRun.enqueue_on_commit(run.pk)
            return run
        except IntegrityError:
            continue
    return ReportRun.objects.get(params_key=key, status__in=ReportRun.ACTIVE_STATUSES)


def _default_language() -> str:
    from django.conf import settings

    # Chinese federations read Chinese; a deployment elsewhere sets another language.
    return getattr(settings, "SCORE_MONTHLY_REPORT_LANGUAGE", ReportRun.Language.ZH_HANS)
