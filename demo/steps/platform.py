"""Partners and the demo logins."""

from django.contrib.auth import get_user_model

from demo.context import SeedContext
from score_portal.models import Membership, Partner, Role

PARTNERS = [
    (
        "ZJ",
        "Zhejiang Enterprise Federation",
        "浙江省企业联合会",
        Partner.Kind.FEDERATION,
        "Zhejiang",
    ),
    ("SC", "Sichuan Enterprise Federation", "四川省企业联合会", Partner.Kind.FEDERATION, "Sichuan"),
    (
        "CQ",
        "Chongqing Enterprise Confederation",
        "重庆市企业联合会",
        Partner.Kind.FEDERATION,
        "Chongqing",
    ),
    (
        "SH",
        "Shanghai Work Safety Training Centre",
        "上海市安全生产培训中心",
        Partner.Kind.GOVERNMENT,
        "Shanghai",
    ),
]
# Extra federations for larger demos: the province in English and as the federation's
# Chinese name begins ("江苏省企业联合会", never "Jiangsu企业联合会").
PROVINCES = [
    ("Jiangsu", "江苏省"),
    ("Guangdong", "广东省"),
    ("Shandong", "山东省"),
    ("Fujian", "福建省"),
    ("Hubei", "湖北省"),
    ("Hunan", "湖南省"),
    ("Anhui", "安徽省"),
    ("Henan", "河南省"),
    ("Liaoning", "辽宁省"),
    ("Yunnan", "云南省"),
    ("Guangxi", "广西壮族自治区"),
    ("Jiangxi", "江西省"),
    ("Shaanxi", "陕西省"),
    ("Hebei", "河北省"),
    ("Shanxi", "山西省"),
    ("Jilin", "吉林省"),
    ("Guizhou", "贵州省"),
    ("Gansu", "甘肃省"),
]

DEMO_LOGINS = [
    ("programme", "Li Na", None, Role.PROGRAMME_MANAGER, "programme manager (all partners)"),
    ("zj-manager", "Chen Jie", "ZJ", Role.PARTNER_MANAGER, "partner manager, Zhejiang"),
    ("zj-staff", "Wang Fang", "ZJ", Role.PARTNER_STAFF, "partner staff, Zhejiang"),
    ("zj-trainer", "Zhang Wei", "ZJ", Role.TRAINER, "trainer, Zhejiang"),
    ("sc-manager", "Liu Yang", "SC", Role.PARTNER_MANAGER, "partner manager, Sichuan"),
    ("sc-staff", "Zhao Min", "SC", Role.PARTNER_STAFF, "partner staff, Sichuan"),
    ("sc-trainer", "Huang Lei", "SC", Role.TRAINER, "trainer, Sichuan"),
]
DEMO_PASSWORD = "demo"  # noqa: S105  (documented in the README; demo data only)


def seed_partners_and_logins(ctx: SeedContext) -> None:
    partners = {}
    extra = [
        (
            f"P{index:02d}",
            f"{province} Enterprise Federation",
            f"{province_zh}企业联合会",
            Partner.Kind.FEDERATION,
            province,
        )
        for index, (province, province_zh) in enumerate(PROVINCES[: ctx.size["extra_partners"]], 1)
    ]
    for code, name_en, name_zh, kind, region in PARTNERS + extra:
        partner, _ = Partner.objects.update_or_create(
            code=code,
            defaults={"name_en": name_en, "name_zh": name_zh, "kind": kind, "region": region},
        )
        partners[code] = partner
    ctx.shared["partners"] = partners

    User = get_user_model()
    for username, full_name, partner_code, role, description in DEMO_LOGINS:
        first, last = full_name.split(" ", 1)
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
        )
        if created or not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save()
        Membership.objects.get_or_create(
            user=user, partner=partners.get(partner_code), defaults={"role": role}
        )
        ctx.shared.setdefault("users", {})[username] = user
        ctx.shared.setdefault("logins", []).append((username, description))
    ctx.log(f"Partners: {len(partners)}; demo logins: {len(DEMO_LOGINS)}.")
