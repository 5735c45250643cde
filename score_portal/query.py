"""Reading numbers, dates and months from the query string: a value a page cannot use is
ignored (the caller's fallback applies), never an error.

Each backend stores ids in 64-bit integers; SQLite raises ``OverflowError`` for a larger
number and Python's dates end at 9999-12-31, so a hostile or mistyped URL would otherwise
answer 500.
"""

import datetime

from .dates import URL_DATE_RANGE

ID_MAX = 2**63 - 1


def query_int(params, key: str, default=None, *, minimum: int = 0, maximum: int = ID_MAX):
    """``params[key]`` as an int within ``minimum..maximum``, else ``default``."""
    raw = (params.get(key) or "").strip()
    if not raw or len(raw) > 20 or not raw.lstrip("-").isdigit():
        return default
    value = int(raw)
    return value if minimum <= value <= maximum else default


def query_id(params, key: str):
    """A primary key from the query string, or None."""
    return query_int(params, key, minimum=1)


def query_ids(params, key: str) -> list[int]:
    """Every valid primary key given as ``key`` (repeated)."""
    return [
        value
        for value in (query_int({key: raw}, key, minimum=1) for raw in params.getlist(key))
        if value is not None
    ]


def _in_url_range(value: datetime.date) -> bool:
    first, last = URL_DATE_RANGE()
    return first <= value <= last


def query_date(params, key: str, default=None):
    """``params[key]`` as a date (YYYY-MM-DD) within the plausible range, else ``default``."""
    try:
        value = datetime.date.fromisoformat((params.get(key) or "").strip()[:10])
    except ValueError:
        return default
    return value if _in_url_range(value) else default


def query_month(params, key: str, default=None):
    """The first day of ``params[key]`` (YYYY-MM) within the plausible range, else
    ``default``."""
    try:
        value = datetime.datetime.strptime((params.get(key) or "").strip(), "%Y-%m").date()
    except ValueError:
        return default
    return value if _in_url_range(value) else default


def query_text(params, key: str, max_length: int = 100) -> str:
    """``params[key]`` as search text: trimmed, at most ``max_length`` characters, without the
    NUL and other control characters that PostgreSQL refuses in a string literal (a typed or
    pasted ``%00`` would otherwise answer 500)."""
    raw = params.get(key) or ""
    cleaned = "".join(ch for ch in raw if ch >= " " or ch in "\t")
    return cleaned.strip()[:max_length]
