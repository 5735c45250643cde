"""Small things users trip over (issue 20): phone links a phone can dial, the port of
``make run``."""

import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from score_portal.templatetags.portal import tel_href
from tests.factories import EnterpriseFactory, TrainerFactory

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("written", "href"),
    [
        ("0571 8888-1234", "tel:057188881234"),
        ("+86 138 0000 0000", "tel:+8613800000000"),
        ("(0571) 8888 1234", "tel:057188881234"),
        ("", "tel:"),
    ],
)
def test_tel_links_keep_only_what_a_phone_dials(written, href):
    assert tel_href(written) == href


@pytest.mark.django_db
def test_enterprise_and_trainer_pages_link_phones_without_spaces(client, cast):
    enterprise = EnterpriseFactory(partner=cast.zj, phone="0571 8888-1234")
    trainer = TrainerFactory(partners=[cast.zj], phone="+86 138 0000 0000")
    client.force_login(cast.zj_staff)
    enterprise_page = client.get(reverse("enterprises:detail", args=[enterprise.pk]))
    trainer_page = client.get(reverse("trainers:detail", args=[trainer.pk]))
    assert 'href="tel:057188881234"' in enterprise_page.content.decode()
    assert 'href="tel:+8613800000000"' in trainer_page.content.decode()
    assert "tel:0571 " not in enterprise_page.content.decode()


def test_make_run_serves_on_the_port_asked_for():
    dry_run = subprocess.run(
        ["make", "-n", "run", "PORT=8080"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "honcho start -f Procfile -p 8080" in dry_run
    assert "http://127.0.0.1:8080" in dry_run
    default = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert "-p 8000" in default


@pytest.mark.django_db
def test_favicon_is_found_and_every_page_names_its_icon(client, cast):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("img/favicon.ico")
    client.force_login(cast.zj_staff)
    page = client.get(reverse("home")).content.decode()
    assert 'rel="icon"' in page and "img/favicon.ico" in page


@pytest.mark.django_db
def test_enterprise_list_labels_each_point_at_one_control(client, cast):
    import re

    EnterpriseFactory(partner=cast.zj)
    client.force_login(cast.zj_staff)
    page = client.get(reverse("enterprises:list")).content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, duplicates
    for target in re.findall(r'<label[^>]*\sfor="([^"]+)"', page):
        assert ids.count(target) == 1, target
    assert 'id="id_status"' in page and 'id="id_bulk_status"' in page
