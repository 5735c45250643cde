"""Computed programme figures kept between requests and made stale by any write to what they
read (issue 14: "keep what the slow figures need materialised and current").

Every save or delete of a model of the data apps (and every bulk write of the services,
which call ``figures_changed``) appends a ``FiguresChange`` row inside the writer's own
transaction. The cache key of a figure holds the highest id, the number of those rows and
the newest one's time (one small query per request, ``figures_version``): when the write
commits, they change together with the data becoming visible, so no reader can keep a
figure computed before it. A write whose transaction is still open is invisible to readers,
like its data; two writers committing out of order still change the count.
``FIGURES_CACHE_SECONDS`` (default 600) bounds how long an entry lives; 0 turns it off.
"""

from __future__ import annotations

import contextvars
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Count, Max
from django.db.models.signals import m2m_changed, post_delete, post_save

# The apps whose data the figures read (enterprises, enrolments, workshops, participants,
# attendance, visits, trainers, certifications, readings, partners, memberships, modules).
DATA_APPS = {"score_portal", "catalogue", "enterprises", "workshops", "trainers"}
# Models of those apps no figure reads (request bookkeeping, preferences, sync logs).
NOT_READ = {
    "score_portal.figureschange",
    "score_portal.formsubmission",
    "score_portal.profile",
    "trainers.syncrecord",
    "trainers.syncconflict",
}
KEEP_ROWS = 200  # pruning keeps the newest rows (the count only has to change on a write)
# Within a request the version is read once (``FiguresVersionMiddleware`` opens the memo).
_memo: contextvars.ContextVar[dict | None] = contextvars.ContextVar("figures_memo", default=None)
_MISSING = object()


def _seconds() -> int:
    return int(getattr(settings, "FIGURES_CACHE_SECONDS", 600))


def figures_changed() -> None:
    """Record a write to the figures' data (in the caller's transaction)."""
    from .models import FiguresChange

    FiguresChange.objects.create()
    memo = _memo.get()
    if memo is not None:
        memo.pop("version", None)  # this request reads its own write
    transaction.on_commit(_prune)


def _prune() -> None:
    from .models import FiguresChange

    newest = FiguresChange.objects.aggregate(n=Max("id"))["n"]
    if newest and newest > 2 * KEEP_ROWS:
        FiguresChange.objects.filter(id__lte=newest - KEEP_ROWS).delete()


def figures_version() -> tuple:
    """(highest id, number of rows, newest time) of the committed changes: one query (once
    a request)."""
    from .models import FiguresChange

    memo = _memo.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    # The newest row's time too: after a restore the ids start again from the backup's.
    row = FiguresChange.objects.aggregate(newest=Max("id"), rows=Count("id"), at=Max("at"))
    version = (row["newest"], row["rows"], row["at"])
    if memo is not None:
        memo["version"] = version
    return version


class FiguresVersionMiddleware:
    """Reads the figures' version at most once per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def cached_figures(name: str, parts, compute, *, version=None):
    """``compute()``'s result, kept under ``name`` and ``parts`` (anything with a stable
    ``repr``: ids, dates, codes) until the next write to the figures' data."""
    seconds = _seconds()
    if seconds <= 0:
        return compute()
    version = version if version is not None else figures_version()
    digest = hashlib.sha256(repr((version, parts)).encode()).hexdigest()[:32]
    key = f"figures:{name}:{connection.alias}:{digest}"
    found = cache.get(key, _MISSING)
    if found is not _MISSING:
        return found
    value = compute()
    cache.set(key, value, seconds)
    return value


def _on_write(sender, **kwargs) -> None:
    meta = getattr(sender, "_meta", None)
    if meta is None or meta.app_label not in DATA_APPS:
        return
    if meta.model_name.startswith("historical") or meta.label_lower in NOT_READ:
        return  # history rows repeat a write already recorded; bookkeeping is not read
    if kwargs.get("raw"):
        return  # fixtures loading
    figures_changed()


def _on_m2m(sender, action, **kwargs) -> None:
    if action in ("post_add", "post_remove", "post_clear"):
        _on_write(sender, **kwargs)


def connect() -> None:
    """Listen to the data apps' models only (a receiver for every model would turn off
    Django's fast deletes everywhere)."""
    from django.apps import apps

    for label in sorted(DATA_APPS):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.label_lower in NOT_READ or model._meta.model_name.startswith(  # type: ignore[union-attr]
                "historical"
            ):
                continue
            uid = f"figures_cache.{model._meta.label_lower}"
            post_save.connect(_on_write, sender=model, dispatch_uid=f"{uid}.save")
            post_delete.connect(_on_write, sender=model, dispatch_uid=f"{uid}.delete")
            m2m_changed.connect(_on_m2m, sender=model, dispatch_uid=f"{uid}.m2m")
