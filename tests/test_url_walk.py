"""The URL walk: every URL of the project, every role (anonymous included), in one case each.

URLs are found from the resolver, so a new URL is walked as soon as it exists, and fails the
walk until it is classified: in ``tests/url_rules.py`` (who may open it, how to build its
arguments from the user's own partner's objects and from the other partner's) and in
``tests/url_post_rules.py`` (what its POST may change, with a real form body).

One case per (URL, role) checks, for that role:

- a GET answers the status the access rules expect (200, 302 home, 403, 404 outside the
  user's scope, the login page for strangers) and writes nothing;
- the other partner's object answers 404 (403 to a login without a role), GET and POST, and
  neither writes;
- hostile values in every query parameter the portal reads never answer 500 nor write;
- the POST of a real form body (read from the page) changes the database for a role allowed
  to, and for everyone else is refused and writes nothing; a POST refused with 4xx writes
  nothing even for an allowed role;
- for the role that builds the form: garbage bodies, one bad field at a time, the other
  partner's ids in the body and a POST without its CSRF token are refused without a 500 and
  without a half-written row;
- ids no column can hold, in the path, answer without a 500.

Writes are watched statement by statement (``tests/writes.py``), not by hashing tables: a
failure names the table and the statement. Every request runs in a savepoint rolled back
after it, inside the module's world (``tests/url_world.py``, built once).
"""

import copy
from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from . import url_post_rules as posts
from . import url_rules as matrix
from .url_world import world_for_module
from .writes import watch_writes

ROLES = matrix.ROLES
CONTACT = matrix.CONTACT
STRANGERS = {"anonymous", "norole", "zj_manager", "zj_staff", "zj_trainer", CONTACT}

# Tables a request writes without changing any data: the session (messages, the language)
# and, for a login, the throttle's record of the attempt.
SESSION_TABLES = {"django_session"}
LOGIN_TABLES = {"axes_accessattempt", "axes_accesslog", "axes_accessfailurelog", "auth_user"}
# What a GET may write, by design, and only this: the public certificate check logs each
# check (issue 18: "records every check").
GET_LOGS = {
    "certificates:verify": {"certificates_verificationcheck"},
    "certificates:verify-code": {"certificates_verificationcheck"},
}

# Every name a view reads from the query string (grep request.GET, filters, bound forms).
PARAMETERS = (
    "module",
    "partner",
    "page",
    "month",
    "year",
    "when",
    "sort",
    "selected",
    "format",
    "q",
    "kpi",
    "kind",
    "source",
    "province",
    "sector",
    "size",
    "status",
    "enrolment_status",
    "grade",
    "active",
    "enterprise",
    "trainer",
    "period_from",
    "period_to",
    "date",
    "day",
    "next",
    "from",
    "to",
    "lang",
    "done",
)
HOSTILE = {
    "huge": "99999999999999999999",
    "huge30": posts.HUGE,
    "int64_edge": "9223372036854775808",
    "negative": "-1",
    "garbage": "garbage",
    "unknown": "zz-unknown",
    "max_date": "9999-12-31",
    "max_month": "9999-12",
    "min_date": "0001-01-01",
    "min_month": "0001-01",
    "zero_month": "2026-00",
    "nul": "a\x00b",
    "long": posts.LONG,
}
# The values every role that explores pages tries; the role that builds a page's form tries
# them all.
HOSTILE_FOR_ROLES = ("huge", "negative", "garbage", "max_date", "min_month")
EXPLORERS = {"programme", "zj_staff", "zj_trainer"}
# List pages read many parameters: each one alone, with every hostile value (a 400 for one
# parameter must not hide a 500 for another).
LIST_PAGES = {
    "enterprises:list",
    "workshops:list",
    "workshops:calendar",
    "trainers:list",
    "reports:dashboard",
    "reports:target-list",
    "reports:target-actuals",
    "enterprises:transfer:export",
}
HUGE_ID_ROLES = {"anonymous", "norole", "programme", "zj_staff"}


