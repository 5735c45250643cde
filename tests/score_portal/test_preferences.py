"""A person's preferences: language applied at login on any browser, kept when switched in
the top bar; a programme manager's default partner."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from score_portal.models import Profile
from score_portal.services import profile_update

PASSWORD = "correct horse battery"


def _log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(reverse("home"))


@pytest.mark.django_db
def test_language_switched_in_the_top_bar_is_remembered_at_next_login(cast):
    browser = Client()
    _log_in(browser, cast.zj_staff)
    browser.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert Profile.objects.get(user=cast.zj_staff).language == "zh-hans"
    browser.post(reverse("logout"))
    # Another browser, with no language cookie: the profile's language is applied.
    other = Client()
    response = _log_in(other, cast.zj_staff)
    assert response["Content-Language"] == "zh-hans"
    assert other.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"
    assert "欢迎" in response.content.decode()


@pytest.mark.django_db
def test_without_a_profile_the_browser_language_stays(cast):
    browser = Client()
    response = _log_in(browser, cast.zj_manager)
    assert response["Content-Language"] == "en"
    assert not Profile.objects.filter(user=cast.zj_manager).exists()


@pytest.mark.django_db
def test_later_switches_in_the_same_session_are_not_overridden(cast):
    profile_update(acting_user=cast.zj_staff, language="zh-hans")
    browser = Client()
    assert _log_in(browser, cast.zj_staff)["Content-Language"] == "zh-hans"
    browser.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert browser.get(reverse("home"))["Content-Language"] == "en"
    assert Profile.objects.get(user=cast.zj_staff).language == "en"


@pytest.mark.django_db
def test_anonymous_language_switch_stores_nothing(client, cast):
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert not Profile.objects.exists()


@pytest.mark.django_db
def test_preferences_page_saves_language_and_default_partner(client, cast):
    client.force_login(cast.programme)
    response = client.post(
        reverse("preferences"), {"language": "zh-hans", "default_partner": cast.sc.pk}
    )
    assert response.status_code == 302
    profile = Profile.objects.get(user=cast.programme)
    assert (profile.language, profile.default_partner) == ("zh-hans", cast.sc)
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "zh-hans"


@pytest.mark.django_db
def test_partner_people_have_no_default_partner(client, cast):
    client.force_login(cast.zj_staff)
    assert "default_partner" not in client.get(reverse("preferences")).content.decode()
    client.post(reverse("preferences"), {"language": "en", "default_partner": cast.sc.pk})
    assert Profile.objects.get(user=cast.zj_staff).default_partner is None
    with pytest.raises(PermissionDenied):
        profile_update(acting_user=cast.zj_staff, default_partner=cast.zj)
