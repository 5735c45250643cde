"""The enterprise contact's demo login (issue 16): ``zj-enterprise``, the EIT secretary of a
Zhejiang enterprise that has workshops and visits, so their portal has something to show."""

from django.contrib.auth import get_user_model

from score_portal.memberships import membership_grant
from score_portal.models import Membership, Role
from trainers.models import ConsultingVisit

from ..context import SeedContext
from .platform import DEMO_PASSWORD

USERNAME = "zj-enterprise"


def seed_enterprise_contact(ctx: SeedContext) -> None:
    partner = ctx.shared["partners"]["ZJ"]
    existing = Membership.objects.filter(user__username=USERNAME).select_related("enterprise")
    membership = existing.first()
    if membership is None:
        visit = (
            ConsultingVisit.objects.filter(
                enrolment__enterprise__partner=partner, enrolment__workshops__isnull=False
            )
            .select_related("enrolment__enterprise")
            .order_by("enrolment__enterprise_id")
            .first()
        ) or ConsultingVisit.objects.filter(enrolment__enterprise__partner=partner).select_related(
            "enrolment__enterprise"
        ).order_by("enrolment__enterprise_id").first()
        if visit is None:
            ctx.log("Enterprise contact: no Zhejiang enterprise with visits, none made.")
            return
        enterprise = visit.enrolment.enterprise
        user, _created = get_user_model().objects.get_or_create(
            username=USERNAME,
            defaults={"first_name": "Xu", "last_name": "Li", "email": f"{USERNAME}@example.org"},
        )
        # granted as the partner's staff would, through the one writer of memberships
        membership = membership_grant(
            acting_user=ctx.shared["users"]["zj-staff"],
            user=user,
            partner=partner,
            role=Role.ENTERPRISE_CONTACT,
            enterprise=enterprise,
        )
    _demo_login(
        ctx,
        membership,
        f"enterprise contact (EIT secretary) of {membership.enterprise.name}",
        f"Enterprise contact: {USERNAME} for {membership.enterprise.name}.",
    )


def _demo_login(ctx: SeedContext, membership, label: str, message: str) -> None:
    """The demo password on the login, and its line in the list of demo logins."""
    user = membership.user
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    ctx.shared.setdefault("logins", []).append((user.username, label))
    ctx.log(message)


GROUP_USERNAME = "zj-group"


def seed_group_contact(ctx: SeedContext) -> None:
    """``zj-group``: the SCORE secretary of a Zhejiang demo group with enterprises, the
    contact of all of them (the enterprise switcher of ``/my/``)."""
    from django.db.models import Count

    from enterprises.models import EnterpriseGroup

    partner = ctx.shared["partners"]["ZJ"]
    membership = (
        Membership.objects.filter(user__username=GROUP_USERNAME).select_related("group").first()
    )
    if membership is None:
        group = (
            EnterpriseGroup.objects.filter(partner=partner)
            .annotate(n=Count("enterprises"))
            .filter(n__gt=1)
            .order_by("-n", "code")
            .first()
        )
        if group is None:
            ctx.log("Group contact: no Zhejiang group with enterprises, none made.")
            return
        user, _created = get_user_model().objects.get_or_create(
            username=GROUP_USERNAME,
            defaults={
                "first_name": "Min",
                "last_name": "Zhao",
                "email": f"{GROUP_USERNAME}@example.org",
            },
        )
        membership = membership_grant(
            acting_user=ctx.shared["users"]["zj-staff"],
            user=user,
            partner=partner,
            role=Role.ENTERPRISE_CONTACT,
            group=group,
        )
    _demo_login(
        ctx,
        membership,
        f"group contact (SCORE secretary) of {membership.group.name}",
        f"Group contact: {GROUP_USERNAME} for {membership.group.name}.",
    )
