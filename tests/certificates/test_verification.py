"""Verifiable certificates: the QR code printed on the workshop pack's PDF, decoded from the
rendered page, opens the public page showing "valid"; after revocation "revoked"; an unknown
token is 404; every check is logged; the page is rate-limited (issue 18)."""

import subprocess
from urllib.parse import urlsplit

import pytest
import zxingcpp
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from PIL import Image

from certificates.models import IssuedCertificate, VerificationCheck
from certificates.services import certificate_revoke, trainer_certificate_issue
from reports.builders import build_workshop
from reports.rendering import render_pdf
from tests.factories import (
    EnrolmentFactory,
    EnterpriseFactory,
    TrainerFactory,
    WorkshopFactory,
    certify,
)
from workshops.models import Attendance

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    from django.core.cache import cache

    settings.PORTAL_URL = "https://score.example.org"
    cache.clear()


@pytest.fixture
def held(cast):
    workshop = WorkshopFactory(partner=cast.zj, status="held", title="M1 Huzhou")
    enrolment = EnrolmentFactory(enterprise=EnterpriseFactory(partner=cast.zj))
    workshop.invitations.add(enrolment)
    person = workshop.participants.create(enrolment=enrolment, name="王芳", sex="F", level="worker")
    absent = workshop.participants.create(
        enrolment=enrolment, name="Absent", sex="M", level="worker"
    )
    Attendance.objects.create(participant=person, day=workshop.days[0], present=True)
    Attendance.objects.create(participant=absent, day=workshop.days[0], present=False)
    return workshop, person


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


def test_the_qr_on_the_pdf_opens_the_page_valid_then_revoked(client, cast, held, tmp_path):
    workshop, person = held
    pdf = render_pdf(build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff))
    # the pack also prints each participant's evaluation slip (tests/workshops/test_evaluations)
    links = [link for link in _qr_links_in(pdf, tmp_path) if "/verify/" in link]
    certificate = IssuedCertificate.objects.get()  # one: the absent participant gets none
    assert certificate.participant == person
    assert links == [f"https://score.example.org/verify/{certificate.token}/"]
    path = urlsplit(links[0]).path

    page = client.get(path)  # anonymous: no login
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-status="valid"' in html and "王芳" in html and certificate.code in html
    assert "Only this portal, at score.example.org, is authoritative" in html
    assert "Absent" not in html and "Huzhou" not in html.split("<main")[-1].split("Module")[0]

    certificate_revoke(acting_user=cast.zj_staff, certificate=certificate, reason="Name misspelt")
    html = client.get(path).content.decode()
    assert 'data-status="revoked"' in html and "Name misspelt" not in html  # reason is private

    checks = list(VerificationCheck.objects.order_by("checked_at").values_list("result", "via"))
    assert checks == [("valid", "link"), ("revoked", "link")]

    # rebuilding the pack prints the same code (issued once)
    build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff)
    assert IssuedCertificate.objects.count() == 1


def test_a_random_token_is_404_and_logged(client):
    response = client.get(reverse("certificates:verify", args=["not-a-real-token-x" * 2]))
    assert response.status_code == 404
    assert VerificationCheck.objects.get().result == "unknown"


def test_the_short_code_finds_the_certificate_however_typed(client, cast, held):
    workshop, _person = held
    build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff)
    certificate = IssuedCertificate.objects.get()
    typed = certificate.code.replace("-", " ").lower()
    html = client.get(reverse("certificates:verify-code"), {"code": typed}).content.decode()
    assert 'data-status="valid"' in html
    missing = client.get(reverse("certificates:verify-code"), {"code": "AAAAA-AAAAA"})
    assert missing.status_code == 404
    assert "No certificate has this code." in missing.content.decode()
    assert VerificationCheck.objects.filter(via="code").count() == 2


def test_the_public_page_is_rate_limited(client, settings):
    settings.VERIFY_RATE_PER_MINUTE = 3
    url = reverse("certificates:verify-code")
    answers = [client.get(url, {"code": f"AAAAA-AAAA{n}"}).status_code for n in "34679"]
    assert answers == [404, 404, 404, 429, 429]
    assert VerificationCheck.objects.count() == 3  # refused checks never reach the database


@pytest.mark.parametrize(
    ("language", "expected"), [("en", "Expired"), ("zh-hans", "已过期")], ids=["en", "zh-hans"]
)
def test_a_trainer_certificate_shows_expired_after_its_validity(client, cast, language, expected):
    import datetime

    trainer = TrainerFactory(name="Zhang Wei", partners=[cast.zj])
    certification = certify(trainer, "M1", "certified")
    certificate = trainer_certificate_issue(acting_user=cast.zj_staff, certification=certification)
    client.cookies["django_language"] = language
    url = reverse("certificates:verify", args=[certificate.token])
    assert 'data-status="valid"' in client.get(url).content.decode()
    certification.valid_until = datetime.date(2026, 1, 1)
    certification.save()
    html = client.get(url).content.decode()
    assert 'data-status="expired"' in html and expected in html


def test_revoking_needs_a_reason_and_the_right(cast, held):
    workshop, _person = held
    build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff)
    certificate = IssuedCertificate.objects.get()
    with pytest.raises(ValidationError):
        certificate_revoke(acting_user=cast.zj_staff, certificate=certificate, reason=" ")
    with pytest.raises(PermissionDenied):
        certificate_revoke(acting_user=cast.zj_manager, certificate=certificate, reason="x")
    with pytest.raises(PermissionDenied):
        certificate_revoke(acting_user=cast.sc_staff, certificate=certificate, reason="x")
    certificate.refresh_from_db()
    assert certificate.revoked_at is None


def test_staff_revoke_by_the_page_with_history(client, cast, held):
    workshop, _person = held
    build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff)
    certificate = IssuedCertificate.objects.get()
    client.force_login(cast.zj_staff)
    url = reverse("certificates:revoke", args=[certificate.pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    response = client.post(url, {"reason": "Issued by mistake"})
    assert response.status_code == 302
    detail = client.get(reverse("certificates:detail", args=[certificate.pk])).content.decode()
    assert "Issued by mistake" in detail and "zj-staff" in detail
    assert certificate.history.count() == 2


def test_the_public_page_runs_a_fixed_number_of_queries(
    client, cast, held, django_assert_max_num_queries
):
    workshop, _person = held
    build_workshop(workshop_id=workshop.pk, acting_user=cast.zj_staff)
    url = reverse("certificates:verify", args=[IssuedCertificate.objects.get().token])
    with django_assert_max_num_queries(4):  # the certificate (one join), the log row
        assert client.get(url).status_code == 200
