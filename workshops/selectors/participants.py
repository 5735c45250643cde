"""Reads over participants: counts and shares (women, managers, workers), delegations."""

from django.db.models import Count, Q

from ..models import Participant

PARTICIPANT_COUNTS = {
    "total": Count("id"),
    "women": Count("id", filter=Q(sex="F")),
    "men": Count("id", filter=Q(sex="M")),
    "managers": Count("id", filter=Q(level="manager")),
    "workers": Count("id", filter=Q(level="worker")),
}


def _participant_shares(counts: dict) -> dict:
    total = counts["total"]
    counts["women_share"] = counts["women"] / total if total else None
    counts["worker_share"] = counts["workers"] / total if total else None
    return counts


def participant_counts(participants) -> dict:
    """Participants by sex and by manager/worker: the one home of these figures. Takes a
    Participant queryset (aggregated in the database)."""
    return _participant_shares(participants.aggregate(**PARTICIPANT_COUNTS))


def participant_counts_by(participants, key: str) -> dict:
    """The same figures grouped by ``key`` (for example ``"workshop__partner_id"``) in one
    query: ``{key value: counts}``."""
    rows = participants.order_by().values(key).annotate(**PARTICIPANT_COUNTS)
    return {row.pop(key): _participant_shares(row) for row in rows}


def delegations(workshop) -> list[dict]:
    """Invited enterprises with their participants and counts (two queries)."""
    participants = list(
        Participant.objects.filter(workshop=workshop)
        .prefetch_related("attendance")
        .order_by("name")
    )
    by_enrolment: dict[int, list] = {}
    for participant in participants:
        by_enrolment.setdefault(participant.enrolment_id, []).append(participant)
    rows = []
    for enrolment in workshop.invitations.select_related("enterprise", "module").order_by(
        "enterprise__name"
    ):
        people = by_enrolment.get(enrolment.pk, [])
        rows.append(
            {
                "enrolment": enrolment,
                "participants": people,
                "women": sum(p.sex == "F" for p in people),
                "workers": sum(p.level == "worker" for p in people),
                "attended": any(a.present for p in people for a in p.attendance.all()),
            }
        )
    return rows
