"""The data review loop (issue 16): staff verify readings in bulk or return one for revision
with a required comment; its author sees it on their home page and on the reading, corrects
and answers, and it waits for review again; nobody verifies what they entered themselves;
the review queue is scoped, filtered and runs a fixed number of queries; "verified by" is in
the reading list and the enterprise report (PDF and spreadsheet)."""

import datetime
import io
import subprocess
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from catalogue.models import KPIDefinition
from enterprises.models import KPIReading, ReadingComment
from enterprises.selectors.review import returned_to, review_queue
from enterprises.services import kpi as services_kpi
from enterprises.services import review
from score_portal.models import Role
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, user_with_role
from trainers.services.assignments import assignment_add

pytestmark = pytest.mark.django_db
D = Decimal


def record(user, enterprise, code="waste", value="3", month=2, kind="follow_up"):
    start = datetime.date(2026, month, 1)
    return services_kpi.kpi_reading_record(
        acting_user=user,
        enterprise=enterprise,
        kpi=KPIDefinition.objects.get(code=code),
        kind=kind,
        period_start=start,
        period_end=start + datetime.timedelta(days=20),
        value=D(value),
        source="visit",
    )


@pytest.fixture
def team(cast):
    """A ZJ enterprise with the ZJ trainer assigned, and a second ZJ staff member."""
    enterprise = EnterpriseFactory(partner=cast.zj, name="Hangzhou Review Textiles")
    enrolment = EnrolmentFactory(enterprise=enterprise, status="in_consulting")
    trainer = TrainerFactory(partners=[cast.zj], user=cast.zj_trainer)
    assignment_add(acting_user=cast.zj_staff, enrolment=enrolment, trainer=trainer)
    reviewer = user_with_role("zj-reviewer", Role.PARTNER_STAFF, cast.zj)
    reviewer.first_name, reviewer.last_name = "Lin", "Wei"
    reviewer.save()
    return enterprise, reviewer


# --- Services --------------------------------------------------------------------------


def test_bulk_verify_skips_the_reviewers_own_reading_with_a_message(cast, team):
    enterprise, reviewer = team
    by_trainer = record(cast.zj_trainer, enterprise, month=2)
    by_staff = record(cast.zj_staff, enterprise, month=3)
    own = record(reviewer, enterprise, month=4)
    outcome = review.kpi_readings_verify(
        acting_user=reviewer, readings=KPIReading.objects.filter(enterprise=enterprise)
    )
    assert [r.pk for r in outcome.verified] == [by_trainer.pk, by_staff.pk]
    assert [r.pk for r in outcome.own] == [own.pk]
    own.refresh_from_db()
    assert not own.is_verified and own.review_status == KPIReading.Review.WAITING
    texts = [text for _level, text in outcome.messages()]
    assert texts[0] == "2 readings verified and locked."
    assert "1 reading skipped: you entered it yourself" in texts[1]
    by_trainer.refresh_from_db()
    assert by_trainer.verified_by == reviewer and by_trainer.verified_at


def test_the_last_corrector_cannot_verify_either(cast, team):
    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    services_kpi.kpi_reading_update(acting_user=reviewer, reading=reading, value=D("3.2"))
    outcome = review.kpi_readings_verify(
        acting_user=reviewer, readings=KPIReading.objects.filter(pk=reading.pk)
    )
    assert outcome.count == 0 and len(outcome.own) == 1
    # a verification-only save by someone else does not make them a corrector
    assert (
        review.kpi_readings_verify(
            acting_user=cast.zj_staff, readings=KPIReading.objects.filter(pk=reading.pk)
        ).count
        == 1
    )


