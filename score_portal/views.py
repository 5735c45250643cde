from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .access import access_for
from .health import broker_ok, database_ok
from .home import panels_for


def home(request):
    """Each role's start page, assembled from the panels the apps register."""
    access = access_for(request.user)
    return render(request, "score_portal/home.html", {
        "panels": panels_for(request),
        "role": access.primary_role,
    })


@never_cache
@require_GET
def healthz(request):
    """Liveness of the database and the broker, without login and without secrets."""
    checks = {"database": database_ok(), "broker": broker_ok()}
    healthy = all(checks.values())
    body = {"status": "ok" if healthy else "unavailable",
            **{name: "ok" if ok else "unavailable" for name, ok in checks.items()}}
    return JsonResponse(body, status=200 if healthy else 503)
