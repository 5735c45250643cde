"""Login throttling, security headers and CSRF protection, seen from the outside."""

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse

from catalogue.models import Module

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests/factories.py UserFactory


def _fail_login(client, username, times, **extra):
    for _ in range(times):
        response = client.post(
            reverse("login"), {"username": username, "password": "wrong"}, **extra
        )
    return response


def test_five_wrong_passwords_lock_the_account_with_a_clear_message(client, cast):
    response = _fail_login(client, "zj-staff", 4)
    assert response.status_code == 200  # the form again, with its error
    response = _fail_login(client, "zj-staff", 1)
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many failed logins" in page
    assert "15 minutes" in page
    # Even the right password is refused during the cool-off.
    response = client.post(reverse("login"), {"username": "zj-staff", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_lockout_message_is_translated(client, cast):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    response = _fail_login(client, "zj-staff", 5)
    assert response.status_code == 429
    assert "登录失败次数过多" in response.content.decode()


def test_lockout_is_per_username_and_address(client, cast):
    _fail_login(client, "zj-staff", 5, REMOTE_ADDR="10.0.0.1")
    other_user = client.post(
        reverse("login"), {"username": "zj-manager", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    assert other_user.status_code == 302
    client.logout()
    other_address = client.post(
        reverse("login"), {"username": "zj-staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )
    assert other_address.status_code == 302


def test_a_successful_login_resets_the_failure_count(client, cast):
    _fail_login(client, "zj-staff", 4)
    client.post(reverse("login"), {"username": "zj-staff", "password": PASSWORD})
    client.logout()
    assert _fail_login(client, "zj-staff", 4).status_code == 200


def test_client_login_works_when_given_a_request(client, cast):
    # AxesStandaloneBackend needs the request to know the address; tests pass one.
    assert client.login(request=HttpRequest(), username="zj-staff", password=PASSWORD)
    assert client.get(reverse("home")).status_code == 200


def test_pages_carry_the_security_headers(client, cast):
    client.force_login(cast.zj_staff)
    response = client.get(reverse("home"))
    csp = {d.split()[0]: d.split()[1:] for d in response["Content-Security-Policy"].split("; ")}
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["base-uri"] == ["'self'"]
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_login_page_has_the_policy_too(client):
    assert "default-src 'self'" in client.get(reverse("login"))["Content-Security-Policy"]


def test_templates_need_no_inline_script_or_style(client, cast):
    client.force_login(cast.programme)
    for url in [
        reverse("home"),
        reverse("catalogue:module-list"),
        reverse("catalogue:module-create"),
        reverse("password_change"),
    ]:
        page = client.get(url).content.decode()
        assert " style=" not in page and "<style" not in page, url
        assert "<script>" not in page and "<script type" not in page, url
        assert "includeIndicatorStyles" in page  # htmx must not add its own <style>


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("logout", {}),
        ("set_language", {"language": "zh-hans", "next": "/"}),
        (
            "catalogue:module-create",
            {"code": "M9", "name_en": "Nine", "classroom_days": 1, "planned_visits": 1, "order": 9},
        ),
    ],
)
def test_post_without_csrf_token_is_refused(cast, name, data):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.programme)
    response = client.post(reverse(name), data)
    assert response.status_code == 403
    assert client.session.get("_auth_user_id") == str(cast.programme.pk)  # still logged in
    assert not Module.objects.filter(code="M9").exists()


def test_post_with_csrf_token_is_accepted(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.programme)
    client.get(reverse("home"))
    token = client.cookies["csrftoken"].value
    response = client.post(reverse("logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_lockout_counts_the_address_the_proxy_saw(rf, settings):
    from score_portal.security import client_ip

    request = rf.get("/", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.9", REMOTE_ADDR="127.0.0.1")
    settings.BEHIND_TLS_PROXY = False
    assert client_ip(request) == "127.0.0.1"  # no proxy: the header is the client's own words
    settings.BEHIND_TLS_PROXY = True
    assert client_ip(request) == "203.0.113.9"  # the entry our proxy appended, not a forged one
    assert client_ip(rf.get("/", REMOTE_ADDR="127.0.0.1")) == "127.0.0.1"


def test_spraying_many_usernames_from_one_address_is_throttled(client, cast):
    statuses = [
        client.post(
            reverse("login"),
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.9",
        ).status_code
        for n in range(30)
    ]
    assert 429 in statuses
    assert statuses.index(429) == 19  # the 20th failure locks the address
    assert all(status == 429 for status in statuses[19:])
    # A real account from that address waits too; from elsewhere it logs in.
    locked = client.post(
        reverse("login"), {"username": "zj-staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert locked.status_code == 429
    elsewhere = client.post(
        reverse("login"), {"username": "zj-staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.10"
    )
    assert elsewhere.status_code == 302


def test_a_few_failures_by_several_people_at_one_office_lock_nobody(client, cast):
    for name in ("zj-staff", "zj-manager", "programme"):
        _fail_login(client, name, 4, REMOTE_ADDR="10.0.0.7")
    ok = client.post(
        reverse("login"), {"username": "zj-trainer", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7"
    )
    assert ok.status_code == 302


def test_a_successful_login_does_not_clear_an_addresses_spraying(client, cast):
    for n in range(15):
        client.post(
            reverse("login"),
            {"username": f"guess-{n}", "password": "wrong"},
            REMOTE_ADDR="10.0.0.8",
        )
    assert (
        client.post(
            reverse("login"), {"username": "zj-staff", "password": PASSWORD}, REMOTE_ADDR="10.0.0.8"
        ).status_code
        == 302
    )
    client.logout()
    statuses = [
        client.post(
            reverse("login"), {"username": f"more-{n}", "password": "wrong"}, REMOTE_ADDR="10.0.0.8"
        ).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429


def test_an_overlong_username_is_refused_like_a_wrong_one(client, cast):
    from axes.models import AccessAttempt

    response = client.post(reverse("login"), {"username": "长" * 5000, "password": "wrong"})
    assert response.status_code == 200  # the form again, not a 500 from the attempts table
    assert AccessAttempt.objects.get().username == "长" * 150
