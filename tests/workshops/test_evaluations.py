"""Workshop evaluations (issue 16): a participant answers from the QR code on their slip in
the PDF workshop pack (decoded from the rendered page), once; the answers are anonymous;
"participant satisfaction" is satisfied ÷ respondents in the register and on the pages;
results pages are scoped; the form speaks English and Chinese and refuses in words."""

import datetime as dt
import subprocess
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from catalogue.models import EvaluationQuestion
from catalogue.services import evaluation_question_save
from reports.builders import build_workshop
from reports.indicators.compute import indicator_values, value_of
from reports.rendering import render_pdf
from tests.factories import EnrolmentFactory, EnterpriseFactory, TrainerFactory, WorkshopFactory
from workshops.models import EvaluationAnswer, EvaluationResponse, EvaluationToken
from workshops.services import evaluation_tokens_issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _portal(settings):
    from django.core.cache import cache

    settings.PORTAL_URL = "https://score.example.org"
    cache.clear()


def _workshop(partner, *, ended_days_ago=0, people=("王芳", "Li Wei", "Zhang", "Chen")):
    today = timezone.localdate()
    workshop = WorkshopFactory(
        partner=partner,
        status="held",
        title="M1 Huzhou",
        start_date=today - dt.timedelta(days=ended_days_ago + 1),
        end_date=today - dt.timedelta(days=ended_days_ago),
    )
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=partner))
    workshop.invitations.add(enrolment)
    for name in people:
        workshop.participants.create(enrolment=enrolment, name=name, sex="F", level="worker")
    return workshop


def _qr_links_in(pdf: bytes, tmp_path) -> list[str]:
    """Render every page with poppler (pdftoppm) and decode the QR codes on it (zxing-cpp)."""
    source = tmp_path / "pack.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(source), str(tmp_path / "page")], check=True
    )
    links = []
    for page in sorted(tmp_path.glob("page*.png")):
        found = zxingcpp.read_barcodes(Image.open(page))
        links += [r.text for r in found if r.format == zxingcpp.BarcodeFormat.QRCode]
    return links


def _questions():
    return {q.code: q for q in EvaluationQuestion.objects.filter(is_active=True)}


def _answers(overall: int, *, comment: str = "", apply: str = "yes") -> dict:
    q = _questions()
    data = {f"q{q[code].pk}": "4" for code in ("relevance", "trainer", "materials")}
    data[f"q{q['overall'].pk}"] = str(overall)
    data[f"q{q['apply'].pk}"] = apply
    data[f"q{q['comment'].pk}"] = comment
    return data


def _answer_all(client, workshop, ratings):
    tokens = evaluation_tokens_issue(
        acting_user=None, workshop=workshop, participants=list(workshop.participants.all())
    )
    for token, rating in zip(tokens.values(), ratings, strict=False):
        url = reverse("workshops:evaluate", args=[token.token])
        assert client.post(url, _answers(rating)).status_code == 302


def test_a_participant_answers_from_the_qr_on_the_pdf_pack_once(client, cast, tmp_path):
    workshop = _workshop(cast.zj)
    pdf = render_pdf(build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff))
    links = [
        link for link in _qr_links_in(pdf, tmp_path) if "/evaluate/" in link
    ]  # the pack also prints certificates' QR codes (nobody attended here: none)
    tokens = {t.token: t for t in EvaluationToken.objects.filter(workshop=workshop)}
    assert len(links) == 4 == len(tokens)  # one slip per participant
    first = urlsplit(links[0])
    assert first.netloc == "score.example.org"
    token = first.path.rstrip("/").rsplit("/", 1)[-1]
    assert token in tokens

    url = f"{first.path}?{first.query}"
    page = client.get(url)  # anonymous: no login
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-state="open"' in html and "Overall, how satisfied are you" in html
    assert 'name="csrfmiddlewaretoken"' in html

    answered = client.post(url, _answers(5, comment="Very practical 5S exercises"))
    assert answered.status_code == 302
    thanks = client.get(answered["Location"]).content.decode()
    assert 'data-state="done"' in thanks and "Your answers were recorded" in thanks

    response = EvaluationResponse.objects.get()
    assert response.workshop == workshop
    assert EvaluationAnswer.objects.filter(response=response).count() == 6
    assert EvaluationToken.objects.get(token=token).used_on == timezone.localdate()

    # the same slip a second time: refused in words, nothing recorded
    again = client.post(url, _answers(1))
    assert again.status_code == 409
    assert "already been answered" in again.content.decode()
    assert EvaluationResponse.objects.count() == 1
    assert 'data-state="used"' in client.get(url).content.decode()

    # printing the pack again prints the same links (tokens issued once)
    build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff)
    assert EvaluationToken.objects.filter(workshop=workshop).count() == 4


