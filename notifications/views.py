"""The person's notifications (with unread ones marked) and their reminder preferences."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from score_portal.web import form_page

from . import selectors, services
from .forms import PreferencesForm
from .messages import body, link, subject


@login_required
def notification_list(request):
    page = Paginator(selectors.notification_list(request.user), 30).get_page(
        request.GET.get("page")
    )
    items = [
        {"n": n, "subject": subject(n), "body": body(n), "link": link(n), "unread": not n.read_at}
        for n in page
    ]
    return render(request, "notifications/notification_list.html", {"page": page, "items": items})


@login_required
def notification_read(request):
    """POST: mark all the person's notifications read."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.notifications_mark_read(acting_user=request.user)
    return redirect("notifications:list")


@login_required
def preferences(request):
    form = PreferencesForm(
        request.POST or None, initial=selectors.preference_channels(request.user)
    )

    def save(data):
        services.preferences_save(acting_user=request.user, channels=data)
        return request.user

    return form_page(
        request,
        form,
        save=save,
        template="score_portal/form_page.html",
        context={
            "title": _("Reminder preferences"),
            "intro": _("Choose which reminders you receive, and whether by e-mail."),
            "back_url": reverse("notifications:list"),
        },
        success_url=reverse("notifications:list"),
        success_message=_("Preferences saved."),
    )
