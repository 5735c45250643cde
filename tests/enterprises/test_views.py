import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enterprises.models import Enterprise
from tests.factories import EnrolmentFactory, EnterpriseFactory, _module, valid_uscc

pytestmark = pytest.mark.django_db
LIST = reverse("enterprises:list")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("who", ["zj_staff", "programme"])
def test_list_runs_a_fixed_number_of_queries_whatever_the_size(client, cast, who):
    client.force_login(getattr(cast, who))
    for enterprise in EnterpriseFactory.create_batch(3, partner=cast.zj):
        EnrolmentFactory(enterprise=enterprise)
    small = _queries(client, LIST + "?sort=name")
    for enterprise in EnterpriseFactory.create_batch(40, partner=cast.zj):
        EnrolmentFactory(enterprise=enterprise)
        EnrolmentFactory(enterprise=enterprise, module=_module("M2"))
    large = _queries(client, LIST + "?sort=name")
    assert small == large <= 12
    assert _queries(client, LIST + "?page=2&module=1&enrolment_status=enrolled") <= 12


def test_staff_see_only_their_partners_enterprises(client, cast):
    EnterpriseFactory(partner=cast.zj, name="Huzhou Silk")
    EnterpriseFactory(partner=cast.sc, name="Chengdu Metal")
    client.force_login(cast.zj_staff)
    page = client.get(LIST).content.decode()
    assert "Huzhou Silk" in page and "Chengdu Metal" not in page


def test_search_by_name_chinese_name_and_credit_code(client, cast):
    code = valid_uscc()
    EnterpriseFactory(partner=cast.zj, name="Huzhou Silk", name_zh="湖州丝绸", credit_code=code)
    EnterpriseFactory(partner=cast.zj, name="Ningbo Plastics", name_zh="宁波塑料")
    client.force_login(cast.zj_staff)
    for term in ["silk", "湖州", code]:
        page = client.get(LIST, {"q": term}).content.decode()
        assert "Huzhou Silk" in page and "Ningbo Plastics" not in page, term


def test_filters_by_province_sector_size_module_and_status(client, cast):
    a = EnterpriseFactory(
        partner=cast.zj,
        name="Alpha",
        province="Zhejiang",
        sector="C13",
        employees_total=80,
        employees_women=10,
    )
    b = EnterpriseFactory(
        partner=cast.zj,
        name="Beta",
        province="Jiangsu",
        sector="C29",
        employees_total=300,
        employees_women=10,
    )
    EnrolmentFactory(enterprise=a, status="completed")
    EnrolmentFactory(enterprise=b, status="in_training")
    client.force_login(cast.zj_staff)

    def names(**params):
        response = client.get(LIST, params)
        return {e.name for e in response.context["page"]}

    assert names(province="Jiangsu") == {"Beta"}
    assert names(sector="C13") == {"Alpha"}
    assert names(size="50-99") == {"Alpha"}
    assert names(size="250-499") == {"Beta"}
    m1 = _module("M1").pk
    assert names(module=m1, enrolment_status="completed") == {"Alpha"}
    assert names(enrolment_status="in_training") == {"Beta"}
    assert names(module=_module("M2").pk) == set()
    assert names(sort="-employees") == {"Alpha", "Beta"}
    assert [e.name for e in client.get(LIST, {"sort": "-employees"}).context["page"]] == [
        "Beta",
        "Alpha",
    ]


def test_partner_filter_is_for_programme_managers(client, cast):
    EnterpriseFactory(partner=cast.zj, name="Alpha")
    EnterpriseFactory(partner=cast.sc, name="Beta")
    client.force_login(cast.programme)
    response = client.get(LIST, {"partner": cast.sc.pk})
    assert [e.name for e in response.context["page"]] == ["Beta"]
    client.force_login(cast.zj_staff)
    assert "partner" not in client.get(LIST).context["filter"].form.fields


def test_bad_filter_values_do_not_break_the_page(client, cast):
    client.force_login(cast.zj_staff)
    assert client.get(LIST, {"module": "abc", "size": "huge", "page": "zz"}).status_code == 200