def test_the_form_runs_with_csrf_checks_and_refuses_a_post_without_the_token(cast):
    from django.test import Client

    workshop = _workshop(cast.zj)
    token = evaluation_tokens_issue(
        acting_user=None, workshop=workshop, participants=list(workshop.participants.all())
    )
    url = reverse("workshops:evaluate", args=[next(iter(token.values())).token])
    browser = Client(enforce_csrf_checks=True)
    assert browser.post(url, _answers(4)).status_code == 403  # no CSRF token: refused
    page = browser.get(url)
    csrf = page.cookies["csrftoken"].value
    data = {**_answers(4), "csrfmiddlewaretoken": csrf}
    assert browser.post(url, data).status_code == 302
    assert EvaluationResponse.objects.count() == 1


def test_the_satisfaction_share_is_satisfied_over_respondents(client, cast):
    workshop = _workshop(cast.zj, people=["A", "B", "C", "D", "E"])
    _answer_all(client, workshop, [5, 4, 3, 2])  # E does not answer
    values = indicator_values(cast.programme, ["participant_satisfaction"])
    assert value_of(values, "participant_satisfaction") == 2 / 4  # satisfied ÷ respondents
    by_partner = indicator_values(cast.programme, ["participant_satisfaction"], by="partner")
    assert by_partner["participant_satisfaction"][cast.zj.pk] == 2 / 4

    client.force_login(cast.zj_staff)
    html = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert 'data-satisfied-share="50%"' in html and 'data-respondents="4"' in html
    results = client.get(reverse("reports:evaluations")).content.decode()
    assert 'data-satisfied-share="50%"' in results

    definition = client.get(reverse("reports:indicator-detail", args=["participant_satisfaction"]))
    text = definition.content.decode()
    assert definition.status_code == 200
    assert "Respondents rating the workshop 4 or 5 overall" in text
    assert "Respondents answering the overall satisfaction question" in text


def test_results_are_anonymous(client, cast):
    workshop = _workshop(cast.zj, people=["王芳", "Li Wei", "Zhang"])
    tokens = evaluation_tokens_issue(
        acting_user=None, workshop=workshop, participants=list(workshop.participants.all())
    )
    for n, token in enumerate(tokens.values()):
        url = reverse("workshops:evaluate", args=[token.token])
        client.post(url, _answers(5 - n, comment=f"comment number {n}"))
    # nothing ties a response to a person or to a token: no such column, dates only
    fields = {f.name for f in EvaluationResponse._meta.get_fields()}
    assert not fields & {"participant", "token", "created_at", "submitted_at"}
    assert not hasattr(EvaluationToken, "history") and not hasattr(EvaluationResponse, "history")
    client.force_login(cast.zj_staff)
    html = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    section = html.split('id="evaluation-heading"')[1]
    assert "comment number 0" in section and "comment number 2" in section
    for name in ("王芳", "Li Wei", "Zhang"):
        assert name not in section  # the delegation list above names them; the results never
    # comments come in alphabetical order, not in the order they were sent
    results = client.get(reverse("reports:evaluations")).content.decode()
    assert results.index("comment number 0") < results.index("comment number 2")


def test_few_respondents_show_no_answers(client, cast):
    workshop = _workshop(cast.zj, people=["A", "B"])
    _answer_all(client, workshop, [5, 1])
    client.force_login(cast.zj_staff)
    html = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert 'data-respondents="2"' in html and "data-satisfied-share" not in html
    assert "Answers are shown from 3 responses on" in html


def test_garbage_and_unknown_tokens_are_404(client):
    for token in ("x", "not-a-real-token-at-all", "../../etc", "a" * 80, "%00%ff"):
        response = client.get(f"/evaluate/{token}/")
        assert response.status_code == 404, token
        assert client.post(f"/evaluate/{token}/", {}).status_code == 404


def test_not_yet_held_and_closed_are_said_in_words(client, cast):
    upcoming = _workshop(cast.zj, ended_days_ago=-5, people=["A"])
    closed = _workshop(cast.zj, ended_days_ago=61, people=["B"])
    for workshop, state, words in (
        (upcoming, "not_yet", "The evaluation opens on the last day of the workshop"),
        (closed, "closed", "This evaluation is closed"),
    ):
        token = evaluation_tokens_issue(
            acting_user=None, workshop=workshop, participants=list(workshop.participants.all())
        )
        url = reverse("workshops:evaluate", args=[next(iter(token.values())).token])
        page = client.get(url).content.decode()
        assert f'data-state="{state}"' in page and words in page
        assert client.post(url, _answers(5)).status_code == 403
    assert EvaluationResponse.objects.count() == 0
    on_day_60 = _workshop(cast.zj, ended_days_ago=60, people=["C"])
    _answer_all(client, on_day_60, [4])
    assert EvaluationResponse.objects.count() == 1


