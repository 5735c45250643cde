"""Trainer pages for each role, scoping, query counts, the consultant section on the enterprise
page and "my schedule"."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from score_portal.models import Membership, Role
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    _module,
    certify,
    user_with_role,
)
from trainers.models import Assignment, Certification, ConsultingVisit, Trainer, WorkshopTrainer

pytestmark = pytest.mark.django_db
LIST = reverse("trainers:list")
TODAY = timezone.localdate()


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _trainers(count, partner):
    for trainer in TrainerFactory.create_batch(count, partners=[partner]):
        certify(trainer, "M1")
        certify(trainer, "M2", "candidate")


@pytest.mark.parametrize("who", ["zj_staff", "programme", "zj_trainer"])
def test_list_runs_a_fixed_number_of_queries_whatever_the_size(client, cast, who):
    client.force_login(getattr(cast, who))
    _trainers(2, cast.zj)
    small = _queries(client, LIST)
    _trainers(30, cast.zj)
    large = _queries(client, LIST)
    # 10, plus the top bar's unread notifications count (one query on every page)
    assert small == large <= 11
    assert _queries(client, LIST + f"?module={_module('M1').pk}&active=no&page=2") <= 11


def test_list_filters_by_certified_module_grade_activity_and_search(client, cast):
    certified = TrainerFactory(name="Chen Jing", name_zh="陈静", partners=[cast.zj])
    certify(certified, "M1")
    certify(certified, "M3")
    candidate = TrainerFactory(name="Wu Tao", partners=[cast.zj], city="Huzhou")
    certify(candidate, "M1", "candidate")
    expired = TrainerFactory(name="Ma Li", partners=[cast.zj])
    certify(expired, "M1").valid_until = None
    Certification.objects.filter(trainer=expired).update(
        valid_until=TODAY - datetime.timedelta(days=1)
    )
    workshop = WorkshopFactory(
        partner=cast.zj,
        status="held",
        start_date=TODAY - datetime.timedelta(days=11),
        end_date=TODAY - datetime.timedelta(days=10),
    )
    WorkshopTrainer.objects.create(workshop=workshop, trainer=candidate)
    client.force_login(cast.zj_manager)

    def names(**params):
        return {t.name for t in client.get(LIST, params).context["page"]}

    m1, m3 = _module("M1").pk, _module("M3").pk
    assert names() == {"Chen Jing", "Wu Tao", "Ma Li"}
    assert names(module=m1) == {"Chen Jing"}  # certified and still valid
    assert names(module=m3) == {"Chen Jing"}
    assert names(module=m1, grade="candidate") == {"Wu Tao"}
    assert names(grade="certified") == {"Chen Jing", "Ma Li"}
    assert names(active="yes") == {"Wu Tao"}
    assert names(active="no") == {"Chen Jing", "Ma Li"}
    assert names(q="陈静") == {"Chen Jing"}
    assert names(q="huzhou") == {"Wu Tao"}
    assert client.get(LIST, {"module": "nonsense", "page": "x"}).status_code == 200


@pytest.fixture
def profile(cast):
    """A Zhejiang trainer with an expert's recommendation, a held workshop, a consulting
    assignment with a recorded and a planned visit."""
    expert = TrainerFactory(name="Gao Min", partners=[cast.zj])
    certify(expert, "M1", "expert")
    trainer = TrainerFactory(
        name="Sun Qiang", name_zh="孙强", partners=[cast.zj], phone="13800000000"
    )
    Certification.objects.create(
        trainer=trainer,
        module=_module("M1"),
        grade="certified",
        tot_date=datetime.date(2024, 3, 1),
        decision_date=datetime.date(2024, 9, 1),
        valid_until=datetime.date(2027, 9, 1),
        recommended_by=expert,
    )
    workshop = WorkshopFactory(
        partner=cast.zj,
        title="Huzhou M1 spring",
        status="held",
        start_date=TODAY - datetime.timedelta(days=41),
        end_date=TODAY - datetime.timedelta(days=40),
    )
    WorkshopTrainer.objects.create(workshop=workshop, trainer=trainer, is_lead=True)
    enterprise = EnterpriseFactory(partner=cast.zj, name="Huzhou Silk Co.")
    enrolment = EnrolmentFactory(enterprise=enterprise, status="in_consulting")
    Assignment.objects.create(trainer=trainer, enrolment=enrolment)
    ConsultingVisit.objects.create(
        enrolment=enrolment,
        trainer=trainer,
        number=1,
        status="recorded",
        visit_date=TODAY - datetime.timedelta(days=20),
    )
    ConsultingVisit.objects.create(
        enrolment=enrolment,
        trainer=trainer,
        number=2,
        planned_date=TODAY + datetime.timedelta(days=3),
    )
    return {
        "trainer": trainer,
        "expert": expert,
        "enterprise": enterprise,
        "enrolment": enrolment,
        "workshop": workshop,
    }


def test_trainer_page_shows_profile_certifications_evidence_teaching_and_visits(
    client, cast, profile
):
    client.force_login(cast.zj_staff)
    page = client.get(reverse("trainers:detail", args=[profile["trainer"].pk]))
    html = page.content.decode()
    for text in [
        "Sun Qiang",
        "孙强",
        "13800000000",
        "Certified trainer",
        "1 Mar 2024",
        "1 Sep 2024",
        "1 Sep 2027",
        "Gao Min",
        "Huzhou M1 spring",
        "Huzhou Silk Co.",
        "1 visit recorded, 1 planned",
        "Meets the evidence for certification",
        "Certification history",
    ]:
        assert text in html, text
    evidence = page.context["evidence"]
    assert [(r["module"].code, r["workshops"], r["enterprises"], r["meets"]) for r in evidence] == [
        ("M1", 1, 1, False)
    ]
    assert reverse("trainers:edit", args=[profile["trainer"].pk]) in html


def test_trainer_page_runs_a_bounded_number_of_queries(client, cast, profile):
    client.force_login(cast.zj_staff)
    url = reverse("trainers:detail", args=[profile["trainer"].pk])
    before = _queries(client, url)
    for _ in range(5):
        enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
        Assignment.objects.create(trainer=profile["trainer"], enrolment=enrolment)
        ConsultingVisit.objects.create(
            enrolment=enrolment,
            trainer=profile["trainer"],
            number=1,
            status="recorded",
            visit_date=TODAY,
        )
        WorkshopTrainer.objects.create(
            trainer=profile["trainer"], workshop=WorkshopFactory(partner=cast.zj)
        )
    assert _queries(client, url) == before <= 20


def test_partner_manager_reads_but_cannot_edit(client, cast, profile):
    client.force_login(cast.zj_manager)
    pk = profile["trainer"].pk
    page = client.get(reverse("trainers:detail", args=[pk])).content.decode()
    assert "Sun Qiang" in page and reverse("trainers:edit", args=[pk]) not in page
    for url in [
        reverse("trainers:edit", args=[pk]),
        reverse("trainers:create"),
        reverse("trainers:certification-create", args=[pk]),
        reverse("trainers:certification-edit", args=[pk, _module("M1").pk]),
    ]:
        assert client.get(url).status_code == 403, url
    assert (
        client.post(
            reverse("trainers:assignment-add", args=[profile["enrolment"].pk]), {"trainer": pk}
        ).status_code
        == 403
    )


def test_trainer_reads_colleagues_and_own_profile_but_not_other_partners(client, cast, profile):
    profile["trainer"].user = cast.zj_trainer
    profile["trainer"].save()
    stranger = TrainerFactory(name="Sichuan Only", partners=[cast.sc])
    client.force_login(cast.zj_trainer)
    assert client.get(reverse("trainers:detail", args=[profile["trainer"].pk])).status_code == 200
    colleague = client.get(reverse("trainers:detail", args=[profile["expert"].pk]))
    assert colleague.status_code == 200
    assert reverse("trainers:edit", args=[profile["expert"].pk]) not in colleague.content.decode()
    assert client.get(reverse("trainers:detail", args=[stranger.pk])).status_code == 404
    assert client.get(reverse("trainers:edit", args=[profile["expert"].pk])).status_code == 403
    assert "Sichuan Only" not in client.get(LIST).content.decode()


def test_trainer_sees_only_assigned_enterprises(client, cast, profile):
    profile["trainer"].user = cast.zj_trainer
    profile["trainer"].save()
    other = EnterpriseFactory(partner=cast.zj, name="Not Assigned Co.")
    client.force_login(cast.zj_trainer)
    assigned = client.get(reverse("enterprises:detail", args=[profile["enterprise"].pk]))
    assert assigned.status_code == 200
    assert client.get(reverse("enterprises:detail", args=[other.pk])).status_code == 404
    sc_enterprise = EnterpriseFactory(partner=cast.sc)
    assert client.get(reverse("enterprises:detail", args=[sc_enterprise.pk])).status_code == 404
    # The assigned enterprise's consultant section is read only for the trainer.
    html = assigned.content.decode()
    assert "Consultants and visits" in html and "Sun Qiang" in html
    assert reverse("trainers:assignment-add", args=[profile["enrolment"].pk]) not in html


def test_staff_add_a_trainer_with_a_login_and_see_its_password_once(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("trainers:create"),
        {
            "name": "Luo Yan",
            "name_zh": "罗艳",
            "sex": "F",
            "is_active": "on",
            "partners": [cast.zj.pk],
            "login_username": "luo-yan",
        },
        follow=True,
    )
    trainer = Trainer.objects.get(name="Luo Yan")
    assert response.redirect_chain[-1][0] == reverse("trainers:detail", args=[trainer.pk])
    messages = [str(m) for m in response.context["messages"]]
    password_message = next(m for m in messages if "one-time password" in m)
    password = password_message.split("password is ")[1].split(":")[0]
    user = get_user_model().objects.get(username="luo-yan")
    assert trainer.user == user and user.check_password(password)
    assert Membership.objects.get(user=user).role == Role.TRAINER
    again = client.get(reverse("trainers:detail", args=[trainer.pk])).content.decode()
    assert password not in again


def test_staff_cannot_add_a_trainer_for_another_partner(client, cast):
    client.force_login(cast.zj_staff)
    response = client.post(
        reverse("trainers:create"), {"name": "Outsider", "sex": "M", "partners": [cast.sc.pk]}
    )
    assert response.status_code == 400
    assert not Trainer.objects.filter(name="Outsider").exists()


def test_editing_keeps_the_partners_the_staff_does_not_manage(client, cast):
    trainer = TrainerFactory(name="Shared", partners=[cast.zj, cast.sc])
    client.force_login(cast.zj_staff)
    form = client.get(reverse("trainers:edit", args=[trainer.pk])).context["form"]
    assert list(form.fields["partners"].queryset) == [cast.zj]
    response = client.post(
        reverse("trainers:edit", args=[trainer.pk]),
        {"name": "Shared Renamed", "sex": "F", "is_active": "on", "partners": [cast.zj.pk]},
    )
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert trainer.name == "Shared Renamed"
    assert set(trainer.partners.all()) == {cast.zj, cast.sc}


def test_certification_added_then_edited_keeps_history(client, cast, profile):
    client.force_login(cast.zj_staff)
    candidate = TrainerFactory(name="He Jun", partners=[cast.zj])
    m2 = _module("M2")
    response = client.post(
        reverse("trainers:certification-create", args=[candidate.pk]),
        {"module": m2.pk, "grade": "candidate", "tot_date": "2026-05-10"},
    )
    assert response.status_code == 302
    url = reverse("trainers:certification-edit", args=[candidate.pk, m2.pk])
    # Certified needs a decision date: the service's error comes back on the form.
    refused = client.post(url, {"grade": "certified", "tot_date": "2026-05-10"})
    assert refused.status_code == 400
    assert "Give the date of the decision." in refused.content.decode()
    client.post(
        url,
        {
            "grade": "certified",
            "tot_date": "2026-05-10",
            "decision_date": "2026-10-01",
            "recommended_by": profile["expert"].pk,
        },
    )
    certification = Certification.objects.get(trainer=candidate, module=m2)
    assert certification.grade == "certified"
    assert certification.recommended_by == profile["expert"]
    page = client.get(reverse("trainers:detail", args=[candidate.pk]))
    history = page.context["history"]
    assert [r.grade for r in history] == ["certified", "candidate"]
    assert history[0].history_user == cast.zj_staff


# --- The consultant section on the enterprise page ------------------------------------------


def _hub(enterprise):
    return reverse("enterprises:detail", args=[enterprise.pk])


def test_section_lists_consultants_and_visit_counts_per_open_enrolment(client, cast, profile):
    EnrolmentFactory(enterprise=profile["enterprise"], module=_module("M2"), status="enrolled")
    EnrolmentFactory(
        enterprise=profile["enterprise"],
        module=_module("M3"),
        status="completed",
        completed_on=TODAY,
    )
    client.force_login(cast.zj_manager)
    response = client.get(_hub(profile["enterprise"]))
    html = response.content.decode()
    assert "Consultants and visits" in html
    assert "1 visit recorded, 1 planned" in html
    assert "No consultant assigned." in html  # the M2 enrolment
    section = next(
        s for t, s in response.context["sections"] if t == "trainers/_section_consultants.html"
    )
    assert [e.module.code for e in section["enrolments"]] == ["M1", "M2"]  # open only
    assert reverse("trainers:assignment-add", args=[profile["enrolment"].pk]) not in html


def test_staff_assign_and_remove_consultants_from_the_section(client, cast, profile):
    colleague = TrainerFactory(name="Zhou Na", partners=[cast.zj])
    inactive = TrainerFactory(name="Retired", partners=[cast.zj], is_active=False)
    outsider = TrainerFactory(name="Sichuan Consultant", partners=[cast.sc])
    client.force_login(cast.zj_staff)
    hub = client.get(_hub(profile["enterprise"])).content.decode()
    assert "Zhou Na" in hub and "Retired" not in hub and "Sichuan Consultant" not in hub
    add = reverse("trainers:assignment-add", args=[profile["enrolment"].pk])
    response = client.post(add, {"trainer": colleague.pk}, follow=True)
    assert "Zhou Na assigned to M1." in response.content.decode()
    assert profile["enrolment"].assignments.filter(trainer=colleague).exists()
    for stranger in (inactive, outsider):
        response = client.post(add, {"trainer": stranger.pk}, follow=True)
        assert "Choose an active trainer who serves this partner." in response.content.decode()
        assert not profile["enrolment"].assignments.filter(trainer=stranger).exists()
    # Removing the first consultant hands the planned visit to the remaining one.
    first = Assignment.objects.get(trainer=profile["trainer"])
    client.post(reverse("trainers:assignment-remove", args=[first.pk]))
    assert not Assignment.objects.filter(pk=first.pk).exists()
    planned = ConsultingVisit.objects.get(enrolment=profile["enrolment"], status="planned")
    assert planned.trainer == colleague
    # The last consultant with planned visits cannot go: the service's error is a message.
    last = Assignment.objects.get(trainer=colleague)
    response = client.post(reverse("trainers:assignment-remove", args=[last.pk]), follow=True)
    assert "Assign another consultant first" in response.content.decode()
    assert Assignment.objects.filter(pk=last.pk).exists()


def test_assignment_urls_of_another_partner_are_not_found(client, cast):
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.sc))
    trainer = TrainerFactory(partners=[cast.sc])
    assignment = Assignment.objects.create(trainer=trainer, enrolment=enrolment)
    client.force_login(cast.zj_staff)
    assert (
        client.post(
            reverse("trainers:assignment-add", args=[enrolment.pk]), {"trainer": trainer.pk}
        ).status_code
        == 404
    )
    assert (
        client.post(reverse("trainers:assignment-remove", args=[assignment.pk])).status_code == 404
    )
    assert client.get(reverse("trainers:assignment-add", args=[enrolment.pk])).status_code == 405


def test_section_runs_a_fixed_number_of_queries(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    enrolment = EnrolmentFactory(enterprise=enterprise)
    trainers = TrainerFactory.create_batch(4, partners=[cast.zj])
    Assignment.objects.create(trainer=trainers[0], enrolment=enrolment)
    client.force_login(cast.zj_staff)
    small = _queries(client, _hub(enterprise))
    for code in ("M2", "M3", "M5"):
        more = EnrolmentFactory(enterprise=enterprise, module=_module(code))
        for trainer in trainers:
            Assignment.objects.create(trainer=trainer, enrolment=more)
            ConsultingVisit.objects.create(
                enrolment=more, trainer=trainer, number=trainer.pk, planned_date=TODAY
            )
    TrainerFactory.create_batch(5, partners=[cast.zj])
    assert _queries(client, _hub(enterprise)) == small


# --- My schedule ------------------------------------------------------------------------------


def test_my_schedule_shows_coming_workshops_and_planned_visits_with_overdue_ones(client, cast):
    trainer = TrainerFactory(name="Zhang Wei", partners=[cast.zj], user=cast.zj_trainer)
    certify(trainer, "M1")
    coming = WorkshopFactory(
        partner=cast.zj,
        title="Ningbo M1 winter",
        status="open",
        start_date=TODAY + datetime.timedelta(days=6),
        end_date=TODAY + datetime.timedelta(days=7),
    )
    WorkshopTrainer.objects.create(workshop=coming, trainer=trainer, is_lead=True)
    late = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj, name="Late Co."), status="in_consulting"
    )
    soon = EnrolmentFactory(
        enterprise=EnterpriseFactory(partner=cast.zj, name="Soon Co."), status="in_consulting"
    )
    for enrolment in (late, soon):
        Assignment.objects.create(trainer=trainer, enrolment=enrolment)
    ConsultingVisit.objects.create(
        enrolment=late, trainer=trainer, number=3, planned_date=TODAY - datetime.timedelta(days=4)
    )
    ConsultingVisit.objects.create(
        enrolment=soon, trainer=trainer, number=1, planned_date=TODAY + datetime.timedelta(days=2)
    )
    client.force_login(cast.zj_trainer)
    home = client.get(reverse("home")).content.decode()
    assert reverse("trainers:my-schedule") in home
    html = client.get(reverse("trainers:my-schedule")).content.decode()
    assert "Ningbo M1 winter" in html
    assert html.index("Late Co.") < html.index("Soon Co.")
    assert "list-group-item-danger" in html and "Overdue" in html
    assert "1 overdue visit" in html


def test_my_schedule_is_for_trainer_logins_only(client, cast):
    client.force_login(cast.zj_staff)
    assert reverse("trainers:my-schedule") not in client.get(reverse("home")).content.decode()
    # staff who follow a schedule link get the visit plan instead (issue 20, item 3)
    assert client.get(reverse("trainers:my-schedule")).url == reverse("trainers:visits:plan")
    lonely = user_with_role("no-profile", Role.TRAINER, cast.zj)
    client.force_login(lonely)
    assert (
        "not linked to a trainer profile"
        in client.get(reverse("trainers:my-schedule")).content.decode()
    )


def test_pages_render_in_chinese(client, cast, profile):
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = "zh-hans"
    html = client.get(LIST, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "培训师" in html and "孙强" in html
    html = client.get(
        reverse("trainers:detail", args=[profile["trainer"].pk]), HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert "认证" in html


def test_partner_filter_is_for_people_who_see_several_partners(client, cast):
    TrainerFactory(name="Zhejiang Trainer", partners=[cast.zj])
    TrainerFactory(name="Sichuan Trainer", partners=[cast.sc])
    client.force_login(cast.programme)
    response = client.get(LIST, {"partner": cast.sc.pk})
    assert [t.name for t in response.context["page"]] == ["Sichuan Trainer"]
    client.force_login(cast.zj_staff)
    assert "partner" not in client.get(LIST).context["filter"].form.fields
