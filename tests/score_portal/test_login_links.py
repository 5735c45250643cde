"""One-time login links by e-mail (score_portal/login_links.py), through a real SMTP server."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from score_portal.models import LoginLink
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _on_commit(django_capture_on_commit_callbacks):
    """The mail leaves when the request's transaction commits: run those callbacks."""
    global _capture
    _capture = django_capture_on_commit_callbacks


def _ask(client, email):
    with _capture(execute=True):
        return client.post(reverse("login-link-request"), {"email": email}, follow=True)


def _link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    return re.search(r"https?://\S+/accounts/login/link/\S+/", body).group(0)


def _path(url: str) -> str:
    return url.split("testserver", 1)[-1]


def test_a_link_logs_in_once(client, smtp_server):
    user = UserFactory(username="li", email="li@example.org")
    _ask(client, "LI@example.org ")
    assert len(smtp_server.messages) == 1
    path = _path(_link_in(smtp_server.messages[0]))
    assert client.get(path).status_code == 200  # a button: opening the link logs nobody in
    assert "_auth_user_id" not in client.session
    response = client.post(path)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)
    client.logout()
    again = client.post(path)
    assert again.status_code == 410 and "_auth_user_id" not in client.session
    assert "already used" in again.content.decode()


def test_an_expired_link_is_refused(client, smtp_server, settings):
    UserFactory(email="li@example.org")
    _ask(client, "li@example.org")
    path = _path(_link_in(smtp_server.messages[0]))
    LoginLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(path).status_code == 410
    assert client.post(path).status_code == 410
    assert "_auth_user_id" not in client.session


def test_a_wrong_token_is_refused(client, smtp_server):
    UserFactory(email="li@example.org")
    _ask(client, "li@example.org")
    path = _path(_link_in(smtp_server.messages[0]))
    wrong = path[:-3] + ("A" if path[-3] != "A" else "B") + path[-2:]
    assert client.post(wrong).status_code == 410
    assert client.post(reverse("login-link", args=["x" * 500])).status_code == 410
    assert "_auth_user_id" not in client.session
    assert LoginLink.objects.filter(used_at__isnull=False).count() == 0


def test_only_a_digest_of_the_token_is_stored(client, smtp_server):
    UserFactory(email="li@example.org")
    _ask(client, "li@example.org")
    token = _link_in(smtp_server.messages[0]).rstrip("/").rsplit("/", 1)[-1]
    assert not LoginLink.objects.filter(token_digest=token).exists()
    assert LoginLink.objects.get().token_digest != token


def test_the_answer_never_tells_whether_an_address_has_a_login(client, smtp_server):
    UserFactory(email="known@example.org")
    known = _ask(client, "known@example.org").content.decode()
    unknown = _ask(client, "nobody@example.org").content.decode()
    message = "If this address belongs to a login"
    assert message in known and message in unknown
    assert len(smtp_server.messages) == 1  # only the known address got a mail
    assert LoginLink.objects.count() == 2  # both requests count for the limits


def test_a_deactivated_login_gets_no_link(client, smtp_server):
    UserFactory(email="gone@example.org", is_active=False)
    _ask(client, "gone@example.org")
    assert not smtp_server.messages


def test_requests_are_rate_limited_per_address_and_per_client(client, smtp_server, settings):
    settings.LOGIN_LINK_PER_ADDRESS = 2
    settings.LOGIN_LINK_PER_IP = 3
    UserFactory(email="li@example.org")
    UserFactory(email="wu@example.org")
    for _ in range(4):
        _ask(client, "li@example.org")
    assert len(smtp_server.messages) == 2  # per address
    _ask(client, "wu@example.org")  # the third request of this client
    _ask(client, "wu@example.org")  # the fourth: over the client's limit
    assert len(smtp_server.messages) == 3


def test_the_mail_is_in_the_persons_language(client, smtp_server):
    from score_portal.models import Profile

    user = UserFactory(email="li@example.org")
    Profile.objects.create(user=user, language="zh-hans")
    _ask(client, "li@example.org")
    message = smtp_server.messages[0]
    assert "登录链接" in str(message["Subject"])
    assert "只能使用一次" in message.get_body(preferencelist=("plain",)).get_content()


def test_the_login_page_offers_a_login_link(client):
    page = client.get(reverse("login")).content.decode()
    assert reverse("login-link-request") in page
