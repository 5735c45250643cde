"""The workshop pages in Chinese (issue 20, item 7): the calendar's month reads "2026年12月"
(not "十二月 2026") over seven equal columns, and a participant's name is headed 姓名."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def _get(client, user, url, language):
    client.force_login(user)
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize(("language", "heading"), [("en", "Dec 2026"), ("zh-hans", "2026年12月")])
def test_calendar_heading_names_the_month_in_the_language(client, cast, language, heading):
    html = _get(client, cast.zj_staff, reverse("workshops:calendar") + "?month=2026-12", language)
    h1 = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S).group(1).strip()
    assert h1 == heading
    assert "十二月" not in html


def test_calendar_columns_have_equal_widths():
    css = (Path(settings.BASE_DIR) / "static" / "css" / "portal.css").read_text()
    assert re.search(r"\.calendar\s*\{[^}]*table-layout:\s*fixed", css)
    assert re.search(r"\.calendar th, \.calendar td\s*\{[^}]*width:\s*calc\(100% / 7\)", css)


def test_participants_are_headed_by_name_and_dates_are_localised(client, cast):
    workshop = WorkshopFactory(
        partner=cast.zj,
        start_date=datetime.date(2026, 11, 21),
        end_date=datetime.date(2026, 11, 22),
    )
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    workshop.invitations.add(enrolment)
    workshop.participants.create(enrolment=enrolment, name="王芳", sex="F", level="manager")
    url = reverse("workshops:detail", args=[workshop.pk])
    chinese = _get(client, cast.zj_staff, url, "zh-hans")
    assert '<th scope="col">姓名</th>' in chinese
    assert "2026年11月21日" in chinese and "2026-11-21" not in chinese
    assert "女性 1 人，男性 0 人" in chinese
    english = _get(client, cast.zj_staff, url, "en")
    assert '<th scope="col">Name</th>' in english
    assert "21 Nov 2026" in english
    assert "1 woman, 0 men" in english and "1 manager, 0 workers" in english