def test_a_missing_answer_is_asked_again_in_words(client, cast):
    workshop = _workshop(cast.zj, people=["A"])
    token = evaluation_tokens_issue(
        acting_user=None, workshop=workshop, participants=list(workshop.participants.all())
    )
    url = reverse("workshops:evaluate", args=[next(iter(token.values())).token])
    data = _answers(4)
    del data[f"q{_questions()['overall'].pk}"]
    data[f"q{_questions()['relevance'].pk}"] = "9"  # not a choice
    response = client.post(url, data)
    assert response.status_code == 400
    assert "Some answers are missing" in response.content.decode()
    assert EvaluationResponse.objects.count() == 0
    assert EvaluationToken.objects.get().used_on is None


def test_the_form_is_rate_limited(client, cast, settings):
    settings.EVALUATION_RATE_PER_MINUTE = 2
    workshop = _workshop(cast.zj, people=["A"])
    token = evaluation_tokens_issue(
        acting_user=None, workshop=workshop, participants=list(workshop.participants.all())
    )
    url = reverse("workshops:evaluate", args=[next(iter(token.values())).token])
    answers = [client.get(url).status_code for _ in range(4)]
    assert answers == [200, 200, 429, 429]


def test_the_form_in_chinese_from_the_link_and_switchable(client, cast):
    workshop = _workshop(cast.zj, people=["A"])
    pack = build_workshop(workshop_id=workshop.pk, language="zh-hans", acting_user=cast.zj_staff)
    url = pack["evaluation_slips"][0]["url"]
    assert url.endswith("?lang=zh-hans")
    parts = urlsplit(url)
    html = client.get(f"{parts.path}?{parts.query}").content.decode()
    assert '<html lang="zh-hans">' in html
    assert "培训评估" in html and "总体而言，您对本次培训的满意程度如何？" in html
    assert f'href="{parts.path}?lang=en"' in html  # the switch to English
    english = client.get(f"{parts.path}?lang=en").content.decode()
    assert "Workshop evaluation" in english and "Overall, how satisfied" in english
    client.post(f"{parts.path}?lang=zh-hans", _answers(5))
    refused = client.post(f"{parts.path}?lang=zh-hans", _answers(5))
    assert refused.status_code == 409
    assert "已" in refused.content.decode().split('data-state="used"')[1][:400]
    assert EvaluationResponse.objects.get().language == "zh-hans"


def test_results_pages_in_chinese(client, cast):
    workshop = _workshop(cast.zj, people=["A", "B", "C"])
    _answer_all(client, workshop, [5, 5, 4])
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = "zh-hans"
    detail = client.get(reverse("workshops:detail", args=[workshop.pk])).content.decode()
    assert "学员满意度" in detail and "总体而言" in detail
    results = client.get(reverse("reports:evaluations")).content.decode()
    assert "培训评估结果" in results and 'data-satisfied-share="100%"' in results


def test_results_page_is_scoped_by_partner_and_trainer(client, cast):
    own = _workshop(cast.zj, people=["A", "B", "C"])
    other = _workshop(cast.sc, people=["D", "E", "F"])
    sc_trainer = TrainerFactory(partners=[cast.sc])
    other.trainer_links.create(trainer=sc_trainer, is_lead=True)
    _answer_all(client, own, [5, 5, 5])
    _answer_all(client, other, [1, 1, 1])
    url = reverse("reports:evaluations")

    client.force_login(cast.zj_staff)
    assert 'data-respondents="3"' in client.get(url).content.decode()  # only ZJ's
    assert client.get(url, {"partner": cast.sc.pk}).status_code == 404
    assert client.get(url, {"trainer": sc_trainer.pk}).status_code == 404
    garbage = client.get(url, {"partner": "x'--", "from": "nope"})
    assert garbage.status_code == 200 and "is not applied" in garbage.content.decode()

    client.force_login(cast.programme)
    everything = client.get(url).content.decode()
    assert 'data-respondents="6"' in everything
    by_trainer = client.get(url, {"trainer": sc_trainer.pk}).content.decode()
    assert 'data-respondents="3"' in by_trainer and 'data-satisfied-share="0%"' in by_trainer
    assert sc_trainer.display_name in by_trainer

    # a trainer sees the results of the workshops they teach only
    client.force_login(cast.zj_trainer)
    assert 'data-respondents="0"' in client.get(url).content.decode()


def test_by_module_and_by_trainer_tables(client, cast):
    workshop = _workshop(cast.zj, people=["A", "B", "C", "D"])
    trainer = TrainerFactory(partners=[cast.zj], name="Liu Trainer")
    workshop.trainer_links.create(trainer=trainer, is_lead=True)
    _answer_all(client, workshop, [5, 4, 4, 2])
    from reports.evaluations import evaluation_results

    results = evaluation_results(cast.programme, modules=[workshop.module], trainers=[trainer])
    assert [(r["label"], r["rated"], r["share"]) for r in results["by_trainer"]] == [
        ("Liu Trainer", 4, 0.75)
    ]
    assert [(r["rated"], r["share"]) for r in results["by_module"]] == [(4, 0.75)]


