"""Certifications have a validity period and a renewal; the trainer picker and the team's
warnings say "expired on …" in the reader's language (issue 18; issue 20, item 2)."""

import datetime
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import TrainerFactory, WorkshopFactory, _module, certify
from trainers.models import Certification, ConsultingVisit, WorkshopTrainer
from trainers.services.certification import certification_renew, certification_save
from trainers.services.teaching import workshop_set_trainers
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

EXPIRED_ON = datetime.date(2026, 3, 1)


@pytest.fixture
def team(cast):
    expired = TrainerFactory(name="Zhang Wei", name_zh="张伟", partners=[cast.zj])
    certification = certify(expired, "M1", "certified")
    certification.valid_until = EXPIRED_ON
    certification.save()
    valid = TrainerFactory(name="Wang Fang", name_zh="王芳", partners=[cast.zj])
    certify(valid, "M1", "certified")
    return {
        "expired": expired,
        "valid": valid,
        "certification": certification,
        "workshop": WorkshopFactory(partner=cast.zj),  # starts 2026-06-10
    }


def test_a_new_certification_is_valid_for_the_default_period(cast, settings):
    settings.CERTIFICATION_VALIDITY_MONTHS = 24
    trainer = TrainerFactory(partners=[cast.zj])
    saved = certification_save(
        acting_user=cast.zj_staff,
        trainer=trainer,
        module=_module("M1"),
        grade="certified",
        decision_date=datetime.date(2025, 1, 31),
    )
    assert saved.valid_until == datetime.date(2027, 1, 31)


def test_the_modules_own_validity_wins(cast):
    module = _module("M1")
    module.certification_validity_months = 13
    module.save()
    saved = certification_save(
        acting_user=cast.zj_staff,
        trainer=TrainerFactory(partners=[cast.zj]),
        module=module,
        grade="expert",
        decision_date=datetime.date(2025, 1, 31),
    )
    assert saved.valid_until == datetime.date(2026, 2, 28)  # clamped to the month's end


@pytest.mark.parametrize(
    ("language", "expired_label", "valid_label"),
    [
        (
            "en",
            "Zhang Wei — Certified trainer, expired on 2026-03-01",
            "Wang Fang — Certified trainer",
        ),
        ("zh-hans", "张伟 — 认证培训师，已于 2026-03-01 过期", "王芳 — 认证培训师"),
    ],
    ids=["en", "zh-hans"],
)
def test_the_picker_says_expired_on(client, cast, team, language, expired_label, valid_label):
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    html = client.get(reverse("trainers:teaching:team", args=[team["workshop"].pk])).content
    html = html.decode()
    assert expired_label in html
    assert valid_label in html
    # the valid trainer is not "expired", the expired one is not simply "Certified trainer"
    assert f"{expired_label.split(' — ')[0]} — {valid_label.split(' — ')[1]}<" not in html


def test_the_refusal_names_the_expiry(cast, team):
    with pytest.raises(ValidationError) as error:
        workshop_set_trainers(
            acting_user=cast.zj_staff, workshop=team["workshop"], trainers=[team["expired"]]
        )
    assert "Zhang Wei's certification for M1 expired on 2026-03-01." in error.value.messages
    assert not any("not certified" in message for message in error.value.messages)


@pytest.mark.parametrize(
    ("language", "expected", "reason_label"),
    [
        ("en", "Zhang Wei's certification for M1 expired on 2026-03-01.", "Reason given:"),
        ("zh-hans", "张伟的 M1 认证已于 2026-03-01 过期。", "给出的理由："),
    ],
    ids=["en", "zh-hans"],
)
def test_warnings_are_codes_shown_in_the_readers_language_under_their_trainer_only(
    client, cast, team, language, expected, reason_label
):
    # chosen on an English page ...
    workshop_set_trainers(
        acting_user=cast.zj_staff,
        workshop=team["workshop"],
        trainers=[team["expired"], team["valid"]],
        reason="Renewal in progress",
    )
    links = {link.trainer_id: link for link in WorkshopTrainer.objects.all()}
    stored = links[team["expired"].pk]
    assert stored.eligibility_warnings == [
        {"code": "expired", "module": "M1", "date": "2026-03-01"}
    ]
    assert stored.eligibility_note == "Renewal in progress"  # the person's words only
    # the certified co-trainer carries no warning and no reason
    assert links[team["valid"].pk].eligibility_warnings == []
    assert links[team["valid"].pk].eligibility_note == ""
    # ... read on a page in the reader's language, once
    client.force_login(cast.zj_staff)
    client.cookies["django_language"] = language
    page = client.get(reverse("workshops:detail", args=[team["workshop"].pk]))
    html = unescape(page.content.decode())
    assert html.count(expected) == 1
    assert reason_label in html
    if language == "zh-hans":
        assert "expired on" not in html


