"""The indicator "share of enterprises adopting at least one new good practice": per module
and overall, with its edge cases (no baseline, two progress assessments, withdrawn
enrolments, assessments after the period), and its definition page."""

import datetime

import pytest
from django.urls import reverse

from catalogue.models import ChecklistVersion, Module
from enterprises.services.assessments import assessment_record
from reports.indicators import indicator_values, value_of
from tests.factories import EnrolmentFactory, EnterpriseFactory

pytestmark = pytest.mark.django_db

CODE = "practices_adopted_share"
BASE, FIRST, SECOND = (
    datetime.date(2026, 3, 1),
    datetime.date(2026, 5, 1),
    datetime.date(2026, 7, 1),
)


def assess(cast, enterprise, kind, day, yes=(), code="M1"):
    version = ChecklistVersion.objects.filter(module__code=code).order_by("-number").first()
    return assessment_record(
        acting_user=cast.zj_staff,
        enterprise=enterprise,
        module=Module.objects.get(code=code),
        kind=kind,
        assessed_on=day,
        answers={item.pk: item.key in yes for item in version.items.all()},
    )


def enterprise(cast, *codes, status="enrolled"):
    enterprise = EnterpriseFactory(partner=cast.zj)
    for code in codes or ("M1",):
        EnrolmentFactory(
            enterprise=enterprise,
            module=Module.objects.get(code=code),
            status=status,
            withdrawal_reason="Left" if status == "withdrawn" else "",
            withdrawn_on=datetime.date(2026, 4, 1) if status == "withdrawn" else None,
        )
    return enterprise


def values(cast, by=None, period_to=None):
    return indicator_values(
        cast.programme, [CODE], partner_ids=[cast.zj.pk], by=by, period_to=period_to
    )


def test_share_counts_adopters_among_enterprises_with_baseline_and_progress(cast):
    adopter = enterprise(cast)
    assess(cast, adopter, "baseline", BASE, yes={"m1-5s"})
    assess(cast, adopter, "progress", FIRST, yes={"m1-5s", "m1-eit-exists"})
    unchanged = enterprise(cast)
    assess(cast, unchanged, "baseline", BASE, yes={"m1-5s"})
    assess(cast, unchanged, "progress", FIRST, yes={"m1-5s"})  # yes already at baseline
    no_baseline = enterprise(cast)
    assess(cast, no_baseline, "progress", FIRST, yes={"m1-5s"})  # not in the denominator
    only_baseline = enterprise(cast)
    assess(cast, only_baseline, "baseline", BASE)  # not yet assessed again
    assert value_of(values(cast), CODE) == pytest.approx(0.5)


def test_two_progress_assessments_the_latest_counts(cast):
    lapsed = enterprise(cast)
    assess(cast, lapsed, "baseline", BASE)
    assess(cast, lapsed, "progress", FIRST, yes={"m1-5s"})
    assess(cast, lapsed, "progress", SECOND)  # 5S given up again
    late = enterprise(cast)
    assess(cast, late, "baseline", BASE)
    assess(cast, late, "progress", FIRST)
    assess(cast, late, "progress", SECOND, yes={"m1-notice-board"})
    assert value_of(values(cast), CODE) == pytest.approx(0.5)
    # as of a day between the two progress assessments, the first ones count
    assert value_of(values(cast, period_to=datetime.date(2026, 6, 1)), CODE) == pytest.approx(0.5)
    assert value_of(values(cast, period_to=datetime.date(2026, 4, 1)), CODE) is None


def test_withdrawn_enrolment_leaves_the_enterprise_out(cast):
    withdrawn = enterprise(cast, status="withdrawn")
    assess(cast, withdrawn, "baseline", BASE)
    assess(cast, withdrawn, "progress", FIRST, yes={"m1-5s"})
    stayed = enterprise(cast)
    assess(cast, stayed, "baseline", BASE)
    assess(cast, stayed, "progress", FIRST)
    assert value_of(values(cast), CODE) == 0


def test_nothing_to_divide_is_none_not_zero(cast):
    assess(cast, enterprise(cast), "baseline", BASE)
    assert value_of(values(cast), CODE) is None


def test_per_module_and_overall_an_enterprise_counts_once(cast):
    both = enterprise(cast, "M1", "M5")
    for code, yes in (("M1", {"m1-5s"}), ("M5", {"m5-ppe"})):
        assess(cast, both, "baseline", BASE, code=code)
        assess(cast, both, "progress", FIRST, yes=yes, code=code)
    m5_only = enterprise(cast, "M5")
    assess(cast, m5_only, "baseline", BASE, code="M5")
    assess(cast, m5_only, "progress", FIRST, code="M5")
    by_module = values(cast, by="module")[CODE]
    m1, m5 = Module.objects.get(code="M1").pk, Module.objects.get(code="M5").pk
    assert by_module[m1] == 1
    assert by_module[m5] == pytest.approx(0.5)
    assert value_of(values(cast), CODE) == pytest.approx(0.5)  # 1 of 2 enterprises


def test_other_partners_enterprises_are_out_of_a_managers_scope(cast):
    other = EnterpriseFactory(partner=cast.sc)
    EnrolmentFactory(enterprise=other)
    version = ChecklistVersion.objects.filter(module__code="M1").order_by("-number").first()
    for kind, day, yes in (("baseline", BASE, False), ("progress", FIRST, True)):
        assessment_record(
            acting_user=cast.sc_staff,
            enterprise=other,
            module=version.module,
            kind=kind,
            assessed_on=day,
            answers={item.pk: yes for item in version.items.all()},
        )
    result = indicator_values(cast.zj_manager, [CODE])
    assert value_of(result, CODE) is None
    assert value_of(indicator_values(cast.programme, [CODE]), CODE) == 1


def test_definition_page_explains_it_in_both_languages(client, cast):
    client.force_login(cast.zj_staff)
    url = reverse("reports:indicator-detail", args=[CODE])
    text = client.get(url).content.decode()
    assert "Enterprises adopting a new good practice" in text
    assert "Enterprises with a baseline and a progress assessment of the module" in text
    assert "As of a date" in text
    text = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "采用新良好实践的企业" in text
    assert (
        reverse("reports:indicator-detail", args=[CODE])
        in client.get(reverse("reports:indicator-list")).content.decode()
    )
