"""The portal's main journeys, end to end in the browser: partner staff take an enterprise
from registration through a workshop to consulting; a trainer records a visit and a KPI
reading on a phone; a partner manager gets a report built by a real Celery worker."""

import datetime
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils.translation import override
from playwright.sync_api import expect
from pypdf import PdfReader

from score_portal.formatting import format_date

from ..factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    certify,
    valid_uscc,
)
from ..workers import running_worker
from .test_journeys import log_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 375, "height": 812}


def log_out(page, live_server, user, *, collapsed=False):
    """Log out through the user menu (behind the navigation toggle on a small screen)."""
    if collapsed:
        open_navigation(page)
    page.get_by_role("button", name=user.get_full_name()).click()
    button = page.locator("form[action$='/accounts/logout/'] button")
    expect(button).to_be_visible()
    button.click()
    expect(page).to_have_url(f"{live_server.url}/accounts/login/")
    expect(page.locator("#id_username")).to_be_visible()


def open_navigation(page):
    """Open the collapsed navigation of a small screen and wait for it to finish opening."""
    page.locator(".navbar-toggler").click()
    expect(page.locator("#main-nav")).to_have_class(re.compile(r"(^|\s)show(\s|$)"))


def assert_fits_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def test_partner_staff_take_an_enterprise_from_registration_to_consulting(
    page, live_server, cast, csp_violations
):
    from catalogue.models import Module
    from enterprises.models import Enterprise
    from trainers.models import ConsultingVisit
    from workshops.models import Workshop

    m1 = Module.objects.get(code="M1")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.set_default_timeout(10_000)
    trainer = TrainerFactory(name="Li Wei", name_zh="李伟", partners=[cast.zj])
    certify(trainer, "M1")
    today = datetime.date.today()
    start = today - datetime.timedelta(days=3)

    log_in(page, live_server, cast.zj_staff.username)
    expect(page).to_have_url(f"{live_server.url}/")

    # Register the enterprise.
    page.get_by_role("link", name="Enterprises", exact=True).click()
    page.get_by_role("link", name="Register an enterprise").click()
    page.locator("#id_name").fill("Huzhou Silk Weaving Co., Ltd.")
    page.locator("#id_name_zh").fill("湖州丝绸织造有限公司")
    page.locator("#id_credit_code").fill(valid_uscc())
    page.locator("#id_sector").select_option("C13")
    page.locator("#id_province").select_option("Zhejiang")
    page.locator("#id_city").fill("Huzhou")
    page.locator("#id_employees_total").fill("150")
    page.locator("#id_employees_women").fill("80")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Huzhou Silk Weaving Co., Ltd.")
    enterprise = Enterprise.objects.get(name="Huzhou Silk Weaving Co., Ltd.")
    assert enterprise.partner == cast.zj and enterprise.credit_code == valid_uscc()

    # Enrol it in M1 with its fees.
    page.get_by_role("link", name="Enrol in a module").click()
    page.locator("#id_module").select_option(str(m1.pk))
    page.locator("#id_status").select_option("enrolled")
    page.locator("#id_applied_on").fill((today - datetime.timedelta(days=30)).isoformat())
    page.locator("#id_paid_enterprise").fill("6000")
    page.locator("#id_paid_ilo").fill("2000")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Enrolment saved.")
    enrolments = page.locator("section[aria-labelledby=enrolments-heading]")
    expect(enrolments.get_by_role("row").filter(has_text="M1")).to_contain_text("Enrolled")

    # Two EIT members: the team leader and the secretary.
    for name, role, level, sex in [
        ("Wang Fang", "leader", "manager", "F"),
        ("Zhao Min", "secretary", "worker", "M"),
    ]:
        page.get_by_role("link", name="Add member").click()
        page.locator("#id_name").fill(name)
        page.locator("#id_role").select_option(role)
        page.locator("#id_level").select_option(level)
        page.locator("#id_sex").select_option(sex)
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_role("cell", name=name, exact=True)).to_be_visible()
    eit = page.locator("section[aria-labelledby=eit-heading]")
    expect(eit).to_contain_text("2 active members: 1 woman, 1 worker.")
    expect(eit).not_to_contain_text("No team leader yet.")
    expect(eit).not_to_contain_text("No secretary yet.")

    # Schedule an M1 workshop.
    page.get_by_role("link", name="Workshops", exact=True).click()
    page.get_by_role("link", name="Schedule a workshop").click()
    page.locator("#id_module").select_option(str(m1.pk))
    page.locator("#id_title").fill("M1 Huzhou spring class")
    page.locator("#id_start_date").fill(start.isoformat())
    page.locator("#id_end_date").fill((start + datetime.timedelta(days=1)).isoformat())
    page.locator("#id_city").fill("Huzhou")
    page.locator("#id_capacity").fill("30")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("M1 Huzhou spring class")
    workshop = Workshop.objects.get(title="M1 Huzhou spring class")

    # Choose the certified trainer.
    page.get_by_role("link", name="Choose trainers").click()
    page.get_by_label("Li Wei — Certified").check()
    page.locator("#id_lead").select_option(str(trainer.pk))
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("status")).to_contain_text("Trainers saved.")
    expect(page.locator("section[aria-labelledby=workshop-trainers-heading]")).to_contain_text(
        "Li Wei"
    )

    # Invite the enterprise and add its delegation (two people).
    page.get_by_role("link", name="Invite enterprises").click()
    page.get_by_label("Huzhou Silk Weaving Co., Ltd. (Enrolled)").check()
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_role("status")).to_contain_text("Enterprises invited.")
    page.get_by_role("link", name="Add participants").click()
    for index, (name, sex, level, position) in enumerate(
        [
            ("Wang Fang", "F", "manager", "Production manager"),
            ("Chen Jie", "M", "worker", "Line operator"),
        ]
    ):
        page.locator(f"#id_name_{index}").fill(name)
        page.locator(f"#id_sex_{index}").select_option(sex)
        page.locator(f"#id_level_{index}").select_option(level)
        page.locator(f"#id_position_{index}").fill(position)
    page.get_by_role("button", name="Add participants").click()
    expect(page.get_by_role("status")).to_contain_text("Participants added.")
    expect(page.get_by_role("cell", name="Chen Jie", exact=True)).to_be_visible()

    # Attendance: "Everyone present" on each of the two days, then save.
    page.get_by_role("link", name="Record attendance").click()
    expect(page.locator(".attendance-grid select")).to_have_count(4)
    everyone = page.get_by_role("button", name=re.compile(r"^Everyone present"))
    expect(everyone).to_have_count(2)
    everyone.nth(0).click()
    expect(page.get_by_role("status")).to_contain_text("Attendance saved (2 changes).")
    page.get_by_role("button", name=re.compile(r"^Everyone present")).nth(1).click()
    expect(page.get_by_role("status")).to_contain_text("Attendance saved (2 changes).")
    page.get_by_role("button", name="Save attendance").click()
    expect(page.get_by_role("status")).to_contain_text("Attendance saved (0 changes).")

    # Complete the workshop.
    page.get_by_role("link", name="Complete the workshop").click()
    expect(page.get_by_role("main")).to_contain_text("1 enterprise attended.")
    page.get_by_role("button", name="Complete the workshop").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Workshop completed. Enterprises moving to consulting: 1. Visits planned: 4."
    )
    expect(page.locator("h1 ~ .badge")).to_have_text("Held")
    expect(page.get_by_role("main")).to_contain_text("attended")

    # The enterprise moved to consulting, with its visits planned for the lead trainer.
    page.goto(f"{live_server.url}/enterprises/{enterprise.pk}/")
    expect(enrolments.get_by_role("row").filter(has_text="M1")).to_contain_text("In consulting")
    consultants = page.locator("section[aria-labelledby=consultants-heading]")
    expect(consultants).to_contain_text("0 visits recorded, 4 planned")
    expect(consultants.get_by_role("link", name="Li Wei")).to_be_visible()
    visits = ConsultingVisit.objects.filter(enrolment__enterprise=enterprise)
    assert visits.count() == 4
    assert set(visits.values_list("trainer", "status").distinct()) == {(trainer.pk, "planned")}
    assert min(visits.values_list("planned_date", flat=True)) > workshop.end_date
    assert not csp_violations

    log_out(page, live_server, cast.zj_staff)