def _walk_callbacks(patterns, prefix=""):
    """Every (route, view) of the project, the admin's included."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _walk_callbacks(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern), pattern.callback


ALL_VIEWS = list(_walk_callbacks(get_resolver().url_patterns))
NAMES = sorted(
    (set(matrix.MATRIX) | set(posts.POST_MATRIX) | posts.READ_ONLY) & set(matrix.ALL_URL_NAMES)
)


def builder_of(name: str) -> str | None:
    """The role that opens the page to read its form, and posts garbage to it."""
    rule = posts.POST_MATRIX.get(name) or matrix.MATRIX.get(name)
    return posts.builder_for(rule, "own") if rule else None


def _roles_of(name: str) -> list[str]:
    builder = builder_of(name)
    return ROLES + ([builder] if builder and builder not in ROLES else [])


CASES = [(name, role) for name in NAMES for role in _roles_of(name)]
# One page per app, every role: the SQLite pass of CI walks these (the embedded default)
EMBEDDED = {
    "home",
    "catalogue:module-list",
    "enterprises:list",
    "enterprises:detail",
    "enterprises:groups:list",
    "workshops:list",
    "trainers:list",
    "trainers:visits:record",
    "certificates:list",
    "reports:dashboard",
    "reports:run-list",
    "notifications:list",
    "contacts:home",
    "people:partner-list",
    "webhooks:list",
}
COVERED: set[tuple[str, str]] = set()  # printed by tests/conftest.py at the end of the run
REQUESTS = {"GET": 0, "POST": 0}


# --- Classification -----------------------------------------------------------------------


def test_the_resolver_finds_the_project_and_admin_views():
    routes = {route for route, _ in ALL_VIEWS}
    assert "accounts/logout/" in routes and "modules/new/" in routes
    assert any(route.startswith("admin/") for route in routes)


def test_every_url_is_classified():
    names = set(matrix.ALL_URL_NAMES)
    unclassified = sorted(
        name for name in names if name not in matrix.MATRIX and name not in matrix.NOT_PAGES
    )
    assert not unclassified, f"Add these URLs to the permission matrix: {unclassified}"
    unclassified = sorted(names - set(posts.POST_MATRIX) - posts.READ_ONLY)
    assert not unclassified, f"Classify these URLs in POST_MATRIX or READ_ONLY: {unclassified}"
    assert not (set(posts.POST_MATRIX) & posts.READ_ONLY)
    gone = (set(posts.POST_MATRIX) | posts.READ_ONLY | set(matrix.MATRIX)) - names
    assert not gone, f"classified URLs that no longer exist: {sorted(gone)}"


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


# --- The world ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def walk_world(django_db_setup, django_db_blocker, tmp_path_factory):
    with world_for_module(
        django_db_blocker, tmp_path_factory.mktemp("walk-media"), extend=posts.extend_for_posts
    ) as world:
        yield world


@pytest.fixture
def world(walk_world, db, settings):
    """The module's world; its files stay where it put them."""
    settings.MEDIA_ROOT = walk_world["media_root"]
    return walk_world


