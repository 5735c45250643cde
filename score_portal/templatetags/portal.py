"""The portal's template filters: figures through ``score_portal.formatting`` (the one
localised formatter), and small helpers.

``{{ 4000|number }}`` → 4,000 · ``{{ 0.456|percent }}`` → 46% ·
``{{ fee|money:enrolment.currency }}`` → 4,000 CNY / 4,000 元 · ``{{ day|day }}`` → 21 Nov 2026 /
2026年11月21日 · ``{{ day|month }}`` → Dec 2026 / 2026年12月 · ``{{ moment|moment }}`` →
21 Nov 2026 14:05.
"""

from django import template

from score_portal import formatting

register = template.Library()


@register.filter
def number(value, decimals: int = 0) -> str:
    """4000 → "4,000" in both languages; ``|number:1`` keeps one decimal; None → "—"."""
    return formatting.format_number(value, int(decimals))


@register.filter
def percent(value, decimals: int = 0) -> str:
    """0.456 → "46%"; None → "—"."""
    return formatting.format_percent(value, int(decimals))


@register.filter
def money(value, currency: str = "CNY") -> str:
    """``{{ amount|money:"CNY" }}`` → "4,000 CNY" / "4,000 元"; None → "—"."""
    return formatting.format_money(value, currency or "CNY")


@register.filter
def day(value) -> str:
    """A date → "21 Nov 2026" / "2026年11月21日"; None → "—"."""
    return formatting.format_date(value)


@register.filter
def month(value) -> str:
    """A date's month → "Dec 2026" / "2026年12月"; None → "—"."""
    return formatting.format_month(value)


@register.filter
def moment(value) -> str:
    """A date and time → "21 Nov 2026 14:05" / "2026年11月21日 14:05"; None → "—"."""
    return formatting.format_datetime(value)


@register.filter
def cell(value) -> str:
    """A table cell of any type (PDF reports): numbers grouped, dates as dates."""
    return formatting.format_cell(value)


@register.filter
def tel_href(value) -> str:
    """A phone number as people write it ("0571 8888-1234", "+86 138 0000 0000") → the
    ``tel:`` link a phone dials: digits, with a leading + kept."""
    text = str(value or "").strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    return f"tel:+{digits}" if text.startswith("+") else f"tel:{digits}"


@register.filter
def person(user) -> str:
    """A user's full name, else their login; None (a deleted user, none recorded) → "—"."""
    if user is None:
        return formatting.EMPTY
    return user.get_full_name() or user.username
