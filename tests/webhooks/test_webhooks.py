"""Webhooks without a worker: who manages endpoints, where they may point (SSRF guard),
what the services write to the outbox, and that a delivery never fails the change."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse

from enterprises.models import KPIReading
from enterprises.services.enterprises import enterprise_update
from enterprises.services.review import kpi_reading_return, kpi_readings_verify
from tests.factories import EnterpriseFactory
from webhooks import outbox
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import webhook_endpoint_create
from webhooks.urlcheck import checked_target

pytestmark = pytest.mark.django_db


def _endpoint(user, partner, objects=("enterprise",), events=("updated",)):
    return webhook_endpoint_create(
        acting_user=user,
        partner=partner,
        url="http://127.0.0.1:9/hook",
        objects_subscribed=list(objects),
        events=list(events),
    )[0]


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/hook",
    ],
)
def test_private_and_loopback_addresses_are_refused_in_production_settings(settings, url):
    settings.WEBHOOKS_ALLOW_HTTP = settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as error:
        checked_target(url)
    assert error.value.code == "private"


def test_plain_http_and_credentials_are_refused(settings):
    settings.WEBHOOKS_ALLOW_HTTP = settings.WEBHOOKS_ALLOW_PRIVATE = False
    with pytest.raises(ValidationError) as error:
        checked_target("http://8.8.8.8/hook")
    assert error.value.code == "scheme"
    with pytest.raises(ValidationError) as error:
        checked_target("https://user:pw@8.8.8.8/hook")
    assert error.value.code == "credentials"
    assert checked_target("https://8.8.8.8/hook")[3] == ["8.8.8.8"]


def test_loopback_is_allowed_when_the_setting_is_on(local_webhooks):
    assert checked_target("http://127.0.0.1:8080/hook")[2] == 8080


def test_only_partner_and_programme_managers_register_endpoints(cast, local_webhooks):
    assert _endpoint(cast.zj_manager, cast.zj).partner == cast.zj
    assert _endpoint(cast.programme, None).partner is None  # every partner
    for user, partner in (
        (cast.zj_staff, cast.zj),
        (cast.zj_trainer, cast.zj),
        (cast.zj_manager, cast.sc),
        (cast.zj_manager, None),
    ):
        with pytest.raises(PermissionDenied):
            _endpoint(user, partner)


def test_the_create_page_shows_the_secret_once_and_refuses_bad_input(client, cast, local_webhooks):
    client.force_login(cast.zj_manager)
    url = reverse("webhooks:create")
    page = client.get(url)
    assert page.status_code == 200
    token = page.context["form"]["form_token"].value()
    refused = client.post(
        url, {"url": "ftp://x.example.org/", "objects_subscribed": ["visit"], "events": []}
    )
    assert refused.status_code == 400 and not WebhookEndpoint.objects.exists()
    response = client.post(
        url,
        {
            "url": "http://127.0.0.1:9/hook",
            "partner": cast.zj.pk,
            "objects_subscribed": ["visit", "kpi_reading"],
            "events": ["updated", "verified"],
            "form_token": token,
        },
        follow=True,
    )
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.secret.startswith("whsec_") and endpoint.secret in response.content.decode()
    again = client.get(reverse("webhooks:detail", args=[endpoint.pk])).content.decode()
    assert endpoint.secret not in again


def test_a_partner_manager_cannot_see_another_partners_endpoints(client, cast, local_webhooks):
    theirs = _endpoint(cast.programme, cast.sc)
    everyone = _endpoint(cast.programme, None)
    mine = _endpoint(cast.zj_manager, cast.zj)
    client.force_login(cast.zj_manager)
    listing = client.get(reverse("webhooks:list"))
    assert [e.pk for e in listing.context["endpoints"]] == [mine.pk]
    for endpoint in (theirs, everyone):
        assert client.get(reverse("webhooks:detail", args=[endpoint.pk])).status_code == 404
        assert client.post(reverse("webhooks:delete", args=[endpoint.pk])).status_code == 404
    assert WebhookEndpoint.objects.count() == 3
    client.force_login(cast.zj_staff)
    assert client.get(reverse("webhooks:list")).status_code == 403
    assert client.get(reverse("webhooks:detail", args=[mine.pk])).status_code == 403


def test_an_update_writes_one_delivery_for_the_partners_endpoint_only(cast, local_webhooks):
    zj_hook = _endpoint(cast.zj_manager, cast.zj)
    sc_hook = _endpoint(cast.programme, cast.sc)
    everyone = _endpoint(cast.programme, None)
    enterprise = EnterpriseFactory(partner=cast.zj)
    enterprise_update(acting_user=cast.zj_staff, enterprise=enterprise, name="Renamed Ltd")
    assert WebhookDelivery.objects.filter(endpoint=zj_hook).count() == 1
    assert WebhookDelivery.objects.filter(endpoint=everyone).count() == 1
    assert not WebhookDelivery.objects.filter(endpoint=sc_hook).exists()
    delivery = WebhookDelivery.objects.get(endpoint=zj_hook)
    assert '"name":"Renamed Ltd"' in delivery.body and delivery.requested_by == cast.zj_staff


def test_a_change_that_rolls_back_sends_nothing(cast, local_webhooks):
    _endpoint(cast.zj_manager, cast.zj)
    enterprise = EnterpriseFactory(partner=cast.zj)
    with pytest.raises(RuntimeError), transaction.atomic():
        enterprise_update(acting_user=cast.zj_staff, enterprise=enterprise, name="Never")
        raise RuntimeError
    assert not WebhookDelivery.objects.exists()


def test_a_failing_subscriber_never_fails_the_change(cast, local_webhooks, monkeypatch):
    _endpoint(cast.zj_manager, cast.zj)

    def broken(*args, **kwargs):
        raise RuntimeError("serializer broke")

    monkeypatch.setattr(outbox, "body_of", broken)
    enterprise = EnterpriseFactory(partner=cast.zj)
    saved = enterprise_update(acting_user=cast.zj_staff, enterprise=enterprise, name="Kept")
    assert saved.name == "Kept" and not WebhookDelivery.objects.exists()


def test_verifying_a_reading_emits_verified(cast, local_webhooks):
    from catalogue.models import KPIDefinition

    hook = _endpoint(cast.zj_manager, cast.zj, objects=["kpi_reading"], events=["verified"])
    enterprise = EnterpriseFactory(partner=cast.zj)
    KPIReading.objects.create(
        enterprise=enterprise,
        kpi=KPIDefinition.objects.get(code="defect_rate"),
        kind="baseline",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        value=4,
    )
    kpi_readings_verify(acting_user=cast.zj_staff, readings=KPIReading.objects.all())
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert delivery.event_name == "kpi_reading.verified"
    assert '"verified_at":"' in delivery.body


def test_returning_a_reading_emits_returned(cast, local_webhooks):
    from catalogue.models import KPIDefinition

    hook = _endpoint(cast.zj_manager, cast.zj, objects=["kpi_reading"], events=["returned"])
    reading = KPIReading.objects.create(
        enterprise=EnterpriseFactory(partner=cast.zj),
        kpi=KPIDefinition.objects.get(code="defect_rate"),
        kind="baseline",
        period_start=datetime.date(2026, 1, 1),
        period_end=datetime.date(2026, 3, 31),
        value=4,
    )
    kpi_reading_return(acting_user=cast.zj_staff, reading=reading, comment="Which month?")
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert delivery.event_name == "kpi_reading.returned"


def test_an_endpoint_whose_owner_lost_the_role_receives_nothing(cast, local_webhooks):
    from score_portal.memberships import membership_revoke
    from score_portal.models import Membership

    hook = _endpoint(cast.zj_manager, cast.zj)
    membership_revoke(
        acting_user=cast.programme, membership=Membership.objects.get(user=cast.zj_manager)
    )
    enterprise = EnterpriseFactory(partner=cast.zj)
    enterprise_update(acting_user=cast.zj_staff, enterprise=enterprise, name="Quiet")
    assert not WebhookDelivery.objects.filter(endpoint=hook).exists()


def test_saving_an_enterprise_unchanged_records_and_announces_nothing(cast, local_webhooks, client):
    """The edit page saved as it was opened: no new version, no history row, no "updated"
    delivery; the next real change gives exactly one of each."""
    from enterprises.forms.enterprises import EnterpriseForm
    from enterprises.models import Enterprise

    hook = _endpoint(cast.zj_manager, cast.zj)
    enterprise = EnterpriseFactory(partner=cast.zj, name="Same Ltd", city="Ningbo")
    history_before = enterprise.history.count()
    form = EnterpriseForm(instance=enterprise)
    body = {
        name: ("" if value is None else getattr(value, "pk", value))
        for name, value in {f: form[f].value() for f in form.fields}.items()
    }
    body["version"] = enterprise.version
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:edit", args=[enterprise.pk])
    response = client.post(url, body)
    assert response.status_code == 302, response.content.decode()[:2000]
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    assert fresh.version == enterprise.version
    assert fresh.history.count() == history_before
    assert not WebhookDelivery.objects.filter(endpoint=hook).exists()
    # the same values through the service: nothing either
    enterprise_update(acting_user=cast.zj_staff, enterprise=fresh, name="Same Ltd", city="Ningbo")
    assert not WebhookDelivery.objects.filter(endpoint=hook).exists()
    # a real change: one version, one history row, one delivery with the new value
    response = client.post(url, {**body, "city": "Hangzhou"})
    assert response.status_code == 302
    fresh = Enterprise.objects.get(pk=enterprise.pk)
    assert (fresh.version, fresh.history.count()) == (enterprise.version + 1, history_before + 1)
    delivery = WebhookDelivery.objects.get(endpoint=hook)
    assert '"city":"Hangzhou"' in delivery.body


def test_an_enrolment_or_group_saved_unchanged_leaves_no_trace(cast, local_webhooks):
    from enterprises.models import EnterpriseGroup
    from enterprises.services.enrolments import enrolment_update
    from enterprises.services.groups import enterprise_group_update
    from tests.factories import EnrolmentFactory

    hook = _endpoint(cast.zj_manager, cast.zj, objects=["enrolment"])
    enrolment = EnrolmentFactory(enterprise__partner=cast.zj)
    rows = enrolment.history.count()
    enrolment_update(
        acting_user=cast.zj_staff, enrolment=enrolment, applied_on=enrolment.applied_on
    )
    assert enrolment.history.count() == rows
    assert not WebhookDelivery.objects.filter(endpoint=hook).exists()
    group = EnterpriseGroup.objects.create(partner=cast.zj, name="Port Group")
    group_rows = group.history.count()
    enterprise_group_update(acting_user=cast.zj_staff, group=group, name="Port Group")
    assert group.history.count() == group_rows
    enterprise_group_update(acting_user=cast.zj_staff, group=group, name="Harbour Group")
    assert group.history.count() == group_rows + 1
