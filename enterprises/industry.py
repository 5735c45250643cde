"""GB/T 4754-2017 (国民经济行业分类), the classification Chinese lists use, and its match to
the ISIC Rev. 4 sector an enterprise stores (``choices.SECTOR_CHOICES``).

The sections (门类, A–T) and divisions (大类, two digits) with their Chinese and English names.
``isic`` is the stored sector code the section or division falls in; ``""`` where the
portal's sector list has no counterpart (finance, real estate, education, public
administration ...). Names are data, not messages: they are the standard's own wording.
"""

from __future__ import annotations

import functools
from typing import NamedTuple


class Section(NamedTuple):
    code: str
    zh: str
    en: str
    isic: str  # "" when only a division tells the stored sector


class Division(NamedTuple):
    code: str  # two digits
    section: str
    zh: str
    en: str
    isic: str


SECTIONS = [
    Section("A", "农、林、牧、渔业", "Agriculture, forestry, animal husbandry and fishery", "A"),
    Section("B", "采矿业", "Mining", "B"),
    Section("C", "制造业", "Manufacturing", ""),
    Section(
        "D",
        "电力、热力、燃气及水生产和供应业",
        "Production and supply of electricity, heat, gas and water",
        "D",
    ),
    Section("E", "建筑业", "Construction", "F"),
    Section("F", "批发和零售业", "Wholesale and retail trades", "G"),
    Section("G", "交通运输、仓储和邮政业", "Transport, storage and post", "H"),
    Section("H", "住宿和餐饮业", "Accommodation and catering", "I"),
    Section(
        "I",
        "信息传输、软件和信息技术服务业",
        "Information transmission, software and information technology services",
        "J",
    ),
    Section("J", "金融业", "Financial intermediation", ""),
    Section("K", "房地产业", "Real estate", ""),
    Section("L", "租赁和商务服务业", "Leasing and business services", "N"),
    Section("M", "科学研究和技术服务业", "Scientific research and technical services", "M"),
    Section(
        "N",
        "水利、环境和公共设施管理业",
        "Management of water conservancy, environment and public facilities",
        "E",
    ),
    Section(
        "O",
        "居民服务、修理和其他服务业",
        "Services to households, repair and other services",
        "S",
    ),
    Section("P", "教育", "Education", ""),
    Section("Q", "卫生和社会工作", "Health and social work", "Q"),
    Section("R", "文化、体育和娱乐业", "Culture, sports and entertainment", ""),
    Section(
        "S",
        "公共管理、社会保障和社会组织",
        "Public management, social security and social organisations",
        "",
    ),
    Section("T", "国际组织", "International organisations", ""),
]

