"""Per-address request limits of the public pages (certificate checks, workshop evaluations).

A count per client address and minute, kept in the default cache: the cache every process
of the portal shares (``CACHE_URL``: Redis in production, files under ``VAR_DIR`` on one
machine), so the limit holds whatever the number of web workers.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone


def over_limit(request, scope: str, per_minute: int) -> bool:
    """Count this request against ``scope``'s limit for its address; true once the address
    has made more than ``per_minute`` requests this minute."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"rate:{scope}:{address}:{timezone.now():%Y%m%d%H%M}"
    cache.add(key, 0, timeout=70)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=70)
        count = 1
    return count > per_minute
