"""English formats: "21 Nov 2026", "Dec 2026", "4,000" (see score_portal/formatting.py).

The first input format stays ISO: the browser's date picker sends and expects YYYY-MM-DD.
"""

DATE_FORMAT = "j M Y"  # 21 Nov 2026
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y H:i"  # 21 Nov 2026 14:05
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"  # Dec 2026
MONTH_DAY_FORMAT = "j M"  # 21 Nov
FIRST_DAY_OF_WEEK = 1  # Monday
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d %b %Y", "%d %B %Y"]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
