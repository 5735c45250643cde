"""Staff merge a duplicate record from the enterprise page (issue 19: "staff can merge two
enterprise records, with history")."""

import pytest
from django.urls import reverse

from enterprises.models import Enrolment, Enterprise
from tests.factories import EnrolmentFactory, EnterpriseFactory, valid_uscc

pytestmark = pytest.mark.django_db


def _pair(partner):
    keep = EnterpriseFactory(partner=partner, name="湖州丝绸有限公司", credit_code="")
    duplicate = EnterpriseFactory(
        partner=partner, name="湖州丝绸", credit_code=valid_uscc("91330500MA2B3C4D5")
    )
    return keep, duplicate


def test_the_notice_offers_the_merge_and_the_page_merges(client, cast):
    keep, duplicate = _pair(cast.zj)
    enrolment = EnrolmentFactory(enterprise=duplicate)
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:detail", args=[keep.pk])).content.decode()
    merge_url = reverse("enterprises:merge", args=[keep.pk]) + f"?duplicate={duplicate.pk}"
    assert merge_url in page
    form = client.get(merge_url)
    assert form.status_code == 200
    assert form.context["form"]["duplicate"].value() == str(duplicate.pk)
    response = client.post(
        reverse("enterprises:merge", args=[keep.pk]),
        {"duplicate": duplicate.pk, "confirm": "on"},
    )
    assert response.status_code == 302
    assert not Enterprise.objects.filter(pk=duplicate.pk).exists()
    enrolment.refresh_from_db()
    assert enrolment.enterprise_id == keep.pk
    assert enrolment.history.first().history_user == cast.zj_staff
    keep.refresh_from_db()
    assert keep.credit_code == duplicate.credit_code  # the empty field filled from it


def test_without_confirmation_nothing_is_merged(client, cast):
    keep, duplicate = _pair(cast.zj)
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:merge", args=[keep.pk]), {"duplicate": duplicate.pk}
    )
    assert response.status_code == 400
    assert "confirm" in response.context["form"].errors
    assert Enterprise.objects.filter(pk=duplicate.pk).exists()


def test_another_partners_enterprise_cannot_be_merged_in(client, cast):
    keep, _duplicate = _pair(cast.zj)
    stranger = EnterpriseFactory(partner=cast.sc, name="湖州丝绸")
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:merge", args=[keep.pk]), {"duplicate": stranger.pk, "confirm": "on"}
    )
    assert response.status_code == 400
    assert "duplicate" in response.context["form"].errors
    assert Enterprise.objects.filter(pk=stranger.pk).exists()


def test_managers_and_trainers_may_not_merge(client, cast):
    keep, duplicate = _pair(cast.zj)
    for user, status in ((cast.zj_manager, 403), (cast.zj_trainer, 404)):
        client.force_login(user)
        url = reverse("enterprises:merge", args=[keep.pk])
        assert client.post(url, {"duplicate": duplicate.pk, "confirm": "on"}).status_code == status
    assert Enterprise.objects.filter(pk=duplicate.pk).exists()


def test_a_conflict_is_explained_in_chinese_and_changes_nothing(client, cast):
    keep, duplicate = _pair(cast.zj)
    for enterprise in (keep, duplicate):
        EnrolmentFactory(enterprise=enterprise)  # both open in M1: cannot be one
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:merge", args=[keep.pk]),
        {"duplicate": duplicate.pk, "confirm": "on"},
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert Enterprise.objects.filter(pk=duplicate.pk).exists()
    assert Enrolment.objects.filter(enterprise=duplicate).count() == 1
    text = response.content.decode()
    assert "合并" in text
