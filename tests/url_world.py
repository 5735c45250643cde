"""The small world of objects the URL matrices (GET and POST) try every URL against.

"Own" objects belong to ZJ (the partner of the ``zj_*`` users), "other" objects (``other_*``,
``sc_*``) to SC.
"""

import uuid
from types import SimpleNamespace

from score_portal.models import Role

from .factories import PartnerFactory, UserFactory, user_with_role

ROLE_USERS = {
    "programme": (Role.PROGRAMME_MANAGER, None),
    "zj_manager": (Role.PARTNER_MANAGER, "ZJ"),
    "zj_staff": (Role.PARTNER_STAFF, "ZJ"),
    "zj_trainer": (Role.TRAINER, "ZJ"),
    "sc_staff": (Role.PARTNER_STAFF, "SC"),
}


def build_cast() -> SimpleNamespace:
    """The same cast as the ``cast`` fixture, for module-scoped worlds."""
    zj = PartnerFactory(
        code="ZJ", name_en="Zhejiang Enterprise Federation", name_zh="浙江省企业联合会"
    )
    sc = PartnerFactory(
        code="SC",
        name_en="Sichuan Enterprise Federation",
        name_zh="四川省企业联合会",
        region="Sichuan",
    )
    partners = {"ZJ": zj, "SC": sc}
    people = {
        name: user_with_role(name.replace("_", "-"), role, partners.get(code))
        for name, (role, code) in ROLE_USERS.items()
    }
    people["norole"] = UserFactory(username="norole")
    return SimpleNamespace(zj=zj, sc=sc, **people)


def build_world(cast) -> dict:
    from django.core.files.base import ContentFile

    from catalogue.models import KPIDefinition, Module
    from certificates.models import IssuedCertificate
    from enterprises.models import ImportJob, KPIReading
    from reports.models import ReportRun, ReportSubscription
    from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, WorkshopFactory
    from trainers.models import Certification, ConsultingVisit

    world = {"cast": cast, "module": Module.objects.get(code="M1")}
    for code, partner in (("zj", cast.zj), ("sc", cast.sc)):
        run = ReportRun(
            kind="partner",
            partner=partner,
            status="done",
            progress=100,
            params_key=f"matrix:{code}",
        )
        run.save()
        run.file.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
        run.xlsx_file.save("report.xlsx", ContentFile(b"PK test"), save=True)
        world[f"{code}_run"] = run
        # the partner's default subscription (its monthly report to its managers)
        world[f"{code}_subscription"] = ReportSubscription.objects.create(
            kind="partner", partner=partner
        )
    for key, partner in (("zj_job", cast.zj), ("sc_job", cast.sc)):
        world[key] = ImportJob.objects.create(
            partner=partner, original_name="e.csv", file="imports/e.csv", status="previewed"
        )
    for prefix, partner in (("", cast.zj), ("other_", cast.sc)):
        enterprise = EnterpriseFactory(partner=partner)
        world[f"{prefix}enterprise"] = enterprise
        # a prospect without enrolments: the only kind whose status staff set by hand
        world[f"{prefix}prospect"] = EnterpriseFactory(partner=partner)
        world[f"{prefix}member"] = enterprise.eit_members.create(name="Wu", level="worker", sex="F")
        world[f"{prefix}project"] = enterprise.projects.create(title="5S")
        enrolment = world[f"{prefix}enrolment"] = EnrolmentFactory(enterprise=enterprise)
        workshop = world[f"{prefix}workshop"] = WorkshopFactory(partner=partner)
        workshop.invitations.add(enrolment)
        world[f"{prefix}participant"] = workshop.participants.create(
            enrolment=enrolment, name="Chen", sex="F", level="worker"
        )
        reading = world[f"{prefix}reading"] = KPIReading.objects.create(
            enterprise=enterprise,
            kpi=KPIDefinition.objects.get(code="defect_rate"),
            kind="baseline",
            period_start="2026-01-01",
            period_end="2026-03-31",
            value=4,
        )
        reading.evidence.save("proof.pdf", ContentFile(b"%PDF-1.4 test"))
        trainer = TrainerFactory(partners=[partner])
        world[f"{prefix}visit"] = ConsultingVisit.objects.create(
            enrolment=enrolment, trainer=trainer, number=1, planned_date="2026-07-01"
        )
        world[f"{prefix}trainer"] = trainer
        # a certification in the last module (renewal refused: no recent delivery)
        world[f"{prefix}certification"] = Certification.objects.create(
            trainer=trainer,
            module=Module.objects.order_by("-code").first(),
            grade="certified",
            decision_date="2023-01-01",
            valid_until="2030-01-01",
        )
        world[f"{prefix}certificate"] = IssuedCertificate.objects.create(
            kind="participation",
            participant=world[f"{prefix}participant"],
            partner=partner,
            module=workshop.module,
            holder_name="Chen",
            issued_on=workshop.end_date,
        )
        from trainers.models import VisitFile

        photo = VisitFile(visit=world[f"{prefix}visit"], name="photo.png")
        photo.file.save("photo.png", ContentFile(b"\x89PNG\r\n\x1a\n"), save=False)
        photo.save()
        world[f"{prefix}visit_file"] = photo
        # a record from a phone that met a change made meanwhile (the review list)
        from trainers.models import SyncConflict, SyncRecord

        sync = SyncRecord.objects.create(
            client_uuid=uuid.uuid4(),
            user=cast.zj_staff if not prefix else cast.sc_staff,
            status="conflict",
            visit=world[f"{prefix}visit"],
        )
        world[f"{prefix}conflict"] = SyncConflict.objects.create(
            record=sync,
            enrolment=enrolment,
            visit=world[f"{prefix}visit"],
            reason="visit_cancelled",
            phone_version={"visit": {"topics": "5S"}},
            server_version={"status": "cancelled"},
        )
    from enterprises.models import EnterpriseGroup

    # enterprise groups (enterprises/groups): ZJ's holds its enterprise, SC's the other one
    for prefix, partner in (("", cast.zj), ("other_", cast.sc)):
        group = EnterpriseGroup.objects.create(partner=partner, name=f"{partner.code} Group")
        world[f"{prefix}enterprise"].group = group
        world[f"{prefix}enterprise"].save(update_fields=["group"])
        world[f"{prefix}group"] = group
    from api.services import token_create

    # service tokens (api/): ZJ's made by its partner manager, SC's by the programme manager
    for code, partner, author in (
        ("zj", cast.zj, cast.zj_manager),
        ("sc", cast.sc, cast.programme),
    ):
        world[f"{code}_token"], _secret = token_create(
            acting_user=author,
            name=f"{code} sync",
            days=30,
            kind="service",
            partner=partner,
            role="partner_staff",
        )
    return world