def test_staff_register_an_enterprise_through_the_form(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:create"),
        {
            "partner": cast.zj.pk,
            "name": "Jiaxing Furniture",
            "status": "prospect",
            "credit_code": valid_uscc(),
            "employees_total": 150,
            "employees_women": 60,
        },
    )
    enterprise = Enterprise.objects.get(name="Jiaxing Furniture")
    assert response.status_code == 302 and response["Location"].endswith(f"/{enterprise.pk}/")


def test_form_shows_a_bad_credit_code_and_saves_nothing(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:create"),
        {
            "partner": cast.zj.pk,
            "name": "Jiaxing Furniture",
            "status": "prospect",
            "credit_code": "91350100M000100Y44",
        },
    )
    assert response.status_code == 400
    assert "last character should be 3" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_staff_cannot_create_for_another_partner(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:create"),
        {"partner": cast.sc.pk, "name": "Sneaky", "status": "prospect"},
    )
    assert response.status_code == 400
    assert not Enterprise.objects.exists()


def test_second_concurrent_edit_is_refused_and_keeps_the_input(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj, city="Huzhou")
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:edit", args=[enterprise.pk])
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data.update(name=enterprise.name, status=enterprise.status)
    first = client.post(url, {**data, "city": "Ningbo"})
    assert first.status_code == 302
    second = client.post(url, {**data, "city": "Wenzhou"})
    assert second.status_code == 400
    page = second.content.decode()
    assert "Someone else changed this record" in page
    assert 'value="Wenzhou"' in page
    enterprise.refresh_from_db()
    assert enterprise.city == "Ningbo"


def test_hub_shows_profile_enrolments_eit_projects_and_suggestions(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj, name="Huzhou Silk")
    EnrolmentFactory(enterprise=enterprise, status="in_consulting")
    enterprise.eit_members.create(name="Wu Hong", role="leader", level="manager", sex="F")
    enterprise.projects.create(title="Cut fabric waste", status="completed", realised_saving=45000)
    enterprise.suggestion_counts.create(
        month=datetime.date.today().replace(day=1), made=12, implemented=5
    )
    client.force_login(cast.zj_manager)
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    for text in [
        "Huzhou Silk",
        "Workplace Cooperation",
        "In consulting",
        "Wu Hong",
        "Team leader",
        "Cut fabric waste",
        "45,000",
        "12 made, 5 implemented",
    ]:
        assert text in page, text
    assert "Edit profile" not in page  # a partner manager reads only


def test_hub_runs_a_bounded_number_of_queries(client, cast, django_assert_max_num_queries):
    enterprise = EnterpriseFactory(partner=cast.zj)
    for code in ["M1", "M2", "M3"]:
        EnrolmentFactory(enterprise=enterprise, module=_module(code))
    for index in range(10):
        enterprise.eit_members.create(name=f"M{index}", level="worker", sex="M")
        enterprise.projects.create(title=f"P{index}")
    # assessments of two modules, with their answers: the section's queries stay the same
    from catalogue.models import ChecklistVersion, Module
    from enterprises.services.assessments import assessment_record

    for code in ("M1", "M2"):
        version = ChecklistVersion.objects.filter(module__code=code).order_by("-number").first()
        for kind, day in (
            ("baseline", "2026-03-01"),
            ("progress", "2026-06-01"),
            ("progress", "2026-08-01"),
        ):
            assessment_record(
                acting_user=cast.zj_staff,
                enterprise=enterprise,
                module=Module.objects.get(code=code),
                kind=kind,
                assessed_on=datetime.date.fromisoformat(day),
                answers={item.pk: kind == "progress" for item in version.items.all()},
            )
    client.force_login(cast.zj_staff)
    # with the top bar's unread count and the assessments section (its assessments, their
    # answers with the practices, the modules with a checklist)
    with django_assert_max_num_queries(19):
        client.get(reverse("enterprises:detail", args=[enterprise.pk]))


def test_history_shows_who_changed_what(client, cast):
    from enterprises import services

    enterprise = services.enterprise_create(
        acting_user=cast.zj_staff, partner=cast.zj, name="Huzhou Silk", city="Huzhou"
    )
    services.enterprise_update(acting_user=cast.zj_staff, enterprise=enterprise, city="Ningbo")
    client.force_login(cast.zj_manager)
    page = client.get(reverse("enterprises:history", args=[enterprise.pk])).content.decode()
    assert "Huzhou" in page and "Ningbo" in page and cast.zj_staff.get_full_name() in page


