"""Report subscriptions: deliveries on a schedule, each checked again for every recipient.

Beat calls ``subscriptions_deliver_due`` daily. For each active subscription whose week,
month or quarter has just ended it creates one delivery row (unique per subscription and
period: a second run the same day finds it and does nothing), checks that the recipients
may still read the report (a person who lost the role gets nothing: "skipped: out of
scope"), and requests the report through ``report_request`` (joining an identical run).
When the run is built the worker mails a link to it; the download checks access again.

Sending holds the delivery row locked, marks it sent in the same transaction as the SMTP
hand-over and rolls back when the server refuses: an outage delays a delivery (the task
retries, the daily sweep tries again), it never loses one. Only a crash between the
server's acceptance and the commit can send a mail twice; nothing can drop it.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from enterprises.models import Enterprise, EnterpriseGroup
from score_portal.access import (
    Perm,
    access_for,
    get_for_user,
    partner_ids_where,
    people_with_role,
    scope,
)
from score_portal.models import Partner, Role
from score_portal.services import save_as

from . import services
from .models import ReportRun, ReportSubscription, SubscriptionDelivery

logger = logging.getLogger(__name__)

Frequency = ReportSubscription.Frequency
Status = SubscriptionDelivery.Status


# --- Periods ----------------------------------------------------------------------------------


def latest_period(frequency: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The last complete week (Monday–Sunday), month or quarter before ``today``."""
    if frequency == Frequency.WEEKLY:
        end = today - dt.timedelta(days=today.weekday() + 1)
        return end - dt.timedelta(days=6), end
    if frequency == Frequency.MONTHLY:
        end = today.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    end = quarter_start - dt.timedelta(days=1)
    return end.replace(month=(end.month - 1) // 3 * 3 + 1, day=1), end


def next_delivery_on(frequency: str, today: dt.date) -> dt.date:
    """The day the next scheduled delivery after ``today`` goes out."""
    if frequency == Frequency.WEEKLY:
        return today + dt.timedelta(days=7 - today.weekday())
    month_step = 1 if frequency == Frequency.MONTHLY else 3
    first = today.replace(day=1)
    month = first.month - 1 + month_step
    if frequency == Frequency.QUARTERLY:
        month = (first.month - 1) // 3 * 3 + 3
    year, month = first.year + month // 12, month % 12 + 1
    return dt.date(year, month, 1)


def report_period(
    subscription: ReportSubscription, start: dt.date, end: dt.date
) -> tuple[dt.date | None, dt.date]:
    """The period the report covers for the delivery period ``start``–``end``."""
    if subscription.period == ReportSubscription.Period.YEAR_TO_DATE:
        return end.replace(month=1, day=1), end
    if subscription.period == ReportSubscription.Period.ALL:
        return None, end
    return start, end


# --- Who may receive it -------------------------------------------------------------------------


def may_read(user, subscription: ReportSubscription) -> bool:
    """Whether ``user`` may read the subscription's report today (the same rule as
    requesting it on the reports page)."""
    if user is None or not user.is_active:
        return False
    access = access_for(user)
    if subscription.kind == ReportRun.Kind.PROGRAMME:
        return access.sees_all(Perm.REPORTS)
    if not access.has_perm(Perm.REPORTS, subscription.partner_id):
        return False
    if subscription.kind == ReportRun.Kind.ENTERPRISE:
        return (
            scope(user, Enterprise.objects.all(), Perm.REPORTS)
            .filter(pk=subscription.enterprise_id)
            .exists()
        )
    if subscription.kind == ReportRun.Kind.GROUP:
        return (
            scope(user, EnterpriseGroup.objects.all(), Perm.REPORTS)
            .filter(pk=subscription.group_id)
            .exists()
        )
    return True


def recipients(subscription: ReportSubscription) -> list:
    """The people who get the delivery today: the subscriber, or for a partner's default
    subscription its active managers with an e-mail address; each one checked by
    ``may_read``."""
    if subscription.subscriber_id:
        people = [subscription.subscriber]
    else:
        people = list(
            people_with_role(Role.PARTNER_MANAGER, [subscription.partner_id]).exclude(email="")
        )
    return [person for person in people if person.email and may_read(person, subscription)]


# --- Reads for the pages ------------------------------------------------------------------------


def subscription_list(user) -> QuerySet[ReportSubscription]:
    """The user's own subscriptions and the default subscriptions of the partners whose
    managers they are (programme managers: every partner's)."""
    access = access_for(user)
    managed = managed_partner_ids(user)
    mine = Q(subscriber=user)
    defaults = Q(subscriber__isnull=True)
    if not access.sees_all(Perm.REPORTS):
        defaults &= Q(partner_id__in=managed)
    return (
        ReportSubscription.objects.filter(mine | defaults)
        .select_related("partner", "enterprise", "group", "subscriber")
        .order_by("subscriber_id", "partner__code", "kind", "pk")
    )


def managed_partner_ids(user) -> frozenset[int]:
    """Partners whose default subscription the user may change: their partner managers and
    the programme managers."""
    access = access_for(user)
    if access.sees_all(Perm.REPORTS):
        return frozenset(Partner.objects.values_list("pk", flat=True))
    return partner_ids_where(user, Role.PARTNER_MANAGER)


def subscription_get(user, pk) -> ReportSubscription:
    """A subscription the user may change: their own, or a default one of a partner they
    manage. Someone else's subscription, or another partner's, is 404; a partner's default
    subscription seen by someone of that partner without the reports permission is 403."""
    subscription = subscription_list(user).filter(pk=pk).first()
    if subscription is not None:
        return subscription
    partner_id = (
        ReportSubscription.objects.filter(pk=pk, subscriber__isnull=True)
        .values_list("partner_id", flat=True)
        .first()
    )
    access = access_for(user)
    if partner_id in access.partner_ids and not access.has_perm(Perm.REPORTS, partner_id):
        raise PermissionDenied
    raise Http404


def delivery_history(subscription: ReportSubscription, *, limit: int = 24):
    return subscription.deliveries.select_related("run").order_by("-created_at")[:limit]


# --- Writes -----------------------------------------------------------------------------------


def _check_scope(user, subscription: ReportSubscription) -> None:
    """The subscriber must be able to read the report now (else 403): the same rule as a
    report request on the page."""
    if subscription.kind == ReportRun.Kind.ENTERPRISE and subscription.enterprise_id:
        enterprise = get_for_user(
            user, Enterprise.objects.all(), Perm.REPORTS, pk=subscription.enterprise_id
        )
        subscription.partner_id = enterprise.partner_id
    if subscription.kind == ReportRun.Kind.GROUP and subscription.group_id:
        group = get_for_user(
            user, EnterpriseGroup.objects.all(), Perm.REPORTS, pk=subscription.group_id
        )
        subscription.partner_id = group.partner_id
    if subscription.is_default:
        if subscription.partner_id not in managed_partner_ids(user):
            raise PermissionDenied
    elif not may_read(user, subscription):
        raise PermissionDenied


def subscription_save(*, acting_user, subscription: ReportSubscription) -> ReportSubscription:
    """Create or change a subscription (the acting user's own, or a default one of a partner
    they manage). Raises PermissionDenied when the acting user may not read the report and
    ValidationError on bad parameters."""
    if subscription.pk is None:
        # Defaults are made by ``subscriptions_ensure_defaults``; a person subscribes themself.
        subscription.subscriber = acting_user
        subscription.created_by = acting_user
    if subscription.kind == ReportRun.Kind.PROGRAMME:
        subscription.partner = None
        subscription.enterprise = None
    elif subscription.kind == ReportRun.Kind.PARTNER:
        subscription.enterprise = None
    _check_scope(acting_user, subscription)
    with transaction.atomic():
        subscription.full_clean()
        save_as(subscription, acting_user)
    return subscription


def subscription_delete(*, acting_user, subscription: ReportSubscription) -> None:
    """Delete one's own subscription. A partner's default subscription is paused instead
    (deleting it would bring it back at the next delivery)."""
    if subscription.is_default:
        subscription.is_active = False
        subscription_save(acting_user=acting_user, subscription=subscription)
        return
    from score_portal.services import delete_as

    with transaction.atomic():
        delete_as(subscription, acting_user)


def subscriptions_ensure_defaults() -> int:
    """Every active partner has its default subscription (its monthly partner report to
    its managers, in the deployment's report language). A paused default stays paused."""
    have = set(
        ReportSubscription.objects.filter(subscriber__isnull=True).values_list(
            "partner_id", flat=True
        )
    )
    created = 0
    for partner in Partner.objects.filter(is_active=True).exclude(pk__in=have).order_by("code"):
        subscription = ReportSubscription(
            kind=ReportRun.Kind.PARTNER,
            partner=partner,
            frequency=Frequency.MONTHLY,
            period=ReportSubscription.Period.LAST,
            language=services._default_language(),
        )
        try:
            with transaction.atomic():
                subscription.full_clean()
                save_as(subscription, None)
        except IntegrityError:  # created meanwhile by another evaluation
            continue
        created += 1
    return created


def _request_run(subscription: ReportSubscription, start: dt.date, end: dt.date) -> ReportRun:
    period_from, period_to = report_period(subscription, start, end)
    kind = subscription.kind
    if subscription.subscriber_id:
        return services.report_request(
            acting_user=subscription.subscriber,
            kind=kind,
            partner=subscription.partner if kind == ReportRun.Kind.PARTNER else None,
            enterprise=subscription.enterprise if kind == ReportRun.Kind.ENTERPRISE else None,
            group=subscription.group if kind == ReportRun.Kind.GROUP else None,
            period_from=period_from,
            period_to=period_to,
            language=subscription.language,
        ).run
    # A partner's default subscription: requested by the system for its managers.
    return services.report_request_for_system(
        kind=kind,
        partner=subscription.partner,
        period_from=period_from,
        period_to=period_to,
        language=subscription.language,
    )


def delivery_start(
    subscription: ReportSubscription, start: dt.date, end: dt.date, *, manual: bool = False
) -> SubscriptionDelivery | None:
    """Create the delivery for one period (None when a scheduled one exists already),
    decide whether anyone may receive it, and request its report."""
    with transaction.atomic():
        delivery = SubscriptionDelivery(
            subscription=subscription, period_start=start, period_end=end, manual=manual
        )
        try:
            with transaction.atomic():
                delivery.save()
        except IntegrityError:
            return None
        if not subscription.is_active and not manual:
            delivery.status, delivery.skip_reason = Status.SKIPPED, SubscriptionDelivery.Skip.PAUSED
        elif not recipients(subscription):
            delivery.status = Status.SKIPPED
            delivery.skip_reason = (
                SubscriptionDelivery.Skip.OUT_OF_SCOPE
                if subscription.subscriber_id
                else SubscriptionDelivery.Skip.NO_RECIPIENT
            )
        else:
            try:
                delivery.run = _request_run(subscription, start, end)
            except (PermissionDenied, ValidationError):
                delivery.status = Status.SKIPPED
                delivery.skip_reason = SubscriptionDelivery.Skip.OUT_OF_SCOPE
        delivery.save()
    if delivery.run_id and delivery.run.status == ReportRun.Status.DONE:
        transaction.on_commit(lambda: _queue_send(delivery.pk))
    return delivery


def subscriptions_deliver_due(*, today: dt.date | None = None) -> list[SubscriptionDelivery]:
    """Beat, daily: start the deliveries whose period has just ended, then send those whose
    report is built (a sweep behind the worker's own hand-over) and fail those whose report
    failed. Returns the deliveries started today."""
    today = today or timezone.localdate()
    subscriptions_ensure_defaults()
    started = []
    for subscription in ReportSubscription.objects.select_related(
        "subscriber", "partner", "enterprise"
    ).order_by("pk"):
        start, end = latest_period(subscription.frequency, today)
        # A delivery is due from the first day after its period; a subscription created
        # after that day starts with the next period.
        if subscription.created_at.date() > end + dt.timedelta(days=1):
            continue
        delivery = delivery_start(subscription, start, end)
        if delivery is not None:
            started.append(delivery)
    for delivery_id in SubscriptionDelivery.objects.filter(
        status=Status.WAITING, run__status__in=[ReportRun.Status.DONE, ReportRun.Status.FAILED]
    ).values_list("pk", flat=True):
        delivery_send(delivery_id=delivery_id)
    return started


def subscription_run_now(*, acting_user, subscription: ReportSubscription) -> SubscriptionDelivery:
    """ "Run now": an extra delivery for the period that ended last, sent when built."""
    _check_scope(acting_user, subscription)
    start, end = latest_period(subscription.frequency, timezone.localdate())
    delivery = delivery_start(subscription, start, end, manual=True)
    assert delivery is not None  # manual deliveries are never unique
    return delivery


def deliveries_for_run(*, run_id) -> int:
    """The worker built ``run_id``: send the deliveries that waited for it."""
    ids = list(
        SubscriptionDelivery.objects.filter(run_id=run_id, status=Status.WAITING).values_list(
            "pk", flat=True
        )
    )
    for delivery_id in ids:
        delivery_send(delivery_id=delivery_id)
    return len(ids)


def _queue_send(delivery_id) -> None:
    from .tasks import send_subscription_delivery

    try:
        send_subscription_delivery.delay(delivery_id)
    except Exception:  # the broker is down: the daily sweep sends it
        logger.warning("Could not queue delivery %s; the daily sweep will send it", delivery_id)


@dataclass
class Mail:
    subject: str
    body: str
    to: list[str]


def site_url(path: str) -> str:
    return settings.PORTAL_URL.rstrip("/") + path


def delivery_mail(delivery: SubscriptionDelivery, people: list) -> Mail:
    """The mail of a delivery, in the subscription's language (also the page's preview)."""
    subscription = delivery.subscription
    with override(subscription.language):
        context = {
            "subscription": subscription,
            "scope": subscription.scope_name,
            "kind": subscription.get_kind_display(),
            "frequency": subscription.get_frequency_display(),
            "start": delivery.period_start,
            "end": delivery.period_end,
            "pdf_url": site_url(reverse("reports:run-download", args=[delivery.run_id]))
            if delivery.run_id
            else "",
            "xlsx_url": site_url(reverse("reports:run-download-xlsx", args=[delivery.run_id]))
            if delivery.run_id
            else "",
            "manage_url": site_url(reverse("reports:subscription-list")),
        }
        subject = _("SCORE %(kind)s: %(scope)s, %(start)s – %(end)s") % {
            "kind": context["kind"],
            "scope": context["scope"],
            "start": f"{delivery.period_start:%Y-%m-%d}",
            "end": f"{delivery.period_end:%Y-%m-%d}",
        }
        body = render_to_string("reports/email/subscription_delivery.txt", context)
    return Mail(subject=subject, body=body, to=[person.email for person in people])


def delivery_send(*, delivery_id) -> str:
    """Send one delivery whose report is built, once. Returns its status. The row stays
    locked while the mail is handed to the SMTP server; a refusal rolls back and raises
    (the task retries later), so the delivery stays waiting rather than lost."""
    with transaction.atomic():
        delivery = (
            SubscriptionDelivery.objects.select_for_update()
            .filter(pk=delivery_id, status=Status.WAITING)
            .first()
        )
        if delivery is None:
            return "none"
        delivery = SubscriptionDelivery.objects.select_related(
            "subscription__subscriber", "subscription__partner", "subscription__enterprise", "run"
        ).get(pk=delivery_id)
        run = delivery.run
        if run is None or run.status == ReportRun.Status.FAILED:
            delivery.status = Status.FAILED
            delivery.error = (run.error if run else "") or _("The report could not be built.")
            delivery.save(update_fields=["status", "error"])
            return delivery.status
        if run.status != ReportRun.Status.DONE:
            return "waiting"
        # Access is checked again on the day of sending: a role lost meanwhile ends it.
        people = recipients(delivery.subscription)
        if not people:
            delivery.status = Status.SKIPPED
            delivery.skip_reason = (
                SubscriptionDelivery.Skip.OUT_OF_SCOPE
                if delivery.subscription.subscriber_id
                else SubscriptionDelivery.Skip.NO_RECIPIENT
            )
            delivery.save(update_fields=["status", "skip_reason"])
            return delivery.status
        mail = delivery_mail(delivery, people)
        delivery.attempts += 1
        delivery.status = Status.SENT
        delivery.sent_at = timezone.now()
        delivery.recipients = ", ".join(mail.to)
        delivery.save(update_fields=["attempts", "status", "sent_at", "recipients"])
        EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, to=mail.to).send()
    return Status.SENT
