"""An enterprise's status follows its enrolments (prospect → active → completed/withdrawn):
the rule, each transition through the enrolment services, workshop completion and the
import, what may be set by hand, the repair and the data migration."""

import datetime
import importlib
import io

import pytest
from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse

from enterprises import services
from enterprises.models import Enrolment, Enterprise, enterprise_status_for
from enterprises.transfer.importing import run_import
from enterprises.transfer.parsing import parse
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    _module,
    certify,
)

from .import_files import HEADERS, xlsx_bytes

pytestmark = pytest.mark.django_db
DAY = datetime.date(2026, 3, 2)


@pytest.mark.parametrize(
    "enrolments, current, status",
    [
        ([], "prospect", "prospect"),
        ([], "active", "prospect"),  # active without an enrolment is not a status
        ([], "withdrawn", "withdrawn"),  # a prospect that declined, set by hand
        (["applied"], "prospect", "prospect"),
        (["applied"], "withdrawn", "prospect"),
        (["enrolled"], "prospect", "active"),
        (["in_training"], "prospect", "active"),
        (["in_consulting"], "completed", "active"),
        (["completed"], "active", "completed"),
        (["completed", "applied"], "active", "completed"),  # applied for the next module
        (["completed", "enrolled"], "completed", "active"),
        (["completed", "withdrawn"], "active", "completed"),
        (["withdrawn"], "active", "withdrawn"),
        (["withdrawn", "withdrawn"], "prospect", "withdrawn"),
        (["withdrawn", "applied"], "withdrawn", "prospect"),  # applied again
        (["withdrawn", "in_training"], "withdrawn", "active"),
    ],
)
def test_the_rule(enrolments, current, status):
    assert enterprise_status_for(enrolments, current) == status


def enrol(cast, enterprise, module="M1", status="applied"):
    return services.enrolment_create(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        module=_module(module),
        applied_on=DAY,
        status=status,
    )


def move(cast, enrolment, status, reason=""):
    return services.enrolment_transition(
        acting_user=cast.zj_staff, enrolment=enrolment, status=status, on_date=DAY, reason=reason
    )


def status_of(enterprise) -> str:
    return Enterprise.objects.get(pk=enterprise.pk).status


def test_prospect_active_completed_through_the_services(cast):
    enterprise = services.enterprise_create(
        acting_user=cast.zj_staff, partner=cast.zj, name="Huzhou Silk"
    )
    assert enterprise.status == "prospect"
    m1 = enrol(cast, enterprise)
    assert status_of(enterprise) == "prospect"  # applied, not yet enrolled
    move(cast, m1, "enrolled")
    assert status_of(enterprise) == "active"
    move(cast, m1, "in_training")
    move(cast, m1, "in_consulting")
    assert status_of(enterprise) == "active"
    move(cast, m1, "completed")
    assert status_of(enterprise) == "completed"
    m2 = enrol(cast, enterprise, "M2")
    assert status_of(enterprise) == "completed"
    move(cast, m2, "enrolled")
    assert status_of(enterprise) == "active"
    # Each change has a history row by the person whose action caused it.
    latest = Enterprise.objects.get(pk=enterprise.pk).history.first()
    assert (latest.status, latest.history_user) == ("active", cast.zj_staff)


def test_enrolled_at_once_is_active(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, status="prospect")
    enrol(cast, enterprise, status="enrolled")
    assert status_of(enterprise) == "active"


def test_withdrawing_the_only_enrolment_withdraws_the_enterprise(cast):
    enterprise = EnterpriseFactory(partner=cast.zj, status="prospect")
    m1 = enrol(cast, enterprise, status="enrolled")
    move(cast, m1, "withdrawn", reason="Factory closed")
    assert status_of(enterprise) == "withdrawn"
    enrol(cast, enterprise)  # applies again
    assert status_of(enterprise) == "prospect"


def test_completing_a_workshop_makes_the_enterprise_active(cast):
    from trainers.services.teaching import workshop_complete, workshop_set_trainers
    from workshops import services as workshop_services

    trainer = TrainerFactory(partners=[cast.zj])
    certify(trainer, "M1", "certified")
    workshop = WorkshopFactory(partner=cast.zj)
    # A status left behind before the rule: enrolled but still a prospect.
    enterprise = EnterpriseFactory(partner=cast.zj, status="prospect")
    enrolment = EnrolmentFactory(enterprise=enterprise, status="enrolled")
    workshop_set_trainers(acting_user=cast.zj_staff, workshop=workshop, trainers=[trainer])
    workshop_services.workshop_invite(
        acting_user=cast.zj_staff, workshop=workshop, enrolments=[enrolment]
    )
    person = workshop_services.participant_save(
        acting_user=cast.zj_staff,
        workshop=workshop,
        enrolment=enrolment,
        name="Wu Hong",
        sex="F",
        level="manager",
    )
    workshop_services.attendance_record(
        acting_user=cast.zj_staff, workshop=workshop, present={(person.pk, workshop.start_date)}
    )
    workshop_complete(acting_user=cast.zj_staff, workshop=workshop)
    assert Enrolment.objects.get(pk=enrolment.pk).status == "in_consulting"
    assert status_of(enterprise) == "active"


