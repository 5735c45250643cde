"""Every URL is CSRF-protected, and a GET never changes the database.

Walks the same URL patterns and permission ``MATRIX`` as ``test_url_matrix.py``, so a new
URL is covered here as soon as it is classified there.
"""

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import test_url_matrix as matrix

world = matrix.world  # the same test world as the permission matrix


def _walk_callbacks(patterns, prefix=""):
    """Every (route, view) of the project, the admin's included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk_callbacks(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


ALL_VIEWS = list(_walk_callbacks(get_resolver().url_patterns))


def test_the_walk_finds_the_project_and_admin_views():
    routes = {route for route, _ in ALL_VIEWS}
    assert "accounts/logout/" in routes and "modules/new/" in routes
    assert any(route.startswith("admin/") for route in routes)


def test_no_view_is_csrf_exempt():
    # CsrfViewMiddleware skips exactly the callbacks with a true ``csrf_exempt`` attribute.
    # Reviewed: the REST API's views (DRF marks them exempt) check CSRF themselves for a
    # session-authenticated request (SessionAuthentication.enforce_csrf; tested in
    # tests/api/test_tokens.py); a token request carries no cookie to forge.
    exempt = [
        route
        for route, callback in ALL_VIEWS
        if getattr(callback, "csrf_exempt", False) and not route.startswith("api/v1/")
    ]
    assert not exempt, f"CSRF-exempt views (each needs a reviewed reason): {exempt}"


# What a GET may write, by design, and only this: the public certificate check logs each
# check (issue 18: "records every check"); nothing else changes.
GET_LOGS = {
    "certificates:verify": {"certificates.VerificationCheck"},
    "certificates:verify-code": {"certificates.VerificationCheck"},
}


def _row_counts() -> dict[str, int]:
    return {model._meta.label: model._default_manager.count() for model in apps.get_models()}


@pytest.mark.django_db
@pytest.mark.parametrize("role", matrix.ROLES)
@pytest.mark.parametrize("name", [n for n in matrix.ALL_URL_NAMES if n in matrix.MATRIX])
def test_get_changes_no_rows(client, world, name, role):
    client = matrix._client_for(client, world["cast"], role)
    url = reverse(name, kwargs=matrix.MATRIX[name].kwargs(world))
    before = _row_counts()
    client.get(url)
    after = _row_counts()
    changed = {
        label: (before[label], after[label])
        for label in before
        if before[label] != after[label] and label not in GET_LOGS.get(name, set())
    }
    assert not changed, f"GET {url} as {role} changed row counts: {changed}"
