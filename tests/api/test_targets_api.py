"""The targets endpoint speaks the register's language: an indicator code, a period (year
and quarter), a kind, a module and a sex; it filters by them and stays scoped."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_targets_carry_indicator_period_kind_and_sex(api, world, tokens):
    response = api(tokens["zj_manager"]).get(
        reverse("api:target-list"), {"indicator": "visits_done"}
    )
    assert response.status_code == 200
    rows = response.json()["results"]
    assert [
        (r["partner"], r["indicator"], r["year"], r["quarter"], r["kind"], r["sex"]) for r in rows
    ] == [(world["cast"].zj.pk, "visits_done", 2026, 0, "incremental", "")]


def test_targets_filter_by_year_and_quarter(api, world, tokens):
    client = api(tokens["programme"])
    rows = client.get(reverse("api:target-list"), {"year": 2025}).json()["results"]
    assert {(r["indicator"], r["partner"]) for r in rows} == {
        ("participants", world["cast"].zj.pk),
        ("participants", world["cast"].sc.pk),
    }
    assert client.get(reverse("api:target-list"), {"quarter": 2}).json()["results"] == []
