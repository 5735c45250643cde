"""The phone's sync endpoint: each record applied once by its client-made id, scope and
permission as on the visit page, conflicts to the review list, bad payloads refused with a
clear message (issue 15)."""

import base64
import datetime
import json
import uuid

import pytest
from django.test import Client
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from trainers.models import ConsultingVisit, SyncConflict, SyncRecord
from trainers.services.assignments import assignment_add
from trainers.services.sync import visit_version
from trainers.services.visits import plan_visits, visit_cancel
from trainers.views.offline import SYNC_MAX_BYTES

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SYNC = "/trainers/sync/"


@pytest.fixture
def visit(cast):
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    enrolment = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj), status="in_consulting"
    )
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
    plan_visits(
        acting_user=cast.zj_staff,
        enrolment=enrolment,
        after=TODAY - datetime.timedelta(days=20),
        default_trainer=trainer,
    )
    return enrolment.visits.get(number=1)


def record(target, **extra):
    end = TODAY.replace(day=1) - datetime.timedelta(days=1)
    data = {
        "uuid": str(uuid.uuid4()),
        "visit_id": target.pk,
        "enrolment_id": target.enrolment_id,
        "version": visit_version(target),
        "visit": {"visit_date": TODAY.isoformat(), "mode": "on_site", "topics": "5S audit"},
        "actions": [{"description": "Label the racks", "owner": "Li", "due_date": ""}],
        "readings": [
            {
                "kpi": "defect_rate",
                "kind": "baseline",
                "period_start": end.replace(day=1).isoformat(),
                "period_end": end.isoformat(),
                "value": "4.5",
                "evidence": {
                    "name": "line.png",
                    "type": "image/png",
                    "data": base64.b64encode(PNG).decode(),
                },
            }
        ],
    }
    data.update(extra)
    return data


def post(client, records, **headers):
    return client.post(
        SYNC, json.dumps({"records": records}), content_type="application/json", **headers
    )


def test_a_record_is_applied_once_whatever_the_retries(client, cast, visit):
    client.force_login(cast.zj_trainer)
    item = record(visit, photos=[{"name": "a.png", "data": base64.b64encode(PNG).decode()}])
    first = post(client, [item]).json()["results"][0]
    assert first["status"] == "applied" and first["readings"] == 1 and not first["duplicate"]
    for _ in range(3):
        again = post(client, [item]).json()["results"][0]
        assert again["status"] == "applied" and again["duplicate"]
    visit.refresh_from_db()
    assert visit.status == "recorded" and visit.actions.count() == 1
    assert [f.name for f in visit.files.all()] == ["a.png"]
    reading = KPIReading.objects.get()
    assert reading.evidence and reading.recorded_by == cast.zj_trainer
    assert SyncRecord.objects.get().visit == visit


def test_a_new_visit_from_the_phone_is_numbered_next(client, cast, visit):
    client.force_login(cast.zj_trainer)
    item = record(visit, visit_id=None, readings=[])
    result = post(client, [item]).json()["results"][0]
    assert result["status"] == "applied"
    created = ConsultingVisit.objects.get(pk=result["visit"])
    assert created.status == "recorded" and created.number == 5


def test_a_visit_cancelled_meanwhile_goes_to_the_review_list(client, cast, visit):
    item = record(visit)
    visit_cancel(acting_user=cast.zj_staff, visit=visit, reason="Plant closed")
    client.force_login(cast.zj_trainer)
    result = post(client, [item]).json()["results"][0]
    assert result["status"] == "conflict"
    conflict = SyncConflict.objects.get()
    assert conflict.reason == "visit_cancelled" and conflict.status == "open"
    assert not KPIReading.objects.exists()
    assert post(client, [item]).json()["results"][0]["duplicate"]
    assert SyncConflict.objects.count() == 1
    for who in (cast.zj_trainer, cast.zj_staff):
        client.force_login(who)
        page = client.get(reverse("trainers:sync-conflicts")).content.decode()
        assert visit.enrolment.enterprise.display_name in page
        detail = client.get(reverse("trainers:sync-conflict", args=[conflict.pk]))
        text = detail.content.decode()
        assert "5S audit" in text and "Plant closed" in text
    client.force_login(cast.sc_staff)
    assert client.get(reverse("trainers:sync-conflict", args=[conflict.pk])).status_code == 404
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("trainers:sync-conflict", args=[conflict.pk]), {"decision": "apply"}
    )
    assert response.status_code == 302
    conflict.refresh_from_db()
    assert conflict.status == "applied" and conflict.decided_by == cast.zj_staff
    visit.refresh_from_db()
    assert visit.status == "cancelled"  # never overwritten
    assert visit.enrolment.visits.filter(status="recorded", topics="5S audit").count() == 1
    assert KPIReading.objects.count() == 1


