"""Small helpers that keep views thin: run a service from a valid form, show its errors."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def add_service_error(form, exc: ValidationError) -> None:
    """Attach a service's ValidationError to the form: per field where the form has that
    field, otherwise at the top of the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def form_page(request, form, *, save: Callable[[dict], object], success_url, template: str,
              context: dict | None = None, success_message=None):
    """The usual GET/POST cycle: on a valid POST call ``save(cleaned_data)``; a service's
    ValidationError goes back onto the form and the user keeps their input."""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except ValidationError as exc:
            add_service_error(form, exc)
        else:
            if success_message:
                messages.success(request, success_message(result)
                                 if callable(success_message) else success_message)
            return redirect(success_url(result) if callable(success_url) else success_url)
    return render(request, template, {"form": form, **(context or {})},
                  status=400 if request.method == "POST" else 200)
