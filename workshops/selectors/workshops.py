"""Reads for workshops, always for a given user and already scoped."""

from django.db.models import Count, Q, QuerySet

from enterprises.models import Enrolment
from score_portal.access import Perm, get_for_user, scope

from ..models import Workshop


def workshop_list(user) -> QuerySet:
    """Workshops the user may see (trainers: those they teach), with partner, module and
    trainers loaded, and participants counted, in a fixed number of queries."""
    return (
        scope(user, Workshop.objects.all())
        .select_related("partner", "module")
        .prefetch_related("trainer_links__trainer")
        .annotate(
            n_participants=Count("participants", distinct=True),
            n_women=Count("participants", filter=Q(participants__sex="F"), distinct=True),
            n_enterprises=Count("invitations", distinct=True),
        )
    )


def workshop_get(user, pk: int, perm: str = Perm.VIEW) -> Workshop:
    return get_for_user(user, Workshop.objects.select_related("partner", "module"), perm, pk=pk)


def invitable_enrolments(workshop):
    """Open enrolments in the workshop's module, of its partner, not yet invited."""
    return (
        Enrolment.objects.filter(
            module=workshop.module,
            enterprise__partner=workshop.partner,
            status__in=Enrolment.OPEN_STATUSES,
        )
        .exclude(workshops=workshop)
        .select_related("enterprise")
        .order_by("enterprise__name")
    )


def attending_enterprise_count(workshop) -> int:
    return (
        Enrolment.objects.filter(
            participants__workshop=workshop, participants__attendance__present=True
        )
        .distinct()
        .count()
    )