def test_return_needs_a_comment_and_a_reviewer_who_is_not_the_author(cast, team):
    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    for empty in ("", "   "):
        with pytest.raises(ValidationError, match="Say what needs revising"):
            review.kpi_reading_return(acting_user=reviewer, reading=reading, comment=empty)
    own = record(reviewer, enterprise, month=5)
    with pytest.raises(ValidationError, match="someone else must review it"):
        review.kpi_reading_return(acting_user=reviewer, reading=own, comment="Check it")
    with pytest.raises(PermissionDenied):  # trainers do not review
        review.kpi_reading_return(acting_user=cast.zj_trainer, reading=own, comment="Check it")
    reading.refresh_from_db()
    assert reading.review_status == KPIReading.Review.WAITING
    assert not ReadingComment.objects.exists()


def test_return_then_the_author_corrects_and_answers_then_it_is_verified(cast, team):
    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise, value="30")
    comment = review.kpi_reading_return(
        acting_user=reviewer, reading=reading, comment="  30 t of waste? The meter says 3.  "
    )
    assert comment.kind == "return" and comment.text == "30 t of waste? The meter says 3."
    reading.refresh_from_db()
    assert reading.review_status == KPIReading.Review.RETURNED and reading.returned_by == reviewer
    # a returned reading is not verified, and cannot be verified while it waits for its author
    assert not reading.is_verified
    outcome = review.kpi_readings_verify(
        acting_user=reviewer, readings=KPIReading.objects.filter(pk=reading.pk)
    )
    assert outcome.count == 0 and len(outcome.returned) == 1
    assert "returned for revision" in outcome.messages()[1][1]
    # the author sees it
    assert [r.pk for r in returned_to(cast.zj_trainer)] == [reading.pk]
    assert returned_to(cast.zj_trainer)[0].last_comment == comment.text
    # only the author answers, and an answer is required
    with pytest.raises(PermissionDenied):
        review.kpi_reading_answer(acting_user=cast.zj_staff, reading=reading, answer="ok")
    with pytest.raises(ValidationError, match="Answer the reviewer"):
        review.kpi_reading_answer(acting_user=cast.zj_trainer, reading=reading, answer=" ")
    answer = review.kpi_reading_answer(
        acting_user=cast.zj_trainer, reading=reading, answer="Typo: 3 t.", value=D(3)
    )
    reading.refresh_from_db()
    assert answer.kind == "answer" and answer.author == cast.zj_trainer
    assert reading.value == D(3) and reading.review_status == KPIReading.Review.WAITING
    assert reading.edited_by == cast.zj_trainer and returned_to(cast.zj_trainer) == []
    assert [c.kind for c in reading.comments.all()] == ["return", "answer"]
    # answering twice is refused: it is no longer returned
    with pytest.raises(ValidationError, match="Only a reading returned"):
        review.kpi_reading_answer(acting_user=cast.zj_trainer, reading=reading, answer="again")
    assert (
        review.kpi_readings_verify(
            acting_user=reviewer, readings=KPIReading.objects.filter(pk=reading.pk)
        ).count
        == 1
    )
    reading.refresh_from_db()
    assert reading.review_status == KPIReading.Review.VERIFIED
    # the history keeps every step with its author
    authors = list(reading.history.order_by("history_id").values_list("history_user__username"))
    assert [a for (a,) in authors] == ["zj-trainer", "zj-reviewer", "zj-trainer", "zj-reviewer"]


def test_a_verified_reading_cannot_be_returned_and_a_trainer_cannot_verify(cast, team):
    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    with pytest.raises(PermissionDenied):
        review.kpi_readings_verify(
            acting_user=cast.zj_trainer, readings=KPIReading.objects.filter(pk=reading.pk)
        )
    for who in (cast.zj_manager, cast.programme, cast.sc_staff):
        with pytest.raises(PermissionDenied):
            review.kpi_readings_verify(
                acting_user=who, readings=KPIReading.objects.filter(pk=reading.pk)
            )
    review.kpi_readings_verify(
        acting_user=reviewer, readings=KPIReading.objects.filter(pk=reading.pk)
    )
    with pytest.raises(ValidationError, match="unlock it first"):
        review.kpi_reading_return(acting_user=cast.zj_staff, reading=reading, comment="x")


