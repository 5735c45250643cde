"""A trainer's login gets and loses access only within the acting user's partners (issue 12,
findings 1, 2, 3 and the username leak of 10)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from score_portal.models import Membership, Role
from tests.factories import TrainerFactory, UserFactory
from trainers.models import Trainer

pytestmark = pytest.mark.django_db
User = get_user_model()


def _form_data(client, trainer, **changes):
    """The edit form as it loads (what a browser would post back), with ``changes``."""
    form = client.get(reverse("trainers:edit", args=[trainer.pk])).context["form"]
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "partners":
            value = [p.pk for p in value or []]
        elif isinstance(value, bool):
            if not value:
                continue
            value = "on"
        data[name] = "" if value is None else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _roles(user):
    return {
        (m.partner.code, m.role)
        for m in Membership.objects.filter(user=user).select_related("partner")
    }


@pytest.fixture
def shared(cast):
    """A trainer serving ZJ and SC whose login is Zhejiang's trainer login."""
    trainer = TrainerFactory(name="Shared", partners=[cast.zj, cast.sc], user=cast.zj_trainer)
    return trainer


def test_partial_owner_cannot_replace_a_shared_trainers_login(client, cast, shared):
    client.force_login(cast.sc_staff)
    response = client.post(
        reverse("trainers:edit", args=[shared.pk]),
        _form_data(client, shared, login_username="sc-takeover"),
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="sc-takeover").exists()
    shared.refresh_from_db()
    assert shared.user == cast.zj_trainer
    assert _roles(cast.zj_trainer) == {("ZJ", Role.TRAINER)}
    assert "one-time password is" not in response.content.decode()


def test_new_login_gets_the_trainer_role_only_where_the_staff_works(client, cast):
    trainer = TrainerFactory(name="Shared", partners=[cast.zj, cast.sc])
    client.force_login(cast.sc_staff)
    response = client.post(
        reverse("trainers:edit", args=[trainer.pk]),
        _form_data(client, trainer, login_username="sc-login"),
    )
    assert response.status_code == 302
    login = User.objects.get(username="sc-login")
    assert _roles(login) == {("SC", Role.TRAINER)}
    # Zhejiang staff saving the form as loaded does not extend that login to Zhejiang.
    client.force_login(cast.zj_staff)
    assert (
        client.post(
            reverse("trainers:edit", args=[trainer.pk]), _form_data(client, trainer)
        ).status_code
        == 302
    )
    assert _roles(login) == {("SC", Role.TRAINER)}


def test_saving_a_shared_trainer_as_loaded_grants_nothing(client, cast, shared):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("trainers:edit", args=[shared.pk]),
        _form_data(client, shared, name="Shared Renamed"),
    )
    assert response.status_code == 302
    assert _roles(cast.zj_trainer) == {("ZJ", Role.TRAINER)}
    client.force_login(cast.sc_staff)
    assert (
        client.post(
            reverse("trainers:edit", args=[shared.pk]), _form_data(client, shared)
        ).status_code
        == 302
    )
    assert _roles(cast.zj_trainer) == {("ZJ", Role.TRAINER)}


def test_deactivating_a_trainer_ends_the_logins_access_at_once(client, cast, shared):
    Membership.objects.create(user=cast.zj_trainer, partner=cast.sc, role=Role.TRAINER)
    client.force_login(cast.zj_staff)
    data = _form_data(client, shared)
    del data["is_active"]
    assert client.post(reverse("trainers:edit", args=[shared.pk]), data).status_code == 302
    assert _roles(cast.zj_trainer) == set()
    history = Membership.history.filter(user_id=cast.zj_trainer.pk, history_type="-")
    assert {h.history_user for h in history} == {cast.zj_staff}
    client.force_login(cast.zj_trainer)
    assert client.get(reverse("enterprises:list")).status_code == 403
    # Reactivating gives the role back, only where the acting staff works.
    client.force_login(cast.zj_staff)
    data = _form_data(client, Trainer.objects.get(pk=shared.pk), is_active="on")
    assert client.post(reverse("trainers:edit", args=[shared.pk]), data).status_code == 302
    assert _roles(cast.zj_trainer) == {("ZJ", Role.TRAINER)}


def test_removing_a_partner_from_a_trainer_ends_the_logins_role_there(client, cast):
    login = UserFactory(username="both-partners")
    trainer = TrainerFactory(name="Shared", partners=[cast.zj, cast.sc], user=login)
    Membership.objects.create(user=login, partner=cast.zj, role=Role.TRAINER)
    Membership.objects.create(user=login, partner=cast.sc, role=Role.TRAINER)
    both = UserFactory(username="staff-both")
    Membership.objects.create(user=both, partner=cast.zj, role=Role.PARTNER_STAFF)
    Membership.objects.create(user=both, partner=cast.sc, role=Role.PARTNER_STAFF)
    client.force_login(both)
    response = client.post(
        reverse("trainers:edit", args=[trainer.pk]),
        _form_data(client, trainer, partners=[cast.zj.pk]),
    )
    assert response.status_code == 302
    assert _roles(login) == {("ZJ", Role.TRAINER)}
    client.force_login(login)
    assert client.get(reverse("trainers:my-schedule")).status_code == 200
    ended = Membership.history.get(user_id=login.pk, partner_id=cast.sc.pk, history_type="-")
    assert ended.history_user == both


@pytest.mark.parametrize("taken", ["zj-staff", "zj-trainer", "programme", "norole-admin"])
def test_login_field_does_not_tell_which_usernames_exist_or_their_roles(client, cast, taken):
    UserFactory(username="norole-admin", is_staff=True)
    TrainerFactory(name="Zhejiang trainer", partners=[cast.zj], user=cast.zj_trainer)
    trainer = TrainerFactory(name="Sichuan trainer", partners=[cast.sc])
    client.force_login(cast.sc_staff)
    response = client.post(
        reverse("trainers:edit", args=[trainer.pk]),
        _form_data(client, trainer, login_username=taken),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors["login_username"]
    assert errors == ["This username cannot be used for this trainer. Choose another one."]
    trainer.refresh_from_db()
    assert trainer.user is None
    assert not Membership.objects.filter(partner=cast.sc, role=Role.TRAINER).exists()