DIVISIONS = [
    Division("01", "A", "农业", "Agriculture", "A"),
    Division("02", "A", "林业", "Forestry", "A"),
    Division("03", "A", "畜牧业", "Animal husbandry", "A"),
    Division("04", "A", "渔业", "Fishery", "A"),
    Division(
        "05",
        "A",
        "农、林、牧、渔专业及辅助性活动",
        "Support activities for agriculture, forestry, animal husbandry and fishery",
        "A",
    ),
    Division("06", "B", "煤炭开采和洗选业", "Mining and washing of coal", "B"),
    Division("07", "B", "石油和天然气开采业", "Extraction of petroleum and natural gas", "B"),
    Division("08", "B", "黑色金属矿采选业", "Mining and processing of ferrous metal ores", "B"),
    Division("09", "B", "有色金属矿采选业", "Mining and processing of non-ferrous metal ores", "B"),
    Division("10", "B", "非金属矿采选业", "Mining and processing of non-metal ores", "B"),
    Division("11", "B", "开采专业及辅助性活动", "Support activities for mining", "B"),
    Division("12", "B", "其他采矿业", "Other mining", "B"),
    Division("13", "C", "农副食品加工业", "Processing of food from agricultural products", "C10"),
    Division("14", "C", "食品制造业", "Manufacture of foods", "C10"),
    Division(
        "15",
        "C",
        "酒、饮料和精制茶制造业",
        "Manufacture of liquor, beverages and refined tea",
        "C11",
    ),
    Division("16", "C", "烟草制品业", "Manufacture of tobacco", "C32"),
    Division("17", "C", "纺织业", "Manufacture of textiles", "C13"),
    Division(
        "18", "C", "纺织服装、服饰业", "Manufacture of textile wearing apparel and clothing", "C14"
    ),
    Division(
        "19",
        "C",
        "皮革、毛皮、羽毛及其制品和制鞋业",
        "Manufacture of leather, fur, feather and related products and footwear",
        "C15",
    ),
    Division(
        "20",
        "C",
        "木材加工和木、竹、藤、棕、草制品业",
        "Processing of timber, manufacture of wood, bamboo, rattan, palm and straw products",
        "C16",
    ),
    Division("21", "C", "家具制造业", "Manufacture of furniture", "C31"),
    Division("22", "C", "造纸和纸制品业", "Manufacture of paper and paper products", "C17"),
    Division(
        "23", "C", "印刷和记录媒介复制业", "Printing and reproduction of recording media", "C18"
    ),
    Division(
        "24",
        "C",
        "文教、工美、体育和娱乐用品制造业",
        "Manufacture of articles for culture, education, arts and crafts, sport and entertainment",
        "C32",
    ),
    Division(
        "25",
        "C",
        "石油、煤炭及其他燃料加工业",
        "Processing of petroleum, coal and other fuels",
        "C20",
    ),
    Division(
        "26",
        "C",
        "化学原料和化学制品制造业",
        "Manufacture of raw chemical materials and chemical products",
        "C20",
    ),
    Division("27", "C", "医药制造业", "Manufacture of medicines", "C21"),
    Division("28", "C", "化学纤维制造业", "Manufacture of chemical fibres", "C20"),
    Division("29", "C", "橡胶和塑料制品业", "Manufacture of rubber and plastics products", "C22"),
    Division("30", "C", "非金属矿物制品业", "Manufacture of non-metallic mineral products", "C23"),
    Division(
        "31",
        "C",
        "黑色金属冶炼和压延加工业",
        "Smelting and pressing of ferrous metals",
        "C24",
    ),
    Division(
        "32",
        "C",
        "有色金属冶炼和压延加工业",
        "Smelting and pressing of non-ferrous metals",
        "C24",
    ),
    Division("33", "C", "金属制品业", "Manufacture of metal products", "C25"),
    Division("34", "C", "通用设备制造业", "Manufacture of general-purpose machinery", "C28"),
    Division("35", "C", "专用设备制造业", "Manufacture of special-purpose machinery", "C28"),
    Division("36", "C", "汽车制造业", "Manufacture of automobiles", "C29"),
    Division(
        "37",
        "C",
        "铁路、船舶、航空航天和其他运输设备制造业",
        "Manufacture of railway, ship, aerospace and other transport equipment",
        "C30",
    ),
    Division(
        "38",
        "C",
        "电气机械和器材制造业",
        "Manufacture of electrical machinery and apparatus",
        "C27",
    ),
    Division(
        "39",
        "C",
        "计算机、通信和其他电子设备制造业",
        "Manufacture of computers, communication and other electronic equipment",
        "C26",
    ),
    Division("40", "C", "仪器仪表制造业", "Manufacture of measuring instruments", "C26"),
    Division("41", "C", "其他制造业", "Other manufacturing", "C32"),
    Division("42", "C", "废弃资源综合利用业", "Utilisation of waste resources", "E"),
    Division(
        "43",
        "C",
        "金属制品、机械和设备修理业",
        "Repair of metal products, machinery and equipment",
        "C33",
    ),
    Division(
        "44", "D", "电力、热力生产和供应业", "Production and supply of electricity and heat", "D"
    ),
    Division("45", "D", "燃气生产和供应业", "Production and supply of gas", "D"),
    Division("46", "D", "水的生产和供应业", "Production and supply of water", "E"),
    Division("47", "E", "房屋建筑业", "Construction of buildings", "F"),
    Division("48", "E", "土木工程建筑业", "Civil engineering", "F"),
    Division("49", "E", "建筑安装业", "Construction installation", "F"),
    Division(
        "50", "E", "建筑装饰、装修和其他建筑业", "Building decoration and other construction", "F"
    ),
    Division("51", "F", "批发业", "Wholesale trade", "G"),
    Division("52", "F", "零售业", "Retail trade", "G"),
    Division("53", "G", "铁路运输业", "Rail transport", "H"),
    Division("54", "G", "道路运输业", "Road transport", "H"),
    Division("55", "G", "水上运输业", "Water transport", "H"),
    Division("56", "G", "航空运输业", "Air transport", "H"),
    Division("57", "G", "管道运输业", "Pipeline transport", "H"),
    Division("58", "G", "多式联运和运输代理业", "Multimodal transport and transport agency", "H"),
    Division("59", "G", "装卸搬运和仓储业", "Handling and storage", "H"),
    Division("60", "G", "邮政业", "Postal services", "H"),
    Division("61", "H", "住宿业", "Accommodation", "I"),
    Division("62", "H", "餐饮业", "Catering", "I"),
    Division(
        "63",
        "I",
        "电信、广播电视和卫星传输服务",
        "Telecommunications, broadcasting and satellite transmission services",
        "J",
    ),
    Division("64", "I", "互联网和相关服务", "Internet and related services", "J"),
    Division(
        "65", "I", "软件和信息技术服务业", "Software and information technology services", "J"
    ),
    Division("66", "J", "货币金融服务", "Monetary and financial services", ""),
    Division("67", "J", "资本市场服务", "Capital market services", ""),
    Division("68", "J", "保险业", "Insurance", ""),
    Division("69", "J", "其他金融业", "Other financial activities", ""),
    Division("70", "K", "房地产业", "Real estate", ""),
    Division("71", "L", "租赁业", "Leasing", "N"),
    Division("72", "L", "商务服务业", "Business services", "N"),
    Division("73", "M", "研究和试验发展", "Research and experimental development", "M"),
    Division("74", "M", "专业技术服务业", "Professional technical services", "M"),
    Division(
        "75", "M", "科技推广和应用服务业", "Technology promotion and application services", "M"
    ),
    Division("76", "N", "水利管理业", "Water conservancy management", "E"),
    Division(
        "77",
        "N",
        "生态保护和环境治理业",
        "Ecological protection and environmental management",
        "E",
    ),
    Division("78", "N", "公共设施管理业", "Management of public facilities", "N"),
    Division("79", "N", "土地管理业", "Land management", "N"),
    Division("80", "O", "居民服务业", "Services to households", "S"),
    Division(
        "81",
        "O",
        "机动车、电子产品和日用产品修理业",
        "Repair of motor vehicles, electronic and household products",
        "S",
    ),
    Division("82", "O", "其他服务业", "Other services", "S"),
    Division("83", "P", "教育", "Education", ""),
    Division("84", "Q", "卫生", "Health", "Q"),
    Division("85", "Q", "社会工作", "Social work", "Q"),
    Division("86", "R", "新闻和出版业", "News and publishing", "J"),
    Division(
        "87",
        "R",
        "广播、电视、电影和录音制作业",
        "Radio, television, film and sound recording",
        "J",
    ),
    Division("88", "R", "文化艺术业", "Culture and arts", ""),
    Division("89", "R", "体育", "Sports", ""),
    Division("90", "R", "娱乐业", "Entertainment", ""),
    Division("91", "S", "中国共产党机关", "Organs of the Communist Party of China", ""),
    Division("92", "S", "国家机构", "State organs", ""),
    Division(
        "93",
        "S",
        "人民政协、民主党派",
        "CPPCC and democratic parties",
        "",
    ),
    Division("94", "S", "社会保障", "Social security", ""),
    Division(
        "95",
        "S",
        "群众团体、社会团体和其他成员组织",
        "Mass organisations, social organisations and other membership organisations",
        "S",
    ),
    Division(
        "96",
        "S",
        "基层群众自治组织及其他组织",
        "Grass-roots self-governing organisations and other organisations",
        "",
    ),
    Division("97", "T", "国际组织", "International organisations", ""),
]
SECTIONS_BY_CODE = {s.code: s for s in SECTIONS}
DIVISIONS_BY_CODE = {d.code: d for d in DIVISIONS}