@pytest.mark.parametrize("role", ["programme", "zj_staff"])
def test_admin_is_for_superusers_only(client, world, role):
    client.force_login(getattr(world["cast"], role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


# --- The walk -----------------------------------------------------------------------------


def _is_login_redirect(response) -> bool:
    return response.status_code == 302 and "/accounts/login/" in response["Location"]


class Walk:
    """One (URL, role): its requests, each in a rolled-back savepoint, and what went wrong."""

    def __init__(self, client, world, name, role):
        self.client, self.world, self.name, self.role = client, world, name, role
        self.cast = world["cast"]
        self.problems: list[str] = []
        if role != "anonymous":
            client.force_login(getattr(self.cast, role))

    def request(self, method, url, data=None, *, client=None, ignore=()):
        """(response or None, writes); a request that raised is a problem, noted here."""
        client = client or self.client
        cookies = copy.deepcopy(client.cookies)  # a logout or a language must not stick
        REQUESTS[method.upper()] += 1
        try:
            with transaction.atomic():
                with watch_writes(ignore=SESSION_TABLES | set(ignore)) as writes:
                    response = getattr(client, method)(url, data or {})
                transaction.set_rollback(True)
        except Exception as exc:  # noqa: BLE001 - the test client re-raises a view's error
            self.problems.append(f"{method.upper()} {url[:200]} raised {exc!r:.300}")
            return None, None
        finally:
            client.cookies = cookies
        if response.status_code >= 500:
            self.problems.append(f"{method.upper()} {url[:200]}: {response.status_code}")
        return response, writes

    def check(self, condition, message):
        if not condition:
            self.problems.append(message)

    def expect_refused(self, response, writes, where, *, not_found: bool):
        """A refusal: strangers go to the login page; the others get 404 (``not_found``: the
        object is outside their scope) or 403/404 (a role refused the action anywhere may be
        refused before the lookup, which reveals nothing either); nothing is written."""
        status = response.status_code
        if self.role == "anonymous":
            self.check(_is_login_redirect(response), f"{where}, expected the login page")
        elif not_found:
            self.check(status == 404, f"{where}, expected 404")
        else:
            self.check(status in (403, 404), f"{where}, expected 403 or 404")
        self.check(not writes, f"{where} wrote: {writes}")

    # GET ------------------------------------------------------------------------------
    def get_own(self):
        rule = matrix.MATRIX[self.name]
        url = reverse(self.name, kwargs=rule.kwargs(self.world))
        response, writes = self.request("get", url, ignore=GET_LOGS.get(self.name, ()))
        if response is None:
            return None
        status, role, name = response.status_code, self.role, self.name
        where = f"GET {url} as {role}: {status}"
        if role in rule.hidden:
            self.check(status == 404, f"{where}, expected 404 (out of scope)")
        elif role in rule.redirected:
            self.check(status == 302 and not _is_login_redirect(response), f"{where}, expected 302")
        elif role in rule.allowed:
            self.check(status in rule.ok, f"{where}, expected {rule.ok}")
        elif role == "anonymous":
            self.check(_is_login_redirect(response), f"{where}, expected the login page")
        elif name in {"login", "login-link-request"}:
            self.check(status == 302, f"{where}, expected 302 (logged-in users go home)")
        elif role == CONTACT:
            self.check(status == 404, f"{where}, expected 404 (a contact sees nothing else)")
        else:
            self.check(status == 403, f"{where}, expected 403")
        self.check(not writes, f"GET {url} as {role} wrote: {writes}")
        return response

    def get_other(self):
        rule = matrix.MATRIX[self.name]
        if rule.other is None or self.role in ("programme", matrix.GROUP_CONTACT):
            return
        if self.role == "anonymous" and "anonymous" in rule.allowed:
            return  # a public page: nothing is out of scope for strangers
        url = reverse(self.name, kwargs=rule.other(self.world))
        response, writes = self.request("get", url, ignore=GET_LOGS.get(self.name, ()))
        if response is None:
            return
        where = f"GET {url} (SC's) as {self.role}: {response.status_code}"
        self.expect_refused(response, writes, where, not_found=self.role != "norole")

    def hostile_queries(self):
        rule = matrix.MATRIX[self.name]
        values: tuple[str, ...] = ()
        if self.role == builder_of(self.name):
            values = tuple(HOSTILE)
        elif self.role in EXPLORERS:
            values = HOSTILE_FOR_ROLES
        url = reverse(self.name, kwargs=rule.kwargs(self.world))
        ignore = GET_LOGS.get(self.name, ())
        for value in values:
            query = urlencode(dict.fromkeys(PARAMETERS, HOSTILE[value]))
            _, writes = self.request("get", f"{url}?{query}", ignore=ignore)
            self.check(not writes, f"GET {url}?<{value}> as {self.role} wrote: {writes}")
        if self.name in LIST_PAGES and self.role == "programme":
            for key in PARAMETERS:
                for value in HOSTILE.values():
                    self.request("get", f"{url}?{urlencode({key: value})}", ignore=ignore)

    # POST -----------------------------------------------------------------------------
    def _body(self, rule, side="own"):
        body = posts.payload(self.world, self.name, side)
        return {**body, **rule.files()} if rule.files else body

    def post_own(self):
        rule = posts.POST_MATRIX[self.name]
        url = reverse(self.name, kwargs=rule.kwargs(self.world))
        response, writes = self.request("post", url, self._body(rule), ignore=self._ignore())
        if response is None:
            return
        status, role, name = response.status_code, self.role, self.name
        where = f"POST {url} as {role}: {status}"
        if role in rule.allowed:
            if status >= 400:
                self.check(not writes, f"{where} (refused) but wrote: {writes}")
            elif rule.changes and (rule.changes_by is None or role in rule.changes_by):
                self.check(
                    writes,
                    f"{where} and changed nothing: the payload is not real. "
                    f"{posts.form_errors(response)}",
                )
            return
        if name in {"login", "login-link-request"} and role != "anonymous":
            self.check(status == 302, f"{where}, expected 302 (logged-in users go home)")
            self.check(not writes, f"{where} wrote: {writes}")
            return
        self.expect_refused(response, writes, where, not_found=role in rule.hidden | {CONTACT})

    def post_other(self):
        rule = posts.POST_MATRIX[self.name]
        if rule.other is None or self.role not in STRANGERS:
            return
        url = reverse(self.name, kwargs=rule.other(self.world))
        response, writes = self.request(
            "post", url, self._body(rule, "other"), ignore=self._ignore()
        )
        if response is None:
            return
        where = f"POST {url} (SC's) as {self.role}: {response.status_code}"
        in_scope = rule.allowed | rule.hidden | {CONTACT}
        self.expect_refused(response, writes, where, not_found=self.role in in_scope)

    def post_read_only(self):
        url = reverse(self.name, kwargs=matrix.MATRIX[self.name].kwargs(self.world))
        _, writes = self.request("post", url, {"name": "x", "status": "inactive", "pk": "1"})
        self.check(not writes, f"POST {url} (read-only) as {self.role} wrote: {writes}")

    def _ignore(self):
        return LOGIN_TABLES if self.name == "login" else ()

    def garbage(self):
        """As the role that may post: garbage bodies, one bad field at a time, the other
        partner's ids in the body, no CSRF token."""
        rule = posts.POST_MATRIX[self.name]
        url = reverse(self.name, kwargs=rule.kwargs(self.world))
        body = posts.payload(self.world, self.name) or {"pk": "1", "name": "x"}
        for kind, spoil in sorted(posts.GARBAGE.items()):
            response, writes = self.request("post", url, spoil(body), ignore=self._ignore())
            if response is not None and response.status_code != 302:
                self.check(
                    not writes,
                    f"POST {url} ({kind}) answered {response.status_code} but wrote: {writes}",
                )
        if rule.form:
            real = posts.payload(self.world, self.name)
            for field_name in posts.fields_to_spoil(real):
                kind = posts.FIELD_KINDS.get(field_name, "")
                for value in posts.BAD_VALUES.get(kind, posts.BAD_TEXT):
                    data = {**real, field_name: value, **(rule.files() if rule.files else {})}
                    response, writes = self.request("post", url, data, ignore=self._ignore())
                    if response is not None and response.status_code != 302:
                        self.check(
                            not writes,
                            f"POST {url} with {field_name}={value[:20]!r} answered "
                            f"{response.status_code} but wrote: {writes}",
                        )
        if rule.other_body:
            data = {**self._body(rule), **rule.other_body(self.world)}
            response, writes = self.request("post", url, data, ignore=self._ignore())
            self.check(not writes, f"POST {url} naming SC's objects wrote: {writes}")
        strict = Client(enforce_csrf_checks=True)
        if self.role != "anonymous":
            strict.force_login(getattr(self.cast, self.role))
        response, writes = self.request(
            "post", url, self._body(rule), client=strict, ignore=self._ignore()
        )
        if response is not None:
            self.check(
                response.status_code == 403,
                f"POST {url} without a CSRF token answered {response.status_code}, expected 403",
            )
            self.check(not writes, f"POST {url} without a CSRF token wrote: {writes}")

    def huge_ids(self):
        kwargs_of = (posts.POST_MATRIX.get(self.name) or matrix.MATRIX[self.name]).kwargs
        kwargs = kwargs_of(self.world)
        huge = posts.huge_ids(kwargs)
        if huge == kwargs:
            return
        url = reverse(self.name, kwargs=huge)
        for method in ("get", "post"):
            _, writes = self.request(method, url, ignore=GET_LOGS.get(self.name, ()))
            self.check(not writes, f"{method.upper()} {url} as {self.role} wrote: {writes}")


@pytest.mark.parametrize(
    ("name", "role"),
    [
        pytest.param(n, r, id=f"{n}-{r}", marks=[pytest.mark.embedded] if n in EMBEDDED else [])
        for n, r in CASES
    ],
)
def test_url(client, world, name, role):
    walk = Walk(client, world, name, role)
    if name in matrix.MATRIX:
        walk.get_own()
        walk.get_other()
        walk.hostile_queries()
    if name in posts.POST_MATRIX:
        walk.post_own()
        walk.post_other()
        if role == builder_of(name):
            walk.garbage()
    if name in posts.READ_ONLY:
        walk.post_read_only()
    if role in HUGE_ID_ROLES:
        walk.huge_ids()
    assert not walk.problems, f"{name} as {role}:\n  " + "\n  ".join(walk.problems)
    COVERED.add((name, role))