def test_the_signals_follow_the_loop_after_commit(cast, team, django_capture_on_commit_callbacks):
    from enterprises.services.review import reading_returned, readings_verified

    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    other = record(cast.zj_trainer, enterprise, month=6)
    heard = []

    def listen(signal_name):
        return lambda sender, **kwargs: heard.append((signal_name, kwargs))

    on_verified, on_returned = listen("verified"), listen("returned")
    readings_verified.connect(on_verified)
    reading_returned.connect(on_returned)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            review.kpi_reading_return(acting_user=reviewer, reading=other, comment="Period?")
            review.kpi_readings_verify(
                acting_user=reviewer, readings=KPIReading.objects.filter(pk=reading.pk)
            )
    finally:
        readings_verified.disconnect(on_verified)
        reading_returned.disconnect(on_returned)
    assert [name for name, _kwargs in heard] == ["returned", "verified"]
    assert heard[0][1]["comment"].text == "Period?"
    assert [r.pk for r in heard[1][1]["readings"]] == [reading.pk]


def test_returned_readings_count_as_unverified_on_the_dashboard(cast, team):
    from reports.dashboards.sections import attention

    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    review.kpi_reading_return(acting_user=reviewer, reading=reading, comment="Check")
    assert attention(cast.zj_staff, cast.zj.pk, datetime.date.today())["unverified"]["count"] == 1
    assert not KPIReading.objects.filter(verified_at__isnull=False).exists()


# --- The queue and its scope --------------------------------------------------------------


def test_queue_filters_by_enterprise_kpi_trainer_and_status(cast, team):
    enterprise, reviewer = team
    other = EnterpriseFactory(partner=cast.zj)
    by_trainer = record(cast.zj_trainer, enterprise, code="waste")
    by_staff = record(cast.zj_staff, other, code="energy_use")
    returned = record(cast.zj_staff, other, code="waste", month=5)
    review.kpi_reading_return(acting_user=reviewer, reading=returned, comment="Unit?")
    sc_reading = record(cast.sc_staff, EnterpriseFactory(partner=cast.sc))

    def ids(**filters):
        return [r.pk for r in review_queue(reviewer, **filters)]

    assert ids() == [by_trainer.pk, by_staff.pk]
    assert ids(status=None) == [by_trainer.pk, by_staff.pk, returned.pk]
    assert ids(status="returned") == [returned.pk]
    assert ids(enterprise=other) == [by_staff.pk]
    assert ids(kpi=KPIDefinition.objects.get(code="waste"), status=None) == [
        by_trainer.pk,
        returned.pk,
    ]
    assert ids(trainer=cast.zj_trainer) == [by_trainer.pk]
    assert sc_reading.pk not in ids(status=None)
    assert list(review_queue(cast.zj_trainer)) == []  # trainers review nothing


