"""Demo partners are named completely in both languages (issue 20, item 7): never
"Jiangsu企业联合会"."""

import io
import re

import pytest

from demo.context import SeedContext
from demo.steps.platform import seed_partners_and_logins
from score_portal.models import Partner

pytestmark = pytest.mark.django_db


def test_every_demo_partner_has_a_chinese_name_without_latin_letters():
    seed_partners_and_logins(SeedContext("large", io.StringIO()))
    partners = list(Partner.objects.all())
    assert len(partners) >= 22
    for partner in partners:
        assert not re.search(r"[A-Za-z]", partner.name_zh), partner.name_zh
        assert re.fullmatch(r"[A-Za-z ,.'-]+", partner.name_en), partner.name_en
    jiangsu = Partner.objects.get(region="Jiangsu")
    assert jiangsu.name_en == "Jiangsu Enterprise Federation"
    assert jiangsu.name_zh == "江苏省企业联合会"
