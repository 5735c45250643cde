"""Must-show, end to end on PostgreSQL + Redis: a visit edited on the page (the real form
POST) is delivered to a real HTTP receiver by a real Celery worker, signed; a receiver that
fails twice gets it on the third try, with the record as it was at the event even though it
changed since; "send again" on the page sends that same body again."""

import datetime
import json

import pytest
from django.db import connection
from django.urls import reverse

from tests.drills.conftest import wait_for
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory
from tests.workers import celery_app_at, start_worker, stop
from trainers.models import ConsultingVisit
from trainers.services.assignments import assignment_add
from trainers.services.visits import plan_visits, visit_record
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_endpoint_create

from .conftest import readme_verifier

TODAY = datetime.date.today()
pytestmark = [
    pytest.mark.services,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def worker(redis_url, settings, monkeypatch, tmp_path, local_webhooks):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL): the worker shares the test database")
    log = tmp_path / "worker.log"
    with celery_app_at(redis_url, settings, monkeypatch):
        process = start_worker(
            broker_url=redis_url,
            media_root=tmp_path / "media",
            var_dir=tmp_path / "var",
            log=log,
            extra_env={
                "WEBHOOKS_ALLOW_HTTP": "true",
                "WEBHOOKS_ALLOW_PRIVATE": "true",
                "WEBHOOKS_RETRY_BASE_SECONDS": "0.3",
                "WEBHOOKS_TIMEOUT_SECONDS": "5",
            },
        )
        try:
            yield log
        finally:
            stop(process)


@pytest.fixture
def recorded_visit(cast):
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
    visit = enrolment.visits.get(number=1)
    return visit_record(
        acting_user=cast.zj_staff,
        visit=visit,
        visit_date=TODAY,
        mode="on_site",
        topics="First topics",
        findings="First findings",
    )


def _edit_on_the_page(client, cast, visit, topics):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("trainers:visits:record", args=[visit.pk]),
        {
            "visit_date": TODAY.isoformat(),
            "mode": "on_site",
            "topics": topics,
            "findings": "Two lines stop for changeovers",
        },
    )
    assert response.status_code == 302, response.content[:2000]


def _endpoint(cast, receiver):
    return webhook_endpoint_create(
        acting_user=cast.zj_manager,
        partner=cast.zj,
        url=receiver.url,
        objects_subscribed=["visit"],
        events=["updated"],
    )


def test_editing_a_visit_on_the_page_fires_one_signed_updated_webhook(
    client, cast, recorded_visit, receiver, worker
):
    endpoint, secret = _endpoint(cast, receiver)
    _edit_on_the_page(client, cast, recorded_visit, "Changeover times")

    deliveries = WebhookDelivery.objects.filter(endpoint=endpoint)
    assert deliveries.count() == 1
    delivery = deliveries.get()
    assert (delivery.event_name, delivery.object_id) == ("visit.updated", str(recorded_visit.pk))
    wait_for(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered",
        timeout=30,
        what="the delivery",
        log=worker,
    )
    assert len(receiver.requests) == 1  # exactly one, on the first try
    sent = receiver.requests[0]
    body = json.loads(sent["body"])
    assert body["event"] == "visit.updated" and body["object"] == "visit"
    assert body["data"]["id"] == recorded_visit.pk
    assert body["data"]["topics"] == "Changeover times"  # the new values
    assert body["data"]["findings"] == "Two lines stop for changeovers"
    assert sent["headers"]["X-Score-Event"] == "visit.updated"
    assert sent["headers"]["X-Score-Delivery"] == body["id"]
    verify = readme_verifier()
    assert verify(secret, sent["body"], sent["headers"]["X-Score-Signature"])
    assert not verify("whsec_another", sent["body"], sent["headers"]["X-Score-Signature"])


def test_a_receiver_failing_twice_gets_the_record_as_at_the_event_on_the_third_try(
    client, cast, recorded_visit, receiver, worker
):
    receiver.fail_first = 2
    endpoint, secret = _endpoint(cast, receiver)
    _edit_on_the_page(client, cast, recorded_visit, "As at the event")
    # changed since, without an event of its own: the retries must not send this
    ConsultingVisit.objects.filter(pk=recorded_visit.pk).update(topics="Changed afterwards")
    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    wait_for(
        lambda: WebhookDelivery.objects.get(pk=delivery.pk).status == "delivered",
        timeout=60,
        what="the third try",
        log=worker,
    )
    delivery.refresh_from_db()
    assert delivery.attempts == 3
    assert [a.status_code for a in delivery.attempts_log.all()] == [500, 500, 204]
    assert len(receiver.requests) == 3
    bodies = {r["body"] for r in receiver.requests}
    assert len(bodies) == 1  # byte for byte the same body on every try
    assert json.loads(bodies.pop())["data"]["topics"] == "As at the event"
    verify = readme_verifier()
    for sent in receiver.requests:
        assert verify(secret, sent["body"], sent["headers"]["X-Score-Signature"])
        assert sent["headers"]["X-Score-Attempt"] in {"1", "2", "3"}

    # "send again" on the page: the same event and body once more, not today's record
    client.force_login(cast.zj_manager)
    response = client.post(reverse("webhooks:send-again", args=[delivery.pk]))
    assert response.status_code == 302
    wait_for(lambda: len(receiver.requests) == 4, timeout=30, what="the resend", log=worker)
    again = receiver.requests[3]
    assert again["body"] == receiver.requests[2]["body"]
    assert json.loads(again["body"])["data"]["topics"] == "As at the event"
    page = client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert "HTTP 500" in page and "HTTP 204" in page and secret not in page
