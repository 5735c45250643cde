"""Demo enterprises with their EIT, projects and monthly suggestions (bulk inserts)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from catalogue.models import KPIDefinition
from demo.context import SeedContext
from enterprises.choices import PROVINCE_CHOICES
from enterprises.models import (
    EITMember,
    Enterprise,
    EnterpriseGroup,
    ImprovementProject,
    KPIReading,
    SuggestionCount,
)
from enterprises.services.kpi import kpi_latest_rebuild
from enterprises.validators import USCC_ALPHABET, uscc_check_character

CITY_ZH = {
    "Hangzhou": "杭州",
    "Huzhou": "湖州",
    "Ningbo": "宁波",
    "Wenzhou": "温州",
    "Shaoxing": "绍兴",
    "Jiaxing": "嘉兴",
    "Chengdu": "成都",
    "Mianyang": "绵阳",
    "Deyang": "德阳",
    "Yibin": "宜宾",
    "Leshan": "乐山",
    "Chongqing": "重庆",
    "Shanghai": "上海",
}
CITIES = {
    "ZJ": ("Zhejiang", ["Hangzhou", "Huzhou", "Ningbo", "Wenzhou", "Shaoxing", "Jiaxing"]),
    "SC": ("Sichuan", ["Chengdu", "Mianyang", "Deyang", "Yibin", "Leshan"]),
    "CQ": ("Chongqing", ["Chongqing"]),
    "SH": ("Shanghai", ["Shanghai"]),
}
TRADES = [
    ("Textile", "纺织", "C13"),
    ("Garment", "服装", "C14"),
    ("Furniture", "家具", "C31"),
    ("Auto Parts", "汽车零部件", "C29"),
    ("Machinery", "机械", "C28"),
    ("Electronics", "电子", "C26"),
    ("Plastics", "塑料制品", "C22"),
    ("Food", "食品", "C10"),
    ("Chemical", "化工", "C20"),
    ("Metal Products", "金属制品", "C25"),
    ("Logistics", "物流", "H"),
    ("Printing", "印刷", "C18"),
]
PREFIXES = [
    ("Huaxin", "华鑫"),
    ("Hengtai", "恒泰"),
    ("Jinlong", "金龙"),
    ("Mingda", "明达"),
    ("Ruifeng", "瑞丰"),
    ("Tianyu", "天宇"),
    ("Xinhe", "鑫和"),
    ("Yongsheng", "永盛"),
    ("Zhongcheng", "中诚"),
    ("Baoli", "宝力"),
    ("Changjiang", "长江"),
    ("Dongfang", "东方"),
    ("Fuxing", "复兴"),
    ("Guangming", "光明"),
    ("Haitian", "海天"),
    ("Jiahe", "嘉禾"),
]
GROUPS = ["Provincial Transport Investment Group", "", "", ""]
# The provincial investment groups whose subsidiaries a partner enrols (code, English, Chinese);
# a partner not listed has one transport group named after its region.
DEMO_GROUPS = {
    "ZJ": [
        ("ZJ-TRANSPORT", "Zhejiang Provincial Transport Investment Group", "浙江省交通投资集团"),
        ("ZJ-AIRPORT", "Zhejiang Provincial Airport Group", "浙江省机场集团"),
    ],
    "SC": [("SC-TRANSPORT", "Sichuan Provincial Transport Investment Group", "四川省交通投资集团")],
}


def demo_groups(partner) -> list[EnterpriseGroup]:
    """The partner's demo groups, made once (seeding again finds them)."""
    region = partner.region or partner.code
    specs = DEMO_GROUPS.get(
        partner.code,
        [(f"{partner.code}-TRANSPORT", f"{region} Transport Investment Group", "")],
    )
    return [
        EnterpriseGroup.objects.get_or_create(
            partner=partner, code=code, defaults={"name": name, "name_zh": name_zh}
        )[0]
        for code, name, name_zh in specs
    ]


BUYERS = ["", "", "IKEA", "H&M", "Decathlon", "Bosch", ""]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明")
PROJECT_TITLES = [
    "5S in the cutting workshop",
    "Reduce sewing defects",
    "Energy audit of boilers",
    "Suggestion box and rewards",
    "Safer forklift routes",
    "Cut fabric waste",
    "Visual management boards",
    "Compressed-air leak repair",
    "Onboarding for new workers",
    "Chemical storage and labelling",
]


