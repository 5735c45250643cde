import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from score_portal.access import Perm, access_for, get_for_user, partners_for, scope
from score_portal.models import Membership, Partner, Role
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_programme_manager_sees_every_partner(cast):
    assert set(partners_for(cast.programme)) == {cast.zj, cast.sc}


def test_partner_staff_sees_only_their_partner(cast):
    assert list(partners_for(cast.zj_staff)) == [cast.zj]
    assert list(partners_for(cast.sc_staff)) == [cast.sc]


def test_trainer_sees_the_partners_they_work_for(cast):
    assert list(partners_for(cast.zj_trainer)) == [cast.zj]


def test_user_without_role_sees_nothing(cast):
    assert list(partners_for(cast.norole)) == []
    assert not access_for(cast.norole).has_perm(Perm.VIEW)


def test_other_partners_object_is_not_found(cast):
    with pytest.raises(Http404):
        get_for_user(cast.zj_staff, Partner.objects.all(), pk=cast.sc.pk)


def test_missing_permission_in_scope_is_forbidden(cast):
    assert get_for_user(cast.zj_manager, Partner.objects.all(), pk=cast.zj.pk) == cast.zj
    with pytest.raises(PermissionDenied):
        get_for_user(cast.zj_manager, Partner.objects.all(), Perm.CHANGE, pk=cast.zj.pk)
    assert get_for_user(cast.zj_staff, Partner.objects.all(), Perm.CHANGE, pk=cast.zj.pk)


def test_programme_manager_reads_but_does_not_edit_partner_data(cast):
    access = access_for(cast.programme)
    assert access.has_perm(Perm.VIEW, cast.sc.pk)
    assert not access.has_perm(Perm.CHANGE, cast.sc.pk)
    assert access.has_perm(Perm.MANAGE_CATALOGUE)
    assert list(scope(cast.programme, Partner.objects.all(), Perm.CHANGE)) == []


def test_roles_are_read_in_one_query_and_cached(cast, django_assert_num_queries):
    user = type(cast.zj_staff).objects.get(pk=cast.zj_staff.pk)
    with django_assert_num_queries(1):
        access_for(user)
        access_for(user)


def test_a_person_can_work_for_two_partners(cast):
    Membership.objects.create(user=cast.zj_trainer, partner=cast.sc, role=Role.TRAINER)
    user = type(cast.zj_trainer).objects.get(pk=cast.zj_trainer.pk)
    assert set(partners_for(user)) == {cast.zj, cast.sc}


def test_programme_role_has_no_partner_and_partner_roles_need_one(cast):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=cast.norole, partner=cast.zj, role=Role.PROGRAMME_MANAGER)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(user=cast.norole, partner=None, role=Role.PARTNER_STAFF)


def test_user_with_role_helper(zj):
    user = user_with_role("helper", Role.PARTNER_MANAGER, zj)
    assert access_for(user).primary_role == Role.PARTNER_MANAGER
