"""The small world of objects the URL matrices (GET and POST) try every URL against.

"Own" objects belong to ZJ (the partner of the ``zj_*`` users), "other" objects (``other_*``,
``sc_*``) to SC.
"""

import datetime
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from decimal import Decimal
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


def zhejiang():
    return PartnerFactory(
        code="ZJ", name_en="Zhejiang Enterprise Federation", name_zh="浙江省企业联合会"
    )


def sichuan():
    return PartnerFactory(
        code="SC",
        name_en="Sichuan Enterprise Federation",
        name_zh="四川省企业联合会",
        region="Sichuan",
    )


def build_cast(zj=None, sc=None) -> SimpleNamespace:
    """The cast (the ``cast`` fixture's, and the module worlds'): ZJ and SC, one login per
    role of ``ROLE_USERS`` and ``norole``."""
    zj = zj or zhejiang()
    sc = sc or sichuan()
    partners = {"ZJ": zj, "SC": sc}
    people = {
        name: user_with_role(name.replace("_", "-"), role, partners.get(code))
        for name, (role, code) in ROLE_USERS.items()
    }
    people["norole"] = UserFactory(username="norole")
    # the enterprise contact (zj_contact) is made with their enterprise, in build_world
    return SimpleNamespace(zj=zj, sc=sc, **people)


def contact_of(enterprise, username: str = "zj-contact"):
    """A login holding the enterprise contact role of ``enterprise``."""
    from score_portal.models import Membership

    user = UserFactory(username=username)
    Membership.objects.create(
        user=user, partner=enterprise.partner, role=Role.ENTERPRISE_CONTACT, enterprise=enterprise
    )
    return user


