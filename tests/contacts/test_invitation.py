"""Partner staff invite an enterprise's contact from its page (issue 16); the invitation
goes through a real SMTP server, in the language chosen for the contact."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from score_portal.models import Membership, Role
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(cast):
    return EnterpriseFactory(partner=cast.zj, name="Hangzhou Valve Co.", name_zh="杭州阀门有限公司")


def _invite(client, user, enterprise, language):
    client.force_login(user)
    return client.post(
        reverse("contacts-staff:invite", args=[enterprise.pk]),
        {"name": "Xu Li", "email": "xu.li@example.org", "language": language},
    )


@pytest.mark.parametrize(
    ("language", "subject_word", "body_word", "name"),
    [
        ("en", "invitation", "contact of", "Hangzhou Valve Co."),
        ("zh-hans", "邀请", "企业联络人", "杭州阀门有限公司"),
    ],
)
def test_staff_invite_a_contact_in_their_language(
    client, cast, enterprise, smtp_server, language, subject_word, body_word, name
):
    response = _invite(client, cast.zj_staff, enterprise, language)
    assert response.status_code == 302
    user = get_user_model().objects.get(email="xu.li@example.org")
    membership = Membership.objects.get(user=user)
    assert membership.role == Role.ENTERPRISE_CONTACT and membership.enterprise == enterprise
    assert user.profile.language == language
    assert not user.has_usable_password()
    [message] = smtp_server.messages
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert subject_word in str(message["Subject"]) and name in str(message["Subject"])
    assert body_word in body
    link = re.search(r"https?://testserver(/people/\S+/)", body).group(1)
    # the link sets a password, then the contact logs in to their portal
    client.logout()
    page = client.get(link, follow=True)
    assert page.context["validlink"]
    set_url = page.redirect_chain[-1][0]
    done = client.post(
        set_url,
        {"new_password1": "A long passphrase 2026", "new_password2": "A long passphrase 2026"},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.has_usable_password()
    login = client.post(
        reverse("login"), {"username": user.username, "password": "A long passphrase 2026"}
    )
    assert login.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("contacts:home")


def test_managers_invite_too_and_trainers_cannot(client, cast, enterprise, smtp_server):
    assert _invite(client, cast.zj_manager, enterprise, "en").status_code == 302
    client.logout()
    assert _invite(client, cast.zj_trainer, enterprise, "en").status_code == 404
    assert _invite(client, cast.sc_staff, enterprise, "en").status_code == 404
    assert Membership.objects.filter(role=Role.ENTERPRISE_CONTACT).count() == 1


def test_the_enterprise_page_offers_the_invitation_to_staff(client, cast, enterprise):
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert reverse("contacts-staff:invite", args=[enterprise.pk]) in page
