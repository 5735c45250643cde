"""People administration: partners, invitations by e-mail, roles, deactivation and password
reset, for each role (issue 12, "People administration")."""

import datetime
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from score_portal.invitations import invitation_token
from score_portal.models import Membership, Partner, Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db
User = get_user_model()


def _link(message) -> str:
    return re.search(r"https?://\S+", message.body).group(0)


def _invite(client, partner, **data):
    return client.post(
        reverse("people:person-invite", args=[partner.pk]),
        {
            "email": "new.person@example.org",
            "first_name": "Xu",
            "last_name": "Hong",
            "role": Role.PARTNER_STAFF,
            **data,
        },
    )


def test_programme_manager_creates_edits_and_deactivates_a_partner(client, cast):
    client.force_login(cast.programme)
    response = client.post(
        reverse("people:partner-create"),
        {
            "code": "GD",
            "name_en": "Guangdong Enterprise Federation",
            "name_zh": "广东省企业联合会",
            "kind": "federation",
            "region": "Guangdong",
        },
    )
    partner = Partner.objects.get(code="GD")
    assert response.status_code == 302
    assert (
        client.post(
            reverse("people:partner-edit", args=[partner.pk]),
            {
                "code": "GD",
                "name_en": "Guangdong Federation",
                "kind": "federation",
                "region": "Guangdong",
            },
        ).status_code
        == 302
    )
    partner.refresh_from_db()
    assert partner.name_en == "Guangdong Federation"
    # Deactivating the partner ends everyone's access there at once, with history.
    response = client.post(reverse("people:partner-active", args=[cast.zj.pk]), {"active": "no"})
    assert response.status_code == 302
    cast.zj.refresh_from_db()
    assert not cast.zj.is_active
    assert not Membership.objects.filter(partner=cast.zj).exists()
    ended = Membership.history.filter(partner_id=cast.zj.pk, history_type="-")
    assert ended.count() == 3 and {h.history_user for h in ended} == {cast.programme}
    client.force_login(cast.zj_staff)
    assert client.get(reverse("enterprises:list")).status_code == 403


@pytest.mark.parametrize("who", ["zj_manager", "zj_staff", "zj_trainer", "norole"])
def test_only_programme_managers_create_or_deactivate_partners(client, cast, who):
    client.force_login(getattr(cast, who))
    assert (
        client.post(
            reverse("people:partner-create"), {"code": "GD", "name_en": "GD", "kind": "federation"}
        ).status_code
        == 403
    )
    response = client.post(reverse("people:partner-active", args=[cast.zj.pk]), {"active": "no"})
    assert response.status_code == 403
    assert Membership.objects.filter(partner=cast.zj).count() == 3
    assert not Partner.objects.filter(code="GD").exists()


def test_programme_manager_invites_a_partner_manager_who_sets_a_password(client, cast):
    client.force_login(cast.programme)
    response = _invite(client, cast.sc, role=Role.PARTNER_MANAGER)
    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert not person.has_usable_password()
    assert Membership.objects.get(user=person).role == Role.PARTNER_MANAGER
    assert Membership.history.get(user_id=person.pk).history_user == cast.programme
    (message,) = mail.outbox
    assert message.to == ["new.person@example.org"]
    assert "Your invitation to the SCORE Portal (Sichuan Enterprise Federation)" in message.subject
    assert "四川省企业联合会" in message.subject
    assert 'gave you the role "Partner manager" at Sichuan' in message.body
    assert "合作单位负责人" in message.body
    assert "Your username is new.person@example.org." in message.body
    client.logout()
    link = _link(message)
    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a long new password 42", "new_password2": "a long new password 42"},
    )
    assert done.status_code == 302 and done["Location"] == reverse("login")
    person.refresh_from_db()
    assert person.check_password("a long new password 42")
    # The link works once.
    assert not client.get(link, follow=True).context["validlink"]


