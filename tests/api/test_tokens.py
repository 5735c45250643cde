"""Tokens: shown once, stored hashed, refused once expired or revoked, throttled per token;
a write made with a token names it in history."""

import datetime
import hashlib

import pytest
from django.contrib.messages import get_messages
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import token_create, token_revoke
from score_portal.models import Membership, Role

pytestmark = pytest.mark.django_db


def test_token_is_shown_once_and_stored_only_as_its_digest(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(reverse("tokens:list"), {"name": "M&E sync", "days": "30"})
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    raw = message.rsplit(" ", 1)[-1]
    assert raw.startswith("score_")
    token = ApiToken.objects.get(name="M&E sync")
    assert token.digest == hashlib.sha256(raw.encode()).hexdigest()
    stored = " ".join(str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values())
    assert raw not in stored and raw.split("_", 2)[2] not in stored
    assert raw in client.get(reverse("tokens:list")).content.decode()  # the page after: once
    page = client.get(reverse("tokens:list")).content.decode()
    assert token.prefix in page and raw not in page  # listed by its prefix, never again whole


def test_the_token_acts_as_its_user_and_notes_its_last_use(api, cast):
    token, raw = token_create(acting_user=cast.zj_staff, name="x", days=1)
    assert token.last_used_at is None
    response = api(raw).get(reverse("api:partner-list"))
    assert response.status_code == 200
    assert [p["code"] for p in response.json()["results"]] == ["ZJ"]
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_expired_token_is_refused(api, cast):
    token, raw = token_create(acting_user=cast.zj_staff, name="x", days=1)
    ApiToken.objects.filter(pk=token.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert api(raw).get(reverse("api:partner-list")).status_code == 401


def test_revoked_token_is_refused(api, cast):
    token, raw = token_create(acting_user=cast.zj_staff, name="x", days=1)
    assert api(raw).get(reverse("api:partner-list")).status_code == 200
    token_revoke(acting_user=cast.zj_staff, token=token)
    assert api(raw).get(reverse("api:partner-list")).status_code == 401


def test_a_wrong_secret_with_a_real_prefix_is_refused(api, cast):
    _token, raw = token_create(acting_user=cast.zj_staff, name="x", days=1)
    assert api(raw[:-2] + "xx").get(reverse("api:partner-list")).status_code == 401


def test_revoke_on_the_page(client, cast):
    token, raw = token_create(acting_user=cast.zj_staff, name="x", days=1)
    client.force_login(cast.zj_staff)
    response = client.post(reverse("tokens:revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == cast.zj_staff


def test_someone_elses_personal_token_is_not_found(client, cast):
    token, _raw = token_create(acting_user=cast.zj_staff, name="x", days=1)
    client.force_login(cast.zj_manager)
    response = client.post(reverse("tokens:revoke", kwargs={"pk": token.pk}))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_service_token_acts_as_a_service_user_of_its_partner(api, cast):
    token, raw = token_create(
        acting_user=cast.zj_manager,
        name="BI",
        days=30,
        kind="service",
        partner=cast.zj,
        role=Role.PARTNER_STAFF,
    )
    assert token.user != cast.zj_manager and not token.user.has_usable_password()
    assert Membership.objects.get(user=token.user).role == Role.PARTNER_STAFF
    assert api(raw).get(reverse("api:partner-list")).json()["results"][0]["code"] == "ZJ"
    token_revoke(acting_user=cast.zj_manager, token=token)
    assert not Membership.objects.filter(user=token.user).exists()
    assert api(raw).get(reverse("api:partner-list")).status_code == 401


def test_partner_manager_cannot_make_a_service_token_above_staff(cast):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        token_create(
            acting_user=cast.zj_manager,
            name="BI",
            days=30,
            kind="service",
            partner=cast.zj,
            role=Role.PARTNER_MANAGER,
        )
    with pytest.raises(PermissionDenied):
        token_create(
            acting_user=cast.zj_manager,
            name="BI",
            days=30,
            kind="service",
            partner=cast.sc,
            role=Role.PARTNER_STAFF,
        )


@override_settings(API_RATE="3/minute")
def test_requests_are_throttled_per_token(api, cast):
    from django.core.cache import cache

    cache.clear()
    _t, first = token_create(acting_user=cast.zj_staff, name="a", days=1)
    _t, second = token_create(acting_user=cast.zj_staff, name="b", days=1)
    url = reverse("api:partner-list")
    assert [api(first).get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api(second).get(url).status_code == 200  # the other token has its own budget
    cache.clear()


def test_a_session_write_without_the_csrf_token_is_refused(cast, world):
    from django.test import Client

    from enterprises.models import Enterprise

    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.zj_staff)
    before = Enterprise.objects.count()
    response = client.post(
        reverse("api:enterprise-list"),
        {"partner": cast.zj.pk, "name": "Forged"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Enterprise.objects.count() == before
