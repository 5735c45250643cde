"""The trainer's installable app: the offline page, its data, the service worker, the
manifest, the sync endpoint and the review list of conflicts."""

import hashlib
import json
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from score_portal.access import Perm, can, get_for_user, require_perm

from .. import selectors
from ..models import SyncConflict
from ..services import sync as sync_services

SYNC_MAX_BYTES = 25 * 1024 * 1024  # a few visits with photos (each photo at most 5 MB)
SYNC_MAX_RECORDS = 50
SW_FILES = ("js/sw.js", "js/offline-app.js", "js/kpi-check.js", "css/portal.css")


def _static_text(name: str) -> str:
    path = finders.find(name)
    return Path(path).read_text(encoding="utf-8") if path else ""


def app_version() -> str:
    """The app's version: set by ``PWA_VERSION``, else a hash of its files (a new release
    installs a new service worker; the queue in IndexedDB stays)."""
    configured = getattr(settings, "PWA_VERSION", "")
    if configured:
        return str(configured)
    digest = hashlib.sha256()
    for name in SW_FILES:
        digest.update(_static_text(name).encode())
    return digest.hexdigest()[:12]


@require_GET
def service_worker(request):
    """The service worker, from the site's root so that it may control every page."""
    shell = [
        reverse("trainers:offline-app"),
        reverse("trainers:offline-data"),
        static("js/offline-app.js"),
        static("js/kpi-check.js"),
        static("css/portal.css"),
        static("vendor/bootstrap/bootstrap.min.css"),
        static("vendor/bootstrap/bootstrap.bundle.min.js"),
        static("vendor/htmx/htmx.min.js"),
        static("img/icon-192.png"),
    ]
    header = (
        f"self.SCORE_VERSION = {json.dumps(app_version())};\n"
        f"self.SCORE_SHELL = {json.dumps(shell)};\n"
    )
    response = HttpResponse(
        header + _static_text("js/sw.js"), content_type="application/javascript"
    )
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def manifest(request):
    data = {
        "name": _("SCORE Portal for trainers"),
        "short_name": _("SCORE visits"),
        "start_url": reverse("trainers:offline-app"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#1b4f8a",
        "lang": request.LANGUAGE_CODE,
        "icons": [
            {"src": static("img/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("img/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    return JsonResponse(data, content_type="application/manifest+json")


@never_cache
@require_perm(Perm.RECORD)
def offline_app(request):
    """The one visit form that works offline: rendered by static/js/offline-app.js from the
    cached data; records wait in the phone's queue until sent."""
    return render(
        request,
        "trainers/offline_app.html",
        {
            "strings": _app_strings(),
            "urls": {
                "data": reverse("trainers:offline-data"),
                "sync": reverse("trainers:sync"),
                "sw": reverse("trainers:service-worker"),
                "conflicts": reverse("trainers:sync-conflicts"),
            },
        },
    )


def _app_strings() -> dict:
    return {
        "waiting": _("Waiting to be sent"),
        "sent": _("Sent"),
        "failed": _("Failed"),
        "conflict": _("Sent to the review list"),
        "offline": _("You are offline: visits are kept on this phone and sent later."),
        "online": _("Online."),
        "saved": _("Visit kept on this phone. It will be sent when the network returns."),
        "no_data": _("Open this page once while online to load your visits."),
        "choose": _("Choose a visit"),
        "new_visit": _("New visit"),
        "planned": _("planned"),
        "sending": _("Sending…"),
        "send_failed": _("Could not reach the server; will try again."),
        "nothing": _("Nothing waiting."),
        "visit_date": _("Visit date"),
        "duration": _("Duration (hours)"),
        "mode": _("Mode"),
        "on_site": _("On site"),
        "remote": _("Remote"),
        "topics": _("Topics covered"),
        "findings": _("Findings"),
        "present": _("EIT members present"),
        "no_eit": _("No EIT members are recorded for this enterprise yet."),
        "actions": _("Actions agreed"),
        "action": _("Action"),
        "owner": _("Owner"),
        "due": _("Due"),
        "review": _("Actions from earlier visits"),
        "still_open": _("Still open"),
        "done": _("Done"),
        "not_done": _("Not done"),
        "readings": _("KPI readings collected on this visit"),
        "baseline": _("Baseline"),
        "follow_up": _("Follow-up"),
        "period_from": _("Period from"),
        "period_to": _("Period to"),
        "photo": _("Photo or evidence file"),
        "photos": _("Photos or evidence files"),
        "confirm": _("I confirm this unusual value"),
        "reason": _("Reason for the unusual value"),
        "need_confirm": _("Some values look unusual: tick to confirm them and give a reason."),
        "need_date": _("Give the date of the visit."),
        "future": _("A visit cannot be recorded in the future."),
        "save": _("Keep this visit"),
        "too_big": _("This file is larger than 5 MB."),
        "correct": _("Correct"),
        "remove": _("Remove"),
        "correcting": _("Correct this visit below and keep it again; it is sent once more."),
        "cannot_correct": _(
            "This visit is no longer on your list (it was changed or closed): remove it and "
            "ask the office."
        ),
        "remove_confirm": _("Remove this visit from the phone? The server never received it."),
        "removed": _("Removed from this phone."),
    }


@never_cache
@require_perm(Perm.RECORD)
@require_GET
def offline_data(request):
    """The data the phone keeps (refreshed whenever it is online)."""
    return JsonResponse(selectors.offline_bootstrap(request.user))


def _error(message, status):
    return JsonResponse({"error": str(message)}, status=status)


@require_perm(Perm.RECORD)
@require_POST
def sync(request):
    """Receive records from the phone (JSON ``{"records": [...]}``), each applied once by
    its id; answers each record's outcome. CSRF-protected like every form (the page's
    token in the X-CSRFToken header)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > SYNC_MAX_BYTES:
        return _error(_("Too much at once: send fewer visits or smaller photos."), 413)
    body = request.read(SYNC_MAX_BYTES + 1)
    if len(body) > SYNC_MAX_BYTES:
        return _error(_("Too much at once: send fewer visits or smaller photos."), 413)
    if not (request.content_type or "").endswith("json"):
        return _error(_("Send the records as JSON."), 400)
    try:
        payload = json.loads(body)
    except (ValueError, UnicodeDecodeError):
        return _error(_("The records could not be read (malformed JSON)."), 400)
    records = payload.get("records") if isinstance(payload, dict) else None
    if not isinstance(records, list) or not records:
        return _error(_("The records could not be read: expected a list of records."), 400)
    if len(records) > SYNC_MAX_RECORDS:
        return _error(_("Too many records at once: at most %(n)d.") % {"n": SYNC_MAX_RECORDS}, 413)
    results = [
        sync_services.sync_record_apply(acting_user=request.user, record=record)
        for record in records
    ]
    return JsonResponse({"results": results})


@require_perm(Perm.VIEW)
def conflict_list(request):
    conflicts = selectors.sync_conflict_list(request.user)
    return render(
        request,
        "trainers/sync_conflict_list.html",
        {
            "open": [c for c in conflicts if c.status == SyncConflict.Status.OPEN],
            "decided": [c for c in conflicts if c.status != SyncConflict.Status.OPEN][:50],
        },
    )


@require_perm(Perm.VIEW)
def conflict_detail(request, pk):
    conflict = get_for_user(request.user, selectors.sync_conflict_list(request.user), pk=pk)
    may_decide = can(request.user, Perm.RECORD, conflict)
    if request.method == "POST":
        if not may_decide:
            return HttpResponse(status=403)
        choice = request.POST.get("decision")
        if choice not in {"apply", "discard"}:
            messages.error(request, _("Choose a version to keep."))
        else:
            from django.core.exceptions import ValidationError

            try:
                sync_services.sync_conflict_decide(
                    acting_user=request.user, conflict=conflict, apply=choice == "apply"
                )
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Decision saved."))
                return redirect("trainers:sync-conflicts")
    phone = conflict.phone_version or {}
    readings = [
        {k: v for k, v in r.items() if k != "evidence"} | {"photo": bool(r.get("evidence"))}
        for r in phone.get("readings") or []
        if isinstance(r, dict)
    ]
    return render(
        request,
        "trainers/sync_conflict_detail.html",
        {
            "conflict": conflict,
            "phone": phone.get("visit") or {},
            "phone_actions": phone.get("actions") or [],
            "phone_readings": readings,
            "phone_photos": len(phone.get("photos") or []),
            "server": conflict.server_version or {},
            "may_decide": may_decide and conflict.status == SyncConflict.Status.OPEN,
        },
        status=400 if request.method == "POST" else 200,
    )
