"""Every URL of the REST API against every role's token, generated from the URL list like
tests/test_url_walk.py: a new API URL fails until it is classified here. A ZJ token gets
404 on SC's objects at every endpoint and with every method (for roles that hold the
endpoint's permission at all: the others are refused before the lookup, with 403)."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from score_portal.access import Perm, access_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def api_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The API's world and every role's token, built once for the module; each test runs in
    a savepoint rolled back after it (tokens' last use included)."""
    from tests.url_world import world_for_module

    from .conftest import ROLES, extend_world, token_for

    def extend(world):
        extend_world(world)
        world["tokens"] = {role: token_for(getattr(world["cast"], role)) for role in ROLES}

    with world_for_module(
        django_db_blocker, tmp_path_factory.mktemp("api-media"), extend=extend
    ) as world:
        yield world


@pytest.fixture
def world(api_world, db, settings):
    settings.MEDIA_ROOT = api_world["media_root"]
    return api_world


@pytest.fixture
def tokens(world):
    return world["tokens"]


def _pk(key):
    return lambda w: {"pk": w[key].pk}


def _partner(code):
    return lambda w: {"pk": getattr(w["cast"], code).pk}


# name: (own object, other partner's object, the methods to try on them)
DETAIL = {
    "partner-detail": (_partner("zj"), _partner("sc"), ["get"]),
    "enterprise-detail": (_pk("enterprise"), _pk("other_enterprise"), ["get", "patch"]),
    "enrolment-detail": (_pk("enrolment"), _pk("other_enrolment"), ["get", "patch"]),
    "enrolment-transition": (_pk("enrolment"), _pk("other_enrolment"), ["post"]),
    "kpi-reading-detail": (_pk("reading"), _pk("other_reading"), ["get", "patch"]),
    "workshop-detail": (_pk("workshop"), _pk("other_workshop"), ["get"]),
    "workshop-attendance": (_pk("workshop"), _pk("other_workshop"), ["get", "put"]),
    "participant-detail": (
        _pk("participant"),
        _pk("other_participant"),
        ["get", "patch", "delete"],
    ),
    "attendance-detail": (_pk("attendance"), _pk("other_attendance"), ["get"]),
    "trainer-detail": (_pk("trainer"), _pk("other_trainer"), ["get"]),
    "certification-detail": (_pk("certification"), _pk("other_certification"), ["get"]),
    "visit-detail": (_pk("visit"), _pk("other_visit"), ["get"]),
    "visit-record": (_pk("visit"), _pk("other_visit"), ["post"]),
    "visit-action-detail": (_pk("action"), _pk("other_action"), ["get"]),
    "target-detail": (_pk("target"), _pk("other_target"), ["get"]),
    "report-run-detail": (_pk("zj_run"), _pk("sc_run"), ["get"]),
    "report-run-download": (_pk("zj_run"), _pk("sc_run"), ["get"]),
    "report-run-download-xlsx": (_pk("zj_run"), _pk("sc_run"), ["get"]),
}
# reference data every role reads: no "other partner" object
REFERENCE = {"kpi-definition-detail"}
LISTS = {
    "partner-list",
    "enterprise-list",
    "enrolment-list",
    "kpi-definition-list",
    "kpi-reading-list",
    "workshop-list",
    "participant-list",
    "attendance-list",
    "trainer-list",
    "certification-list",
    "visit-list",
    "visit-action-list",
    "target-list",
    "report-run-list",
}
PUBLIC = {"schema", "docs"}  # the schema and its documentation page: no data
# figures from the indicator register, not a list of records (tests/api/test_indicators.py)
FIGURES = {"indicator-list"}
NEEDS = {"report-run": Perm.REPORTS}  # the endpoint's permission, VIEW unless named here


