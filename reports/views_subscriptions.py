"""Report subscriptions: a person's own, and the partners' default ones for their managers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from score_portal.access import Perm, require_perm
from score_portal.web import form_page

from . import subscriptions
from .forms import SubscriptionForm
from .models import ReportSubscription, SubscriptionDelivery


def _row(subscription: ReportSubscription, today) -> dict:
    start, end = subscriptions.latest_period(subscription.frequency, today)
    return {
        "subscription": subscription,
        "next_on": subscriptions.next_delivery_on(subscription.frequency, today),
        "last": subscription.deliveries.order_by("-created_at").first(),
    }


@require_perm(Perm.REPORTS)
def subscription_list(request):
    today = timezone.localdate()
    rows = [_row(s, today) for s in subscriptions.subscription_list(request.user)]
    return render(
        request,
        "reports/subscription_list.html",
        {
            "mine": [row for row in rows if not row["subscription"].is_default],
            "defaults": [row for row in rows if row["subscription"].is_default],
        },
    )


@require_perm(Perm.REPORTS)
def subscription_create(request):
    form = SubscriptionForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        template="reports/subscription_form.html",
        context={"subscription": None},
        save=lambda data: subscriptions.subscription_save(
            acting_user=request.user, subscription=form.instance
        ),
        success_url=lambda subscription: reverse(
            "reports:subscription-edit", args=[subscription.pk]
        ),
        success_message=_("Subscription saved."),
        once=True,
    )


@require_perm(Perm.VIEW)  # then 404 out of scope, 403 without the reports permission
def subscription_edit(request, pk):
    subscription = subscriptions.subscription_get(request.user, pk)
    form = SubscriptionForm(request.POST or None, instance=subscription, user=request.user)
    today = timezone.localdate()
    return form_page(
        request,
        form,
        template="reports/subscription_form.html",
        context={
            "subscription": subscription,
            "deliveries": subscriptions.delivery_history(subscription),
            "next_on": subscriptions.next_delivery_on(subscription.frequency, today),
        },
        save=lambda data: subscriptions.subscription_save(
            acting_user=request.user, subscription=form.instance
        ),
        success_url=reverse("reports:subscription-edit", args=[subscription.pk]),
        success_message=_("Subscription saved."),
    )


@require_perm(Perm.VIEW)  # then 404 out of scope, 403 without the reports permission
def subscription_preview(request, pk):
    """The mail the next delivery would send, and to whom (checked as it would be)."""
    subscription = subscriptions.subscription_get(request.user, pk)
    today = timezone.localdate()
    start, end = subscriptions.latest_period(subscription.frequency, today)
    delivery = SubscriptionDelivery(subscription=subscription, period_start=start, period_end=end)
    people = subscriptions.recipients(subscription)
    return render(
        request,
        "reports/subscription_preview.html",
        {
            "subscription": subscription,
            "mail": subscriptions.delivery_mail(delivery, people),
            "report_from": subscriptions.report_period(subscription, start, end)[0],
            "report_to": end,
            "next_on": subscriptions.next_delivery_on(subscription.frequency, today),
        },
    )


@require_perm(Perm.VIEW)  # then 404 out of scope, 403 without the reports permission
def subscription_run(request, pk):
    subscription = subscriptions.subscription_get(request.user, pk)  # 404 before 405
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        delivery = subscriptions.subscription_run_now(
            acting_user=request.user, subscription=subscription
        )
    except PermissionDenied:
        messages.error(request, _("You may no longer read this report."))
    else:
        if delivery.status == SubscriptionDelivery.Status.SKIPPED:
            messages.warning(request, delivery.outcome)
        else:
            messages.success(
                request, _("The report is being built; it will be mailed when it is ready.")
            )
    return redirect("reports:subscription-edit", pk=subscription.pk)


@require_perm(Perm.VIEW)  # then 404 out of scope, 403 without the reports permission
def subscription_delete(request, pk):
    subscription = subscriptions.subscription_get(request.user, pk)  # 404 before 405
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    subscriptions.subscription_delete(acting_user=request.user, subscription=subscription)
    messages.success(
        request,
        _("The default subscription is paused.")
        if subscription.is_default
        else _("Subscription deleted."),
    )
    return redirect("reports:subscription-list")
