"""The webhook pages: endpoints of the partners a user manages (partner managers, programme
managers), each with its delivery log and "send again"."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.access import Perm, require_perm
from score_portal.web import form_page

from .forms import EndpointForm
from .selectors import (
    webhook_delivery_get,
    webhook_delivery_log,
    webhook_endpoint_get,
    webhook_endpoint_list,
)
from .services import webhook_delivery_resend, webhook_endpoint_create, webhook_endpoint_delete


@require_perm(Perm.MANAGE_WEBHOOKS)
def endpoint_list(request):
    return render(
        request,
        "webhooks/endpoint_list.html",
        {"endpoints": list(webhook_endpoint_list(request.user))},
    )


@require_perm(Perm.MANAGE_WEBHOOKS)
def endpoint_create(request):
    form = EndpointForm(request.POST or None, user=request.user)
    return form_page(
        request,
        form,
        save=lambda data: webhook_endpoint_create(acting_user=request.user, **data),
        success_url=lambda result: reverse("webhooks:detail", args=[result[0].pk]),
        template="webhooks/endpoint_form.html",
        success_message=lambda result: (
            _("Endpoint registered. Its signing secret, shown only now: %(secret)s")
            % {"secret": result[1]}
        ),
        once=True,
    )


@require_perm(Perm.VIEW)  # any role; then out of scope 404 before the 403 (selector)
def endpoint_detail(request, pk):
    endpoint = webhook_endpoint_get(request.user, pk)
    return render(
        request,
        "webhooks/endpoint_detail.html",
        {"endpoint": endpoint, "deliveries": webhook_delivery_log(endpoint)},
    )


@require_perm(Perm.VIEW)
def endpoint_delete(request, pk):
    endpoint = webhook_endpoint_get(request.user, pk)  # 404 / 403 before the 405
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    webhook_endpoint_delete(acting_user=request.user, endpoint=endpoint)
    messages.success(request, _("Endpoint %(url)s deleted.") % {"url": endpoint.url})
    return redirect("webhooks:list")


@require_perm(Perm.VIEW)
def delivery_send_again(request, pk):
    delivery = webhook_delivery_get(request.user, pk)  # 404 / 403 before the 405
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    try:
        webhook_delivery_resend(acting_user=request.user, delivery=delivery)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Sent again, with the record as it was at the event."))
    return redirect("webhooks:detail", delivery.endpoint_id)