def build_world(cast) -> dict:
    from django.core.files.base import ContentFile

    from catalogue.models import KPIDefinition, Module
    from certificates.models import IssuedCertificate
    from enterprises.models import ExportJob, ImportJob, KPIReading
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
    # an export belongs to the person who asked for it (zj-staff's; sc-staff's is "other")
    for key, person in (("zj_export", cast.zj_staff), ("sc_export", cast.sc_staff)):
        world[key] = ExportJob.objects.create(requested_by=person, format="csv", status="done")
        world[key].file.save("enterprises.csv", ContentFile(b"name\n"), save=False)
        world[key].file_name = "enterprises.csv"
        world[key].save()
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
        world[f"{prefix}sheet"] = workshop.participant_imports.create(
            original_name="sheet.xlsx", file="imports/sheet.xlsx", status="previewed"
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
        # a reading returned for revision with its comment (the data review loop)
        returned = world[f"{prefix}returned"] = KPIReading.objects.create(
            enterprise=enterprise,
            kpi=KPIDefinition.objects.get(code="waste"),
            kind="follow_up",
            period_start="2026-04-01",
            period_end="2026-04-30",
            value=3,
            returned_by=cast.zj_staff if not prefix else cast.sc_staff,
            returned_at="2026-05-02T00:00Z",
        )
        returned.comments.create(kind="return", author=returned.returned_by, text="Unit?")
        trainer = TrainerFactory(partners=[partner])
        world[f"{prefix}visit"] = ConsultingVisit.objects.create(
            enrolment=enrolment, trainer=trainer, number=1, planned_date="2026-07-01"
        )
        world[f"{prefix}trainer"] = trainer
        world[f"{prefix}action"] = world[f"{prefix}visit"].actions.create(description="Paint lines")
        enterprise_run = ReportRun(
            kind="enterprise",
            partner=partner,
            enterprise=enterprise,
            status="done",
            progress=100,
            params_key=f"matrix:enterprise:{prefix}",
        )
        enterprise_run.save()
        enterprise_run.file.save("report.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
        world[f"{prefix}enterprise_run"] = enterprise_run
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
    # the public evaluation form's link of ZJ's participant (the slip in the workshop pack)
    from workshops.services import evaluation_tokens_issue

    world["evaluation_token"] = evaluation_tokens_issue(
        acting_user=cast.zj_staff, workshop=world["workshop"], participants=[world["participant"]]
    )[world["participant"].pk]
    # the contact of ZJ's enterprise: a column of both matrices (404 outside it)
    if not hasattr(cast, "zj_contact"):
        cast.zj_contact = contact_of(world["enterprise"])
    # a reading the contact submitted and staff returned for revision (the contact answers)
    from enterprises.services.review import kpi_reading_return
    from enterprises.services.submissions import enterprise_kpi_reading_submit

    world["contact_returned"] = enterprise_kpi_reading_submit(
        acting_user=cast.zj_contact,
        enterprise=world["enterprise"],
        kpi=KPIDefinition.objects.get(code="waste"),
        kind="follow_up",
        period_start=datetime.date(2026, 4, 1),
        period_end=datetime.date(2026, 4, 30),
        value=3,
        confirm_unusual=True,
        unusual_reason="first reading",
    )
    kpi_reading_return(
        acting_user=cast.zj_staff, reading=world["contact_returned"], comment="Which unit?"
    )
    # a baseline assessment of M1 for each partner's enterprise (SCORE assessments)
    from catalogue.models import ChecklistVersion
    from enterprises.services.assessments import assessment_record

    version = ChecklistVersion.objects.filter(module=world["module"]).order_by("-number").first()
    world["checklist_item"] = version.items.order_by("order").first()
    for prefix, author in (("", cast.zj_staff), ("other_", cast.sc_staff)):
        world[f"{prefix}assessment"] = assessment_record(
            acting_user=author,
            enterprise=world[f"{prefix}enterprise"],
            module=world["module"],
            kind="baseline",
            assessed_on=datetime.date(2026, 2, 1),
            answers={item.pk: False for item in version.items.all()},
        )
    from enterprises.models import EnterpriseGroup

    # enterprise groups (enterprises/groups): ZJ's holds its enterprise, SC's the other one
    for prefix, partner in (("", cast.zj), ("other_", cast.sc)):
        group = EnterpriseGroup.objects.create(partner=partner, name=f"{partner.code} Group")
        world[f"{prefix}enterprise"].group = group
        world[f"{prefix}enterprise"].save(update_fields=["group"])
        world[f"{prefix}group"] = group
    # the contact of ZJ's group (the group's own pages: its report)
    if not hasattr(cast, "zj_group_contact"):
        from score_portal.models import Membership

        cast.zj_group_contact = UserFactory(username="zj-group-contact")
        Membership.objects.create(
            user=cast.zj_group_contact,
            partner=cast.zj,
            role=Role.ENTERPRISE_CONTACT,
            group=world["group"],
        )
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
    from webhooks.models import WebhookDelivery, WebhookEndpoint

    # webhook endpoints (webhooks/): ZJ's by its partner manager, SC's by the programme manager
    for prefix, partner, author in (
        ("", cast.zj, cast.zj_manager),
        ("other_", cast.sc, cast.programme),
    ):
        endpoint = world[f"{prefix}webhook"] = WebhookEndpoint.objects.create(
            partner=partner,
            url="https://receiver.example.org/score",
            objects_subscribed=["visit"],
            events=["updated"],
            secret="whsec_test",
            created_by=author,
        )
        world[f"{prefix}webhook_delivery"] = WebhookDelivery.objects.create(
            endpoint=endpoint,
            object_type="visit",
            object_id=str(world[f"{prefix}visit"].pk),
            event="updated",
            body="{}",
            status="delivered",
        )

    # targets (reports/): last year's of each partner, for "copy last year's targets"
    from reports.targets import targets_set

    for partner in (cast.zj, cast.sc):
        targets_set(
            acting_user=cast.programme,
            partner=partner,
            year=2025,
            values={("participants", None, "", 0): Decimal(100)},
        )
    return world


@contextmanager
def world_for_module(
    django_db_blocker, media_root, extend: Callable[[dict], object] | None = None
) -> Iterator[dict]:
    """The world built once for a test module, inside a transaction rolled back at its end.

    Each test of the module runs in a savepoint of that transaction (pytest-django's ``db``
    fixture), so it sees the same rows and whatever it writes is undone before the next. The
    world's files live in ``media_root`` for the module's life: the module points its
    ``_media_root`` fixture there (see ``media_root_of``). Building the world is most of the
    cost of a matrix test, a request the rest: once per module instead of once per test.
    """
    from django.db import transaction
    from django.test.utils import override_settings

    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media_root):
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world(build_cast())
            world["media_root"] = media_root
            if extend is not None:
                extend(world)
            yield world
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