def test_a_visit_changed_by_staff_meanwhile_goes_to_the_review_list(client, cast, visit):
    item = record(visit)
    ConsultingVisit.objects.filter(pk=visit.pk).update(trainer=TrainerFactory(partners=[cast.zj]))
    client.force_login(cast.zj_trainer)
    assert post(client, [item]).json()["results"][0]["status"] == "conflict"
    assert SyncConflict.objects.get().reason == "visit_changed"


def test_a_baseline_verified_meanwhile_goes_to_the_review_list(client, cast, visit):
    KPIReading.objects.create(
        enterprise=visit.enrolment.enterprise,
        kpi=KPIDefinition.objects.get(code="defect_rate"),
        kind="baseline",
        period_start="2026-01-01",
        period_end="2026-01-31",
        value=5,
        verified_by=cast.zj_staff,
        verified_at="2026-02-01T00:00Z",
    )
    client.force_login(cast.zj_trainer)
    assert post(client, [record(visit)]).json()["results"][0]["status"] == "conflict"
    assert SyncConflict.objects.get().reason == "reading_locked"


def test_the_other_partner_cannot_record_through_sync(client, cast, visit):
    client.force_login(cast.sc_staff)
    result = post(client, [record(visit)]).json()["results"][0]
    assert result["status"] == "failed" and result["code"] == 404
    client.force_login(cast.zj_manager)
    assert post(client, [record(visit)]).status_code == 403
    visit.refresh_from_db()
    assert visit.status == "planned" and not SyncRecord.objects.exists()


def test_a_refused_record_keeps_nothing_and_says_why(client, cast, visit):
    client.force_login(cast.zj_trainer)
    bad = record(visit)
    bad["readings"][0]["value"] = "250"
    result = post(client, [bad]).json()["results"][0]
    assert result["status"] == "failed" and "plausible range" in result["message"]
    assert not SyncRecord.objects.exists() and not KPIReading.objects.exists()
    future = record(visit, visit={"visit_date": "2099-01-01", "mode": "on_site"})
    assert post(client, [future]).json()["results"][0]["status"] == "failed"


@pytest.mark.parametrize(
    "body, content_type, status, words",
    [
        ("not json", "application/json", 400, "malformed JSON"),
        ('{"records": "x"}', "application/json", 400, "expected a list"),
        ("records=1", "application/x-www-form-urlencoded", 400, "as JSON"),
    ],
)
def test_malformed_payloads_are_refused_clearly(
    client, cast, visit, body, content_type, status, words
):
    client.force_login(cast.zj_trainer)
    response = client.post(SYNC, body, content_type=content_type)
    assert response.status_code == status and words in response.json()["error"]


def test_errors_are_translated(client, cast, visit):
    client.force_login(cast.zj_trainer)
    response = client.post(
        SYNC, "not json", content_type="application/json", headers={"accept-language": "zh-hans"}
    )
    assert response.status_code == 400 and "JSON" in response.json()["error"]
    assert "malformed" not in response.json()["error"]


def test_oversized_payloads_are_refused(client, cast, visit):
    client.force_login(cast.zj_trainer)
    big = json.dumps({"records": [{"x": "9" * (SYNC_MAX_BYTES + 10)}]})
    response = client.post(SYNC, big, content_type="application/json")
    assert response.status_code == 413 and "Too much" in response.json()["error"]
    many = [record(visit) for _ in range(51)]
    assert post(client, many).status_code == 413
    assert not SyncRecord.objects.exists()


def test_sync_needs_the_pages_csrf_token(cast, visit):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.zj_trainer)
    assert post(client, [record(visit)]).status_code == 403
    page = client.get(reverse("trainers:offline-app")).content.decode()
    token = page.split('data-csrf="', 1)[1].split('"', 1)[0]
    response = post(client, [record(visit)], HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 200 and response.json()["results"][0]["status"] == "applied"


def test_the_phone_data_is_scoped_and_a_fixed_number_of_queries(
    client, cast, visit, django_assert_max_num_queries
):
    client.force_login(cast.zj_trainer)
    with django_assert_max_num_queries(20):
        data = client.get(reverse("trainers:offline-data")).json()
    assert [e["id"] for e in data["enrolments"]] == [visit.enrolment_id]
    assert len(data["visits"]) == 4 and data["visits"][0]["version"] == visit_version(visit)
    assert {k["code"] for k in data["kpis"]} >= {"defect_rate", "waste"}
    client.force_login(cast.sc_staff)
    assert client.get(reverse("trainers:offline-data")).json()["enrolments"] == []


def test_service_worker_and_manifest(client, cast):
    response = client.get("/sw.js")
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/" and b"SCORE_VERSION" in response.content
    manifest = client.get("/manifest.webmanifest").json()
    assert manifest["start_url"] == reverse("trainers:offline-app")
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    chinese = client.get("/manifest.webmanifest", headers={"accept-language": "zh-hans"})
    assert chinese.json()["name"] != manifest["name"]
