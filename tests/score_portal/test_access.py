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


def _consultant(cast, partner):
    from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
    from trainers.models import Assignment

    trainer = TrainerFactory(user=cast.zj_trainer, partners=[partner])
    enterprise = EnterpriseFactory(partner=partner)
    for code in ("M1", "M2"):
        enrolment = EnrolmentFactory(enterprise=enterprise, module=_module_for(code))
        Assignment.objects.create(trainer=trainer, enrolment=enrolment)
    return trainer, enterprise


def _module_for(code):
    from catalogue.models import Module

    return Module.objects.get(code=code)


def test_it_lists_an_enterprise_once_for_a_trainer_assigned_to_two_of_its_enrolments(cast):
    from enterprises.models import EITMember, Enterprise

    _trainer, enterprise = _consultant(cast, cast.zj)
    EITMember.objects.create(enterprise=enterprise, name="Li Wei", role="leader")
    assert list(scope(cast.zj_trainer, Enterprise.objects.all())) == [enterprise]
    assert scope(cast.zj_trainer, EITMember.objects.all()).count() == 1


def test_trainer_cannot_see_assigned_work_at_a_partner_where_they_are_no_trainer(cast):
    from enterprises.models import Enrolment, Enterprise

    _trainer, enterprise = _consultant(cast, cast.sc)  # assigned at SC, a trainer only at ZJ
    assert not scope(cast.zj_trainer, Enterprise.objects.filter(pk=enterprise.pk)).exists()
    assert not scope(cast.zj_trainer, Enrolment.objects.filter(enterprise=enterprise)).exists()
    Membership.objects.create(user=cast.zj_trainer, partner=cast.sc, role=Role.TRAINER)
    cast.zj_trainer._score_access = None
    assert scope(cast.zj_trainer, Enrolment.objects.filter(enterprise=enterprise)).count() == 2