def test_questions_are_versioned_so_old_answers_keep_their_meaning(client, cast):
    workshop = _workshop(cast.zj, people=["A", "B", "C", "D"])
    _answer_all(client, workshop, [5, 4, 3])
    overall = _questions()["overall"]
    with pytest.raises(PermissionDenied):
        evaluation_question_save(acting_user=cast.zj_staff, question=overall, text_en="x")
    newer = evaluation_question_save(
        acting_user=cast.programme,
        question=overall,
        text_en="All in all, how satisfied are you?",
        text_zh="总的来说，您满意吗？",
    )
    overall.refresh_from_db()
    assert (newer.code, newer.version, newer.is_active) == ("overall", 2, True)
    assert overall.is_active is False and overall.text_en.startswith("Overall")
    assert EvaluationAnswer.objects.filter(question=overall).count() == 3  # untouched
    # reordering changes the current version in place
    same = evaluation_question_save(acting_user=cast.programme, question=newer, order=5)
    assert same.pk == newer.pk and same.version == 2
    # the next participant reads version 2; the indicator counts both versions
    unused = EvaluationToken.objects.get(workshop=workshop, used_on__isnull=True)
    page = client.get(reverse("workshops:evaluate", args=[unused.token])).content.decode()
    assert "All in all, how satisfied are you?" in page and "Overall, how" not in page
    data = {**_answers(2)}
    client.post(reverse("workshops:evaluate", args=[unused.token]), data)
    assert EvaluationAnswer.objects.filter(question=newer).count() == 1
    values = indicator_values(cast.programme, ["participant_satisfaction"])
    assert value_of(values, "participant_satisfaction") == 2 / 4

    client.force_login(cast.programme)
    page = client.get(reverse("catalogue:evaluation-question-list")).content.decode()
    assert "All in all, how satisfied are you?" in page and "Overall, how satisfied" in page
    edit = client.post(
        reverse("catalogue:evaluation-question-edit", args=[newer.pk]),
        {
            "kind": "rating",
            "text_en": "All in all, how satisfied are you?",
            "text_zh": "总的来说，您满意吗？",
            "order": 5,
            "required": "on",
            "is_active": "on",
        },
    )
    assert edit.status_code == 302
    assert EvaluationQuestion.objects.filter(code="overall").count() == 2  # nothing changed


def test_the_form_and_the_results_pages_are_valid_html_in_both_languages(client, cast, tmp_path):
    from tests.test_html_validity import _vnu_errors

    workshop = _workshop(cast.zj, people=["A", "B", "C", "D"])
    _answer_all(client, workshop, [5, 4, 3])
    unused = EvaluationToken.objects.get(workshop=workshop, used_on__isnull=True)
    files = []
    for language in ("en", "zh-hans"):
        client.logout()
        form = client.get(reverse("workshops:evaluate", args=[unused.token]), {"lang": language})
        assert form.status_code == 200
        files.append(tmp_path / f"form-{language}.html")
        files[-1].write_bytes(form.content)
        client.force_login(cast.zj_staff)
        client.cookies["django_language"] = language
        for name, args in (
            ("reports:evaluations", []),
            ("workshops:detail", [workshop.pk]),
            ("catalogue:evaluation-question-list", []),
        ):
            page = client.get(reverse(name, args=args))
            assert page.status_code == 200
            files.append(tmp_path / f"{name.replace(':', '_')}-{language}.html")
            files[-1].write_bytes(page.content)
    errors = [m for m in _vnu_errors(files) if m.get("type") == "error"]
    assert not errors, errors


def test_results_pages_run_the_same_queries_whatever_the_number_of_answers(client, cast):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count(url):
        client.force_login(cast.programme)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    first = _workshop(cast.zj, people=["A", "B", "C"])
    trainer = TrainerFactory(partners=[cast.zj])
    first.trainer_links.create(trainer=trainer, is_lead=True)
    _answer_all(client, first, [5, 4, 3])
    results, detail = reverse("reports:evaluations"), reverse("workshops:detail", args=[first.pk])
    small = (count(results), count(detail))
    for _ in range(3):
        more = _workshop(cast.zj, people=["D", "E", "F", "G"])
        more.trainer_links.create(trainer=TrainerFactory(partners=[cast.zj]), is_lead=True)
        _answer_all(client, more, [5, 5, 2, 1])
    larger = reverse("workshops:detail", args=[more.pk])  # 4 responses, 4 participants
    assert (count(results), count(larger)) == small