def credit_code(partner_index: int, number: int) -> str:
    region = "330100" if partner_index == 0 else f"{510100 + partner_index * 100:06d}"
    digits = f"{partner_index:02d}{number:07d}"
    body = "91" + region + "".join(USCC_ALPHABET[int(c)] for c in digits)[:9]
    return body + uscc_check_character(body)


def months_back(today: datetime.date, count: int) -> list[datetime.date]:
    months, month = [], today.replace(day=1)
    for _ in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


def seed_enterprises(ctx: SeedContext) -> None:
    rng = ctx.rng
    partners = list(ctx.shared["partners"].values())
    per_partner = max(10, ctx.size["enterprises"] // len(partners))
    existing = set(Enterprise.objects.values_list("credit_code", flat=True))
    new = []
    for p_index, partner in enumerate(partners):
        province, cities = CITIES.get(
            partner.code, (partner.region or "Other", [partner.region or "—"])
        )
        count = per_partner * (2 if partner.code in {"ZJ", "SC"} and ctx.scale == "small" else 1)
        groups = demo_groups(partner)
        for number in range(count):
            code = credit_code(p_index, number)
            if code in existing:
                continue
            prefix_en, prefix_zh = PREFIXES[number % len(PREFIXES)]
            trade_en, trade_zh, sector = TRADES[(number // len(PREFIXES)) % len(TRADES)]
            city = cities[number % len(cities)]
            group_en = rng.choice(GROUPS)
            employees = rng.choice([60, 85, 120, 150, 210, 260, 320, 450, 600])
            status = rng.choices(
                ["prospect", "active", "completed", "withdrawn"], weights=[10, 70, 15, 5]
            )[0]
            suffix = (
                f" {number // (len(PREFIXES) * len(TRADES)) + 1}"
                if number >= len(PREFIXES) * len(TRADES)
                else ""
            )
            new.append(
                Enterprise(
                    partner=partner,
                    credit_code=code,
                    name=f"{city} {prefix_en} {trade_en} Co., Ltd.{suffix}",
                    name_zh=f"{CITY_ZH.get(city, '')}{prefix_zh}{trade_zh}有限公司{suffix}",
                    sector=sector,
                    province=province if province in PROVINCES else "Other",
                    city=city,
                    address=f"{rng.randint(1, 999)} Industrial Road, {city}",
                    employees_total=employees,
                    employees_women=int(employees * rng.uniform(0.2, 0.7)),
                    year_founded=rng.randint(1985, 2018),
                    ownership=rng.choice(
                        ["private", "private", "private", "state", "foreign", "joint_venture"]
                    ),
                    group=groups[number % len(groups)] if group_en else None,
                    lead_buyer=rng.choice(BUYERS),
                    contact_person=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    phone=f"1{rng.randint(3, 9)}{rng.randint(100000000, 999999999)}",
                    status=status,
                )
            )
    Enterprise.objects.bulk_create(new, batch_size=2000)
    created = list(Enterprise.objects.filter(credit_code__in=[e.credit_code for e in new]))
    ctx.shared["new_enterprises"] = created
    _seed_eit_projects_suggestions(ctx, created)
    ctx.log(f"Enterprises: {len(created)} new, {len(existing)} already there.")


PROVINCES = {code for code, _label in PROVINCE_CHOICES}


def _seed_eit_projects_suggestions(ctx: SeedContext, enterprises) -> None:
    rng = ctx.rng
    today = timezone.localdate()
    months = months_back(today, 12)
    members, projects, suggestions = [], [], []
    roles = [
        "leader",
        "deputy",
        "secretary",
        "liaison",
        "liaison",
        "member",
        "member",
        "member",
        "member",
        "member",
        "member",
        "member",
    ]
    for enterprise in enterprises:
        if enterprise.status == "prospect":
            continue
        for index in range(rng.randint(6, 12)):
            members.append(
                EITMember(
                    enterprise=enterprise,
                    name=rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(["", *GIVEN]),
                    role=roles[index],
                    level="manager" if index < 3 or rng.random() < 0.3 else "worker",
                    sex="F" if rng.random() < 0.4 else "M",
                    department=rng.choice(["Production", "Quality", "HR", "Warehouse", "Safety"]),
                    active_from=today - datetime.timedelta(days=rng.randint(60, 500)),
                )
            )
        for _ in range(rng.randint(2, 8)):
            status = rng.choice(["completed", "completed", "in_progress", "planned"])
            estimated = Decimal(rng.randrange(5_000, 200_000, 500))
            start = today - datetime.timedelta(days=rng.randint(30, 400))
            projects.append(
                ImprovementProject(
                    enterprise=enterprise,
                    title=rng.choice(PROJECT_TITLES),
                    status=status,
                    start_date=start,
                    end_date=start + datetime.timedelta(days=rng.randint(20, 120))
                    if status == "completed"
                    else None,
                    estimated_saving=estimated,
                    realised_saving=(
                        estimated * Decimal(str(round(rng.uniform(0.4, 1.3), 2)))
                    ).quantize(Decimal("1"))
                    if status == "completed"
                    else None,
                )
            )
        for month in months[: rng.randint(3, 12)]:
            made = rng.randint(2, 40)
            suggestions.append(
                SuggestionCount(
                    enterprise=enterprise, month=month, made=made, implemented=rng.randint(0, made)
                )
            )
    EITMember.objects.bulk_create(members, batch_size=5000)
    ImprovementProject.objects.bulk_create(projects, batch_size=5000)
    SuggestionCount.objects.bulk_create(suggestions, batch_size=5000)


# Typical baseline values and the usual change after SCORE training (share of baseline).
KPI_PROFILES = {
    "productivity": (120, 0.15),
    "defect_rate": (6, -0.30),
    "waste": (2.5, -0.20),
    "energy_use": (40, -0.12),
    "cost_savings": (8000, 0.60),
    "on_time_delivery": (85, 0.06),
    "absenteeism": (5, -0.25),
    "staff_turnover": (30, -0.20),
    "accidents": (3, -0.40),
    "near_misses": (4, 0.8),
    "suggestions_made": (10, 1.0),
}


def seed_kpi_readings(ctx: SeedContext) -> None:
    """Baselines and follow-ups for about two thirds of the active enterprises; most, not
    all, improve; some have a baseline only (the data gap the portal must show)."""
    rng = ctx.rng
    today = timezone.localdate()
    kpis = {k.code: k for k in KPIDefinition.objects.filter(code__in=KPI_PROFILES)}
    readings = []
    small = ctx.scale == "small"
    for enterprise in ctx.shared.get("new_enterprises", []):
        if enterprise.status in {"prospect", "withdrawn"} or rng.random() > 0.67:
            continue
        chosen = rng.sample(sorted(kpis), rng.randint(4, 7) if small else rng.randint(6, 8))
        start = today - datetime.timedelta(days=rng.randint(240, 420))
        follow_ups = (
            0 if rng.random() < 0.15 else (rng.randint(1, 3) if small else rng.randint(4, 8))
        )
        spacing = 90 if small else 45  # programme scale: a reading about every six weeks
        for code in chosen:
            base, effect = KPI_PROFILES[code]
            baseline = Decimal(str(round(base * rng.uniform(0.7, 1.3), 2)))
            readings.append(
                KPIReading(
                    enterprise=enterprise,
                    kpi=kpis[code],
                    kind="baseline",
                    value=baseline,
                    period_start=start,
                    period_end=start + datetime.timedelta(days=29),
                    source="visit",
                )
            )
            improves = rng.random() < 0.8
            for n in range(1, follow_ups + 1):
                factor = 1 + (effect if improves else -effect * 0.3) * n / follow_ups * rng.uniform(
                    0.6, 1.2
                )
                period_start = start + datetime.timedelta(days=spacing * n)
                if period_start > today:
                    break
                readings.append(
                    KPIReading(
                        enterprise=enterprise,
                        kpi=kpis[code],
                        kind="follow_up",
                        value=(baseline * Decimal(str(round(factor, 3)))).quantize(Decimal("0.01")),
                        period_start=period_start,
                        period_end=period_start + datetime.timedelta(days=29),
                        source=rng.choice(["visit", "visit", "report"]),
                    )
                )
    KPIReading.objects.bulk_create(readings, batch_size=5000)
    kpi_latest_rebuild()  # bulk_create skips the signals that keep KPILatest current
    ctx.log(f"KPI readings: {len(readings)} new.")