def test_renewal_needs_recent_delivery(cast, team):
    certification = team["certification"]
    with pytest.raises(ValidationError, match="No evidence of recent delivery"):
        certification_renew(
            acting_user=cast.zj_staff, certification=certification, on=datetime.date(2026, 6, 1)
        )
    certification.refresh_from_db()
    assert certification.valid_until == EXPIRED_ON


def test_renewal_with_recent_delivery_extends_the_validity(cast, team, settings):
    from tests.factories import EnrolmentFactory, EnterpriseFactory

    settings.CERTIFICATION_VALIDITY_MONTHS = 36
    trainer, certification = team["expired"], team["certification"]
    held = WorkshopFactory(
        partner=cast.zj,
        start_date=datetime.date(2026, 4, 1),
        end_date=datetime.date(2026, 4, 2),
        status=Workshop.Status.HELD,
    )
    WorkshopTrainer.objects.create(workshop=held, trainer=trainer, is_lead=True)
    for number in (1, 2):
        enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
        ConsultingVisit.objects.create(
            enrolment=enrolment,
            trainer=trainer,
            number=number,
            status=ConsultingVisit.Status.RECORDED,
            visit_date=datetime.date(2026, 5, 1),
        )
    renewed = certification_renew(
        acting_user=cast.zj_staff, certification=certification, on=datetime.date(2026, 6, 1)
    )
    assert renewed.valid_until == datetime.date(2029, 6, 1)
    assert renewed.renewed_on == datetime.date(2026, 6, 1)
    assert renewed.history.first().history_user == cast.zj_staff


def test_renewing_by_the_page_explains_a_refusal(client, cast, team):
    client.force_login(cast.zj_staff)
    url = reverse("trainers:certification-renew", args=[team["certification"].pk])
    response = client.post(url, follow=True)
    assert response.status_code == 200
    assert "No evidence of recent delivery" in response.content.decode()
    assert client.get(url).status_code == 405


def test_trainer_list_and_page_show_the_expiry(client, cast, team):
    client.force_login(cast.zj_staff)
    listing = client.get(reverse("trainers:list")).content.decode()
    assert "Certified trainer, expired on 2026-03-01" in listing
    page = client.get(reverse("trainers:detail", args=[team["expired"].pk])).content.decode()
    assert "Certified trainer, expired on 2026-03-01" in page


def test_the_backfill_gives_existing_certifications_an_end(cast, settings):
    import importlib

    from django.apps import apps

    settings.CERTIFICATION_VALIDITY_MONTHS = 36
    migration = importlib.import_module(
        "trainers.migrations.0007_certification_valid_until_backfill"
    )
    old = certify(TrainerFactory(partners=[cast.zj]), "M1", "certified")  # decided 2025-01-01
    candidate = certify(TrainerFactory(partners=[cast.zj]), "M1", "candidate")
    migration.backfill(apps, None)
    old.refresh_from_db()
    candidate.refresh_from_db()
    assert old.valid_until == datetime.date(2028, 1, 1)
    assert candidate.valid_until is None
    migration.unfill(apps, None)
    old.refresh_from_db()
    assert old.valid_until is None
    assert Certification.objects.count() == 2


def test_an_implausible_decision_date_is_refused_not_a_500(client, cast):
    trainer = TrainerFactory(partners=[cast.zj])
    client.force_login(cast.zj_staff)
    url = reverse("trainers:certification-edit", args=[trainer.pk, _module("M1").pk])
    response = client.post(url, {"grade": "certified", "decision_date": "9999-12-31"})
    assert response.status_code == 400
    assert not Certification.objects.filter(trainer=trainer).exists()
