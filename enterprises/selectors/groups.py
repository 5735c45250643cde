"""Reads for enterprise groups, for a given user and already scoped."""

from django.db.models import Count, Prefetch, Q, QuerySet

from score_portal.access import Perm, can, get_for_user, scope

from ..models import Enrolment, Enterprise, EnterpriseGroup


def enterprise_group_list(user, perm: str = Perm.VIEW) -> QuerySet[EnterpriseGroup]:
    """Groups the user may see (a partner's people: their partner's; programme managers:
    all), with their partner and the number of enterprises the user sees in each."""
    visible = scope(user, Enterprise.objects.all()).values("pk")
    return (
        scope(user, EnterpriseGroup.objects.all(), perm)
        .select_related("partner")
        .annotate(n_enterprises=Count("enterprises", filter=Q(enterprises__in=visible)))
        .order_by("partner__code", "name", "pk")
    )


def enterprise_group_get(user, pk: int, perm: str = Perm.VIEW) -> EnterpriseGroup:
    """One group: 404 out of scope, 403 without ``perm``."""
    return get_for_user(user, EnterpriseGroup.objects.select_related("partner"), perm, pk=pk)


def group_contacts(user, group: EnterpriseGroup) -> list:
    """The people holding the contact role of the whole group (for the group's page: shown
    to those who may invite one; their roles are ended on the people pages)."""
    from score_portal.models import Membership, Role

    if not can(user, Perm.INVITE_CONTACT, group):
        return []
    return list(
        Membership.objects.filter(group=group, role=Role.ENTERPRISE_CONTACT)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "user__username")
    )


def group_enterprises(user, group: EnterpriseGroup) -> QuerySet[Enterprise]:
    """The group's enterprises the user may see, with their enrolments and modules (a fixed
    number of queries)."""
    return (
        scope(user, Enterprise.objects.filter(group=group))
        .select_related("partner")
        .prefetch_related(
            Prefetch(
                "enrolments",
                to_attr="enrolments_loaded",
                queryset=Enrolment.objects.select_related("module").order_by("module__order"),
            )
        )
        .order_by("name", "pk")
    )


def assignable_enterprises(user, group: EnterpriseGroup) -> QuerySet[Enterprise]:
    """Enterprises the user may put in this group: the group's partner's, that they may
    change."""
    return (
        scope(user, Enterprise.objects.filter(partner_id=group.partner_id), Perm.CHANGE)
        .select_related("group")
        .order_by("name", "pk")
    )
