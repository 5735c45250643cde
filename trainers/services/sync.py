"""Records sent by the trainer's phone (recorded offline): each applied exactly once, by the
id the phone made for it, through the same forms and services as the visit page; a record
that would overwrite a change made on the server meanwhile goes to the review list.

A record (JSON)::

    {"uuid": "...", "visit_id": 12 | null, "enrolment_id": 3, "version": "<fingerprint>",
     "visit": {"visit_date": "2026-12-01", "mode": "on_site", "topics": "...", ...,
               "eit_present": [ids]},
     "actions": [{"description": "...", "owner": "...", "due_date": "..."}],
     "reviews": {"<action id>": "done" | "not_done"},
     "photos": [{"name": "p.jpg", "type": "image/jpeg", "data": "<base64>"}],
     "readings": [{"kpi": "defect_rate", "kind": "follow_up", "period_start": "...",
                   "period_end": "...", "value": "4.5", "confirm_unusual": true,
                   "unusual_reason": "...", "evidence": {"name": "p.jpg", "data": "<base64>"}}]}
"""

import base64
import binascii
import hashlib
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.http import Http404
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext as _

from enterprises.models import Enrolment, KPIReading
from score_portal.access import Perm, get_for_user
from score_portal.services import save_as

from ..forms.visit_readings import visit_readings
from ..forms.visits import VisitForm
from ..models import ConsultingVisit, SyncConflict, SyncRecord, Trainer
from . import visits as visit_services

VISIT_KEYS = (
    "visit_date",
    "duration_hours",
    "mode",
    "co_visitor",
    "topics",
    "findings",
    "next_visit_date",
)
READING_KEYS = ("value", "kind", "period_start", "period_end", "unusual_reason")
MAX_TEXT = 5000  # characters of any one value the phone sends


class Refused(Exception):
    """A record that cannot be applied as sent (the phone shows the reason)."""

    def __init__(self, message, code: int = 400):
        super().__init__(str(message))
        self.message, self.code = str(message), code


def visit_version(visit: ConsultingVisit) -> str:
    """What the phone must have seen for its record to apply without a review: who holds
    the visit, its status and what was recorded on it. A moved planned date is no conflict
    (the visit happened when the phone says)."""
    parts = [
        visit.status,
        visit.trainer_id,
        visit.visit_date,
        visit.duration_hours,
        visit.topics,
        visit.findings,
        visit.cancellation_reason,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:16]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise Refused(_("The record is malformed: a value has the wrong type."))
    text = str(value)
    if len(text) > MAX_TEXT:
        raise Refused(_("The record is malformed: a value is too long."))
    return text


def _form_data(record: dict, visit: ConsultingVisit) -> tuple[dict, MultiValueDict, dict]:
    """The visit page's form fields (and files) from a record, so that the same forms
    validate it."""
    fields = record.get("visit") or {}
    actions = record.get("actions") or []
    reviews = record.get("reviews") or {}
    readings = record.get("readings") or []
    if not (
        isinstance(fields, dict)
        and isinstance(actions, list)
        and isinstance(reviews, dict)
        and isinstance(readings, list)
    ):
        raise Refused(_("The record is malformed: a part has the wrong type."))
    if len(actions) > VisitForm.ACTION_ROWS:
        raise Refused(_("At most %(n)d actions per visit.") % {"n": VisitForm.ACTION_ROWS})
    data: dict = {key: _text(fields.get(key)) for key in VISIT_KEYS}
    present = fields.get("eit_present") or []
    if not isinstance(present, list):
        raise Refused(_("The record is malformed: a part has the wrong type."))
    data["eit_present"] = [_text(pk) for pk in present]
    for index, action in enumerate(actions):
        if not isinstance(action, dict):
            raise Refused(_("The record is malformed: a part has the wrong type."))
        data[f"action_{index}"] = _text(action.get("description"))
        data[f"owner_{index}"] = _text(action.get("owner"))
        data[f"due_{index}"] = _text(action.get("due_date"))
    for action_id, status in reviews.items():
        data[f"review_{_text(action_id)}"] = _text(status)
    files: MultiValueDict = MultiValueDict()
    photos = record.get("photos") or []
    if not isinstance(photos, list):
        raise Refused(_("The record is malformed: a part has the wrong type."))
    files.setlist("photos", [_file(photo) for photo in photos])
    for reading in readings:
        if not isinstance(reading, dict):
            raise Refused(_("The record is malformed: a part has the wrong type."))
        prefix = f"kpi-{_text(reading.get('kpi'))}"
        for key in READING_KEYS:
            data[f"{prefix}-{key}"] = _text(reading.get(key))
        if reading.get("confirm_unusual"):
            data[f"{prefix}-confirm_unusual"] = "on"
        evidence = reading.get("evidence")
        if evidence:
            files[f"{prefix}-evidence"] = _file(evidence)
    return data, files, fields