def _walk(patterns, prefix=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from _walk(pattern.url_patterns, namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{prefix}{pattern.name}"


API_URL_NAMES = sorted(
    n.removeprefix("api:") for n in set(_walk(get_resolver().url_patterns)) if n.startswith("api:")
)


def _perm(name):
    return next((perm for start, perm in NEEDS.items() if name.startswith(start)), Perm.VIEW)


def test_every_api_url_is_classified():
    classified = set(DETAIL) | REFERENCE | LISTS | PUBLIC | FIGURES
    assert set(API_URL_NAMES) == classified, set(API_URL_NAMES) ^ classified


@pytest.mark.parametrize("role", ["zj_manager", "zj_staff", "zj_trainer"])
@pytest.mark.parametrize("name", sorted(DETAIL))
def test_other_partners_objects_are_not_found(api, world, tokens, name, role):
    _own, other, methods = DETAIL[name]
    url = reverse(f"api:{name}", kwargs=other(world))
    client = api(tokens[role])
    holds = access_for(getattr(world["cast"], role)).has_perm(_perm(name))
    for method in methods:
        response = getattr(client, method)(url, {}, format="json")
        expected = 404 if holds else 403
        assert response.status_code == expected, (name, method, role, response.status_code)


@pytest.mark.parametrize("name", sorted(DETAIL))
def test_programme_manager_reads_every_partners_objects(api, world, tokens, name):
    own, other, methods = DETAIL[name]
    if "get" not in methods or name.endswith("download-xlsx") or name.endswith("download"):
        return
    for kwargs in (own(world), other(world)):
        response = api(tokens["programme"]).get(reverse(f"api:{name}", kwargs=kwargs))
        assert response.status_code == 200, (name, response.status_code)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_lists_show_nothing_of_the_other_partner(api, world, tokens, name):
    """Every list, for ZJ staff: none of SC's objects (checked on the partner or enterprise
    each row names)."""
    sc_ids = {
        "partner": {world["cast"].sc.pk},
        "enterprise": {world["other_enterprise"].pk},
        "workshop": {world["other_workshop"].pk},
        "enrolment": {world["other_enrolment"].pk},
    }
    response = api(tokens["zj_staff"]).get(reverse(f"api:{name}"))
    assert response.status_code == 200, (name, response.status_code)
    for row in response.json()["results"]:
        for key, ids in sc_ids.items():
            assert row.get(key) not in ids, (name, row)
        if name == "partner-list":
            assert row["id"] not in sc_ids["partner"]


@pytest.mark.parametrize("role", ["norole"])
@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_token_without_a_role_is_refused(api, world, tokens, name, role):
    response = api(tokens[role]).get(reverse(f"api:{name}"))
    assert response.status_code == 403, (name, response.status_code)


@pytest.mark.parametrize("name", sorted(LISTS))
def test_no_token_answers_401(api, world, name):
    response = api().get(reverse(f"api:{name}"))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def _ids(api, token, name):
    response = api(token).get(reverse(f"api:{name}"))
    assert response.status_code == 200
    return {row["id"] for row in response.json()["results"]}


def test_a_trainers_token_sees_only_what_the_trainer_sees(api, world, tokens):
    token = tokens["zj_trainer"]
    assert _ids(api, token, "enterprise-list") == {world["enterprise"].pk}
    assert _ids(api, token, "enrolment-list") == {world["enrolment"].pk}
    assert _ids(api, token, "visit-list") == {world["visit"].pk}
    from enterprises.models import KPIReading

    # every reading of the enterprise the trainer consults (the world adds returned ones and
    # one the enterprise submitted), none of another enterprise's
    consulted = set(
        KPIReading.objects.filter(enterprise=world["enterprise"]).values_list("pk", flat=True)
    )
    assert world["reading"].pk in consulted
    assert _ids(api, token, "kpi-reading-list") == consulted
    assert _ids(api, token, "workshop-list") == set()  # teaches none
    assert _ids(api, token, "participant-list") == set()
    assert world["other_enterprise"].pk not in _ids(api, token, "enterprise-list")
    # an enterprise of ZJ the trainer does not consult is hidden, as on the pages
    from tests.factories import EnterpriseFactory

    hidden = EnterpriseFactory(partner=world["cast"].zj)
    response = api(token).get(reverse("api:enterprise-detail", kwargs={"pk": hidden.pk}))
    assert response.status_code == 404
    response = api(tokens["zj_staff"]).get(
        reverse("api:enterprise-detail", kwargs={"pk": hidden.pk})
    )
    assert response.status_code == 200


def test_reports_are_refused_to_trainers_with_403(api, world, tokens):
    response = api(tokens["zj_trainer"]).get(reverse("api:report-run-list"))
    assert response.status_code == 403


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_schema_and_docs_need_no_token(api, name):
    response = api().get(reverse(f"api:{name}"))
    assert response.status_code == 200
