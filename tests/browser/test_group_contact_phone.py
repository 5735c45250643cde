"""The group contact on a phone (issue 16): the SCORE secretary of a provincial group opens
/my/ at 375 × 812, sees every enterprise of the group, opens one, switches to another from
the top of a page, and every page fits the screen, in English and Chinese."""

import pytest
from django.urls import reverse

from enterprises.models import EnterpriseGroup
from score_portal.models import Membership, Role
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, UserFactory
from trainers.models import ConsultingVisit

from .conftest import log_in_with_cookie

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 375, "height": 812}
LONG = "Zhejiang Provincial Transport Investment Group Ningbo Zhoushan Port Logistics Co., Ltd."


@pytest.fixture
def group_world(cast):
    group = EnterpriseGroup.objects.create(
        partner=cast.zj,
        name="Zhejiang Provincial Transport Investment Group",
        name_zh="浙江省交通投资集团",
    )
    port = EnterpriseFactory(
        partner=cast.zj, name=LONG, name_zh="浙江省交通投资集团宁波舟山港物流有限公司", group=group
    )
    road = EnterpriseFactory(partner=cast.zj, name="Hangzhou Road Maintenance Co.", group=group)
    for enterprise, action in ((port, "Repaint the quay lines"), (road, "Label the tool store")):
        visit = ConsultingVisit.objects.create(
            enrolment=EnrolmentFactory(enterprise=enterprise),
            trainer=TrainerFactory(partners=[cast.zj]),
            number=1,
            planned_date="2099-07-01",
        )
        visit.actions.create(description=action)
    user = UserFactory(username="group-secretary")
    Membership.objects.create(user=user, partner=cast.zj, role=Role.ENTERPRISE_CONTACT, group=group)
    return {"group": group, "port": port, "road": road, "user": user}


def test_the_group_secretary_moves_between_the_groups_enterprises(page, live_server, group_world):
    page.set_viewport_size(PHONE)
    log_in_with_cookie(page.context, live_server, group_world["user"], "en")
    page.goto(f"{live_server.url}{reverse('contacts:home')}")
    overview = page.get_by_role("list", name="Enterprises of your group")
    assert (
        LONG in overview.inner_text() and "Hangzhou Road Maintenance Co." in overview.inner_text()
    )
    # the first by name is shown; open the other one from the overview
    overview.get_by_role("button", name="Open").click()
    page.wait_for_url(f"{live_server.url}{reverse('contacts:home')}")
    page.goto(f"{live_server.url}{reverse('contacts:actions')}")
    assert "Repaint the quay lines" in page.content()
    assert "Label the tool store" not in page.content()
    # and back with the switcher at the top of the page
    page.select_option("#contact-enterprise", value=str(group_world["road"].pk))
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(f"{live_server.url}{reverse('contacts:actions')}")
    assert "Label the tool store" in page.content()
    assert "Repaint the quay lines" not in page.content()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_every_page_of_a_group_contact_fits_375_px(page, live_server, group_world, language):
    page.set_viewport_size(PHONE)
    log_in_with_cookie(page.context, live_server, group_world["user"], language)
    too_wide = {}
    for name in (
        "contacts:home",
        "contacts:actions",
        "contacts:kpis",
        "contacts:assessments",
        "contacts:reading-submit",
        "contacts:projects",
        "contacts:certificates",
        "contacts:reports",
    ):
        url = reverse(name)
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 200, url
        width = page.evaluate("document.scrollingElement.scrollWidth")
        if width > PHONE["width"]:
            too_wide[url] = width
    assert not too_wide
