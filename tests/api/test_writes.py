"""Writes go through the services (same rules and messages as the forms), with history naming
the author and the token; ETag / If-Match refuse a stale write."""

import pytest
from django.urls import reverse

from enterprises.models import Enterprise

pytestmark = pytest.mark.django_db


def _detail(api, raw, pk):
    return api(raw).get(reverse("api:enterprise-detail", kwargs={"pk": pk}))


def test_write_with_if_match_then_stale_etag_is_refused(api, world, tokens):
    enterprise = world["enterprise"]
    url = reverse("api:enterprise-detail", kwargs={"pk": enterprise.pk})
    client = api(tokens["zj_staff"])
    first = _detail(api, tokens["zj_staff"], enterprise.pk)
    etag = first["ETag"]
    ok = client.patch(url, {"city": "Ningbo"}, format="json", HTTP_IF_MATCH=etag)
    assert ok.status_code == 200, ok.content
    assert ok.json()["city"] == "Ningbo" and ok["ETag"] != etag
    stale = client.patch(url, {"city": "Hangzhou"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    enterprise.refresh_from_db()
    assert enterprise.city == "Ningbo"
    missing = client.patch(url, {"city": "Hangzhou"}, format="json")
    assert missing.status_code == 428
    enterprise.refresh_from_db()
    assert enterprise.city == "Ningbo"


def test_detail_answers_a_stable_etag(api, world, tokens):
    a = _detail(api, tokens["zj_staff"], world["enterprise"].pk)["ETag"]
    b = _detail(api, tokens["zj_staff"], world["enterprise"].pk)["ETag"]
    assert a == b and a.startswith('"')


def test_a_write_in_history_names_the_tokens_user_and_the_token(api, world, cast):
    from api.services import token_create

    token, raw = token_create(acting_user=cast.zj_staff, name="sync", days=1)
    enterprise = world["enterprise"]
    url = reverse("api:enterprise-detail", kwargs={"pk": enterprise.pk})
    etag = _detail(api, raw, enterprise.pk)["ETag"]
    api(raw).patch(url, {"city": "Wenzhou"}, format="json", HTTP_IF_MATCH=etag)
    row = enterprise.history.latest()
    assert row.history_user == cast.zj_staff
    assert row.history_change_reason == f"API token {token.prefix}"


def test_create_enterprise_through_the_service_with_its_messages(api, world, tokens, cast):
    url = reverse("api:enterprise-list")
    client = api(tokens["zj_staff"])
    created = client.post(url, {"partner": cast.zj.pk, "name": "API Co."}, format="json")
    assert created.status_code == 201, created.content
    assert Enterprise.objects.get(pk=created.json()["id"]).history.latest().history_user == (
        cast.zj_staff
    )
    code = world["enterprise"].credit_code or "91330000MA2API0001"
    if not world["enterprise"].credit_code:
        Enterprise.objects.filter(pk=world["enterprise"].pk).update(credit_code=code)
    duplicate = client.post(
        url, {"partner": cast.zj.pk, "name": "Twin", "credit_code": code}, format="json"
    )
    assert duplicate.status_code == 400
    assert "credit_code" in duplicate.json()


def test_create_for_another_partner_is_refused_as_unknown(api, world, tokens, cast):
    before = Enterprise.objects.count()
    response = api(tokens["zj_staff"]).post(
        reverse("api:enterprise-list"), {"partner": cast.sc.pk, "name": "X"}, format="json"
    )
    assert response.status_code == 400 and "partner" in response.json()
    assert Enterprise.objects.count() == before


def test_partner_manager_write_is_forbidden(api, world, tokens):
    url = reverse("api:enterprise-detail", kwargs={"pk": world["enterprise"].pk})
    response = api(tokens["zj_manager"]).patch(url, {"city": "X"}, format="json")
    assert response.status_code == 403


def test_enrolment_transition_rule_gives_the_services_message(api, world, tokens):
    enrolment = world["enrolment"]
    url = reverse("api:enrolment-transition", kwargs={"pk": enrolment.pk})
    client = api(tokens["zj_staff"])
    etag = client.get(reverse("api:enrolment-detail", kwargs={"pk": enrolment.pk}))["ETag"]
    response = client.post(url, {"status": "withdrawn"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert "reason" in response.json()


def test_trainer_records_a_visit_of_their_enrolment(api, world, tokens):
    visit = world["visit"]
    client = api(tokens["zj_trainer"])
    detail = client.get(reverse("api:visit-detail", kwargs={"pk": visit.pk}))
    assert detail.status_code == 200
    response = client.post(
        reverse("api:visit-record", kwargs={"pk": visit.pk}),
        {
            "visit_date": "2026-01-05",
            "duration_hours": "2",
            "topics": "5S",
            "actions": [{"description": "Label shelves", "owner": "Wu", "due_date": None}],
        },
        format="json",
        HTTP_IF_MATCH=detail["ETag"],
    )
    assert response.status_code == 200, response.content
    visit.refresh_from_db()
    assert visit.status == "recorded" and visit.actions.filter(description="Label shelves")


def test_attendance_grid_round_trip(api, world, tokens):
    workshop = world["workshop"]
    participant = world["participant"]
    url = reverse("api:workshop-attendance", kwargs={"pk": workshop.pk})
    client = api(tokens["zj_staff"])
    grid = client.get(url)
    assert grid.status_code == 200
    assert grid.json()["present"] == [
        {"participant": participant.pk, "day": workshop.start_date.isoformat()}
    ]
    response = client.put(url, {"present": []}, format="json", HTTP_IF_MATCH=grid["ETag"])
    assert response.status_code == 200, response.content
    assert response.json()["present"] == []
    stale = client.put(url, {"present": []}, format="json", HTTP_IF_MATCH=grid["ETag"])
    assert stale.status_code == 412


def test_kpi_reading_record_and_update(api, world, tokens):
    from catalogue.models import KPIDefinition

    kpi = KPIDefinition.objects.exclude(code="defect_rate").filter(is_active=True).first()
    client = api(tokens["zj_staff"])
    created = client.post(
        reverse("api:kpi-reading-list"),
        {
            "enterprise": world["enterprise"].pk,
            "kpi": kpi.pk,
            "kind": "baseline",
            "period_start": "2026-01-01",
            "period_end": "2026-03-31",
            "value": "5",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = reverse("api:kpi-reading-detail", kwargs={"pk": created.json()["id"]})
    response = client.patch(url, {"value": "6"}, format="json", HTTP_IF_MATCH=created["ETag"])
    assert response.status_code == 200, response.content
    assert response.json()["value"].startswith("6")


def test_participant_create_delete(api, world, tokens):
    client = api(tokens["zj_staff"])
    created = client.post(
        reverse("api:participant-list"),
        {
            "workshop": world["workshop"].pk,
            "enrolment": world["enrolment"].pk,
            "name": "Li",
            "sex": "M",
            "level": "worker",
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    url = reverse("api:participant-detail", kwargs={"pk": created.json()["id"]})
    assert client.delete(url, HTTP_IF_MATCH=created["ETag"]).status_code == 204
    assert client.get(url).status_code == 404


def test_updated_since_and_cursor(api, world, tokens):
    from django.utils import timezone

    client = api(tokens["programme"])
    url = reverse("api:enterprise-list")
    page = client.get(url, {"page_size": 1})
    assert page.status_code == 200
    body = page.json()
    assert len(body["results"]) == 1 and body["next"]
    second = client.get(body["next"]).json()
    assert second["results"][0]["id"] > body["results"][0]["id"]
    since = timezone.now()
    Enterprise.objects.filter(pk=world["other_enterprise"].pk).update(updated_at=since)
    changed = client.get(url, {"updated_since": since.isoformat()}).json()["results"]
    assert [row["id"] for row in changed] == [world["other_enterprise"].pk]
    # by history, for a model without updated_at
    visits = client.get(
        reverse("api:visit-list"), {"updated_since": timezone.now().isoformat()}
    ).json()
    assert visits["results"] == []
    bad = client.get(url, {"updated_since": "yesterday"})
    assert bad.status_code == 400


def test_report_request_poll_download(api, world, tokens, cast):
    client = api(tokens["zj_staff"])
    response = client.post(
        reverse("api:report-run-list"), {"kind": "partner", "partner": cast.zj.pk}, format="json"
    )
    assert response.status_code == 202, response.content
    run = response.json()
    assert run["status"] == "pending" and response["Location"].endswith(f"/{run['id']}/")
    poll = client.get(response["Location"])
    assert poll.status_code == 200
    early = client.get(reverse("api:report-run-download", kwargs={"pk": run["id"]}))
    assert early.status_code == 409
    done = client.get(reverse("api:report-run-download", kwargs={"pk": world["zj_run"].pk}))
    assert done.status_code == 200 and done["Content-Type"] == "application/pdf"
    other = client.post(
        reverse("api:report-run-list"), {"kind": "partner", "partner": cast.sc.pk}, format="json"
    )
    assert other.status_code == 404


def test_updated_since_with_any_offset_never_answers_500(api, world, tokens):
    """Found by schemathesis: an offset beyond the database's ±15:59 was a 500."""
    client = api(tokens["zj_staff"])
    url = reverse("api:enrolment-list")
    assert client.get(url, {"updated_since": "0212-04-02T14:59:48-23:04"}).status_code == 200
    assert client.get(url, {"updated_since": "0001-01-01T00:00:00+23:00"}).status_code == 400
