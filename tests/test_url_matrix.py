"""Every URL pattern of the project against every role, anonymous included.

A new URL fails this test until it is classified in ``MATRIX``: who may open it, and how to
build its arguments from objects of the user's own partner and of the other partner. For a
URL whose object belongs to a partner, the other partner's object must answer 404 to every
role except the programme manager.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from reports.models import ReportRun
from workshops.models import Module

ROLES = ["anonymous", "norole", "programme", "zj_manager", "zj_staff", "zj_trainer"]
ALL = {"norole", "programme", "zj_manager", "zj_staff", "zj_trainer"}
WITH_ROLE = ALL - {"norole"}
REPORTING = {"programme", "zj_manager", "zj_staff"}
PUBLIC = {"anonymous"} | ALL


@dataclass
class Rule:
    allowed: set[str]
    # builds kwargs from the test world; "own" objects belong to ZJ, "other" to SC
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    other: Callable[[dict], dict] | None = None  # kwargs for the other partner's object
    ok: tuple[int, ...] = (200,)


MATRIX: dict[str, Rule] = {
    "home": Rule(ALL),
    "healthz": Rule(PUBLIC, ok=(200, 503)),
    "login": Rule({"anonymous"}, ok=(200,)),
    "password_change": Rule(ALL),
    "password_change_done": Rule(ALL),
    "workshops:module-list": Rule(WITH_ROLE),
    "workshops:module-create": Rule({"programme"}),
    "workshops:module-edit": Rule({"programme"}, kwargs=lambda w: {"pk": w["module"].pk}),
    "reports:run-list": Rule(REPORTING),
    "reports:run-table": Rule(REPORTING),
    "reports:run-create": Rule(REPORTING),
    "reports:run-download": Rule(REPORTING, kwargs=lambda w: {"pk": w["zj_run"].pk},
                                 other=lambda w: {"pk": w["sc_run"].pk}),
    "reports:run-download-xlsx": Rule(REPORTING, kwargs=lambda w: {"pk": w["zj_run"].pk},
                                      other=lambda w: {"pk": w["sc_run"].pk}),
    # POST only: a GET from someone who may use it answers 405
    "reports:run-retry": Rule(REPORTING, kwargs=lambda w: {"pk": w["zj_run"].pk},
                              other=lambda w: {"pk": w["sc_run"].pk}, ok=(405,)),
}
# URLs whose behaviour is tested elsewhere (POST-only or third-party).
NOT_PAGES = {"logout", "set_language"}


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's admin: superusers only, checked below
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


ALL_URL_NAMES = sorted(set(_walk(get_resolver().url_patterns)))


def test_every_url_is_classified():
    unclassified = [name for name in ALL_URL_NAMES if name not in MATRIX and name not in NOT_PAGES]
    assert not unclassified, f"Add these URLs to the permission matrix: {unclassified}"


@pytest.fixture
def world(cast, tmp_path, settings):
    from django.core.files.base import ContentFile

    settings.MEDIA_ROOT = tmp_path
    runs = {}
    for code, partner in (("zj", cast.zj), ("sc", cast.sc)):
        run = ReportRun(kind="partner", partner=partner, status="done", progress=100,
                        params_key=f"matrix:{code}")
        run.save()
        run.file.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        run.xlsx_file.save("report.xlsx", ContentFile(b"PK test"), save=True)
        runs[f"{code}_run"] = run
    return {"cast": cast, "module": Module.objects.get(code="M1"), **runs}


def _client_for(client, cast, role):
    if role != "anonymous":
        client.force_login(getattr(cast, role))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", [n for n in ALL_URL_NAMES if n in MATRIX])
def test_url_answers_each_role_as_classified(client, world, name, role):
    rule = MATRIX[name]
    url = reverse(name, kwargs=rule.kwargs(world))
    response = _client_for(client, world["cast"], role).get(url)
    if role in rule.allowed:
        assert response.status_code in rule.ok, (name, role, response.status_code)
    elif role == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif name == "login":
        assert response.status_code == 302  # logged-in users go home
    else:
        assert response.status_code == 403, (name, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", sorted(WITH_ROLE - {"programme"}))
@pytest.mark.parametrize("name", [n for n, rule in MATRIX.items() if rule.other])
def test_other_partners_objects_are_not_found(client, world, name, role):
    url = reverse(name, kwargs=MATRIX[name].other(world))
    response = _client_for(client, world["cast"], role).get(url)
    # A user without any role is refused before any lookup, whatever the object (403 for
    # its "own" objects too), which reveals nothing either.
    expected = 403 if role == "norole" else 404
    assert response.status_code == expected, (name, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["programme", "zj_staff"])
def test_admin_is_for_superusers_only(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