def _file(evidence) -> SimpleUploadedFile:
    if not isinstance(evidence, dict):
        raise Refused(_("The record is malformed: a part has the wrong type."))
    try:
        content = base64.b64decode(_text(evidence.get("data")), validate=True)
    except (binascii.Error, ValueError):
        raise Refused(_("The record is malformed: a file could not be read.")) from None
    name = _text(evidence.get("name"))[:100] or "photo.jpg"
    return SimpleUploadedFile(name, content, _text(evidence.get("type"))[:100] or None)  # type: ignore[arg-type]


def _errors(*forms) -> str:
    messages: list[str] = []
    for form in forms:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.extend(f"{label}: {error}" if label else str(error) for error in errors)
    return " ".join(messages)


def _visit_for(acting_user, record: dict) -> ConsultingVisit:
    """The visit the record is about, exactly as the visit pages find it (404 out of scope,
    403 without the permission to record)."""
    visit_id, enrolment_id = record.get("visit_id"), record.get("enrolment_id")
    try:
        if visit_id is not None:
            return get_for_user(
                acting_user,
                ConsultingVisit.objects.select_related("enrolment__enterprise", "trainer"),
                Perm.RECORD,
                pk=int(visit_id),
            )
        enrolment = get_for_user(
            acting_user,
            Enrolment.objects.select_related("enterprise", "module"),
            Perm.RECORD,
            pk=int(enrolment_id),  # type: ignore[arg-type]
        )
    except (TypeError, ValueError):
        raise Refused(_("The record is malformed: it names no visit.")) from None
    except Http404:
        raise Refused(_("This visit or enrolment is not one of yours."), 404) from None
    except PermissionDenied:
        raise Refused(_("You may not record visits here."), 403) from None
    trainer = (
        Trainer.objects.filter(user=acting_user).first()
        or Trainer.objects.filter(assignments__enrolment=enrolment).first()
    )
    if trainer is None:
        raise Refused(_("Assign a consultant to this enrolment first."))
    number = (enrolment.visits.aggregate(n=Max("number"))["n"] or 0) + 1
    return ConsultingVisit(enrolment=enrolment, trainer=trainer, number=number)


def _conflict_reason(visit: ConsultingVisit, record: dict) -> str | None:
    if visit.pk:
        if visit.status == ConsultingVisit.Status.CANCELLED:
            return SyncConflict.Reason.VISIT_CANCELLED
        if visit.status != ConsultingVisit.Status.PLANNED or (
            record.get("version") and record.get("version") != visit_version(visit)
        ):
            return SyncConflict.Reason.VISIT_CHANGED
    baselines = {
        str(reading.get("kpi"))
        for reading in record.get("readings") or []
        if isinstance(reading, dict) and reading.get("kind") == KPIReading.Kind.BASELINE
    }
    if (
        baselines
        and KPIReading.objects.filter(
            enterprise_id=visit.enrolment.enterprise_id,
            kind=KPIReading.Kind.BASELINE,
            kpi__code__in=baselines,
            verified_at__isnull=False,
        ).exists()
    ):
        return SyncConflict.Reason.READING_LOCKED
    return None


def _server_version(visit: ConsultingVisit) -> dict:
    return {
        "status": visit.status,
        "status_label": str(visit.get_status_display()),
        "planned_date": visit.planned_date.isoformat() if visit.planned_date else None,
        "visit_date": visit.visit_date.isoformat() if visit.visit_date else None,
        "topics": visit.topics,
        "findings": visit.findings,
        "cancellation_reason": visit.cancellation_reason,
        "trainer": str(visit.trainer),
        "version": visit_version(visit) if visit.pk else None,
    }


def _result(record: SyncRecord, duplicate=False, message="") -> dict:
    return {
        "uuid": str(record.client_uuid),
        "status": record.status,
        "duplicate": duplicate,
        "visit": record.visit_id,
        "readings": record.readings,
        "message": message,
    }


def _apply(acting_user, visit, record: dict, sync: SyncRecord, existing_visit: bool) -> str:
    data, files, _fields = _form_data(record, visit)
    enterprise = visit.enrolment.enterprise
    form = VisitForm(
        data,
        files,
        instance=visit if existing_visit else None,
        enterprise=enterprise,
        open_actions=visit_services.open_actions_before(visit),
    )
    readings = visit_readings(data, files, enterprise=enterprise, visit_date=timezone.localdate())
    known = {row.prefix for row in readings}
    unknown = {key.rsplit("-", 1)[0] for key in data if key.startswith("kpi-")} - known
    if unknown:
        raise Refused(_("The record names a KPI that is not in the catalogue."))
    form_ok, readings_ok = form.is_valid(), readings.is_valid()
    if not (form_ok and readings_ok):
        raise Refused(_errors(form, *readings))
    try:
        saved, rows = visit_services.visit_record_with_readings(
            acting_user=acting_user,
            visit=visit,
            readings=readings.readings(),
            **form.service_data(),
        )
    except visit_services.ReadingErrors as exc:
        raise Refused(" ".join(" ".join(error.messages) for error in exc.rows.values())) from None
    except ValidationError as exc:
        raise Refused(" ".join(exc.messages)) from None
    sync.visit, sync.readings = saved, len(rows)
    sync.save(update_fields=["visit", "readings"])
    return _("Saved.")