def test_bulk_status_change(client, cast):
    a, b = EnterpriseFactory.create_batch(2, partner=cast.zj, status="prospect")
    other = EnterpriseFactory(partner=cast.sc, status="prospect")
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("enterprises:bulk"),
        {"action": "status", "status": "withdrawn", "selected": [a.pk, b.pk, other.pk]},
    )
    assert response.status_code == 302
    assert set(Enterprise.objects.filter(status="withdrawn")) == set()  # other partner: invalid
    client.post(
        reverse("enterprises:bulk"),
        {"action": "status", "status": "withdrawn", "selected": [a.pk, b.pk]},
    )
    assert set(Enterprise.objects.filter(status="withdrawn")) == {a, b}


def test_enrol_through_the_form_and_the_entry_rule_message(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:enrolments:create", args=[enterprise.pk])
    response = client.post(
        url,
        {
            "module": _module("M2").pk,
            "status": "applied",
            "applied_on": "2026-05-01",
            "currency": "CNY",
            "paid_enterprise": 0,
            "paid_sponsor": 0,
            "paid_government": 0,
            "paid_ilo": 0,
        },
    )
    assert response.status_code == 400 and "M1 comes first" in response.content.decode()
    response = client.post(
        url,
        {
            "module": _module("M1").pk,
            "status": "enrolled",
            "applied_on": "2026-05-01",
            "currency": "CNY",
            "paid_enterprise": 6000,
            "paid_sponsor": 0,
            "paid_government": 2000,
            "paid_ilo": 4000,
        },
    )
    assert response.status_code == 302
    enrolment = enterprise.enrolments.get()
    assert enrolment.status == "enrolled" and enrolment.fee_total == 12000
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "67%" in page  # cost recovery: 8,000 of 12,000 paid by non-ILO sources


def test_withdraw_through_the_form_needs_a_reason(client, cast):
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    client.force_login(cast.zj_staff)
    url = reverse("enterprises:enrolments:transition", args=[enrolment.pk])
    response = client.post(url, {"status": "withdrawn", "reason": ""})
    assert response.status_code == 400
    assert "reason for the withdrawal" in response.content.decode()
    assert client.post(url, {"status": "withdrawn", "reason": "Moved"}).status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == "withdrawn"


def test_eit_member_added_and_removed_through_the_pages(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    client.post(
        reverse("enterprises:eit-create", args=[enterprise.pk]),
        {"name": "Li Ping", "role": "secretary", "level": "worker", "sex": "F"},
    )
    member = enterprise.eit_members.get()
    assert member.role == "secretary"
    client.post(reverse("enterprises:eit-delete", args=[enterprise.pk, member.pk]))
    assert not enterprise.eit_members.exists()


def test_trainer_and_other_partner_get_404_on_the_hub(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    for who in ["zj_trainer", "sc_staff"]:
        client.force_login(getattr(cast, who))
        assert client.get(reverse("enterprises:detail", args=[enterprise.pk])).status_code == 404


def test_pages_render_in_chinese(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj, name_zh="湖州丝绸有限公司")
    EnrolmentFactory(enterprise=enterprise)
    client.force_login(cast.zj_staff)
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "湖州丝绸有限公司" in page and "企业改善团队" in page and "模块一 工作场所合作" in page
    assert "统一社会信用代码" in client.get(reverse("enterprises:create")).content.decode()


def test_export_takes_the_list_filters_and_the_selection(client, cast):
    import csv
    import io

    a = EnterpriseFactory(partner=cast.zj, name="Alpha", province="Jiangsu")
    EnterpriseFactory(partner=cast.zj, name="Beta", province="Zhejiang")
    EnterpriseFactory(partner=cast.sc, name="Gamma", province="Jiangsu")
    client.force_login(cast.zj_staff)

    def names(response):
        content = b"".join(response.streaming_content) if response.streaming else response.content
        rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
        column = rows[0].index("Enterprise name")
        return {row[column] for row in rows[1:]}

    assert names(
        client.get(reverse("enterprises:transfer:export"), {"format": "csv", "province": "Jiangsu"})
    ) == {"Alpha"}
    response = client.post(reverse("enterprises:bulk"), {"action": "csv", "selected": [a.pk]})
    assert response.status_code == 302
    assert names(client.get(response["Location"])) == {"Alpha"}
