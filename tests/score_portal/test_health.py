import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_database_and_broker_without_login(client, settings):
    response = client.get(reverse("healthz"))
    body = response.json()
    assert body["database"] == "ok"
    assert set(body) == {"status", "database", "broker"}
    assert response.status_code == (200 if body["broker"] == "ok" else 503)


@pytest.mark.django_db
def test_healthz_is_503_when_the_broker_is_down(client):
    with override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0"):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unavailable"}


@pytest.mark.django_db
@pytest.mark.services
def test_healthz_is_ok_with_redis(client, redis_url):
    with override_settings(CELERY_BROKER_URL=redis_url):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200, response.json()
    assert response.json()["broker"] == "ok"
