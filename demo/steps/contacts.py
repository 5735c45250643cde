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
    user = membership.user
    if not user.check_password(DEMO_PASSWORD):
        user.set_password(DEMO_PASSWORD)
        user.save()
    ctx.shared.setdefault("logins", []).append(
        (USERNAME, f"enterprise contact (EIT secretary) of {membership.enterprise.name}")
    )
    ctx.log(f"Enterprise contact: {USERNAME} for {membership.enterprise.name}.")