# Everyday words for a division, as lists write them (服装 → 18 纺织服装、服饰业).
DIVISION_SYNONYMS = {
    "18": (
        "服装",
        "服装业",
        "服装加工",
        "服装制造",
        "服装制造业",
        "服饰",
        "制衣",
        "成衣",
        "纺织服装",
    ),
    "17": ("纺织", "纺织品", "丝绸", "印染", "针织"),
    "19": ("皮革", "制鞋", "鞋业", "鞋", "箱包", "皮具"),
    "13": ("农副食品", "食品加工", "农产品加工"),
    "14": ("食品", "食品业"),
    "15": ("饮料", "茶叶", "酒", "酿酒"),
    "20": ("木材", "木制品", "竹制品"),
    "21": ("家具", "家具业"),
    "22": ("造纸", "纸制品"),
    "23": ("印刷", "包装印刷"),
    "24": ("文体用品", "玩具", "工艺品"),
    "26": ("化工", "化学", "化学品"),
    "27": ("医药", "制药", "药业"),
    "28": ("化纤", "化学纤维"),
    "29": ("橡胶", "塑料", "塑胶", "橡塑"),
    "30": ("建材", "陶瓷", "玻璃", "水泥"),
    "31": ("钢铁", "黑色金属"),
    "32": ("有色金属", "铝业", "铜业"),
    "33": ("五金", "金属制品", "模具"),
    "34": ("通用设备", "机械", "机械制造", "机械设备"),
    "35": ("专用设备",),
    "36": ("汽车", "汽车零部件", "汽配"),
    "37": ("船舶", "运输设备"),
    "38": ("电气", "电机", "电器", "电气机械"),
    "39": ("电子", "电子信息", "通信设备", "计算机"),
    "40": ("仪器仪表", "仪表"),
    "41": ("其他制造",),
    "43": ("设备修理",),
    "47": ("建筑", "建筑施工"),
    "51": ("批发", "贸易", "外贸"),
    "52": ("零售", "商贸"),
    "54": ("物流", "运输", "道路运输"),
    "59": ("仓储",),
    "61": ("酒店", "宾馆", "住宿"),
    "62": ("餐饮",),
    "65": ("软件", "信息技术", "IT"),
    "72": ("商务服务", "咨询"),
    "74": ("技术服务",),
    "84": ("医疗", "医院"),
}


