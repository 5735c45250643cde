"""Reads for workshops, always for a given user and already scoped."""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import ngettext, pgettext

from enterprises.models import Enrolment, Enterprise
from enterprises.selectors.assessments import enterprise_ids_without_baseline
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


def enterprises_without_baseline(workshop) -> list:
    """The enterprises of this workshop (invited, or sending participants; withdrawn
    enrolments left out) that have no baseline assessment of the workshop's module: a
    baseline is due before the classroom workshop. Two queries."""
    enrolments = Enrolment.objects.filter(
        Q(workshops=workshop) | Q(participants__workshop=workshop)
    ).exclude(status=Enrolment.Status.WITHDRAWN)
    ids = set(enrolments.values_list("enterprise_id", flat=True))
    missing = enterprise_ids_without_baseline(ids, workshop.module_id)
    return list(Enterprise.objects.filter(pk__in=missing).order_by("name")) if missing else []


def baseline_warning(workshop, enterprises) -> str:
    """The warning staff read before a workshop starts, in the active language."""
    names = pgettext("list separator", ", ").join(e.display_name for e in enterprises)
    return ngettext(
        "No baseline assessment of %(module)s yet for %(count)d enterprise of this "
        "workshop: %(names)s. Record the baseline before the classroom workshop starts.",
        "No baseline assessment of %(module)s yet for %(count)d enterprises of this "
        "workshop: %(names)s. Record the baseline before the classroom workshop starts.",
        len(enterprises),
    ) % {"module": workshop.module.code, "count": len(enterprises), "names": names}
