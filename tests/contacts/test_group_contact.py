"""The group contact (issue 16): a provincial group's "SCORE secretary" holds the enterprise
contact role over every enterprise of the group, as the group is at each request; /my/
lists them and switches between them; staff invite them from the group's page."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from catalogue.models import KPIDefinition
from enterprises.models import EnterpriseGroup, KPIReading
from score_portal.access import Perm, access_for, can
from score_portal.memberships import membership_grant
from score_portal.models import Membership, Role
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, UserFactory
from trainers.models import ConsultingVisit

pytestmark = pytest.mark.django_db


def _group_contact(group, username="zj-group"):
    user = UserFactory(username=username)
    Membership.objects.create(
        user=user, partner=group.partner, role=Role.ENTERPRISE_CONTACT, group=group
    )
    return user


@pytest.fixture
def world(cast):
    group = EnterpriseGroup.objects.create(partner=cast.zj, name="Transport Group")
    port = EnterpriseFactory(partner=cast.zj, name="Ningbo Port Co.", group=group)
    road = EnterpriseFactory(partner=cast.zj, name="Hangzhou Road Co.", group=group)
    outside = EnterpriseFactory(partner=cast.zj, name="Outside Co.")  # same partner, no group
    other_group = EnterpriseGroup.objects.create(partner=cast.zj, name="Airport Group")
    airport = EnterpriseFactory(partner=cast.zj, name="Airport Co.", group=other_group)
    return {
        "cast": cast,
        "group": group,
        "port": port,
        "road": road,
        "outside": outside,
        "airport": airport,
        "contact": _group_contact(group),
    }


def _visit(enterprise, partner, number=1, planned="2099-07-01"):
    return ConsultingVisit.objects.create(
        enrolment=EnrolmentFactory(enterprise=enterprise),
        trainer=TrainerFactory(partners=[partner]),
        number=number,
        planned_date=planned,
    )


# --- the membership ------------------------------------------------------------------------


def test_a_contact_has_an_enterprise_or_a_group_never_both(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=UserFactory(),
            partner=world["cast"].zj,
            role=Role.ENTERPRISE_CONTACT,
            enterprise=world["port"],
            group=world["group"],
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(
            user=UserFactory(),
            partner=world["cast"].zj,
            role=Role.PARTNER_STAFF,
            group=world["group"],
        )


def test_the_group_is_of_the_memberships_partner(world):
    theirs = EnterpriseGroup.objects.create(partner=world["cast"].sc, name="Sichuan Group")
    membership = Membership(
        user=UserFactory(), partner=world["cast"].zj, role=Role.ENTERPRISE_CONTACT, group=theirs
    )
    with pytest.raises(ValidationError):
        membership.full_clean()


def test_staff_grant_a_group_contact_of_their_partners_groups_only(world):
    cast = world["cast"]
    membership = membership_grant(
        acting_user=cast.zj_staff,
        user=UserFactory(),
        partner=None,
        role=Role.ENTERPRISE_CONTACT,
        group=world["group"],
    )
    assert membership.partner == cast.zj and membership.group == world["group"]
    theirs = EnterpriseGroup.objects.create(partner=cast.sc, name="Sichuan Group")
    with pytest.raises(PermissionDenied):
        membership_grant(
            acting_user=cast.zj_staff,
            user=UserFactory(),
            partner=None,
            role=Role.ENTERPRISE_CONTACT,
            group=theirs,
        )
    with pytest.raises(ValidationError):  # an enterprise and a group at once
        membership_grant(
            acting_user=cast.zj_staff,
            user=UserFactory(),
            partner=None,
            role=Role.ENTERPRISE_CONTACT,
            group=world["group"],
            enterprise=world["port"],
        )


# --- access --------------------------------------------------------------------------------


def test_a_group_contact_speaks_for_every_enterprise_of_the_group_and_no_other(world):
    access = access_for(world["contact"])
    assert access.enterprise_ids == {world["port"].pk, world["road"].pk}
    assert access.is_contact_only and Role.ENTERPRISE_CONTACT in access.roles
    assert can(world["contact"], Perm.SUBMIT, world["road"])
    assert not can(world["contact"], Perm.SUBMIT, world["outside"])
    assert not can(world["contact"], Perm.SUBMIT, world["airport"])


def test_the_group_is_read_as_it_is_now(world):
    joined = EnterpriseFactory(partner=world["cast"].zj, name="Joined Later Co.")
    joined.group = world["group"]
    joined.save()
    world["port"].group = None
    world["port"].save()
    contact = type(world["contact"]).objects.get(pk=world["contact"].pk)  # a new request
    assert access_for(contact).enterprise_ids == {world["road"].pk, joined.pk}


def test_an_enterprise_of_another_partner_in_the_group_does_not_count(world):
    stray = EnterpriseFactory(partner=world["cast"].sc, name="Stray Co.", group=world["group"])
    assert stray.pk not in access_for(world["contact"]).enterprise_ids


def test_reading_the_roles_is_one_query_whatever_the_groups_size(world, django_assert_num_queries):
    for index in range(10):
        EnterpriseFactory(partner=world["cast"].zj, name=f"Sub {index}", group=world["group"])
    contact = type(world["contact"]).objects.get(pk=world["contact"].pk)
    with django_assert_num_queries(1):
        assert len(access_for(contact).enterprise_ids) == 12


# --- the portal ----------------------------------------------------------------------------


def test_home_lists_the_groups_enterprises_with_what_needs_them(world, client):
    cast = world["cast"]
    visit = _visit(world["road"], cast.zj)
    visit.actions.create(description="Paint the lines")
    client.force_login(world["contact"])
    page = client.get(reverse("contacts:home")).content.decode()
    assert "Transport Group" in page
    assert "Ningbo Port Co." in page and "Hangzhou Road Co." in page
    assert "Outside Co." not in page and "Airport Co." not in page
    assert "1 open action" in page
    assert "2 enterprises in the programme" in page
    assert "next visit 1 Jul 2099" in re.sub(r"\s+", " ", page)


def test_switching_makes_every_page_about_the_chosen_enterprise(world, client):
    cast = world["cast"]
    _visit(world["road"], cast.zj).actions.create(description="Label the shelves")
    _visit(world["port"], cast.zj).actions.create(description="Fix the crane")
    client.force_login(world["contact"])
    # the first by name until they choose: Hangzhou Road Co.
    assert "Label the shelves" in client.get(reverse("contacts:actions")).content.decode()
    response = client.post(
        reverse("contacts:switch"),
        {"enterprise": world["port"].pk, "next": reverse("contacts:actions")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("contacts:actions")
    page = client.get(reverse("contacts:actions")).content.decode()
    assert "Fix the crane" in page and "Label the shelves" not in page
    # the switcher offers the group's enterprises only
    options = re.findall(r'<option value="(\d+)"', page)
    assert sorted(map(int, options)) == sorted([world["port"].pk, world["road"].pk])


@pytest.mark.parametrize("target", ["outside", "airport"])
def test_switching_to_an_enterprise_outside_the_group_is_not_found(world, client, target):
    client.force_login(world["contact"])
    response = client.post(reverse("contacts:switch"), {"enterprise": world[target].pk})
    assert response.status_code == 404
    assert client.session.get("contact_enterprise") is None


@pytest.mark.parametrize("value", ["", "x", "99999999999999999999", "-1"])
def test_switching_with_garbage_is_not_found(world, client, value):
    client.force_login(world["contact"])
    assert client.post(reverse("contacts:switch"), {"enterprise": value}).status_code == 404


def test_switching_never_redirects_outside_the_portal(world, client):
    client.force_login(world["contact"])
    for target in ("https://evil.example.org/my/", "//evil.example.org/", "/enterprises/"):
        response = client.post(
            reverse("contacts:switch"), {"enterprise": world["port"].pk, "next": target}
        )
        assert response["Location"] == reverse("contacts:home"), target


def test_an_enterprise_taken_out_of_the_group_is_gone_even_when_chosen(world, client):
    client.force_login(world["contact"])
    client.post(reverse("contacts:switch"), {"enterprise": world["port"].pk})
    world["port"].group = None
    world["port"].save()
    page = client.get(reverse("contacts:home")).content.decode()
    assert "Ningbo Port Co." not in page and "Hangzhou Road Co." in page


def test_a_reading_is_submitted_for_the_chosen_enterprise(world, client):
    client.force_login(world["contact"])
    client.post(reverse("contacts:switch"), {"enterprise": world["port"].pk})
    kpi = KPIDefinition.objects.get(code="defect_rate")
    response = client.post(
        reverse("contacts:reading-submit"),
        {
            "kpi": kpi.pk,
            "kind": "baseline",
            "period_start": "2026-01-01",
            "period_end": "2026-01-31",
            "value": "4",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reading = KPIReading.objects.get()
    assert reading.enterprise == world["port"] and reading.source == "enterprise"
    assert reading.verified_at is None


def test_a_group_still_without_enterprises_says_so(cast, client):
    group = EnterpriseGroup.objects.create(partner=cast.zj, name="New Group")
    client.force_login(_group_contact(group))
    response = client.get(reverse("contacts:home"))
    assert response.status_code == 200
    assert "No enterprise of your group" in response.content.decode()
    assert client.get(reverse("contacts:actions")).status_code == 404


def test_staff_pages_stay_not_found_for_a_group_contact(world, client):
    client.force_login(world["contact"])
    for url in (
        reverse("enterprises:detail", args=[world["port"].pk]),
        reverse("enterprises:groups:detail", args=[world["group"].pk]),
        reverse("enterprises:list"),
    ):
        assert client.get(url).status_code == 404, url


def test_the_home_runs_a_fixed_number_of_queries_whatever_the_groups_size(world, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(world["contact"])

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("contacts:home")).status_code == 200
        return len(captured)

    small = count()
    for index in range(6):
        # after the shown enterprise by name (the first), so the page is about the same one
        enterprise = EnterpriseFactory(
            partner=world["cast"].zj, group=world["group"], name=f"Zhoushan Sub {index}"
        )
        _visit(enterprise, world["cast"].zj, number=index + 1).actions.create(description="x")
    assert count() == small


def test_the_group_home_answers_in_chinese(world, client):
    client.force_login(world["contact"])
    page = client.get(reverse("contacts:home"), HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "您集团中的企业" in page and "项目中的企业：2 家" in page


# --- staff invite the group's contact ------------------------------------------------------


def _invite(client, user, group, language="en"):
    client.force_login(user)
    return client.post(
        reverse("contacts-staff:group-invite", args=[group.pk]),
        {"name": "Zhao Min", "email": "zhao.min@example.org", "language": language},
    )


def test_staff_invite_the_groups_contact_from_its_page(world, client, smtp_server):
    cast = world["cast"]
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:groups:detail", args=[world["group"].pk]))
    assert reverse("contacts-staff:group-invite", args=[world["group"].pk]) in page.content.decode()
    response = _invite(client, cast.zj_staff, world["group"], "zh-hans")
    assert response.status_code == 302
    membership = Membership.objects.get(user__email="zhao.min@example.org")
    assert membership.group == world["group"] and membership.enterprise is None
    assert membership.history.get().history_user == cast.zj_staff
    [message] = smtp_server.messages
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Transport Group" in str(message["Subject"])
    assert "集团联络人" in body and "每一家企业" in body
    # the group's page lists its contact
    page = client.get(reverse("enterprises:groups:detail", args=[world["group"].pk]))
    assert "zhao.min@example.org" in page.content.decode()


def test_trainers_and_other_partners_cannot_invite_a_group_contact(world, client):
    cast = world["cast"]
    assert _invite(client, cast.zj_trainer, world["group"]).status_code == 404
    assert _invite(client, cast.sc_staff, world["group"]).status_code == 404
    assert not Membership.objects.filter(user__email="zhao.min@example.org").exists()


def test_the_people_page_shows_the_group_and_offers_no_role_change(world, client):
    client.force_login(world["cast"].zj_manager)
    page = client.get(reverse("people:partner-people", args=[world["cast"].zj.pk]))
    text = page.content.decode()
    assert "Transport Group" in text
    membership = world["contact"].memberships.get()
    assert reverse("people:membership-role", args=[membership.pk]) not in text


def test_the_invitation_needs_a_valid_address(world, client):
    client.force_login(world["cast"].zj_staff)
    response = client.post(
        reverse("contacts-staff:group-invite", args=[world["group"].pk]),
        {"name": "Zhao Min", "email": "not an address", "language": "en"},
    )
    assert response.status_code == 400
    assert Membership.objects.filter(group=world["group"]).count() == 1


# --- the group's report: /my/reports/ links to a page per group ---------------------------


def test_a_group_contact_requests_and_downloads_their_groups_report(world, client):
    from django.core.files.base import ContentFile

    from reports.models import ReportRun

    client.force_login(world["contact"])
    page_url = reverse("contacts:group-reports", args=[world["group"].pk])
    assert page_url in client.get(reverse("contacts:reports")).content.decode()
    page = client.get(page_url).content.decode()
    assert "Report of Transport Group" in page and "The 2 enterprises of the group" in page
    response = client.post(page_url, {"language": "en"})
    assert response.status_code == 302 and response["Location"] == page_url
    run = ReportRun.objects.get(kind="group")
    assert (run.group, run.requested_by, run.enterprise) == (world["group"], world["contact"], None)
    run.status = "done"
    run.file.save("g.pdf", ContentFile(b"%PDF-1.7"), save=True)
    download = reverse("contacts:report-download", args=[run.pk])
    assert download in client.get(page_url).content.decode()
    assert client.get(download).status_code == 200
    # the enterprise's own report page lists the enterprise's reports only
    assert download not in client.get(reverse("contacts:reports")).content.decode()
    # another group's report is not theirs, nor is its page
    airport = EnterpriseGroup.objects.get(name="Airport Group")
    other = ReportRun.objects.create(
        kind="group", partner=world["cast"].zj, group=airport, status="done", params_key="g2"
    )
    other.file.save("o.pdf", ContentFile(b"%PDF-1.7"), save=True)
    assert client.get(reverse("contacts:report-download", args=[other.pk])).status_code == 404
    listing = client.get(page_url).content.decode()
    assert reverse("contacts:report-download", args=[other.pk]) not in listing
    airport_page = reverse("contacts:group-reports", args=[airport.pk])
    assert client.get(airport_page).status_code == 404
    assert client.post(airport_page, {"language": "en"}).status_code == 404
    assert not ReportRun.objects.filter(group=airport).exclude(pk=other.pk).exists()


def test_a_bad_language_changes_nothing_and_says_so(world, client):
    from reports.models import ReportRun

    client.force_login(world["contact"])
    page_url = reverse("contacts:group-reports", args=[world["group"].pk])
    response = client.post(page_url, {"language": "klingon"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ReportRun.objects.exists()


def test_a_contact_of_two_groups_requests_each_groups_report(world, client, cast):
    """Their groups are at two partners (one membership per partner): each group has its own
    page, and each request is for that group (never "the first group")."""
    from reports.models import ReportRun

    sc_group = EnterpriseGroup.objects.create(partner=cast.sc, name="Chengdu Group")
    EnterpriseFactory(partner=cast.sc, name="Chengdu Rail Co.", group=sc_group)
    Membership.objects.create(
        user=world["contact"], partner=cast.sc, role=Role.ENTERPRISE_CONTACT, group=sc_group
    )
    client.force_login(world["contact"])
    listing = client.get(reverse("contacts:reports")).content.decode()
    assert "Report of Chengdu Group" in listing and "Report of Transport Group" in listing
    for group in (sc_group, world["group"]):
        url = reverse("contacts:group-reports", args=[group.pk])
        assert client.post(url, {"language": "zh-hans"}).status_code == 302
    runs = ReportRun.objects.filter(kind="group").order_by("created_at")
    assert [(r.group, r.partner) for r in runs] == [
        (sc_group, cast.sc),
        (world["group"], cast.zj),
    ]


def test_an_enterprises_contact_gets_no_group_report(world, client):
    from django.core.files.base import ContentFile

    from reports.models import ReportRun
    from tests.url_world import contact_of

    own = contact_of(world["port"], username="port-secretary")
    run = ReportRun.objects.create(
        kind="group", partner=world["cast"].zj, group=world["group"], status="done", params_key="g"
    )
    run.file.save("g.pdf", ContentFile(b"%PDF-1.7"), save=True)
    client.force_login(own)
    assert "Report of" not in client.get(reverse("contacts:reports")).content.decode()
    assert client.get(reverse("contacts:report-download", args=[run.pk])).status_code == 404
    page_url = reverse("contacts:group-reports", args=[world["group"].pk])
    assert client.get(page_url).status_code == 404
    assert client.post(page_url, {"language": "en"}).status_code == 404
    assert ReportRun.objects.count() == 1


def test_the_access_module_scopes_group_objects_by_group_path(world, cast):
    """``GROUP_PATH``: a group contact reaches their group and its reports, never another
    group's; partner roles see nothing through a contact's perm; can() agrees with scope()."""
    from reports.models import ReportRun
    from score_portal.access import scope

    airport = EnterpriseGroup.objects.get(name="Airport Group")
    own_run = ReportRun.objects.create(
        kind="group", partner=cast.zj, group=world["group"], params_key="a"
    )
    other_run = ReportRun.objects.create(
        kind="group", partner=cast.zj, group=airport, params_key="b"
    )
    contact = world["contact"]
    groups = scope(contact, EnterpriseGroup.objects.all(), Perm.ENTERPRISE)
    assert list(groups) == [world["group"]]
    assert list(scope(contact, ReportRun.objects.all(), Perm.ENTERPRISE)) == [own_run]
    assert can(contact, Perm.ENTERPRISE, own_run) and not can(contact, Perm.ENTERPRISE, other_run)
    assert not can(contact, Perm.ENTERPRISE, airport)
    # the contact perm is theirs only: with VIEW they see none of the partner's groups
    assert not scope(contact, EnterpriseGroup.objects.all(), Perm.VIEW).exists()
    assert not scope(cast.zj_staff, EnterpriseGroup.objects.all(), Perm.ENTERPRISE).exists()


@pytest.mark.parametrize("name", ["contacts:actions", "contacts:kpis", "contacts:reports"])
def test_a_group_contacts_page_costs_what_an_enterprise_contacts_costs(world, client, name):
    """The group's enterprises are read once per request, for the chosen enterprise and the
    switcher together: the group contact's page runs the same queries as the page of the
    contact of that one enterprise (the switcher adds none; /my/reports/ reads the groups
    it links to)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.url_world import contact_of

    own = contact_of(world["road"], username="road-secretary")

    def queries(user, chosen=None):
        client.force_login(user)
        if chosen is not None:
            client.post(reverse("contacts:switch"), {"enterprise": chosen.pk})
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name))
        assert response.status_code == 200
        return len(captured)

    single = queries(own)
    extra = 1 if name == "contacts:reports" else 0  # the links to their groups' reports
    assert queries(world["contact"], chosen=world["road"]) == single + extra
    assert queries(world["contact"]) == single + extra  # before choosing: the group's first
