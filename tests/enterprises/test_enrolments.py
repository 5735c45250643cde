import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from catalogue.models import Module
from enterprises.models import Enrolment
from enterprises.services import enrolments as services
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def enterprise(cast):
    return EnterpriseFactory(partner=cast.zj)


def m(code):
    return Module.objects.get(code=code)


def test_staff_enrol_in_m1(cast, enterprise):
    enrolment = services.enrolment_create(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        module=m("M1"),
        paid_enterprise=Decimal("6000"),
        paid_ilo=Decimal("4000"),
    )
    assert enrolment.status == "applied"
    assert enrolment.fee_total == Decimal("10000")


def test_m1_comes_first(cast, enterprise):
    with pytest.raises(ValidationError, match="M1 comes first"):
        services.enrolment_create(acting_user=cast.zj_staff, enterprise=enterprise, module=m("M2"))


def test_after_m1_other_modules_are_open(cast, enterprise):
    services.enrolment_create(acting_user=cast.zj_staff, enterprise=enterprise, module=m("M1"))
    assert (
        services.enrolment_create(
            acting_user=cast.zj_staff, enterprise=enterprise, module=m("M5")
        ).module.code
        == "M5"
    )


def test_programme_manager_overrides_with_a_reason(cast, enterprise):
    with pytest.raises(ValidationError, match="reason"):
        services.enrolment_create(acting_user=cast.programme, enterprise=enterprise, module=m("M5"))
    enrolment = services.enrolment_create(
        acting_user=cast.programme,
        enterprise=enterprise,
        module=m("M5"),
        override_reason="Work-safety pilot pairs M1 with M5",
    )
    assert enrolment.entry_overridden_by == cast.programme


def test_programme_manager_does_not_otherwise_enrol(cast, enterprise):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(acting_user=cast.programme, enterprise=enterprise, module=m("M1"))


def test_no_second_open_enrolment_in_the_same_module(cast, enterprise):
    services.enrolment_create(acting_user=cast.zj_staff, enterprise=enterprise, module=m("M1"))
    with pytest.raises(ValidationError, match="already has an open enrolment"):
        services.enrolment_create(acting_user=cast.zj_staff, enterprise=enterprise, module=m("M1"))


def test_after_withdrawal_the_module_can_be_taken_again(cast, enterprise):
    first = services.enrolment_create(
        acting_user=cast.zj_staff, enterprise=enterprise, module=m("M1")
    )
    services.enrolment_transition(
        acting_user=cast.zj_staff, enrolment=first, status="withdrawn", reason="Factory moved"
    )
    assert services.enrolment_create(
        acting_user=cast.zj_staff, enterprise=enterprise, module=m("M1")
    ).is_open


def test_status_flow_moves_forward_and_sets_dates(cast, enterprise):
    enrolment = services.enrolment_create(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        module=m("M1"),
        applied_on=datetime.date(2026, 1, 5),
    )
    for status in ["enrolled", "in_training", "in_consulting", "completed"]:
        enrolment = services.enrolment_transition(
            acting_user=cast.zj_staff,
            enrolment=enrolment,
            status=status,
            on_date=datetime.date(2026, 2, 1),
        )
    assert enrolment.status == "completed"
    assert enrolment.enrolled_on == enrolment.completed_on == datetime.date(2026, 2, 1)
    assert enrolment.history.count() == 5


def test_status_cannot_go_back(cast, enterprise):
    enrolment = services.enrolment_create(
        acting_user=cast.zj_staff, enterprise=enterprise, module=m("M1"), status="in_training"
    )
    with pytest.raises(ValidationError, match="cannot become"):
        services.enrolment_transition(
            acting_user=cast.zj_staff, enrolment=enrolment, status="enrolled"
        )


def test_withdrawal_needs_a_reason(cast, enterprise):
    enrolment = services.enrolment_create(
        acting_user=cast.zj_staff, enterprise=enterprise, module=m("M1")
    )
    with pytest.raises(ValidationError, match="reason"):
        services.enrolment_transition(
            acting_user=cast.zj_staff, enrolment=enrolment, status="withdrawn", reason="  "
        )
    enrolment.refresh_from_db()
    assert enrolment.status == "applied"


def test_database_refuses_a_second_open_enrolment(cast, enterprise):
    from django.db import IntegrityError, transaction

    Enrolment.objects.create(
        enterprise=enterprise, module=m("M1"), applied_on=datetime.date(2026, 1, 1)
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.create(
            enterprise=enterprise, module=m("M1"), applied_on=datetime.date(2026, 1, 2)
        )


def test_other_partners_staff_cannot_enrol(cast, enterprise):
    with pytest.raises(PermissionDenied):
        services.enrolment_create(acting_user=cast.sc_staff, enterprise=enterprise, module=m("M1"))
