"""The event handler (``score_portal.events``): for each endpoint that wants the event,
write a delivery row holding the record as the API serialises it now, in the transaction of
the change; the delivery is queued once that transaction commits. So an event that rolls
back sends nothing, and a retry next week still sends the record as it was."""

from __future__ import annotations

import json
import uuid

from django.db.models import F
from django.utils import timezone
from rest_framework.utils.encoders import JSONEncoder

from api.serializers.enterprises import (
    EnrolmentSerializer,
    EnterpriseSerializer,
    KPIReadingSerializer,
)
from api.serializers.trainers import VisitSerializer
from api.serializers.workshops import AttendanceSerializer, ParticipantSerializer
from enterprises.models import Enrolment, Enterprise, KPIReading
from score_portal.access import Perm, access_for
from trainers.models import ConsultingVisit
from workshops.models import Attendance, Participant

from .models import OBJECT_LABELS, WebhookDelivery, WebhookEndpoint

# object type (as receivers see it) → (model, the API's serializer)
OBJECT_TYPES = {
    "enterprise": (Enterprise, EnterpriseSerializer),
    "enrolment": (Enrolment, EnrolmentSerializer),
    "participant": (Participant, ParticipantSerializer),
    "attendance": (Attendance, AttendanceSerializer),
    "visit": (ConsultingVisit, VisitSerializer),
    "kpi_reading": (KPIReading, KPIReadingSerializer),
}
_BY_MODEL = {model: (name, serializer) for name, (model, serializer) in OBJECT_TYPES.items()}


def object_choices():
    return [(name, OBJECT_LABELS[name]) for name in OBJECT_TYPES]


def body_of(*, event_id, event_name: str, occurred_at, object_type: str, data: dict) -> str:
    return json.dumps(
        {
            "id": str(event_id),
            "event": event_name,
            "object": object_type,
            "occurred_at": occurred_at.isoformat(),
            "data": data,
        },
        cls=JSONEncoder,
        ensure_ascii=False,
        separators=(",", ":"),
        sort_keys=True,
    )


def _still_allowed(endpoint: WebhookEndpoint) -> bool:
    """The person who registered the endpoint may still manage webhooks of its partner
    (someone who lost the role stops receiving that partner's records)."""
    if endpoint.created_by is None or not endpoint.created_by.is_active:
        return False
    access = access_for(endpoint.created_by)
    if endpoint.partner_id is None:
        return access.sees_all(Perm.MANAGE_WEBHOOKS)
    return access.has_perm(Perm.MANAGE_WEBHOOKS, endpoint.partner_id)


def record_event(event: str, instances: list) -> None:
    kind = _BY_MODEL.get(type(instances[0]))
    if kind is None:
        return
    object_type, serializer_class = kind
    endpoints = [
        e
        for e in WebhookEndpoint.objects.filter(is_active=True).select_related("created_by")
        if e.wants(object_type, event)
    ]
    if not endpoints:
        return  # the usual case: one query
    endpoints = [e for e in endpoints if _still_allowed(e)]
    model = type(instances[0])
    partner_of = dict(
        model._base_manager.filter(pk__in=[i.pk for i in instances])
        .annotate(_partner=F(model.PARTNER_PATH))
        .values_list("pk", "_partner")
    )
    now = timezone.now()
    deliveries = []
    for instance in instances:
        targets = [
            e
            for e in endpoints
            if e.partner_id is None or e.partner_id == partner_of.get(instance.pk)
        ]
        if not targets:
            continue
        event_id = uuid.uuid4()
        body = body_of(
            event_id=event_id,
            event_name=f"{object_type}.{event}",
            occurred_at=now,
            object_type=object_type,
            data=serializer_class(instance).data,
        )
        deliveries += [
            WebhookDelivery(
                endpoint=endpoint,
                event_id=event_id,
                object_type=object_type,
                object_id=str(instance.pk),
                event=event,
                occurred_at=now,
                body=body,
                # the author save_as gave the change (None for a bulk write or a delete)
                requested_by=getattr(instance, "_history_user", None),
            )
            for endpoint in targets
        ]
    for delivery in WebhookDelivery.objects.bulk_create(deliveries):
        WebhookDelivery.enqueue_on_commit(delivery.pk)
