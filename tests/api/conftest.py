"""The API's world: the URL matrices' objects (ZJ "own", SC "other"), a few more rows so
every list endpoint has one per partner, and a personal token for every role."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.services import _new_secret, digest_of, token_create
from tests.url_world import build_world

ROLES = ["programme", "zj_manager", "zj_staff", "zj_trainer", "norole"]


def token_for(user, days=30) -> str:
    from score_portal.models import Membership

    if Membership.objects.filter(user=user).exists():
        return token_create(acting_user=user, name="test", days=days)[1]
    # a person without a role cannot create one on the page: made as data, to test the 403
    prefix, raw = _new_secret()
    ApiToken.objects.create(
        name="norole",
        user=user,
        prefix=prefix,
        digest=digest_of(raw),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    return raw


def extend_world(world) -> dict:
    from reports.models import Target
    from trainers.models import Assignment, Certification, Trainer, VisitAction
    from workshops.models import Attendance

    for prefix, partner in (("", world["cast"].zj), ("other_", world["cast"].sc)):
        participant = world[f"{prefix}participant"]
        workshop = participant.workshop
        world[f"{prefix}attendance"] = Attendance.objects.create(
            participant=participant, day=workshop.start_date, present=True
        )
        world[f"{prefix}certification"] = Certification.objects.create(
            trainer=world[f"{prefix}trainer"], module=world["module"]
        )
        world[f"{prefix}action"] = VisitAction.objects.create(
            visit=world[f"{prefix}visit"], description="Label the shelves", owner="Wu"
        )
        world[f"{prefix}target"] = Target.objects.create(
            partner=partner, year=2026, indicator="visits_done", value=10
        )
    # zj-trainer consults the ZJ enrolment (and so sees its enterprise, visits and readings)
    trainer = Trainer.objects.create(user=world["cast"].zj_trainer, name="Trainer Zhou", sex="M")
    trainer.partners.set([world["cast"].zj])
    Assignment.objects.create(trainer=trainer, enrolment=world["enrolment"])
    world["own_trainer"] = trainer
    return world


@pytest.fixture
def world(cast):
    return extend_world(build_world(cast))


@pytest.fixture
def tokens(cast):
    return {role: token_for(getattr(cast, role)) for role in ROLES}


@pytest.fixture
def api():
    def client(raw=None):
        c = APIClient()
        if raw:
            c.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        return c

    return client