def _get(client, user, url):
    client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_queue_page_in_both_languages(client, cast, team, language):
    enterprise, reviewer = team
    record(cast.zj_trainer, enterprise)
    record(reviewer, enterprise, month=3)
    client.force_login(reviewer)
    response = client.get(reverse("enterprises:review:queue"), HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 200
    if language == "en":
        assert "Data review" in page and "Verify the selected readings" in page
        assert "you: someone else verifies" in page
    else:
        assert "数据审核" in page and "核实所选数据" in page
        assert "Data review" not in page
    assert page.count('name="reading"') == 1  # the own reading cannot be selected


def test_queue_filters_in_the_address_and_bad_values_say_so(client, cast, team):
    enterprise, reviewer = team
    record(cast.zj_trainer, enterprise)
    client.force_login(reviewer)
    url = reverse("enterprises:review:queue")
    response = client.get(url, {"status": "nonsense", "enterprise": "99999999"})
    assert response.status_code == 200
    assert "does not accept" in response.content.decode()
    response = client.get(url, {"trainer": cast.zj_trainer.pk, "kpi": "", "status": "all"})
    assert "Hangzhou Review Textiles" in response.content.decode()


def test_verify_from_the_queue_and_the_message(client, cast, team):
    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    own = record(reviewer, enterprise, month=3)
    client.force_login(reviewer)
    response = client.post(
        reverse("enterprises:review:verify"),
        {"reading": [reading.pk, own.pk], "next": reverse("enterprises:review:queue")},
        follow=True,
    )
    page = response.content.decode()
    assert "1 reading verified and locked." in page
    assert "you entered it yourself" in page
    reading.refresh_from_db()
    own.refresh_from_db()
    assert reading.is_verified and not own.is_verified


def test_verify_ignores_other_partners_ids_and_an_outside_next(client, cast, team):
    enterprise, reviewer = team
    sc_reading = record(cast.sc_staff, EnterpriseFactory(partner=cast.sc))
    client.force_login(reviewer)
    response = client.post(
        reverse("enterprises:review:verify"),
        {"reading": [sc_reading.pk], "next": "https://evil.example/"},
    )
    assert response.status_code == 302 and response["Location"] == reverse(
        "enterprises:review:queue"
    )
    sc_reading.refresh_from_db()
    assert not sc_reading.is_verified


def test_trainer_and_manager_may_not_open_the_queue_or_verify(client, cast, team):
    enterprise, _reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    for who in (cast.zj_trainer, cast.zj_manager, cast.programme):
        client.force_login(who)
        assert client.get(reverse("enterprises:review:queue")).status_code == 403
        response = client.post(reverse("enterprises:review:verify"), {"reading": [reading.pk]})
        assert response.status_code == 403
    # the trainer may open the reading (assigned), but not return it
    client.force_login(cast.zj_trainer)
    url = reverse("enterprises:kpi:return", args=[enterprise.pk, reading.pk])
    assert client.get(url).status_code == 403
    reading.refresh_from_db()
    assert reading.review_status == KPIReading.Review.WAITING


def test_other_partners_reading_pages_are_not_found(client, cast, team):
    enterprise, _reviewer = team
    reading = record(cast.zj_trainer, enterprise)
    for name in ("detail", "return", "answer"):
        url = reverse(f"enterprises:kpi:{name}", args=[enterprise.pk, reading.pk])
        assert _get(client, cast.sc_staff, url).status_code == 404, name
        # and an SC reading's id under a ZJ enterprise is not found either
    sc_reading = record(cast.sc_staff, EnterpriseFactory(partner=cast.sc))
    url = reverse("enterprises:kpi:detail", args=[enterprise.pk, sc_reading.pk])
    assert _get(client, cast.zj_staff, url).status_code == 404


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_return_page_then_the_author_sees_and_answers_it(client, cast, team, language):
    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise, value="30")
    client.force_login(reviewer)
    url = reverse("enterprises:kpi:return", args=[enterprise.pk, reading.pk])
    refused = client.post(url, {"comment": "  "}, HTTP_ACCEPT_LANGUAGE=language)
    assert refused.status_code == 400
    assert ("This field is required" if language == "en" else "此项为必填项") in (
        refused.content.decode()
    )
    response = client.post(url, {"comment": "The meter says 3 t."}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 302
    # the author's home page and the reading's page show the comment
    client.force_login(cast.zj_trainer)
    home = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "The meter says 3 t." in home
    assert (
        "Readings returned to you for revision" if language == "en" else "退回给您修改的数据"
    ) in home
    detail_url = reverse("enterprises:kpi:detail", args=[enterprise.pk, reading.pk])
    detail = client.get(detail_url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert "The meter says 3 t." in detail
    assert ("Correct and answer" if language == "en" else "更正并答复") in detail
    answer_url = reverse("enterprises:kpi:answer", args=[enterprise.pk, reading.pk])
    page = client.get(answer_url, HTTP_ACCEPT_LANGUAGE=language)
    assert page.status_code == 200 and "The meter says 3 t." in page.content.decode()
    missing = client.post(
        answer_url,
        {"value": "3", "period_start": "2026-02-01", "period_end": "2026-02-21", "answer": ""},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert missing.status_code == 400
    done = client.post(
        answer_url,
        {
            "value": "3",
            "period_start": "2026-02-01",
            "period_end": "2026-02-21",
            "answer": "Typo, 3 t.",
        },
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert done.status_code == 302
    reading.refresh_from_db()
    assert reading.value == D(3) and reading.review_status == KPIReading.Review.WAITING
    # someone else (staff) may not answer the trainer's reading
    review.kpi_reading_return(acting_user=reviewer, reading=reading, comment="Evidence?")
    client.force_login(cast.zj_staff)
    assert client.get(answer_url).status_code == 403


def test_the_staff_home_counts_the_queue(client, cast, team):
    enterprise, reviewer = team
    record(cast.zj_trainer, enterprise)
    page = _get(client, reviewer, reverse("home")).content.decode()
    assert "Data review" in page and reverse("enterprises:review:queue") in page


def test_review_queue_runs_a_fixed_number_of_queries(client, cast, team):
    enterprise, reviewer = team
    client.force_login(reviewer)
    url = reverse("enterprises:review:queue")

    other_staff = user_with_role("zj-staff-3", Role.PARTNER_STAFF, cast.zj)

    def grow(n, start):
        for index in range(n):
            target = EnterpriseFactory(partner=cast.zj)
            reading = record(other_staff if index % 2 else cast.zj_staff, target)
            if index % 3 == 0:
                review.kpi_reading_return(acting_user=reviewer, reading=reading, comment="Why?")
                review.kpi_reading_answer(
                    acting_user=reading.recorded_by, reading=reading, answer="Because."
                )

    def count(query):
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, query).status_code == 200
        return len(ctx.captured_queries)

    grow(2, 0)
    small, small_all = count({}), count({"status": "all"})
    grow(12, 2)
    assert len(review_queue(reviewer, status=None)) == 14
    assert count({}) == small
    assert count({"status": "all"}) == small_all


# --- "Verified by" in the lists and the report ----------------------------------------


def _verified_reading(cast, team):
    enterprise, reviewer = team
    reading = record(cast.zj_trainer, enterprise, kind="baseline", month=1)
    review.kpi_readings_verify(
        acting_user=reviewer, readings=KPIReading.objects.filter(pk=reading.pk)
    )
    reading.refresh_from_db()
    return enterprise, reviewer, reading


def test_verified_by_in_the_reading_list(client, cast, team):
    enterprise, reviewer, _reading = _verified_reading(cast, team)
    url = reverse("enterprises:kpi:overview", args=[enterprise.pk])
    page = _get(client, cast.zj_manager, url).content.decode()
    assert "Verified by Lin Wei" in page
    client.force_login(cast.zj_manager)
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "核实人：Lin Wei" in zh


def test_verified_by_in_the_enterprise_report_pdf_and_xlsx(cast, team, tmp_path):
    from openpyxl import load_workbook

    from reports.builders import build_enterprise
    from reports.rendering import render_pdf, render_xlsx

    enterprise, _reviewer, reading = _verified_reading(cast, team)
    with override("en"):
        context = build_enterprise(enterprise_id=enterprise.pk)
        pdf, xlsx = render_pdf(context), render_xlsx(context)
    assert context["data"]["kpis"]["verified"] == 1
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Verified by" in text and "Lin Wei" in text
    workbook = load_workbook(io.BytesIO(xlsx))
    rows = [row for sheet in workbook for row in sheet.iter_rows(values_only=True)]
    header = next(row for row in rows if row and "Verified by" in row)
    line = next(row for row in rows if row and "Lin Wei" in row)
    assert line[header.index("Verified by")] == "Lin Wei"
    verified_on = line[header.index("Verified on")]
    assert verified_on.date() == timezone.localdate(reading.verified_at)  # the portal's day
