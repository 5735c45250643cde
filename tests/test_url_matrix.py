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

from workshops.models import Module

ROLES = ["anonymous", "norole", "programme", "zj_manager", "zj_staff", "zj_trainer"]
ALL = {"norole", "programme", "zj_manager", "zj_staff", "zj_trainer"}
WITH_ROLE = ALL - {"norole"}
PUBLIC = {"anonymous"} | ALL


@dataclass
class Rule:
    allowed: set[str]
    # builds kwargs from the test world; "own" objects belong to ZJ, "other" to SC
    kwargs: Callable[[dict], dict] = field(default=lambda world: {})
    other: Callable[[dict], dict] | None = None  # kwargs for the other partner's object
    ok: tuple[int, ...] = (200,)
    hidden: set[str] = field(default_factory=set)  # roles for whom the own object is 404


def E(w):
    return {"pk": w["enterprise"].pk}


def E_OTHER(w):
    return {"pk": w["other_enterprise"].pk}


def ENT_PK(w):
    return {"enterprise_pk": w["enterprise"].pk}


def ENT_PK_OTHER(w):
    return {"enterprise_pk": w["other_enterprise"].pk}


def EIT(w):
    return {"pk": w["enterprise"].pk, "member_pk": w["member"].pk}


def EIT_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "member_pk": w["other_member"].pk}


def PROJECT(w):
    return {"pk": w["enterprise"].pk, "project_pk": w["project"].pk}


def PROJECT_OTHER(w):
    return {"pk": w["other_enterprise"].pk, "project_pk": w["other_project"].pk}


def ENROL(w):
    return {"pk": w["enrolment"].pk}


def ENROL_OTHER(w):
    return {"pk": w["other_enrolment"].pk}


def T(w):
    return {"pk": w["trainer"].pk}


def T_OTHER(w):
    return {"pk": w["other_trainer"].pk}


def CERT(w):
    return {"pk": w["trainer"].pk, "module_pk": w["module"].pk}


def CERT_OTHER(w):
    return {"pk": w["other_trainer"].pk, "module_pk": w["module"].pk}


MATRIX: dict[str, Rule] = {
    "home": Rule(ALL),
    "healthz": Rule(PUBLIC, ok=(200, 503)),
    "login": Rule({"anonymous"}, ok=(200,)),
    "password_change": Rule(ALL),
    "password_change_done": Rule(ALL),
    "workshops:module-list": Rule(WITH_ROLE),
    "workshops:module-create": Rule({"programme"}),
    "workshops:module-edit": Rule({"programme"}, kwargs=lambda w: {"pk": w["module"].pk}),
    # Enterprises: staff change, managers and programme managers read; trainers see only
    # enterprises assigned to them (none here).
    "enterprises:list": Rule(WITH_ROLE),
    "enterprises:create": Rule({"zj_staff"}),
    "enterprises:detail": Rule({"programme", "zj_manager", "zj_staff"}, kwargs=E, other=E_OTHER,
                               hidden={"zj_trainer"}),
    "enterprises:edit": Rule({"zj_staff"}, kwargs=E, other=E_OTHER, hidden={"zj_trainer"}),
    "enterprises:history": Rule({"programme", "zj_manager", "zj_staff"}, kwargs=E,
                                other=E_OTHER, hidden={"zj_trainer"}),
    "enterprises:eit-create": Rule({"zj_staff"}, kwargs=E, other=E_OTHER,
                                   hidden={"zj_trainer"}),
    "enterprises:eit-edit": Rule({"zj_staff"}, kwargs=EIT, other=EIT_OTHER,
                                 hidden={"zj_trainer"}),
    "enterprises:project-create": Rule({"zj_staff"}, kwargs=E, other=E_OTHER,
                                       hidden={"zj_trainer"}),
    "enterprises:project-edit": Rule({"zj_staff"}, kwargs=PROJECT, other=PROJECT_OTHER,
                                     hidden={"zj_trainer"}),
    "enterprises:suggestions-record": Rule({"zj_staff"}, kwargs=E, other=E_OTHER,
                                           hidden={"zj_trainer"}),
    "workshops:enrolment-create": Rule({"zj_staff", "programme"}, kwargs=ENT_PK,
                                       other=ENT_PK_OTHER, hidden={"zj_trainer"}),
    "workshops:enrolment-edit": Rule({"zj_staff"}, kwargs=ENROL, other=ENROL_OTHER,
                                     hidden={"zj_trainer"}),
    "workshops:enrolment-transition": Rule({"zj_staff"}, kwargs=ENROL, other=ENROL_OTHER,
                                           hidden={"zj_trainer"}),
    # Trainers: staff of a partner the trainer serves change; managers read; trainers read
    # the trainers of the partners they serve; "my schedule" is for trainer logins.
    "trainers:list": Rule(WITH_ROLE),
    "trainers:create": Rule({"zj_staff"}),
    "trainers:my-schedule": Rule({"zj_trainer"}),
    "trainers:detail": Rule({"programme", "zj_manager", "zj_staff", "zj_trainer"}, kwargs=T,
                            other=T_OTHER),
    "trainers:edit": Rule({"zj_staff"}, kwargs=T, other=T_OTHER),
    "trainers:certification-create": Rule({"zj_staff"}, kwargs=T, other=T_OTHER),
    "trainers:certification-edit": Rule({"zj_staff"}, kwargs=CERT, other=CERT_OTHER),
}
# URLs whose behaviour is tested elsewhere (POST-only or third-party).
NOT_PAGES = {"logout", "set_language", "enterprises:bulk", "enterprises:eit-delete",
             "trainers:assignment-add", "trainers:assignment-remove"}


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
def world(cast):
    from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory

    world = {"cast": cast, "module": Module.objects.get(code="M1")}
    for prefix, partner in (("", cast.zj), ("other_", cast.sc)):
        enterprise = EnterpriseFactory(partner=partner)
        world[f"{prefix}enterprise"] = enterprise
        world[f"{prefix}member"] = enterprise.eit_members.create(name="Wu", level="worker",
                                                                 sex="F")
        world[f"{prefix}project"] = enterprise.projects.create(title="5S")
        world[f"{prefix}enrolment"] = EnrolmentFactory(enterprise=enterprise)
        world[f"{prefix}trainer"] = TrainerFactory(partners=[partner])
    return world


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
    if role in rule.hidden:
        assert response.status_code == 404, (name, role, response.status_code)
    elif role in rule.allowed:
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
    assert response.status_code == 404, (name, role, response.status_code)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["programme", "zj_staff"])
def test_admin_is_for_superusers_only(client, cast, role):
    client.force_login(getattr(cast, role))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
