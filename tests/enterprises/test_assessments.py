"""SCORE assessments: recording a baseline and progress assessments, versioned checklists
keeping old answers' meaning, the practices adopted since the baseline on the enterprise
page, history with author, and who may record (staff, assigned trainers; not managers)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import translation

from catalogue.models import ChecklistVersion, Module
from catalogue.services import checklist_item_remove, checklist_item_save
from enterprises.models import Assessment, AssessmentAnswer
from enterprises.selectors.assessments import adoption_by_module
from enterprises.services.assessments import assessment_record, assessment_update
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory

pytestmark = pytest.mark.django_db

BASELINE_DAY = datetime.date(2026, 3, 1)
PROGRESS_DAY = datetime.date(2026, 6, 1)


def current(code="M1") -> ChecklistVersion:
    return ChecklistVersion.objects.filter(module__code=code).order_by("-number").first()


def answers(version, yes=()) -> dict[int, bool]:
    return {item.pk: item.key in yes for item in version.items.all()}


def record(user, enterprise, kind, day, yes=(), code="M1", version=None):
    version = version or current(code)
    return assessment_record(
        acting_user=user,
        enterprise=enterprise,
        module=Module.objects.get(code=code),
        kind=kind,
        assessed_on=day,
        answers=answers(version, yes),
    )


@pytest.fixture
def enterprise(cast):
    enterprise = EnterpriseFactory(partner=cast.zj)
    EnrolmentFactory(enterprise=enterprise)
    return enterprise


def test_migrate_seeds_the_five_standard_checklists_in_both_languages():
    for code in ("M1", "M2", "M3", "M4", "M5"):
        version = current(code)
        assert version.number == 1
        items = list(version.items.all())
        assert 8 <= len(items) <= 12, code
        assert all(item.name_zh and item.theme_zh and item.name_en for item in items)
    keys = {item.key for item in current("M1").items.all()}
    assert {"m1-eit-exists", "m1-eit-monthly", "m1-suggestion-scheme", "m1-5s"} <= keys


def test_staff_record_a_baseline_with_source_author_and_history(cast, enterprise):
    baseline = record(cast.zj_staff, enterprise, "baseline", BASELINE_DAY, yes={"m1-5s"})
    assert baseline.source == Assessment.Source.STAFF
    assert baseline.author == cast.zj_staff
    assert baseline.version == current()
    assert baseline.answers.filter(answer=True).get().item.key == "m1-5s"
    history = AssessmentAnswer.history.filter(assessment_id=baseline.pk)
    assert history.count() == baseline.answers.count()
    assert {h.history_user for h in history} == {cast.zj_staff}


def test_a_second_baseline_of_the_same_module_is_refused(cast, enterprise):
    record(cast.zj_staff, enterprise, "baseline", BASELINE_DAY)
    with pytest.raises(ValidationError) as error:
        record(cast.zj_staff, enterprise, "baseline", BASELINE_DAY)
    assert "already has a baseline" in str(error.value)


def test_every_practice_needs_an_answer(cast, enterprise):
    version = current()
    partial = dict(list(answers(version).items())[:-1])
    with pytest.raises(ValidationError, match="Answer every practice"):
        assessment_record(
            acting_user=cast.zj_staff,
            enterprise=enterprise,
            module=version.module,
            kind="baseline",
            assessed_on=BASELINE_DAY,
            answers=partial,
        )
    assert not Assessment.objects.exists()


def test_a_progress_assessment_cannot_come_before_the_baseline(cast, enterprise):
    record(cast.zj_staff, enterprise, "baseline", PROGRESS_DAY)
    with pytest.raises(ValidationError, match="before the baseline"):
        record(cast.zj_staff, enterprise, "progress", BASELINE_DAY)


def test_assigned_trainer_records_as_trainer_and_others_may_not(cast, enterprise):
    from trainers.models import Assignment

    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    with pytest.raises(PermissionDenied):  # not assigned yet
        record(cast.zj_trainer, enterprise, "baseline", BASELINE_DAY)
    Assignment.objects.create(trainer=trainer, enrolment=enterprise.enrolments.get())
    baseline = record(cast.zj_trainer, enterprise, "baseline", BASELINE_DAY)
    assert baseline.source == Assessment.Source.TRAINER
    for person in (cast.zj_manager, cast.programme, cast.sc_staff):
        with pytest.raises(PermissionDenied):
            record(person, enterprise, "progress", PROGRESS_DAY)


def test_the_source_can_be_named_for_an_enterprise_submission(cast, enterprise):
    version = current()
    assessment = assessment_record(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        module=version.module,
        kind="baseline",
        assessed_on=BASELINE_DAY,
        answers=answers(version),
        source=Assessment.Source.ENTERPRISE,
    )
    assert assessment.get_source_display() == "Submitted by the enterprise"


def test_editing_the_checklist_keeps_old_answers_meaning(cast, enterprise):
    """The baseline answered version 1; rewording a practice and adding one make version 2
    (then 3); the baseline still shows the words it answered, the progress assessment the new
    ones, and the reworded practice is still compared by its key."""
    baseline = record(cast.zj_staff, enterprise, "baseline", BASELINE_DAY)
    v1 = baseline.version
    old = v1.items.get(key="m1-eit-exists")
    old_name = old.name_en
    checklist_item_save(
        acting_user=cast.programme,
        module=v1.module,
        item=old,
        theme_en=old.theme_en,
        theme_zh=old.theme_zh,
        name_en="An EIT of managers and workers exists, with a named leader",
        name_zh="已成立由管理人员和一线员工组成、有指定组长的企业改善团队",
        order=old.order,
    )
    added = checklist_item_save(
        acting_user=cast.programme,
        module=v1.module,
        theme_en="Communication",
        theme_zh="沟通",
        name_en="A monthly newsletter reaches every worker",
        name_zh="每月简报覆盖全体员工",
        order=200,
    )
    v3 = current()
    assert v3.number == 3 and added.version == v3
    assert v3.items.count() == v1.items.count() + 1
    v1.refresh_from_db()
    assert v1.items.get(key="m1-eit-exists").name_en == old_name  # version 1 untouched
    baseline.refresh_from_db()
    assert baseline.version == v1
    assert {a.item.version_id for a in baseline.answers.all()} == {v1.pk}
    progress = record(cast.zj_staff, enterprise, "progress", PROGRESS_DAY, yes={"m1-eit-exists"})
    assert progress.version == v3
    (row,) = adoption_by_module(enterprise)
    assert [item.key for item in row.adopted] == ["m1-eit-exists"]
    assert row.adopted[0].name_en.endswith("with a named leader")  # the words answered last
    # the baseline page still shows the wording of version 1
    from django.test import Client

    client = Client()
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:assessment-detail", args=[enterprise.pk, baseline.pk]))
    assert old_name in page.content.decode()


def test_removing_a_practice_makes_a_version_without_it(cast):
    v1 = current("M2")
    item = v1.items.get(key="m2-charts")
    v2 = checklist_item_remove(acting_user=cast.programme, module=v1.module, item=item)
    assert v2.number == 2 and not v2.items.filter(key="m2-charts").exists()
    assert v1.items.filter(key="m2-charts").exists()
    with pytest.raises(ValidationError, match="current version"):  # v1 is no longer current
        checklist_item_remove(acting_user=cast.programme, module=v1.module, item=item)


def test_only_programme_managers_edit_checklists(cast):
    item = current().items.first()
    for person in (cast.zj_staff, cast.zj_manager, cast.zj_trainer):
        with pytest.raises(PermissionDenied):
            checklist_item_save(
                acting_user=person, module=item.version.module, item=item, name_en="x"
            )
        with pytest.raises(PermissionDenied):
            checklist_item_remove(acting_user=person, module=item.version.module, item=item)
    assert current().number == 1


def test_enterprise_page_shows_practices_adopted_since_baseline(client, cast, enterprise):
    record(cast.zj_staff, enterprise, "baseline", BASELINE_DAY, yes={"m1-5s"})
    record(
        cast.zj_staff,
        enterprise,
        "progress",
        PROGRESS_DAY,
        yes={"m1-5s", "m1-eit-exists", "m1-eit-monthly"},
    )
    client.force_login(cast.zj_manager)
    url = reverse("enterprises:detail", args=[enterprise.pk])
    text = client.get(url).content.decode()
    assert "2 practices adopted since the baseline" in text
    assert "The EIT meets at least once a month" in text
    assert "5S is in place" not in text.split("adopted since the baseline")[1].split("</ul>")[0]
    with translation.override("zh-hans"):
        text = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "企业改善团队每月至少召开一次会议" in text


def test_adoption_uses_the_latest_progress_assessment(cast, enterprise):
    record(cast.zj_staff, enterprise, "baseline", BASELINE_DAY)
    record(cast.zj_staff, enterprise, "progress", PROGRESS_DAY, yes={"m1-5s"})
    later = record(cast.zj_staff, enterprise, "progress", PROGRESS_DAY.replace(month=9))
    (row,) = adoption_by_module(enterprise)
    assert row.latest == later and row.adopted == []


def test_correcting_answers_keeps_who_changed_what(client, cast, enterprise):
    baseline = record(cast.zj_staff, enterprise, "baseline", BASELINE_DAY)
    from tests.factories import user_with_role

    colleague = user_with_role("zj-staff-2", "partner_staff", cast.zj)
    given = {a.item_id: a.answer for a in baseline.answers.all()}
    five_s = baseline.answers.get(item__key="m1-5s")
    assessment_update(
        acting_user=colleague,
        assessment=baseline,
        assessed_on=BASELINE_DAY,
        answers={**given, five_s.item_id: True},
    )
    latest = AssessmentAnswer.history.filter(id=five_s.pk).order_by("-history_id").first()
    assert latest.answer is True and latest.history_user == colleague
    client.force_login(cast.zj_manager)
    page = client.get(reverse("enterprises:assessment-detail", args=[enterprise.pk, baseline.pk]))
    text = page.content.decode()
    history = text.split("Who answered what")[1]
    assert colleague.get_full_name() in history and cast.zj_staff.get_full_name() in history


def test_record_page_saves_and_refuses_bad_input_in_words(client, cast, enterprise):
    client.force_login(cast.zj_staff)
    module = Module.objects.get(code="M1")
    url = reverse("enterprises:assessment-record", args=[enterprise.pk, module.pk])
    page = client.get(url)
    assert page.status_code == 200 and "Baseline assessment" in page.content.decode()
    items = list(current().items.all())
    body = {"kind": "baseline", "assessed_on": "2026-03-01"}
    body |= {f"item_{item.pk}": "no" for item in items[1:]}  # the first left unanswered
    response = client.post(url, body)
    assert response.status_code == 400
    assert "Answer yes or no." in response.content.decode()
    assert not Assessment.objects.exists()
    body[f"item_{items[0].pk}"] = "yes"
    response = client.post(url, body)
    assert response.status_code == 302
    assessment = Assessment.objects.get()
    assert assessment.kind == "baseline" and assessment.answers.filter(answer=True).count() == 1
    # with a baseline, only a progress assessment is offered
    assert 'value="baseline"' not in client.get(url).content.decode()
    other_module = reverse("enterprises:assessment-record", args=[enterprise.pk, 99999])
    assert client.get(other_module).status_code == 404
