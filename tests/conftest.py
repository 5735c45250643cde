"""A small cast: two partners (ZJ and SC) and one user per role, plus a user without a role."""

import os
import sys

import pytest

from .smtp import smtp_server  # noqa: F401 (a fixture: a real SMTP server)

# the one cast, for tests and for the module worlds
from .url_world import build_cast, sichuan, zhejiang


def pytest_terminal_summary(terminalreporter):
    """The URL walk says how much it covered (tests/test_url_walk.py)."""
    walk = sys.modules.get("tests.test_url_walk")
    if walk is None or not walk.COVERED:
        return
    names = {name for name, _ in walk.COVERED}
    terminalreporter.write_line(
        f"URL walk: {len(walk.COVERED)} (URL, role) pairs covered over {len(names)} URLs, "
        f"{walk.REQUESTS['GET']} GET and {walk.REQUESTS['POST']} POST requests"
    )


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files of a test go to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _no_verification_rate_limit(settings):
    """The public certificate page's rate limit counts per address and minute in the cache:
    tests all come from 127.0.0.1, so only the test of the limit itself sets it low."""
    settings.VERIFY_RATE_PER_MINUTE = 10_000
    settings.EVALUATION_RATE_PER_MINUTE = 10_000  # the evaluation form's, likewise


@pytest.fixture(autouse=True)
def _fresh_figures_cache():
    """Computed figures are cached (``score_portal.figures_cache``) under the version of
    their data, in the cache (``CACHE_URL``; ``make test`` uses the per-process one): every
    test's database starts afresh, so does the cache (a version seen in an earlier test's
    rolled-back world must not match)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_unless_a_test_switches():
    """A page rendered in Chinese leaves Chinese active in the thread; start every test in
    the default language so English messages match whatever ran before."""
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def zj(db):
    return zhejiang()


@pytest.fixture
def sc(db):
    return sichuan()


@pytest.fixture
def cast(zj, sc):
    """ZJ and SC, one login per role (``ROLE_USERS``) and ``norole``."""
    return build_cast(zj, sc)


def service_required(name: str, reason: str):
    """Fail in CI (CI set) when a real service is missing; skip on a developer's machine."""
    if os.environ.get("CI"):
        pytest.fail(f"{name} is required in CI but unavailable: {reason}")
    pytest.skip(f"{name} unavailable: {reason}")


@pytest.fixture
def redis_url():
    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except Exception as exc:  # noqa: BLE001
        service_required("Redis", str(exc))
    return url


@pytest.fixture
def celery_broker(redis_url, settings, monkeypatch):
    """This process's Celery app pointed at the test Redis (``redis_url``: this lane's index),
    put back afterwards."""
    from .workers import celery_app_at

    with celery_app_at(redis_url, settings, monkeypatch):
        yield redis_url