def sync_record_apply(*, acting_user, record) -> dict:
    """Apply one record from the phone, once: a record already received answers as it did
    (``duplicate``); one that would overwrite a change made meanwhile becomes a
    ``SyncConflict``; one that cannot be applied is ``failed`` with the reason (and may be
    sent again once corrected: nothing of it is kept)."""
    if not isinstance(record, dict):
        return {
            "uuid": "",
            "status": "failed",
            "code": 400,
            "message": _("The record is malformed: it is not an object."),
        }
    try:
        client_uuid = uuid.UUID(str(record.get("uuid")))
    except ValueError:
        return {
            "uuid": "",
            "status": "failed",
            "code": 400,
            "message": _("The record is malformed: its id is not a UUID."),
        }
    earlier = SyncRecord.objects.filter(client_uuid=client_uuid).first()
    if earlier is not None:
        if earlier.user_id != acting_user.pk:
            return {
                "uuid": str(client_uuid),
                "status": "failed",
                "code": 400,
                "message": _("This record id is already taken."),
            }
        return _result(earlier, duplicate=True, message=_("Already received."))
    try:
        with transaction.atomic():
            visit = _visit_for(acting_user, record)
            existing_visit = visit.pk is not None
            if existing_visit:
                visit = ConsultingVisit.objects.select_for_update().get(pk=visit.pk)
            sync = SyncRecord.objects.create(
                client_uuid=client_uuid, user=acting_user, status=SyncRecord.Status.APPLIED
            )
            reason = _conflict_reason(visit, record)
            if reason:
                sync.status = SyncRecord.Status.CONFLICT
                sync.visit = visit if existing_visit else None
                sync.save(update_fields=["status", "visit"])
                conflict = SyncConflict(
                    record=sync,
                    enrolment=visit.enrolment,
                    visit=visit if existing_visit else None,
                    reason=reason,
                    phone_version=record,
                    server_version=_server_version(visit),
                )
                save_as(conflict, acting_user)
                return _result(sync, message=str(conflict.get_reason_display()))
            message = _apply(acting_user, visit, record, sync, existing_visit)
            return _result(sync, message=message)
    except Refused as refused:
        return {
            "uuid": str(client_uuid),
            "status": "failed",
            "code": refused.code,
            "message": refused.message,
        }
    except IntegrityError:
        earlier = SyncRecord.objects.filter(client_uuid=client_uuid, user=acting_user).first()
        if earlier is None:
            raise
        return _result(earlier, duplicate=True, message=_("Already received."))


@transaction.atomic
def sync_conflict_decide(*, acting_user, conflict: SyncConflict, apply: bool) -> SyncConflict:
    """Decide a conflict: keep the server's version (the phone's is set aside, still shown
    here), or record the phone's version as a new visit of the enrolment (never over the
    visit that changed)."""
    conflict = SyncConflict.objects.select_for_update().get(pk=conflict.pk)
    if conflict.status != SyncConflict.Status.OPEN:
        raise ValidationError(_("This conflict was already decided."))
    if apply:
        record = dict(conflict.phone_version)
        record.pop("visit_id", None)
        record["enrolment_id"] = conflict.enrolment_id
        for reading in record.get("readings") or []:
            if isinstance(reading, dict) and reading.get("kind") == KPIReading.Kind.BASELINE:
                locked = KPIReading.objects.filter(
                    enterprise_id=conflict.enrolment.enterprise_id,
                    kpi__code=reading.get("kpi"),
                    kind=KPIReading.Kind.BASELINE,
                ).exists()
                if locked:
                    reading["kind"] = KPIReading.Kind.FOLLOW_UP
        try:
            visit = _visit_for(acting_user, record)
            _apply(acting_user, visit, record, conflict.record, existing_visit=False)
        except Refused as refused:
            raise ValidationError(refused.message) from None
        conflict.status = SyncConflict.Status.APPLIED
    else:
        conflict.status = SyncConflict.Status.DISCARDED
    conflict.decided_by, conflict.decided_at = acting_user, timezone.now()
    save_as(conflict, acting_user)
    return conflict