def test_invitation_links_expire(client, cast, settings, monkeypatch):
    settings.INVITATION_TIMEOUT = 3600
    client.force_login(cast.zj_manager)
    _invite(client, cast.zj)
    person = User.objects.get(email="new.person@example.org")
    token = _link(mail.outbox[0]).rstrip("/").split("/")[-1]
    assert invitation_token.check_token(person, token)
    later = datetime.datetime.now() + datetime.timedelta(hours=2)  # as the generator reads
    monkeypatch.setattr(invitation_token, "_now", lambda: later)
    assert not invitation_token.check_token(person, token)
    # A password-reset token is not an invitation, nor the reverse.
    from django.contrib.auth.tokens import default_token_generator

    assert not default_token_generator.check_token(person, token)


def test_partner_manager_invites_staff_and_trainers_only_at_their_partner(client, cast):
    client.force_login(cast.zj_manager)
    assert _invite(client, cast.zj, role=Role.TRAINER).status_code == 302
    assert Membership.objects.get(user__email="new.person@example.org").role == Role.TRAINER
    form = client.get(reverse("people:person-invite", args=[cast.zj.pk])).context["form"]
    assert [c for c, _label in form.fields["role"].choices] == [Role.PARTNER_STAFF, Role.TRAINER]
    assert (
        _invite(client, cast.zj, email="boss@example.org", role=Role.PARTNER_MANAGER).status_code
        == 400
    )
    assert _invite(client, cast.sc, email="sc@example.org").status_code == 404
    assert not User.objects.filter(email__in=["boss@example.org", "sc@example.org"]).exists()


@pytest.mark.parametrize("who", ["zj_staff", "zj_trainer"])
def test_staff_and_trainers_cannot_invite_anyone(client, cast, who):
    client.force_login(getattr(cast, who))
    assert _invite(client, cast.zj, role=Role.TRAINER).status_code == 403
    assert _invite(client, cast.sc, role=Role.TRAINER).status_code == 404
    assert not User.objects.filter(email="new.person@example.org").exists()
    assert mail.outbox == []


def test_inviting_an_existing_login_adds_the_role_without_a_password_link(client, cast):
    cast.sc_staff.email = "sc.staff@example.org"
    cast.sc_staff.save()
    client.force_login(cast.zj_manager)
    assert (
        _invite(client, cast.zj, email="SC.Staff@example.org", role=Role.TRAINER).status_code == 302
    )
    assert set(cast.sc_staff.memberships.values_list("partner__code", "role")) == {
        ("SC", Role.PARTNER_STAFF),
        ("ZJ", Role.TRAINER),
    }
    assert "/people/invitation/" not in mail.outbox[0].body


def test_partner_manager_changes_roles_and_deactivates_people_at_their_partner(client, cast):
    staff = Membership.objects.get(user=cast.zj_staff)
    client.force_login(cast.zj_manager)
    page = client.get(reverse("people:partner-people", args=[cast.zj.pk])).content.decode()
    assert "zj-staff" in page and "Never" in page
    assert (
        client.post(
            reverse("people:membership-role", args=[staff.pk]), {"role": Role.TRAINER}
        ).status_code
        == 302
    )
    staff.refresh_from_db()
    assert staff.role == Role.TRAINER
    client.post(reverse("people:membership-role", args=[staff.pk]), {"role": Role.PARTNER_MANAGER})
    staff.refresh_from_db()
    assert staff.role == Role.TRAINER
    assert client.post(reverse("people:person-deactivate", args=[staff.pk])).status_code == 302
    cast.zj_staff.refresh_from_db()
    assert not cast.zj_staff.is_active and not cast.zj_staff.memberships.exists()
    history = Membership.history.filter(user_id=cast.zj_staff.pk).order_by("history_date")
    assert [h.history_type for h in history] == ["+", "~", "-"]
    assert [h.history_user for h in history][1:] == [cast.zj_manager, cast.zj_manager]
    page = client.get(reverse("people:partner-people", args=[cast.zj.pk]))
    changes = [(e.history_type, e.history_user) for e in page.context["history"]]
    assert changes[:2] == [("-", cast.zj_manager), ("~", cast.zj_manager)]
    assert "Role changed" in page.content.decode() and "Ended" in page.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("zj_manager", 404), ("zj_staff", 404), ("zj_trainer", 404), ("norole", 403)],
)
def test_nobody_changes_another_partners_roles(client, cast, who, status):
    sc_staff = Membership.objects.get(user=cast.sc_staff)
    client.force_login(getattr(cast, who))
    assert (
        client.post(
            reverse("people:membership-role", args=[sc_staff.pk]), {"role": Role.TRAINER}
        ).status_code
        == status
    )
    assert (
        client.post(reverse("people:person-deactivate", args=[sc_staff.pk])).status_code == status
    )
    sc_staff.refresh_from_db()
    assert sc_staff.role == Role.PARTNER_STAFF and cast.sc_staff.is_active


