"""Reference lists for enterprises: ISIC Rev. 4 sectors and China's provincial divisions."""

from django.utils.translation import gettext_lazy as _

# ISIC Rev. 4: the manufacturing divisions SCORE works with, and the other sections whole.
SECTOR_CHOICES = [
    (
        _("C — Manufacturing"),
        [
            ("C10", _("10 Food products")),
            ("C11", _("11 Beverages")),
            ("C13", _("13 Textiles")),
            ("C14", _("14 Wearing apparel")),
            ("C15", _("15 Leather and footwear")),
            ("C16", _("16 Wood and wood products")),
            ("C17", _("17 Paper and paper products")),
            ("C18", _("18 Printing")),
            ("C20", _("20 Chemicals and chemical products")),
            ("C21", _("21 Pharmaceuticals")),
            ("C22", _("22 Rubber and plastics products")),
            ("C23", _("23 Other non-metallic mineral products")),
            ("C24", _("24 Basic metals")),
            ("C25", _("25 Fabricated metal products")),
            ("C26", _("26 Computer, electronic and optical products")),
            ("C27", _("27 Electrical equipment")),
            ("C28", _("28 Machinery and equipment")),
            ("C29", _("29 Motor vehicles and parts")),
            ("C30", _("30 Other transport equipment")),
            ("C31", _("31 Furniture")),
            ("C32", _("32 Other manufacturing")),
            ("C33", _("33 Repair and installation of machinery")),
        ],
    ),
    (
        _("Other sections"),
        [
            ("A", _("A Agriculture, forestry and fishing")),
            ("B", _("B Mining and quarrying")),
            ("D", _("D Electricity, gas and steam")),
            ("E", _("E Water supply and waste management")),
            ("F", _("F Construction")),
            ("G", _("G Wholesale and retail trade")),
            ("H", _("H Transportation and storage")),
            ("I", _("I Accommodation and food services")),
            ("J", _("J Information and communication")),
            ("M", _("M Professional and technical services")),
            ("N", _("N Administrative and support services")),
            ("Q", _("Q Health and social work")),
            ("S", _("S Other service activities")),
        ],
    ),
]
SECTOR_LABELS = {code: label for _group, items in SECTOR_CHOICES for code, label in items}

PROVINCE_CHOICES = [
    ("Anhui", _("Anhui")),
    ("Beijing", _("Beijing")),
    ("Chongqing", _("Chongqing")),
    ("Fujian", _("Fujian")),
    ("Gansu", _("Gansu")),
    ("Guangdong", _("Guangdong")),
    ("Guangxi", _("Guangxi")),
    ("Guizhou", _("Guizhou")),
    ("Hainan", _("Hainan")),
    ("Hebei", _("Hebei")),
    ("Heilongjiang", _("Heilongjiang")),
    ("Henan", _("Henan")),
    ("Hubei", _("Hubei")),
    ("Hunan", _("Hunan")),
    ("Inner Mongolia", _("Inner Mongolia")),
    ("Jiangsu", _("Jiangsu")),
    ("Jiangxi", _("Jiangxi")),
    ("Jilin", _("Jilin")),
    ("Liaoning", _("Liaoning")),
    ("Ningxia", _("Ningxia")),
    ("Qinghai", _("Qinghai")),
    ("Shaanxi", _("Shaanxi")),
    ("Shandong", _("Shandong")),
    ("Shanghai", _("Shanghai")),
    ("Shanxi", _("Shanxi")),
    ("Sichuan", _("Sichuan")),
    ("Tianjin", _("Tianjin")),
    ("Tibet", _("Tibet")),
    ("Xinjiang", _("Xinjiang")),
    ("Yunnan", _("Yunnan")),
    ("Zhejiang", _("Zhejiang")),
    ("Other", _("Outside mainland China")),
]

# Employee size bands used in SCORE reporting: (code, label, lower bound, upper bound or None)
SIZE_BANDS = [
    ("lt50", _("Under 50"), 0, 49),
    ("50-99", _("50–99"), 50, 99),
    ("100-249", _("100–249"), 100, 249),
    ("250-499", _("250–499"), 250, 499),
    ("500+", _("500 and more"), 500, None),
]
SIZE_BAND_CHOICES = [(code, label) for code, label, _lo, _hi in SIZE_BANDS]


def size_band(employees: int | None) -> str | None:
    if employees is None:
        return None
    for code, _label, low, high in SIZE_BANDS:
        if employees >= low and (high is None or employees <= high):
            return code
    return None


PROVINCE_LABELS = dict(PROVINCE_CHOICES)
SIZE_BAND_LABELS = dict(SIZE_BAND_CHOICES)
