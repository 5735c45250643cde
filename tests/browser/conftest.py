"""Browser tests: pytest-playwright driving Debian's Chromium against pytest-django's live server.

Every test here is a transactional test (``live_server``) with ``serialized_rollback``.

Playwright's own browser download needs the internet, so we launch ``/usr/bin/chromium``
(``apt-get install --no-install-recommends chromium``). Without it the tests fail in CI
(``CI`` set) and skip elsewhere. A failing test leaves a screenshot under ``test-artifacts/``.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from ..conftest import service_required

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "correct horse battery"  # tests/factories.py UserFactory
BROWSER_ROLES = ["programme", "zj_manager", "zj_staff", "zj_trainer"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Run the browser tests last (after pytest-django's own ordering).

    Playwright's sync API keeps an event loop running in the test thread from the first
    browser test to the end of the session; any database test after it would need
    ``DJANGO_ALLOW_ASYNC_UNSAFE`` too, and would see a different connection object.
    """
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session", autouse=True)
def _browser_session(django_db_setup, django_db_blocker):
    """Allow the ORM beside Playwright's event loop, and keep the migrations' data.

    Set here (not at import) so that tests running before the browser tests, and the
    subprocesses they start, never see ``DJANGO_ALLOW_ASYNC_UNSAFE``. Returns the serialized
    database contents (the data the migrations installed), read before the event loop starts.
    """
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    contents = getattr(connections["default"], "_test_serialized_contents", None)
    yield contents
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(autouse=True)
def _migration_data(transactional_db, _browser_session):
    """Give every browser test the rows the migrations install (the module catalogue).

    Transactional tests empty the database afterwards and rely on ``serialized_rollback`` to
    restore it, but with Playwright's loop running this thread gets a new connection object
    that lacks the serialized contents; hand them over once and restore them now.
    """
    connection = connections["default"]
    if _browser_session and not hasattr(connection, "_test_serialized_contents"):
        connection._test_serialized_contents = _browser_session
        connection.creation.deserialize_db_from_string(_browser_session)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """The one place that says how Chromium starts (overrides pytest-playwright's fixture)."""
    if not CHROMIUM.exists():
        service_required("Chromium", f"{CHROMIUM} not found (apt-get install chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep a screenshot of every page a failed test had open."""
    outcome = yield
    report = outcome.get_result()
    if report.when != "call" or not report.failed:
        return
    from playwright.sync_api import Page

    pages = [value for value in getattr(item, "funcargs", {}).values() if isinstance(value, Page)]
    ARTIFACTS.mkdir(exist_ok=True)
    stem = re.sub(r"[^\w.-]+", "_", item.nodeid)
    for index, page in enumerate(pages):
        path = ARTIFACTS / f"{stem}-{index}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # noqa: BLE001 - a screenshot must never hide the failure
            report.sections.append(("screenshot", f"could not save {path}: {exc}"))
        else:
            report.sections.append(("screenshot", str(path)))


@pytest.fixture
def csp_violations(page):
    """Console messages about Content-Security-Policy violations on ``page``."""
    messages = []
    page.on(
        "console",
        lambda msg: messages.append(msg.text) if "Content Security Policy" in msg.text else None,
    )
    return messages


def log_in_with_cookie(context, live_server, user, language="en"):
    """Put a session for ``user`` (and a language) into a browser context, skipping the form."""
    client = Client()
    client.force_login(user)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    context.add_cookies(cookies)


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """The browser keeps the portal's clock (TIME_ZONE): a phone in China and its server
    agree on the date, also in the hours when UTC is still on yesterday."""
    from django.conf import settings

    return {**browser_context_args, "timezone_id": settings.TIME_ZONE}
