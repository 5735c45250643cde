"""GET /api/v1/indicators/: the register's figures, scoped like the dashboards."""

import pytest
from django.urls import reverse

from reports.indicators import indicator_values, value_of

pytestmark = pytest.mark.django_db
URL = "/api/v1/indicators/"


def test_it_is_in_the_schema(api, tokens):
    schema = api(tokens["programme"]).get(reverse("api:schema"), {"format": "json"}).json()
    assert "/api/v1/indicators/" in schema["paths"]


def test_a_partner_manager_reads_their_partners_figures_as_the_register_computes(
    api, world, tokens
):
    cast = world["cast"]
    response = api(tokens["zj_manager"]).get(URL, {"code": ["enterprises_reached", "visits_done"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["partners"] == [cast.zj.pk]
    expected = indicator_values(
        cast.zj_manager, ["enterprises_reached", "visits_done"], partner_ids=[cast.zj.pk]
    )
    by_code = {row["code"]: row for row in body["results"]}
    assert set(by_code) == {"enterprises_reached", "visits_done"}
    for code, row in by_code.items():
        assert row["total"]["value"] == value_of(expected, code)
        assert row["by_partner"] == [{"partner": cast.zj.pk, "value": row["total"]["value"]}]
        assert row["definition_url"] == reverse("reports:indicator-detail", args=[code])


def test_another_partner_is_not_found_and_a_trainer_is_refused(api, world, tokens):
    cast = world["cast"]
    assert api(tokens["zj_manager"]).get(URL, {"partner": cast.sc.pk}).status_code == 404
    assert api(tokens["zj_trainer"]).get(URL).status_code == 403
    assert api(tokens["norole"]).get(URL).status_code == 403
    assert api().get(URL).status_code == 401


def test_the_programme_manager_filters_by_partner_and_period(api, world, tokens):
    cast = world["cast"]
    client = api(tokens["programme"])
    both = client.get(URL, {"code": "enterprises_reached"}).json()
    assert sorted(both["partners"]) == sorted([cast.zj.pk, cast.sc.pk])
    one = client.get(
        URL,
        {"partner": cast.sc.pk, "period_from": "2026-01-01", "period_to": "2026-12-31"},
    ).json()
    assert one["partners"] == [cast.sc.pk] and one["period_from"] == "2026-01-01"
    assert len(one["results"]) > 10  # every indicator of the register


def test_bad_filters_answer_400(api, world, tokens):
    client = api(tokens["programme"])
    assert client.get(URL, {"period_from": "2026-13-01"}).status_code == 400
    assert client.get(URL, {"code": "no_such_figure"}).status_code == 400
    bad_period = client.get(URL, {"period_from": "2026-02-01", "period_to": "2026-01-01"})
    assert bad_period.status_code == 400


@pytest.mark.parametrize("path", ["api:indicator-list", "api:enterprise-list"])
def test_a_token_is_forgotten_when_its_request_ends(api, cast, tokens, path):
    """History written after an API request (in the same thread) is not put on its token:
    the indicators view once left the token behind, and a staff member's later change was
    recorded "(API token …)"."""
    from api.context import current_token
    from enterprises.services.enterprises import enterprise_update
    from tests.factories import EnterpriseFactory

    assert api(tokens["zj_manager"]).get(reverse(path)).status_code == 200
    assert current_token.get() is None
    enterprise = EnterpriseFactory(partner=cast.zj)
    enterprise._change_reason = "Renamed on the page"
    enterprise_update(acting_user=cast.zj_staff, enterprise=enterprise, name="Renamed")
    assert "API token" not in (enterprise.history.first().history_change_reason or "")


def test_the_schema_says_the_endpoint_returns_one_object(api, tokens):
    schema = api().get(reverse("api:schema"), {"format": "json"}).json()
    response = schema["paths"]["/api/v1/indicators/"]["get"]["responses"]["200"]
    body = response["content"]["application/json"]["schema"]
    assert body.get("type") != "array" and "$ref" in body
