import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises import services
from enterprises.models import Enterprise, SuggestionCount
from enterprises.validators import uscc_check_character, validate_uscc
from score_portal.services import StaleEditError
from tests.factories import EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["91350100M000100Y43", "91350100m000100y43 "])
def test_real_world_credit_codes_validate(code):
    validate_uscc(code)


def test_check_character_is_computed_from_the_first_17():
    assert uscc_check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    "code, message",
    [
        ("91350100M000100Y44", "check character"),
        ("91350100M000100Y4", "18 characters"),
        ("91350100M000I00Y43", "not allowed"),
        ("9135A100M000100Y43", "region code"),
    ],
)
def test_bad_credit_codes_are_refused_with_a_reason(code, message):
    with pytest.raises(ValidationError, match=message):
        validate_uscc(code)


def test_staff_create_an_enterprise_of_their_partner(cast):
    enterprise = services.enterprise_create(
        acting_user=cast.zj_staff,
        partner=cast.zj,
        name="Huzhou Textile Co.",
        credit_code=valid_uscc(),
        employees_total=200,
        employees_women=90,
    )
    assert enterprise.partner == cast.zj
    assert enterprise.history.first().history_user == cast.zj_staff


@pytest.mark.parametrize("who", ["zj_manager", "zj_trainer", "sc_staff", "programme"])
def test_others_cannot_create_enterprises_for_zhejiang(cast, who):
    with pytest.raises(PermissionDenied):
        services.enterprise_create(acting_user=getattr(cast, who), partner=cast.zj, name="X")


def test_credit_code_is_unique_within_the_programme(cast):
    services.enterprise_create(
        acting_user=cast.zj_staff, partner=cast.zj, name="A", credit_code=valid_uscc()
    )
    with pytest.raises(ValidationError, match="credit"):
        services.enterprise_create(
            acting_user=cast.sc_staff, partner=cast.sc, name="B", credit_code=valid_uscc().lower()
        )


def test_credit_code_is_optional(cast):
    for name in ("A", "B"):
        services.enterprise_create(acting_user=cast.zj_staff, partner=cast.zj, name=name)
    assert Enterprise.objects.filter(credit_code="").count() == 2


def test_women_cannot_exceed_employees(cast):
    with pytest.raises(ValidationError):
        services.enterprise_create(
            acting_user=cast.zj_staff,
            partner=cast.zj,
            name="A",
            employees_total=10,
            employees_women=11,
        )


def test_second_save_with_an_old_version_is_refused(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    opened = enterprise.version
    services.enterprise_update(
        acting_user=cast.zj_staff, enterprise=enterprise, version=opened, city="Ningbo"
    )
    with pytest.raises(StaleEditError):
        services.enterprise_update(
            acting_user=cast.zj_staff, enterprise=enterprise, version=opened, city="Wenzhou"
        )
    enterprise.refresh_from_db()
    assert enterprise.city == "Ningbo" and enterprise.version == opened + 1


def test_partner_manager_cannot_change(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    with pytest.raises(PermissionDenied):
        services.enterprise_update(acting_user=cast.zj_manager, enterprise=enterprise, city="X")


def test_bulk_status_change_writes_history_for_each(cast):
    EnterpriseFactory.create_batch(3, partner=cast.zj, status="prospect")
    changed = services.enterprise_set_status(
        acting_user=cast.zj_staff, enterprises=Enterprise.objects.all(), status="withdrawn"
    )
    assert changed == 3
    assert Enterprise.history.filter(status="withdrawn").count() == 3


def test_eit_member_and_project_and_suggestions(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    member = services.eit_member_save(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        name="Wu Hong",
        role="leader",
        level="manager",
        sex="F",
    )
    assert enterprise.eit_members.get() == member
    with pytest.raises(ValidationError):
        services.eit_member_save(
            acting_user=cast.zj_staff,
            enterprise=enterprise,
            name="X",
            level="worker",
            sex="M",
            active_from=datetime.date(2026, 5, 1),
            active_to=datetime.date(2026, 4, 1),
        )
    services.suggestions_record(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        month=datetime.date(2026, 4, 17),
        made=30,
        implemented=12,
    )
    services.suggestions_record(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        month=datetime.date(2026, 4, 3),
        made=31,
        implemented=12,
    )
    row = SuggestionCount.objects.get()
    assert (row.month, row.made) == (datetime.date(2026, 4, 1), 31)
    with pytest.raises(ValidationError):
        services.suggestions_record(
            acting_user=cast.zj_staff,
            enterprise=enterprise,
            month=datetime.date(2026, 5, 1),
            made=3,
            implemented=4,
        )
