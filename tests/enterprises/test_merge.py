import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from enterprises.models import Enrolment, Enterprise, SuggestionCount
from enterprises.services import enterprise_merge
from tests.factories import EnrolmentFactory, EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _pair(cast):
    keep = EnterpriseFactory(partner=cast.zj, name="湖州丝绸有限公司", credit_code="", city="")
    duplicate = EnterpriseFactory(
        partner=cast.zj,
        name="湖州丝绸",
        credit_code=valid_uscc("91330500MA2B3C4D5"),
        city="Huzhou",
    )
    return keep, duplicate


def test_a_merge_moves_everything_and_keeps_history(cast):
    keep, duplicate = _pair(cast)
    enrolment = EnrolmentFactory(enterprise=duplicate)
    member = duplicate.eit_members.create(name="Wu", level="worker", sex="F")
    SuggestionCount.objects.create(
        enterprise=duplicate, month=datetime.date(2026, 3, 1), made=5, implemented=2
    )
    merged = enterprise_merge(acting_user=cast.zj_staff, keep=keep, duplicate=duplicate)
    assert not Enterprise.objects.filter(pk=duplicate.pk).exists()
    enrolment.refresh_from_db()
    member.refresh_from_db()
    assert enrolment.enterprise_id == member.enterprise_id == keep.pk
    assert SuggestionCount.objects.get().enterprise_id == keep.pk
    assert merged.credit_code == duplicate.credit_code and merged.city == "Huzhou"
    assert "湖州丝绸" in merged.notes
    assert enrolment.history.first().history_user == cast.zj_staff
    assert Enterprise.history.filter(id=duplicate.pk, history_type="-").exists()


def test_a_conflict_stops_the_merge_and_changes_nothing(cast):
    keep, duplicate = _pair(cast)
    for enterprise in (keep, duplicate):
        SuggestionCount.objects.create(
            enterprise=enterprise, month=datetime.date(2026, 3, 1), made=5, implemented=2
        )
    EnrolmentFactory(enterprise=duplicate)
    with pytest.raises(ValidationError, match="resolve them first"):
        enterprise_merge(acting_user=cast.zj_staff, keep=keep, duplicate=duplicate)
    assert Enterprise.objects.filter(pk=duplicate.pk).exists()
    assert Enrolment.objects.get().enterprise_id == duplicate.pk


def test_only_the_partners_staff_merge_and_only_within_a_partner(cast):
    keep, duplicate = _pair(cast)
    with pytest.raises(PermissionDenied):
        enterprise_merge(acting_user=cast.sc_staff, keep=keep, duplicate=duplicate)
    other = EnterpriseFactory(partner=cast.sc)
    with pytest.raises((PermissionDenied, ValidationError)):
        enterprise_merge(acting_user=cast.zj_staff, keep=keep, duplicate=other)
    with pytest.raises(ValidationError):
        enterprise_merge(acting_user=cast.zj_staff, keep=keep, duplicate=keep)


def test_the_enterprise_page_shows_likely_duplicates_to_staff(cast, client):
    from django.urls import reverse

    keep, duplicate = _pair(cast)
    url = reverse("enterprises:detail", args=[keep.pk])
    client.force_login(cast.zj_staff)
    page = client.get(url).content.decode()
    assert reverse("enterprises:detail", args=[duplicate.pk]) in page and "similar name" in page
    client.force_login(cast.zj_manager)  # no right to change (or merge): no hint
    assert "similar name" not in client.get(url).content.decode()
