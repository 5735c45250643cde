"""Integer ``__in`` lookups with ids no column can hold (posted by hand) match nothing."""

import pytest

from enterprises.models import Enterprise
from tests.factories import EnterpriseFactory

HUGE = 10**30


@pytest.mark.django_db
def test_it_ignores_ids_out_of_the_integer_range_in_an_in_lookup():
    enterprise = EnterpriseFactory()
    assert list(Enterprise.objects.filter(pk__in=[HUGE])) == []
    assert list(Enterprise.objects.filter(pk__in=[-HUGE, enterprise.pk, HUGE])) == [enterprise]
    assert Enterprise.objects.exclude(pk__in=[HUGE]).count() == 1


@pytest.mark.django_db
def test_staff_posting_a_huge_id_to_a_multiple_choice_gets_the_form_back(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        "/enterprises/bulk/", {"action": "status", "status": "withdrawn", "selected": ["9" * 30]}
    )
    assert response.status_code == 302  # back to the list with "choose at least one"
    assert not Enterprise.objects.filter(status="withdrawn").exists()