@pytest.mark.parametrize("who", ["zj_staff", "zj_trainer"])
def test_staff_cannot_change_roles_at_their_own_partner(client, cast, who):
    manager = Membership.objects.get(user=cast.zj_manager)
    client.force_login(getattr(cast, who))
    for url in [
        reverse("people:membership-role", args=[manager.pk]),
        reverse("people:person-deactivate", args=[manager.pk]),
    ]:
        assert client.post(url, {"role": Role.TRAINER}).status_code == 403
    manager.refresh_from_db()
    assert manager.role == Role.PARTNER_MANAGER


def test_anonymous_posts_go_to_the_login_page(client, cast):
    staff = Membership.objects.get(user=cast.zj_staff)
    for url in [
        reverse("people:membership-role", args=[staff.pk]),
        reverse("people:person-deactivate", args=[staff.pk]),
        reverse("people:partner-active", args=[cast.zj.pk]),
    ]:
        response = client.post(url, {"role": Role.TRAINER, "active": "no"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    staff.refresh_from_db()
    assert staff.role == Role.PARTNER_STAFF


def test_partner_manager_cannot_touch_a_fellow_manager(client, cast):
    other = user_with_role("zj-manager-2", Role.PARTNER_MANAGER, cast.zj)
    client.force_login(cast.zj_manager)
    membership = other.memberships.get()
    assert client.post(reverse("people:person-deactivate", args=[membership.pk])).status_code == 403
    other.refresh_from_db()
    assert other.is_active and other.memberships.exists()


def test_people_menu_is_for_managers(client, cast):
    client.force_login(cast.zj_manager)
    assert reverse("people:partner-list") in client.get(reverse("home")).content.decode()
    client.force_login(cast.zj_staff)
    assert reverse("people:partner-list") not in client.get(reverse("home")).content.decode()


def test_people_page_in_chinese(client, cast):
    client.force_login(cast.zj_manager)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("people:partner-people", args=[cast.zj.pk])).content.decode()
    assert "邀请" in page and "最近登录" in page


def test_password_reset_by_email(client, cast):
    cast.zj_staff.email = "wang.fang@example.org"
    cast.zj_staff.save()
    login_page = client.get(reverse("login")).content.decode()
    assert reverse("password_reset") in login_page
    response = client.post(reverse("password_reset"), {"email": "wang.fang@example.org"})
    assert response.status_code == 302
    (message,) = mail.outbox
    assert message.subject == "Reset your SCORE Portal password"
    assert "Your username is zj-staff." in message.body
    page = client.get(_link(message), follow=True)
    assert page.context["validlink"]
    client.post(
        page.redirect_chain[-1][0],
        {"new_password1": "another long one 77", "new_password2": "another long one 77"},
    )
    cast.zj_staff.refresh_from_db()
    assert cast.zj_staff.check_password("another long one 77")
    # An unknown address gets the same answer and no e-mail.
    again = client.post(reverse("password_reset"), {"email": "nobody@example.org"})
    assert again.status_code == 302 and again["Location"] == response["Location"]
    assert len(mail.outbox) == 1


def test_people_page_runs_a_fixed_number_of_queries(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import UserFactory

    client.force_login(cast.zj_manager)
    url = reverse("people:partner-people", args=[cast.zj.pk])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for person in UserFactory.create_batch(15):
        Membership.objects.create(user=person, partner=cast.zj, role=Role.TRAINER)
    assert count() == small <= 12
