"""The access services: who may grant, change and end which role, where; history kept."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from score_portal.memberships import (
    membership_change_role,
    membership_grant,
    membership_revoke,
    person_deactivate,
)
from score_portal.models import Membership, Role
from tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def test_it_lets_the_programme_manager_grant_partner_managers_anywhere(cast):
    person = UserFactory()
    membership = membership_grant(
        acting_user=cast.programme, user=person, partner=cast.sc, role=Role.PARTNER_MANAGER
    )
    assert membership.history.get().history_user == cast.programme


def test_it_lets_a_partner_manager_grant_staff_and_trainers_at_their_partner(cast):
    person = UserFactory()
    membership = membership_grant(
        acting_user=cast.zj_manager, user=person, partner=cast.zj, role=Role.PARTNER_STAFF
    )
    membership_change_role(acting_user=cast.zj_manager, membership=membership, role=Role.TRAINER)
    membership.refresh_from_db()
    assert membership.role == Role.TRAINER
    membership_revoke(acting_user=cast.zj_manager, membership=membership)
    assert not Membership.objects.filter(user=person).exists()
    kinds = list(
        Membership.history.filter(user_id=person.pk)
        .order_by("history_date")
        .values_list("history_type", "history_user")
    )
    assert kinds == [
        ("+", cast.zj_manager.pk),
        ("~", cast.zj_manager.pk),
        ("-", cast.zj_manager.pk),
    ]


@pytest.mark.parametrize(
    ("who", "partner", "role"),
    [
        ("zj_manager", "sc", Role.PARTNER_STAFF),
        ("zj_manager", "zj", Role.PARTNER_MANAGER),
        ("zj_manager", None, Role.PROGRAMME_MANAGER),
        ("zj_staff", "zj", Role.PARTNER_STAFF),
        ("zj_staff", "zj", Role.TRAINER),
        ("zj_staff", "sc", Role.TRAINER),
        ("zj_trainer", "zj", Role.TRAINER),
        ("norole", "zj", Role.TRAINER),
    ],
)
def test_partial_roles_cannot_grant_beyond_their_reach(cast, who, partner, role):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        membership_grant(
            acting_user=getattr(cast, who),
            user=person,
            partner=getattr(cast, partner) if partner else None,
            role=role,
        )
    assert not Membership.objects.filter(user=person).exists()


def test_staff_grant_the_trainer_role_only_through_a_trainer_and_at_their_partner(cast):
    person = UserFactory()
    membership_grant(
        acting_user=cast.zj_staff, user=person, partner=cast.zj, role=Role.TRAINER, via_trainer=True
    )
    with pytest.raises(PermissionDenied):
        membership_grant(
            acting_user=cast.zj_staff,
            user=person,
            partner=cast.sc,
            role=Role.TRAINER,
            via_trainer=True,
        )


def test_partner_manager_cannot_change_or_end_roles_at_another_partner(cast):
    sc_person = user_with_role("sc-person", Role.PARTNER_STAFF, cast.sc)
    membership = sc_person.memberships.get()
    with pytest.raises(PermissionDenied):
        membership_change_role(
            acting_user=cast.zj_manager, membership=membership, role=Role.TRAINER
        )
    with pytest.raises(PermissionDenied):
        membership_revoke(acting_user=cast.zj_manager, membership=membership)
    with pytest.raises(PermissionDenied):
        person_deactivate(acting_user=cast.zj_manager, user=sc_person)
    assert sc_person.memberships.get().role == Role.PARTNER_STAFF


def test_partner_manager_cannot_promote_to_manager(cast):
    person = user_with_role("zj-person", Role.PARTNER_STAFF, cast.zj)
    with pytest.raises(PermissionDenied):
        membership_change_role(
            acting_user=cast.zj_manager,
            membership=person.memberships.get(),
            role=Role.PARTNER_MANAGER,
        )


def test_it_refuses_a_second_role_at_the_same_partner(cast):
    with pytest.raises(ValidationError):
        membership_grant(
            acting_user=cast.programme, user=cast.zj_staff, partner=cast.zj, role=Role.TRAINER
        )


def test_deactivating_a_person_ends_only_the_memberships_the_manager_manages(cast):
    person = user_with_role("two-partners", Role.PARTNER_STAFF, cast.zj)
    Membership.objects.create(user=person, partner=cast.sc, role=Role.TRAINER)
    assert person_deactivate(acting_user=cast.zj_manager, user=person) == 1
    person.refresh_from_db()
    assert person.is_active
    assert list(person.memberships.values_list("partner__code", flat=True)) == ["SC"]
    person_deactivate(acting_user=cast.programme, user=person)
    person.refresh_from_db()
    assert not person.is_active and not person.memberships.exists()
    ended = Membership.history.filter(user_id=person.pk, history_type="-")
    assert {h.history_user for h in ended} == {cast.zj_manager, cast.programme}


def test_nobody_deactivates_themselves(cast):
    with pytest.raises(PermissionDenied):
        person_deactivate(acting_user=cast.zj_manager, user=cast.zj_manager)


def test_the_admin_only_shows_memberships(client, cast):
    from django.urls import reverse

    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)
    membership = cast.zj_staff.memberships.get()
    assert client.get(reverse("admin:score_portal_membership_changelist")).status_code == 200
    assert client.get(reverse("admin:score_portal_membership_add")).status_code == 403
    client.post(
        reverse("admin:score_portal_membership_change", args=[membership.pk]),
        {"user": cast.zj_staff.pk, "partner": cast.sc.pk, "role": Role.PARTNER_STAFF},
    )
    membership.refresh_from_db()
    assert membership.partner == cast.zj