def test_the_import_gives_the_status_of_the_imported_enrolment(cast):
    rows = [
        [*HEADERS, "status", "enrolment_status"],
        ["Huzhou Silk", "", "C13", "Zhejiang", "Huzhou", 240, 150, "M1", "2026-03-01"]
        + ["active", "enrolled"],
        ["Ningbo Moulds", "", "C25", "Zhejiang", "Ningbo", 80, 20, "", "", "active", ""],
    ]
    result = run_import(
        acting_user=cast.zj_staff,
        partner=cast.zj,
        parsed=parse(io.BytesIO(xlsx_bytes(rows)), "e.xlsx"),
        dry_run=False,
    )
    assert result.applied, result.to_dict()
    assert Enterprise.objects.get(name="Huzhou Silk").status == "active"
    assert Enterprise.objects.get(name="Ningbo Moulds").status == "prospect"  # no enrolment


def test_by_hand_only_prospect_or_withdrawn_without_enrolments(cast):
    lone = EnterpriseFactory(partner=cast.zj, status="prospect")
    services.enterprise_update(acting_user=cast.zj_staff, enterprise=lone, status="withdrawn")
    assert status_of(lone) == "withdrawn"
    with pytest.raises(ValidationError) as error:
        services.enterprise_update(acting_user=cast.zj_staff, enterprise=lone, status="active")
    assert "becomes active when it is enrolled" in str(error.value)
    enrolled = EnterpriseFactory(partner=cast.zj, status="prospect")
    enrol(cast, enrolled, status="enrolled")
    with pytest.raises(ValidationError) as error:
        services.enterprise_update(
            acting_user=cast.zj_staff, enterprise=enrolled, status="completed"
        )
    assert "follows the enrolments" in str(error.value)
    assert status_of(enrolled) == "active"
    # Other fields save as before, with the status the form shows unchanged.
    services.enterprise_update(
        acting_user=cast.zj_staff, enterprise=enrolled, status="active", city="Ningbo"
    )
    assert Enterprise.objects.get(pk=enrolled.pk).city == "Ningbo"


def test_the_bulk_action_leaves_enterprises_with_enrolments_alone(cast):
    lone = EnterpriseFactory(partner=cast.zj, status="prospect")
    enrolled = EnterpriseFactory(partner=cast.zj, status="prospect")
    enrol(cast, enrolled, status="enrolled")
    changed = services.enterprise_set_status(
        acting_user=cast.zj_staff, enterprises=Enterprise.objects.all(), status="withdrawn"
    )
    assert changed == 1
    assert (status_of(lone), status_of(enrolled)) == ("withdrawn", "active")
    with pytest.raises(ValidationError):
        services.enterprise_set_status(
            acting_user=cast.zj_staff, enterprises=Enterprise.objects.all(), status="completed"
        )


def test_the_enterprise_form_shows_the_rule(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj, status="prospect")
    enrol(cast, enterprise, status="enrolled")
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:edit", args=[enterprise.pk])).content.decode()
    assert "Follows the enrolments." in page
    response = client.post(
        reverse("enterprises:edit", args=[enterprise.pk]),
        {
            "name": enterprise.name,
            "status": "completed",
            "version": Enterprise.objects.get(pk=enterprise.pk).version,
        },
    )
    assert response.status_code == 400
    assert "The status follows the enrolments" in response.content.decode()
    assert status_of(enterprise) == "active"


def test_the_repair_and_the_data_migration_fix_stuck_statuses(cast):
    stuck = [EnterpriseFactory(partner=cast.zj, status="prospect") for _ in range(3)]
    EnrolmentFactory(enterprise=stuck[0], status="in_training")
    EnrolmentFactory(enterprise=stuck[1], status="completed")
    EnrolmentFactory(enterprise=stuck[2], status="withdrawn", withdrawal_reason="closed")
    lone_active = EnterpriseFactory(partner=cast.zj, status="active")
    declined = EnterpriseFactory(partner=cast.zj, status="withdrawn")
    expected = ["active", "completed", "withdrawn", "prospect", "withdrawn"]
    everyone = [*stuck, lone_active, declined]
    migration = importlib.import_module(
        "enterprises.migrations.0011_enterprise_status_follows_enrolments"
    )
    migration.follow_enrolments(global_apps, None)
    assert [status_of(e) for e in everyone] == expected
    Enterprise.objects.update(status="prospect")
    Enterprise.objects.filter(pk=declined.pk).update(status="withdrawn")
    out = io.StringIO()
    call_command("enterprise_statuses_sync", stdout=out)
    assert [status_of(e) for e in everyone] == expected
    assert "3 changed" in out.getvalue()
