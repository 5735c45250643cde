"""Enterprise groups: the free-text parent group becomes a record, groups are scoped by
partner, enterprises are assigned (one by one or in bulk), and the list filters by group."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from enterprises.models import Enterprise, EnterpriseGroup
from enterprises.services import (
    enterprise_group_assign,
    enterprise_group_create,
    enterprise_group_update,
)
from tests.factories import EnterpriseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def group(cast):
    return enterprise_group_create(
        acting_user=cast.zj_staff,
        partner=cast.zj,
        name="Zhejiang Provincial Transport Investment Group",
        name_zh="浙江省交通投资集团",
        code="zj-transport",
    )


def test_staff_create_a_group_with_history_and_author(cast, group):
    assert group.code == "ZJ-TRANSPORT"
    record = group.history.get()
    assert record.history_user == cast.zj_staff
    enterprise_group_update(acting_user=cast.zj_staff, group=group, name_zh="浙江交投")
    assert group.history.count() == 2


def test_a_group_name_is_unique_per_partner_whatever_the_case(cast, group):
    with pytest.raises(ValidationError) as error:
        enterprise_group_create(
            acting_user=cast.zj_staff,
            partner=cast.zj,
            name="zhejiang provincial transport investment group",
        )
    assert "name" in error.value.message_dict
    # another partner may use the same name
    enterprise_group_create(acting_user=cast.sc_staff, partner=cast.sc, name=group.name)


def test_managers_and_other_partners_cannot_create_groups(cast):
    for user, partner in ((cast.zj_manager, cast.zj), (cast.sc_staff, cast.zj)):
        with pytest.raises(PermissionDenied):
            enterprise_group_create(acting_user=user, partner=partner, name="X Group")


def test_assign_puts_enterprises_in_and_out_with_history(cast, group):
    a = EnterpriseFactory(partner=cast.zj, name="A Transport")
    b = EnterpriseFactory(partner=cast.zj, name="B Transport")
    changed = enterprise_group_assign(acting_user=cast.zj_staff, group=group, enterprises=[a, b])
    assert changed == 2
    assert set(group.enterprises.all()) == {a, b}
    a.refresh_from_db()
    assert a.version == 2
    assert a.history.first().history_user == cast.zj_staff
    # again: nothing changes
    assert enterprise_group_assign(acting_user=cast.zj_staff, group=group, enterprises=[a]) == 0
    assert enterprise_group_assign(acting_user=cast.zj_staff, group=None, enterprises=[a]) == 1
    assert list(group.enterprises.all()) == [b]


def test_an_enterprise_of_another_partner_cannot_join_the_group(cast, group):
    other = EnterpriseFactory(partner=cast.sc)
    with pytest.raises(PermissionDenied):
        enterprise_group_assign(acting_user=cast.zj_staff, group=group, enterprises=[other])
    with pytest.raises(ValidationError):
        # even for someone who may change both (a model rule, not only a permission)
        other.group = group
        other.full_clean()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the suite's convention
def test_parent_group_texts_become_groups_per_partner(cast):
    """The data migration: each partner's distinct texts (case and spaces aside) become one
    group each; every enterprise keeps its row and is linked; the reverse restores texts."""
    executor = MigrationExecutor(connection)
    before = [("enterprises", "0017_enterprise_groups")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    OldEnterprise = apps.get_model("enterprises", "Enterprise")
    rows = [
        (cast.zj.pk, "Zhejiang Transport Group"),
        (cast.zj.pk, " zhejiang  transport group "),
        (cast.zj.pk, "Zhejiang Airport Group"),
        (cast.zj.pk, ""),
        (cast.sc.pk, "Zhejiang Transport Group"),
    ]
    for number, (partner_id, text) in enumerate(rows):
        OldEnterprise.objects.create(
            partner_id=partner_id, name=f"E{number}", parent_group=text, status="active"
        )
    executor = MigrationExecutor(connection)
    executor.migrate([("enterprises", "0018_parent_group_to_groups")])
    apps = executor.loader.project_state([("enterprises", "0018_parent_group_to_groups")]).apps
    Group = apps.get_model("enterprises", "EnterpriseGroup")
    Mid = apps.get_model("enterprises", "Enterprise")
    assert Mid.objects.count() == 5
    assert Group.objects.filter(partner_id=cast.zj.pk).count() == 2
    assert Group.objects.filter(partner_id=cast.sc.pk).count() == 1
    transport = Group.objects.get(partner_id=cast.zj.pk, name="Zhejiang Transport Group")
    assert set(Mid.objects.filter(group=transport).values_list("name", flat=True)) == {"E0", "E1"}
    assert Mid.objects.get(name="E3").group_id is None
    assert Mid.objects.get(name="E4").group.partner_id == cast.sc.pk
    # reverse: the texts come back (normalised), nothing is lost
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Old = apps.get_model("enterprises", "Enterprise")
    assert Old.objects.get(name="E1").parent_group == "Zhejiang Transport Group"
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Enterprise.objects.count() == 5


# --- pages ------------------------------------------------------------------------------


def test_partner_b_cannot_see_partner_a_group(client, cast, group):
    client.force_login(cast.sc_staff)
    for name in ("detail", "edit", "assign"):
        assert client.get(reverse(f"enterprises:groups:{name}", args=[group.pk])).status_code == 404
    response = client.get(reverse("enterprises:groups:list"))
    assert group.name not in response.content.decode()


def test_manager_sees_the_group_but_cannot_edit_it(client, cast, group):
    client.force_login(cast.zj_manager)
    assert client.get(reverse("enterprises:groups:detail", args=[group.pk])).status_code == 200
    assert client.get(reverse("enterprises:groups:edit", args=[group.pk])).status_code == 403
    assert client.get(reverse("enterprises:groups:create")).status_code == 403


def test_programme_manager_sees_every_partners_groups(client, cast, group):
    other = enterprise_group_create(acting_user=cast.sc_staff, partner=cast.sc, name="SC Group")
    client.force_login(cast.programme)
    page = client.get(reverse("enterprises:groups:list")).content.decode()
    assert group.name in page and other.name in page


def test_staff_create_a_group_on_the_page(client, cast):
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:groups:create"))
    data = {"partner": cast.zj.pk, "name": "Airport Group", "name_zh": "机场集团", "code": ""}
    data["form_token"] = page.context["form"]["form_token"].value()
    response = client.post(reverse("enterprises:groups:create"), data)
    group = EnterpriseGroup.objects.get(name="Airport Group")
    assert response.status_code == 302
    assert response["Location"] == reverse("enterprises:groups:detail", args=[group.pk])


def test_duplicate_group_name_is_a_clear_message_not_a_500(client, cast, group):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:groups:edit", args=[group.pk]), {"name": group.name.upper()}
    )
    assert response.status_code == 302  # the same group: its own name is fine
    other = enterprise_group_create(acting_user=cast.zj_staff, partner=cast.zj, name="Other")
    response = client.post(
        reverse("enterprises:groups:edit", args=[other.pk]), {"name": group.name.upper()}
    )
    assert response.status_code == 400  # the form again, with its message
    assert "already has a group with this name" in response.content.decode()


def test_assign_page_adds_and_removes(client, cast, group):
    a = EnterpriseFactory(partner=cast.zj, name="A Transport")
    b = EnterpriseFactory(partner=cast.zj, name="B Transport", group=group)
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:groups:assign", args=[group.pk])
    page = client.get(url).content.decode()
    assert "A Transport" in page
    response = client.post(url, {"add": [a.pk], "remove": [b.pk]})
    assert response.status_code == 302
    assert list(group.enterprises.all()) == [a]
    # nothing ticked: a message, no change
    response = client.post(url, {})
    assert response.status_code in (200, 400)
    assert "Tick at least one enterprise" in response.content.decode()


def test_bulk_action_puts_the_selection_in_a_group(client, cast, group):
    a = EnterpriseFactory(partner=cast.zj, name="A Transport")
    b = EnterpriseFactory(partner=cast.zj, name="B Transport")
    client.force_login(cast.zj_staff)
    data = {"action": "group", "group": group.pk, "selected": [a.pk, b.pk]}
    response = client.post(reverse("enterprises:bulk"), data)
    assert response.status_code == 302
    assert set(group.enterprises.all()) == {a, b}
    response = client.post(
        reverse("enterprises:bulk"), {"action": "ungroup", "selected": [a.pk]}, follow=True
    )
    assert "Group changed for 1 enterprise." in response.content.decode()
    assert list(group.enterprises.all()) == [b]
    # a group must be chosen
    client.post(reverse("enterprises:bulk"), {"action": "group", "selected": [a.pk]})
    assert list(group.enterprises.all()) == [b]


def test_bulk_action_refuses_another_partners_group(client, cast, group):
    sc_group = enterprise_group_create(acting_user=cast.sc_staff, partner=cast.sc, name="SC")
    a = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    client.post(
        reverse("enterprises:bulk"), {"action": "group", "group": sc_group.pk, "selected": [a.pk]}
    )
    a.refresh_from_db()
    assert a.group_id is None


def test_enterprise_list_filters_by_group(client, cast, group):
    EnterpriseFactory(partner=cast.zj, name="In Group Ltd", group=group)
    EnterpriseFactory(partner=cast.zj, name="Outside Ltd")
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:list"), {"group": group.pk}).content.decode()
    assert "In Group Ltd" in page and "Outside Ltd" not in page
    # the search finds the group's name in either language
    page = client.get(reverse("enterprises:list"), {"q": "交通投资"}).content.decode()
    assert "In Group Ltd" in page and "Outside Ltd" not in page


def test_another_partners_group_is_not_a_filter_choice(client, cast, group):
    EnterpriseFactory(partner=cast.zj, name="In Group Ltd", group=group)
    client.force_login(cast.sc_staff)
    response = client.get(reverse("enterprises:list"), {"group": group.pk})
    assert response.status_code == 200
    assert "In Group Ltd" not in response.content.decode()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_group_page_in_both_languages(client, cast, group, language):
    EnterpriseFactory(partner=cast.zj, name="In Group Ltd", name_zh="集团子公司", group=group)
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    page = client.get(
        reverse("enterprises:groups:detail", args=[group.pk]), HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    if language == "en":
        assert "Zhejiang Provincial Transport Investment Group" in page
        assert "The group's enterprises compared" in page
        assert "In Group Ltd" in page
    else:
        assert "浙江省交通投资集团" in page
        assert "集团子公司" in page


def test_group_page_runs_a_fixed_number_of_queries_whatever_its_size(client, cast, group):
    from django.test.utils import CaptureQueriesContext

    from tests.factories import EnrolmentFactory

    client.force_login(cast.zj_staff)
    url = reverse("enterprises:groups:detail", args=[group.pk])

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj, group=group))
    one = count()
    for _ in range(4):
        EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj, group=group))
    assert count() == one
