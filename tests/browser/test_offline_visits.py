"""The must-show of issue 15, on a 375x812 phone in Chromium: visits recorded offline (with
KPI readings and a photo) survive a reload, are sent once each when the network returns,
replaying the queue changes nothing, a visit cancelled meanwhile lands in the review list,
and the queue survives a new service worker."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from enterprises.services.kpi import kpi_reading_record
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from trainers.models import ConsultingVisit, SyncConflict, SyncRecord, VisitFile
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits, visit_cancel

from .conftest import log_in_with_cookie

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
PHONE = {"width": 375, "height": 812}
TODAY = datetime.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
APP = "/trainers/offline/"
CONTROLLED = """() => new Promise((resolve) => {
  const check = () => navigator.serviceWorker.controller ? resolve(true) : setTimeout(check, 100);
  navigator.serviceWorker.ready.then(check);
})"""


@pytest.fixture
def two_enrolments(cast):
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    enrolments = []
    for name in ("Alpha Textiles", "Beta Castings"):
        enrolment = EnrolmentFactory(
            enterprise=EnterpriseFactory(partner=cast.zj, name=name), status="in_consulting"
        )
        assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
        plan_visits(
            acting_user=cast.zj_staff,
            enrolment=enrolment,
            after=TODAY - datetime.timedelta(days=20),
            default_trainer=trainer,
        )
        enrolments.append(enrolment)
    return enrolments


def _open_app(page, live_server):
    page.goto(f"{live_server.url}{APP}")
    page.wait_for_selector("#offline-app[data-ready='1']")
    page.evaluate(CONTROLLED)


def _record(page, visit, topics, kpi=None, value=None, kind=None, photo=None):
    page.select_option("#offline-visit", f"v:{visit.pk}")
    page.fill("[name=topics]", topics)
    if photo:  # a photo of the visit, and the same as the reading's evidence
        page.set_input_files(
            "[name=photos]", files=[{"name": "floor.png", "mimeType": "image/png", "buffer": photo}]
        )
    if kpi:
        page.fill(f"[name='kpi-{kpi}-value']", value)
        if kind:
            page.select_option(f"[name='kpi-{kpi}-kind']", kind)
        if photo:
            page.set_input_files(
                f"[name='kpi-{kpi}-evidence']",
                files=[{"name": "line.png", "mimeType": "image/png", "buffer": photo}],
            )
    waiting = int(page.locator("#offline-app").get_attribute("data-waiting") or 0)
    page.get_by_role("button", name="Keep this visit").click()
    # The notice of the previous visit may still say "kept": wait for this one in the queue.
    expect(page.locator("#offline-app")).to_have_attribute("data-waiting", str(waiting + 1))
    expect(page.locator("#offline-notice")).to_contain_text("kept on this phone")


def test_visits_recorded_offline_are_sent_once_each(page, live_server, cast, two_enrolments):
    alpha, beta = two_enrolments
    context = page.context
    page.set_viewport_size(PHONE)
    log_in_with_cookie(context, live_server, cast.zj_trainer)
    _open_app(page, live_server)

    context.set_offline(True)
    page.reload()
    page.wait_for_selector("#offline-app[data-ready='1']")
    expect(page.locator("#offline-notice")).to_contain_text("offline")
    a1, a2 = alpha.visits.get(number=1), alpha.visits.get(number=2)
    b1, b2 = beta.visits.get(number=1), beta.visits.get(number=2)
    _record(page, a1, "Defect tally", "defect_rate", "4.5", photo=PNG)
    _record(page, b1, "Waste walk", "waste", "3")
    _record(page, b2, "Waste again", "waste", "2.8")  # the queued baseline makes it a follow-up
    _record(page, a2, "Second visit", "defect_rate", "4.2", kind="follow_up")
    visit_cancel(acting_user=cast.zj_staff, visit=a2, reason="Plant closed for the holiday")

    page.reload()  # still offline: the page and the queue come from the phone
    page.wait_for_selector("#offline-app[data-ready='1']")
    expect(page.locator("#offline-app")).to_have_attribute("data-waiting", "4")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
    assert ConsultingVisit.objects.filter(status="recorded").count() == 0

    context.set_offline(False)
    page.get_by_role("button", name="Send now").click()
    expect(page.locator("#offline-app")).to_have_attribute("data-waiting", "0", timeout=15000)
    expect(page.locator("#offline-app")).to_have_attribute("data-sent", "3")
    expect(page.locator("#offline-app")).to_have_attribute("data-conflict", "1")

    recorded = ConsultingVisit.objects.filter(status="recorded")
    assert sorted(recorded.values_list("topics", flat=True)) == [
        "Defect tally",
        "Waste again",
        "Waste walk",
    ]
    readings = KPIReading.objects.select_related("kpi", "enterprise").order_by("pk")
    assert [
        (r.enterprise.name, r.kpi.code, r.kind, str(r.value.normalize())) for r in readings
    ] == [
        ("Alpha Textiles", "defect_rate", "baseline", "4.5"),
        ("Beta Castings", "waste", "baseline", "3"),
        ("Beta Castings", "waste", "follow_up", "2.8"),
    ]
    assert readings[0].evidence and readings[0].evidence.read() == PNG
    assert [f.name for f in VisitFile.objects.all()] == ["floor.png"]
    assert VisitFile.objects.get().visit == a1
    conflict = SyncConflict.objects.get()
    assert conflict.visit == a2 and conflict.reason == "visit_cancelled"

    page.evaluate("window.scoreOffline.resendAll()")  # replaying the queue changes nothing
    expect(page.locator("#offline-app")).to_have_attribute("data-sent", "3", timeout=15000)
    assert ConsultingVisit.objects.filter(status="recorded").count() == 3
    assert KPIReading.objects.count() == 3 and SyncConflict.objects.count() == 1
    assert VisitFile.objects.count() == 1
    assert SyncRecord.objects.count() == 4

    page.goto(f"{live_server.url}/trainers/sync/conflicts/")
    expect(page.locator(".conflict-open")).to_contain_text("Alpha Textiles")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]


def test_the_queue_survives_a_service_worker_update(
    page, live_server, cast, two_enrolments, settings
):
    alpha, _beta = two_enrolments
    context = page.context
    page.set_viewport_size(PHONE)
    settings.PWA_VERSION = "release-1"
    log_in_with_cookie(context, live_server, cast.zj_trainer, "zh-hans")
    _open_app(page, live_server)
    context.route("**/trainers/sync/", lambda route: route.abort())  # the server unreachable
    context.set_offline(True)
    page.select_option("#offline-visit", f"v:{alpha.visits.get(number=1).pk}")
    page.fill("[name=topics]", "5S")
    page.fill("[name='kpi-waste-value']", "3")
    page.locator("#offline-form button[type=submit]").click()
    expect(page.locator("#offline-app")).to_have_attribute("data-waiting", "1")
    expect(page.locator("#offline-notice")).to_contain_text("保存在本机")

    context.set_offline(False)
    settings.PWA_VERSION = "release-2"
    page.evaluate(
        """() => navigator.serviceWorker.getRegistration().then((reg) => reg.update())
          .then(() => new Promise((resolve) => {
            const check = () => caches.keys().then((keys) =>
              keys.includes("score-app-release-2") && !keys.includes("score-app-release-1")
                ? resolve(keys) : setTimeout(check, 100));
            check();
          }))"""
    )
    page.reload()
    page.wait_for_selector("#offline-app[data-ready='1']")
    expect(page.locator("#offline-app")).to_have_attribute("data-waiting", "1")
    queue = page.evaluate("window.scoreOffline.queue()")
    assert [item["record"]["visit"]["topics"] for item in queue] == ["5S"]

    context.unroute("**/trainers/sync/")
    page.locator("#offline-send").click()
    expect(page.locator("#offline-app")).to_have_attribute("data-sent", "1", timeout=15000)
    assert ConsultingVisit.objects.filter(status="recorded").count() == 1


def test_a_failed_visit_is_corrected_on_the_phone_and_sent_once(
    page, live_server, cast, two_enrolments
):
    """A record the server refused shows its reason with "Correct" and "Remove": corrected in
    the form it keeps its id and is sent; a removed one leaves the phone, never the server."""
    alpha, beta = two_enrolments
    context = page.context
    page.set_viewport_size(PHONE)
    log_in_with_cookie(context, live_server, cast.zj_trainer)
    _open_app(page, live_server)
    context.set_offline(True)
    _record(page, alpha.visits.get(number=1), "Defect tally", "defect_rate", "4.5")
    _record(page, beta.visits.get(number=1), "Waste walk", "waste", "3")
    # Meanwhile the office records both baselines: the phone's baselines are refused.
    for enrolment, code, value in ((alpha, "defect_rate", "4.4"), (beta, "waste", "3.1")):
        kpi_reading_record(
            acting_user=cast.zj_staff,
            enterprise=enrolment.enterprise,
            kpi=KPIDefinition.objects.get(code=code),
            kind="baseline",
            value=Decimal(value),
            period_start=TODAY - datetime.timedelta(days=40),
            period_end=TODAY - datetime.timedelta(days=10),
            source="visit",
        )

    context.set_offline(False)
    page.locator("#offline-send").click()
    expect(page.locator("#offline-app")).to_have_attribute("data-failed", "2", timeout=15000)
    failed = page.locator(".queue-item[data-status=failed]")
    expect(failed.first.locator(".queue-message")).to_contain_text("already has a baseline")
    assert ConsultingVisit.objects.filter(status="recorded").count() == 0

    failed.first.get_by_role("button", name="Correct").click()
    expect(page.locator("[name=topics]")).to_have_value("Defect tally")
    expect(page.locator("[name='kpi-defect_rate-value']")).to_have_value("4.5")
    page.select_option("[name='kpi-defect_rate-kind']", "follow_up")
    page.get_by_role("button", name="Keep this visit").click()
    expect(page.locator("#offline-app")).to_have_attribute("data-sent", "1", timeout=15000)
    expect(page.locator("#offline-app")).to_have_attribute("data-failed", "1")

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(".queue-item[data-status=failed]").get_by_role("button", name="Remove").click()
    expect(page.locator("#offline-app")).to_have_attribute("data-failed", "0")
    assert len(page.evaluate("window.scoreOffline.queue()")) == 1

    visit = ConsultingVisit.objects.get(status="recorded")
    assert (visit.enrolment, visit.topics) == (alpha, "Defect tally")
    follow_up = KPIReading.objects.get(kind="follow_up")
    assert (follow_up.enterprise, follow_up.value) == (alpha.enterprise, Decimal("4.5"))
    assert SyncRecord.objects.count() == 1
    assert page.evaluate("document.scrollingElement.scrollWidth") <= PHONE["width"]
