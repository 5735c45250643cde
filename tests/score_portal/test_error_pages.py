"""Issue 20, item 1: the error pages belong to the portal (menu, language, a way back, what to
do next), in production settings, without a traceback or anything of the object asked for."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from score_portal import errors

from ..factories import EnterpriseFactory

ZH = "zh-hans"


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["testserver"]


def _get(client, user, url, language):
    client.force_login(user)
    client.cookies["django_language"] = language
    return client.get(url, HTTP_REFERER="http://testserver/enterprises/")


PAGES = {
    # status: (English heading, Chinese heading)
    403: ("Your role does not allow this", "您的角色无权进行此操作"),
    404: ("This page is not available to you", "您无法访问此页面"),
    500: ("Something went wrong on our side", "服务器出现了问题"),
}


def _assert_portal_layout(body: str, language: str, status: int) -> None:
    english, chinese = PAGES[status]
    assert f'<html lang="{language}">' in body
    assert (english if language == "en" else chinese) in body
    assert 'action="/i18n/setlang/"' in body  # the language switch
    assert 'href="/"' in body  # a way home
    assert "Traceback" not in body and "Request Method" not in body


@pytest.mark.parametrize("language", ["en", ZH])
def test_403_is_the_portals_page_with_the_menu(client, cast, production, language):
    response = _get(client, cast.zj_staff, reverse("catalogue:module-create"), language)
    assert response.status_code == 403
    body = response.content.decode()
    _assert_portal_layout(body, language, 403)
    assert 'id="main-nav"' in body  # the menu of the signed-in user
    assert ("Enterprises" if language == "en" else "企业") in body
    assert ("Back to the previous page" if language == "en" else "返回上一页") in body


@pytest.mark.parametrize("language", ["en", ZH])
def test_404_for_another_partners_enterprise_shows_nothing_of_it(
    client, cast, production, language
):
    hidden = EnterpriseFactory(partner=cast.sc, name="Secret Pumps Co.", name_zh="秘密泵业")
    response = _get(
        client, cast.zj_staff, reverse("enterprises:detail", args=[hidden.pk]), language
    )
    assert response.status_code == 404
    body = response.content.decode()
    _assert_portal_layout(body, language, 404)
    assert 'id="main-nav"' in body
    assert "Secret Pumps" not in body and "秘密泵业" not in body
    assert "No Enterprise matches" not in body  # Django's message naming the model


@pytest.mark.parametrize("language", ["en", ZH])
def test_500_in_production_is_the_portals_page(client, cast, production, monkeypatch, language):
    def broken(request):
        raise RuntimeError("secret detail of the failure")

    monkeypatch.setattr("score_portal.views.panels_for", broken)
    client.raise_request_exception = False
    response = _get(client, cast.zj_staff, reverse("home"), language)
    assert response.status_code == 500
    body = response.content.decode()
    _assert_portal_layout(body, language, 500)
    assert "secret detail" not in body


def test_500_renders_without_the_database():
    """No ``db`` mark: pytest-django makes any query raise, so the full page (not the
    last-resort fallback) proves the 500 page needs no database."""
    request = RequestFactory().get("/enterprises/1/")
    with translation.override(ZH):
        response = errors.server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert PAGES[500][1] in body
    assert "返回首页" in body


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", ZH])
def test_csrf_failure_page_says_what_to_do(client, cast, production, language):
    client = client_class_enforcing_csrf()
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    response = client.post(reverse("preferences"), {"language": "en"})
    assert response.status_code == 403
    body = response.content.decode()
    assert ("The form could not be sent" if language == "en" else "表单未能提交") in body
    assert 'id="main-nav"' in body


@pytest.mark.parametrize("language", ["en", ZH])
def test_400_page(rf, db, language):
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    with translation.override(language):
        response = errors.bad_request(request)
    assert response.status_code == 400
    body = response.content.decode()
    assert (
        "The portal could not understand this request" if language == "en" else "门户无法理解此请求"
    ) in body


def client_class_enforcing_csrf():
    from django.test import Client

    return Client(enforce_csrf_checks=True)
