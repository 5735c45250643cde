"""Simplified Chinese formats: "2026年11月21日", "2026年12月", "4,000" (see
score_portal/formatting.py). Django's own zh_Hans module groups nothing (4000); Chinese
finance and government tables group by thousands with a comma, as English does.

The first input format stays ISO: the browser's date picker sends and expects YYYY-MM-DD.
"""

DATE_FORMAT = "Y年n月j日"  # 2026年11月21日
SHORT_DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATETIME_FORMAT = "Y年n月j日 H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "Y年n月"  # 2026年12月
MONTH_DAY_FORMAT = "n月j日"  # 11月21日
FIRST_DAY_OF_WEEK = 1  # 星期一
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
