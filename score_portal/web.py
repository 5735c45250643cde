"""Small helpers that keep views thin: run a service from a valid form, show its errors."""

import datetime
import secrets
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import FormSubmission

TOKEN_FIELD = "form_token"  # noqa: S105 (a field name, not a secret)
TOKEN_KEPT = datetime.timedelta(days=2)


def add_service_error(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: per field where the form has that
    field, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def add_form_token(form) -> None:
    """Give a create form its one-time token (a hidden field, in the crispy layout too)."""
    form.fields[TOKEN_FIELD] = forms.CharField(
        widget=forms.HiddenInput, required=False, max_length=64, initial=secrets.token_urlsafe(24)
    )
    helper = getattr(form, "helper", None)
    if helper is not None and helper.layout is not None:
        helper.layout.fields.append(TOKEN_FIELD)


class _AlreadySent(Exception):
    def __init__(self, url: str):
        self.url = url


def _save_once(request, token: str, save, data: dict, success_url):
    """Run ``save`` in one transaction with the spending of ``token``. Raises _AlreadySent
    when the token was spent by an earlier submission (which has committed by then: the
    unique index makes this insert wait for it)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                submission = FormSubmission.objects.create(token=token, user=request.user)
        except IntegrityError:
            earlier = FormSubmission.objects.filter(token=token, user=request.user).first()
            raise _AlreadySent(earlier.result_url if earlier else "") from None
        result = save(data)
        url = success_url(result) if callable(success_url) else success_url
        submission.result_url = str(url)[:500]
        submission.save(update_fields=["result_url"])
        FormSubmission.objects.filter(created_at__lt=timezone.now() - TOKEN_KEPT).delete()
    return result, url


def form_page(
    request,
    form,
    *,
    save: Callable[[dict], object],
    success_url,
    template: str,
    context: dict | None = None,
    success_message=None,
    once: bool = False,
):
    """The usual GET/POST cycle: on a valid POST call ``save(cleaned_data)``; a service's
    ValidationError goes back onto the form and the user keeps their input.

    ``once`` (create forms): the form carries a one-time token, so submitting it twice
    creates one record; the second submission is sent to what the first saved."""
    if once:
        add_form_token(form)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data.pop(TOKEN_FIELD, "") if once else ""
        try:
            if token:
                result, url = _save_once(request, token, save, form.cleaned_data, success_url)
            else:
                result = save(form.cleaned_data)
                url = success_url(result) if callable(success_url) else success_url
        except ValidationError as exc:
            add_service_error(form, exc)
        except _AlreadySent as sent:
            if sent.url:
                messages.info(
                    request, _("This form had already been sent: it was saved once, here it is.")
                )
                return redirect(sent.url)
            form.add_error(
                None, _("This form was already sent. Reload the page to enter a new one.")
            )
        else:
            if success_message:
                messages.success(
                    request,
                    success_message(result) if callable(success_message) else success_message,
                )
            return redirect(url)
    return render(
        request,
        template,
        {"form": form, **(context or {})},
        status=400 if request.method == "POST" else 200,
    )


def bad_filter_messages(request, form, *, limit: int = 60) -> list[str]:
    """Name every value of the address a list's filter form did not accept (a hand-edited
    ``?module=M1``, an unknown status), one message each in the user's language, added to the
    page's messages. The list then applies only the filters it understood; nothing is silent.
    Returns the messages (empty when every filter was understood)."""
    if not form.is_bound or form.is_valid():
        return []
    found = []
    for name, errors in form.errors.items():
        field = form.fields.get(name)
        label = field.label if field is not None and field.label else name
        raw = ", ".join(request.GET.getlist(name)) or "—"
        if len(raw) > limit:
            raw = raw[: limit - 1] + "…"
        text = _(
            "The filter “%(filter)s” does not accept “%(value)s” (%(reason)s): it is not "
            "applied. Choose a value from the list."
        ) % {"filter": label, "value": raw, "reason": " ".join(str(e) for e in errors)}
        messages.error(request, text)
        found.append(text)
    return found


def bad_value_message(request, *, label, value, limit: int = 60) -> str:
    """The same message for a list that reads its filters without a form."""
    raw = value if len(value) <= limit else value[: limit - 1] + "…"
    text = _(
        "The filter “%(filter)s” does not accept “%(value)s”: it is not applied. "
        "Choose a value from the list."
    ) % {"filter": label, "value": raw}
    messages.error(request, text)
    return text
