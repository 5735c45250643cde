
from django.db.models import Count, Q, QuerySet

from enterprises.models import Enrolment
from score_portal.access import Perm, get_for_user, scope

from .models import Participant, Workshop

PARTICIPANT_COUNTS = {
    "total": Count("id"), "women": Count("id", filter=Q(sex="F")),
    "men": Count("id", filter=Q(sex="M")), "managers": Count("id", filter=Q(level="manager")),
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


def workshop_list(user) -> QuerySet:
    """Workshops the user may see (trainers: those they teach), with partner, module and
    trainers loaded, and participants counted, in a fixed number of queries."""
    return (scope(user, Workshop.objects.all()).select_related("partner", "module")
            .prefetch_related("trainer_links__trainer")
            .annotate(n_participants=Count("participants", distinct=True),
                      n_women=Count("participants", filter=Q(participants__sex="F"),
                                    distinct=True),
                      n_enterprises=Count("invitations", distinct=True)))


def workshop_get(user, pk: int, perm: str = Perm.VIEW) -> Workshop:
    return get_for_user(user, Workshop.objects.select_related("partner", "module"), perm, pk=pk)


def delegations(workshop) -> list[dict]:
    """Invited enterprises with their participants and counts (two queries)."""
    participants = list(Participant.objects.filter(workshop=workshop)
                        .prefetch_related("attendance").order_by("name"))
    by_enrolment: dict[int, list] = {}
    for participant in participants:
        by_enrolment.setdefault(participant.enrolment_id, []).append(participant)
    rows = []
    for enrolment in workshop.invitations.select_related("enterprise", "module") \
            .order_by("enterprise__name"):
        people = by_enrolment.get(enrolment.pk, [])
        rows.append({
            "enrolment": enrolment, "participants": people,
            "women": sum(p.sex == "F" for p in people),
            "workers": sum(p.level == "worker" for p in people),
            "attended": any(a.present for p in people for a in p.attendance.all()),
        })
    return rows


def invitable_enrolments(workshop):
    """Open enrolments in the workshop's module, of its partner, not yet invited."""
    return (Enrolment.objects.filter(module=workshop.module,
                                     enterprise__partner=workshop.partner,
                                     status__in=Enrolment.OPEN_STATUSES)
            .exclude(workshops=workshop).select_related("enterprise")
            .order_by("enterprise__name"))


def attending_enterprise_count(workshop) -> int:
    return (Enrolment.objects.filter(participants__workshop=workshop,
                                     participants__attendance__present=True)
            .distinct().count())
