"""Workshop capacity holds when participants are added at the same moment."""

import threading

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, connections

from tests.factories import EnrolmentFactory, EnterpriseFactory, WorkshopFactory
from workshops import services
from workshops.models import Participant, Workshop

# Threads need real row locks and their own connections: PostgreSQL. Skipped before the
# database is set up (a transactional test on SQLite would flush it for nothing).
needs_postgresql = pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
    reason="needs PostgreSQL (DATABASE_URL): SQLite serialises every write",
)


def _invited_workshop(partner, capacity):
    workshop = WorkshopFactory(partner=partner, capacity=capacity)
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=partner))
    workshop.invitations.add(enrolment)
    return workshop, enrolment


@pytest.mark.django_db
def test_it_counts_against_the_stored_capacity_not_the_callers_copy(cast):
    workshop, enrolment = _invited_workshop(cast.zj, capacity=1)
    stale = Workshop.objects.get(pk=workshop.pk)
    stale.capacity = 50  # a copy read before someone lowered it / a form's value
    services.participant_save(
        acting_user=cast.zj_staff,
        workshop=stale,
        enrolment=enrolment,
        name="Li",
        sex="F",
        level="worker",
    )
    with pytest.raises(ValidationError, match="full"):
        services.participant_save(
            acting_user=cast.zj_staff,
            workshop=stale,
            enrolment=enrolment,
            name="Wang",
            sex="M",
            level="worker",
        )
    assert workshop.participants.count() == 1


@pytest.mark.django_db
def test_it_locks_the_workshop_row_before_counting(cast):
    from django.test.utils import CaptureQueriesContext

    if not connection.features.has_select_for_update:
        pytest.skip("SQLite has no row locks (it serialises every write)")
    workshop, enrolment = _invited_workshop(cast.zj, capacity=3)
    with CaptureQueriesContext(connection) as queries:
        services.participant_save(
            acting_user=cast.zj_staff,
            workshop=workshop,
            enrolment=enrolment,
            name="Li",
            sex="F",
            level="worker",
        )
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if "workshops_workshop" in q and "FOR UPDATE" in q)
    count = next(
        i for i, q in enumerate(sql) if "COUNT(" in q.upper() and "workshops_participant" in q
    )
    assert lock < count


@pytest.mark.services
@needs_postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_it_never_overbooks_under_simultaneous_posts(cast):
    workshop, enrolment = _invited_workshop(cast.zj, capacity=2)
    start = threading.Barrier(6)
    outcomes = []

    def add(n):
        try:
            start.wait()
            services.participant_save(
                acting_user=cast.zj_staff,
                workshop=workshop,
                enrolment=enrolment,
                name=f"P{n}",
                sex="F",
                level="worker",
            )
            outcomes.append("saved")
        except ValidationError:
            outcomes.append("full")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["full"] * 4 + ["saved"] * 2
    assert Participant.objects.filter(workshop=workshop).count() == 2
