"""Layout slips measured in a real browser (issue 20, items 6 and 7): the enrolment table's
"Status" and "Fee" links are whole on a desktop (they were clipped to "S"), and the
calendar's seven columns are equally wide whatever the workshop titles."""

import datetime
from decimal import Decimal

import pytest

from ..factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory
from .conftest import log_in_with_cookie

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

DESKTOP = {"width": 1280, "height": 900}


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_enrolment_links_are_not_clipped(page, live_server, cast, language):
    enterprise = EnterpriseFactory(partner=cast.zj, name="Hangzhou Precision Textiles")
    EnrolmentFactory(
        enterprise=enterprise,
        status="completed",
        completed_on=datetime.date(2026, 11, 21),
        paid_enterprise=Decimal("13066500"),
    )
    page.set_viewport_size(DESKTOP)
    log_in_with_cookie(page.context, live_server, cast.zj_staff, language)
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    box = page.locator("section[aria-labelledby=enrolments-heading] .table-responsive")
    overflow = box.evaluate("el => el.scrollWidth - el.clientWidth")
    assert overflow <= 0, f"the enrolment table overflows by {overflow}px"
    scroller = box.bounding_box()
    for link in page.locator(".enrolment-actions a").all():
        rect = link.bounding_box()
        assert rect["x"] >= scroller["x"] and rect["x"] + rect["width"] <= (
            scroller["x"] + scroller["width"]
        )


def test_calendar_columns_are_equal(page, live_server, cast):
    WorkshopFactory(
        partner=cast.zj,
        title="A very long workshop title that would widen its column " * 2,
        start_date=datetime.date(2026, 12, 9),
        end_date=datetime.date(2026, 12, 9),
    )
    page.set_viewport_size(DESKTOP)
    log_in_with_cookie(page.context, live_server, cast.zj_staff, "zh-hans")
    page.goto(f"{live_server.url}/workshops/calendar/?month=2026-12")
    assert page.locator("h1").inner_text().strip() == "2026年12月"
    widths = page.locator("table.calendar thead th").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().width)"
    )
    assert len(widths) == 7
    assert max(widths) - min(widths) <= 1, widths
