"""save_as / delete_as / bulk_create_as: the author of every change is in history, also
outside a request."""

import pytest
from django.contrib.auth import get_user_model

from score_portal.models import Partner
from score_portal.services import bulk_create_as, delete_as, save_as
from tests import factories

pytestmark = pytest.mark.django_db


def test_it_records_the_acting_user_outside_a_request():
    user = get_user_model().objects.create_user("author")
    enterprise = factories.EnterpriseFactory()
    enterprise.name = "Renamed"
    save_as(enterprise, user)
    assert enterprise.history.latest().history_user == user


def test_it_records_the_author_of_a_delete():
    user = get_user_model().objects.create_user("author")
    enterprise = factories.EnterpriseFactory()
    pk = enterprise.pk
    delete_as(enterprise, user)
    record = type(enterprise).history.filter(id=pk).latest()
    assert record.history_type == "-" and record.history_user == user


def test_bulk_create_writes_one_history_row_each_with_its_author():
    user = get_user_model().objects.create_user("author")
    partner = factories.PartnerFactory()
    model = factories.EnterpriseFactory._meta.model
    objs = [factories.EnterpriseFactory.build(partner=partner, credit_code="") for _ in range(3)]
    created = bulk_create_as(model, objs, user)
    assert len(created) == 3
    assert model.history.filter(history_user=user, history_type="+").count() == 3


def test_models_without_history_are_saved_as_usual():
    user = get_user_model().objects.create_user("author")
    partner = save_as(Partner(code="XX", name_en="X"), user)
    assert Partner.objects.filter(pk=partner.pk).exists()
    assert bulk_create_as(Partner, [], user) == []
