"""The checklist pages: every role reads, only programme managers edit, and an edit through
the page makes a new version that the answered assessments do not follow."""

import pytest
from django.urls import reverse

from catalogue.models import ChecklistVersion, Module

pytestmark = pytest.mark.django_db


def _m1():
    return Module.objects.get(code="M1")


def test_checklist_pages_show_both_languages_and_versions(client, cast):
    client.force_login(cast.zj_trainer)
    listing = client.get(reverse("catalogue:checklist-list")).content.decode()
    assert reverse("catalogue:checklist-detail", args=[_m1().pk]) in listing
    page = client.get(reverse("catalogue:checklist-detail", args=[_m1().pk])).content.decode()
    assert "The EIT meets at least once a month" in page
    assert "企业改善团队每月至少召开一次会议" in page
    assert "Reword" not in page  # trainers read only


def test_programme_manager_rewords_a_practice_through_the_page(client, cast):
    v1 = ChecklistVersion.objects.get(module=_m1(), number=1)
    item = v1.items.get(key="m1-notice-board")
    client.force_login(cast.programme)
    url = reverse("catalogue:checklist-item-edit", args=[_m1().pk, item.pk])
    response = client.post(
        url,
        {
            "theme_en": item.theme_en,
            "theme_zh": item.theme_zh,
            "name_en": "A notice board or group chat shares results with all workers",
            "name_zh": item.name_zh,
            "order": item.order,
        },
    )
    assert response.status_code == 302
    v2 = ChecklistVersion.objects.get(module=_m1(), number=2)
    assert v2.change == "changed" and v2.created_by == cast.programme
    assert v2.items.get(key="m1-notice-board").name_en.startswith("A notice board or group")
    assert v1.items.get(key="m1-notice-board").name_en == item.name_en
    detail = client.get(reverse("catalogue:checklist-detail", args=[_m1().pk])).content.decode()
    assert "Practice reworded" in detail
    # the old version's items are no longer editable
    assert client.get(url).status_code == 404
    old = client.get(reverse("catalogue:checklist-detail", args=[_m1().pk]) + "?version=1")
    assert "An earlier version" in old.content.decode()
    bad = client.get(reverse("catalogue:checklist-detail", args=[_m1().pk]) + "?version=x")
    assert bad.status_code == 200


@pytest.mark.parametrize("role", ["zj_staff", "zj_manager", "zj_trainer"])
def test_other_roles_cannot_edit_checklists(client, cast, role):
    item = ChecklistVersion.objects.get(module=_m1(), number=1).items.first()
    client.force_login(getattr(cast, role))
    edit = reverse("catalogue:checklist-item-edit", args=[_m1().pk, item.pk])
    remove = reverse("catalogue:checklist-item-remove", args=[_m1().pk, item.pk])
    assert client.post(edit, {"name_en": "x"}).status_code == 403
    assert client.post(remove).status_code == 403
    assert ChecklistVersion.objects.filter(module=_m1()).count() == 1