def test_trainer_records_a_visit_and_a_kpi_reading_on_a_phone(
    page, live_server, cast, csp_violations
):
    from enterprises.models import KPIReading
    from trainers.models import ConsultingVisit, VisitAction
    from trainers.services.assignments import assignment_add
    from trainers.services.visits import plan_visits

    today = datetime.date.today()
    trainer = TrainerFactory(user=cast.zj_trainer, name="Zhou Lan", partners=[cast.zj])
    certify(trainer, "M1")
    enterprise = EnterpriseFactory(
        partner=cast.zj, name="Anji Bamboo Products Co., Ltd.", name_zh="安吉竹制品有限公司"
    )
    enrolment = EnrolmentFactory(enterprise=enterprise, status="in_consulting")
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
    first_offset = enrolment.module.visit_plan()[0]
    # The first visit was due three days ago: it is overdue.
    plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=today - datetime.timedelta(days=first_offset + 3),
        default_trainer=trainer,
    )
    overdue = ConsultingVisit.objects.get(enrolment=enrolment, number=1)

    page.set_viewport_size(PHONE)
    page.set_default_timeout(10_000)
    log_in(page, live_server, cast.zj_trainer.username)
    visits_panel = page.locator("section[aria-labelledby=visits-heading]")
    expect(visits_panel.get_by_role("heading", name="Overdue")).to_be_visible()
    overdue_item = visits_panel.locator("li.overdue")
    expect(overdue_item).to_contain_text("Anji Bamboo Products Co., Ltd.")
    with override("en"):
        planned = format_date(overdue.planned_date)
    expect(overdue_item).to_contain_text(f"planned {planned}")
    assert_fits_phone(page)

    # Open actions and missing KPI data are folded below today's and this week's visits.
    page.locator("details.home-more > summary", has_text="KPI data missing").click()
    kpi_missing = page.locator("li", has=page.get_by_role("link", name="Anji Bamboo"))
    expect(kpi_missing.filter(has_text="no baseline")).to_be_visible()

    # My schedule (behind the navigation toggle on a phone): every planned visit, one overdue.
    open_navigation(page)
    page.get_by_role("link", name="My schedule").click()
    schedule = page.locator("section[aria-labelledby=visits-heading] li")
    expect(schedule).to_have_count(len(enrolment.module.visit_plan()))
    expect(schedule.first).to_contain_text("Overdue")
    expect(schedule.first).to_contain_text("M1, visit 1")
    expect(page.get_by_role("main")).to_contain_text("1 overdue visit")
    assert_fits_phone(page)
    schedule.first.get_by_role("link", name="Anji Bamboo Products Co., Ltd.").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anji Bamboo Products Co., Ltd.")
    assert_fits_phone(page)

    page.get_by_role("link", name="SCORE Portal").click()
    overdue_item.get_by_role("link", name="Record").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Visit 1 to Anji Bamboo")
    assert_fits_phone(page)
    visit_day = today - datetime.timedelta(days=1)
    page.locator("#id_visit_date").fill(visit_day.isoformat())
    page.locator("#id_topics").fill("Workplace cooperation: EIT meeting routine")
    page.locator("#id_findings").fill("The EIT meets monthly; minutes are not kept.")
    page.locator("#id_action_0").fill("Keep minutes of every EIT meeting")
    page.locator("#id_owner_0").fill("EIT secretary")
    due = today + datetime.timedelta(days=10)
    page.locator("#id_due_0").fill(due.isoformat())
    page.get_by_role("button", name="Save the visit").click()
    expect(page.get_by_role("status")).to_contain_text("Visit saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Consulting visit 1")
    expect(page.get_by_role("main")).to_contain_text("Keep minutes of every EIT meeting")
    assert_fits_phone(page)
    overdue.refresh_from_db()
    assert (overdue.status, overdue.visit_date) == ("recorded", visit_day)
    action = VisitAction.objects.get(visit=overdue)
    assert (action.owner, action.due_date) == ("EIT secretary", due)

    page.get_by_role("link", name="Record KPI readings").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Record a KPI reading")
    assert_fits_phone(page)
    page.locator("#id_kpi").select_option(label="Defect rate (%)")
    page.locator("#id_kind").select_option("baseline")
    expect(page.locator("#id_source")).to_have_value("visit")
    page.locator("#id_period_start").fill("2026-01-01")
    page.locator("#id_period_end").fill("2026-01-31")
    page.locator("#id_value").fill("4.2")
    page.get_by_role("button", name="Save reading").click()
    expect(page.get_by_role("status")).to_contain_text("Reading saved.")
    expect(page.get_by_role("main")).to_contain_text("Defect rate")
    expect(page.get_by_role("main")).to_contain_text("4.2")
    assert_fits_phone(page)
    page.get_by_role("link", name="SCORE Portal").click()
    expect(page.locator("section[aria-labelledby=visits-heading]")).not_to_contain_text("Overdue")
    expect(kpi_missing.filter(has_text="no baseline")).to_have_count(0)
    reading = KPIReading.objects.get(enterprise=enterprise)
    assert (reading.kpi.code, reading.kind, reading.source, reading.value) == (
        "defect_rate",
        "baseline",
        "visit",
        Decimal("4.2"),
    )
    assert not csp_violations

    log_out(page, live_server, cast.zj_trainer, collapsed=True)