def _stems(name: str) -> set[str]:
    """A division's name and its parts as people shorten them: 纺织服装、服饰业 → 纺织服装,
    服饰业, 服饰; 家具制造业 → 家具制造, 家具."""
    names = {name}
    for suffix in ("制造业", "制品业", "业", "制造"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            names.add(name.removesuffix(suffix))
    for part in name.replace("和", "、").split("、"):
        if len(part) >= 2:
            names.add(part)
            if part.endswith("业") and len(part) > 2:
                names.add(part.removesuffix("业"))
    return names


@functools.cache
def name_lookup() -> dict[str, tuple[str, str]]:
    """Name or synonym (casefolded, no spaces) → ("division" | "section", code).
    A full official name wins over a part shared by several divisions."""
    full: dict[str, tuple[str, str]] = {}
    parts: dict[str, set[tuple[str, str]]] = {}
    for division in DIVISIONS:
        key = ("division", division.code)
        for name in (division.zh, division.en):
            full.setdefault(_key(name), key)
        for stem in _stems(division.zh):
            parts.setdefault(_key(stem), set()).add(key)
    for section in SECTIONS:
        key = ("section", section.code)
        for name in (section.zh, section.en):
            full.setdefault(_key(name), key)
    for code, words in DIVISION_SYNONYMS.items():
        for word in words:
            full.setdefault(_key(word), ("division", code))
    for stem, keys in parts.items():
        if len(keys) == 1:
            full.setdefault(stem, next(iter(keys)))
    return full


def _key(text: str) -> str:
    return "".join(str(text).split()).casefold()