@pytest.mark.services
def test_partner_manager_gets_a_report_built_by_a_real_worker(
    page,
    live_server,
    cast,
    celery_broker,
    settings,
    tmp_path,
):
    if django_settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the worker shares the test database")
    for index, (name, name_zh) in enumerate(
        [
            ("Huzhou Silk", "湖州丝绸有限公司"),
            ("Ningbo Moulds", "宁波模具有限公司"),
            ("Jiaxing Leather", "嘉兴皮革有限公司"),
        ]
    ):
        enterprise = EnterpriseFactory(
            partner=cast.zj, name=name, name_zh=name_zh, employees_total=100 + index
        )
        # Fees: 3 × 3000 paid by the enterprises, 3 × 1000 by the ILO: 75% recovered.
        EnrolmentFactory(
            enterprise=enterprise, paid_enterprise=Decimal(3000), paid_ilo=Decimal(1000)
        )
    EnterpriseFactory(partner=cast.sc, name="Chengdu Foods", name_zh="成都食品有限公司")

    media = tmp_path / "media"
    settings.MEDIA_ROOT = media
    log = tmp_path / "worker.log"
    log_in(page, live_server, cast.zj_manager.username)
    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.get_by_role("link", name="报告", exact=True).click()
    page.get_by_role("link", name="申请报告").click()
    expect(page.locator("#id_language")).to_have_value("zh-hans")
    page.locator("#id_kind").select_option("partner")
    page.locator("#id_partner").select_option(str(cast.zj.pk))
    page.get_by_role("button", name="申请生成报告").click()

    # No worker yet: the run waits in the queue, with its progress bar.
    row = page.locator("#report-runs tbody tr").first
    expect(row).to_contain_text("合作单位进展报告")
    expect(row.locator("progress")).to_be_visible()
    expect(row.locator(".report-status")).to_contain_text("排队中 · 0%")
    page.evaluate("window.stillTheSamePage = true")  # htmx updates the row, no reload

    with running_worker(
        broker_url=celery_broker, media_root=media, var_dir=tmp_path / "var", log=log
    ):
        try:
            expect(row.get_by_role("link", name="PDF")).to_be_visible(timeout=90_000)
        except AssertionError:
            raise AssertionError(f"worker log:\n{log.read_text()[-3000:]}") from None
    expect(row.locator(".report-status")).to_contain_text("已完成")
    expect(row.locator("progress")).to_have_count(0)
    assert page.evaluate("window.stillTheSamePage") is True

    with page.expect_download() as download_info:
        row.get_by_role("link", name="PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    data = Path(download.path()).read_bytes()
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    assert "浙江省企业联合会" in text
    assert "合作单位进展报告" in text
    assert "75%" in text  # cost recovery, 9000 of 12000 (the register rounds it to a whole percent)
    assert "湖州丝绸有限公司" in text and "成都食品有限公司" not in text

    log_out(page, live_server, cast.zj_manager)
