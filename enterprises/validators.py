"""The Unified Social Credit Code (统一社会信用代码, GB 32100-2015)."""

import datetime
import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def uscc_check_character(first17: str) -> str:
    total = sum(USCC_ALPHABET.index(c) * w for c, w in zip(first17, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def validate_uscc(value: str) -> None:
    code = (value or "").strip().upper()
    if len(code) != 18:
        raise ValidationError(
            _("A Unified Social Credit Code has 18 characters."), code="uscc_length"
        )
    bad = sorted({c for c in code if c not in USCC_ALPHABET})
    if bad:
        raise ValidationError(
            _("The code contains characters that are not allowed: %(chars)s."),
            code="uscc_chars",
            params={"chars": " ".join(bad)},
        )
    if not code[2:8].isdigit():
        raise ValidationError(
            _("Characters 3 to 8 must be the region code (digits)."), code="uscc_region"
        )
    expected = uscc_check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            _("The check character is wrong: the last character should be %(expected)s."),
            code="uscc_check",
            params={"expected": expected},
        )


# --- Credit codes as lists hold them --------------------------------------------------------

_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SEPARATORS = re.compile(r"[\s\-‐‑‒–—―_./·]+")
_EXCEL_NUMBER = re.compile(r"^\d(?:\.\d+)?[eE]\+?\d+$")
_MASK_CHARACTERS = ("*", "×", "?", "•")

DIGITS_LOST = _(
    "Digits lost: the spreadsheet turned this credit code into a number. Format the "
    "column as text and type the code again."
)
MASKED = _("This credit code is masked (some characters are hidden with *): give the full code.")


def clean_uscc(raw) -> str:
    """A credit code as people and Excel hold it, made plain: full-width characters
    (ＡＢ１２), spaces, hyphens and zero-width characters removed, upper case. A code that
    Excel stored as a number (9.14403E+17, lost digits) or a masked one raises; the
    standard's checks are ``validate_uscc``'s."""
    if isinstance(raw, bool):
        raw = str(raw)
    if isinstance(raw, float):
        raise ValidationError(DIGITS_LOST, code="uscc_digits_lost")
    if isinstance(raw, int):
        text = str(raw)
        if len(text) != 18 or _check_fails(text):
            raise ValidationError(DIGITS_LOST, code="uscc_digits_lost")
        return text
    text = unicodedata.normalize("NFKC", str(raw or "")).translate(_INVISIBLE).strip()
    if _EXCEL_NUMBER.match(text.replace(",", "")):
        raise ValidationError(DIGITS_LOST, code="uscc_digits_lost")
    if any(c in text for c in _MASK_CHARACTERS):
        raise ValidationError(MASKED, code="uscc_masked")
    code = _SEPARATORS.sub("", text).upper()
    if len(code) == 18 and code.isdigit() and code.endswith("00") and _check_fails(code):
        # 18 digits ending in zeros that fail the check: Excel's 15 significant digits
        raise ValidationError(DIGITS_LOST, code="uscc_digits_lost")
    return code


def _check_fails(code: str) -> bool:
    try:
        validate_uscc(code)
    except ValidationError:
        return True
    return False


def uscc_check_only_fails(code: str) -> bool:
    """Only the check character is wrong (codes issued before the national standard):
    acceptable with a programme manager's override."""
    try:
        validate_uscc(code)
    except ValidationError as exc:
        return exc.code == "uscc_check"
    return False


# GB 32100-2015, 4.1: the registration authority (1st character) and the category of
# organisation (2nd). Only 9 1 (enterprise) is what SCORE trains; the rest get a warning.
USCC_CATEGORIES = {
    "11": _("a government body (机关)"),
    "12": _("a public institution (事业单位)"),
    "13": _("a people's organisation under the central establishment office (群众团体)"),
    "19": _("another body registered with the establishment office"),
    "21": _("a foreign resident press office"),
    "29": _("another body registered with foreign affairs"),
    "31": _("a law firm (律师事务所)"),
    "32": _("a notary office (公证处)"),
    "33": _("a basic legal service office"),
    "34": _("a judicial expertise institution"),
    "35": _("an arbitration commission"),
    "39": _("another body registered with justice administration"),
    "41": _("a foreign cultural centre in China"),
    "49": _("another body registered with culture authorities"),
    "51": _("a social organisation (社会团体)"),
    "52": _("a private non-enterprise unit (民办非企业单位)"),
    "53": _("a foundation (基金会)"),
    "59": _("another body registered with civil affairs"),
    "61": _("a foreign tourism office"),
    "62": _("a Hong Kong, Macao or Taiwan tourism office"),
    "69": _("another body registered with tourism authorities"),
    "71": _("a place of religious activity"),
    "72": _("a religious school"),
    "79": _("another body registered with religious affairs"),
    "81": _("a trade union (基层工会)"),
    "89": _("another body registered with trade unions"),
    "92": _("an individual business (个体工商户)"),
    "93": _("a farmers' specialised cooperative (农民专业合作社)"),
    "A1": _("a military public institution"),
    "A9": _("another military body"),
    "N1": _("a group-level collective economic organisation"),
    "N2": _("a village collective economic organisation"),
    "N3": _("a township collective economic organisation"),
    "N9": _("another rural collective economic organisation"),
    "Y1": _("a body registered with another authority"),
}


def uscc_category_warning(code: str) -> str:
    """A warning when the code's first two characters name something other than an
    enterprise (91), or "" (also for codes too short to tell)."""
    if len(code) < 2 or code[:2] == "91":
        return ""
    category = USCC_CATEGORIES.get(code[:2])
    if category is None:
        return ""
    return str(
        _(
            "This credit code belongs to %(category)s, not an enterprise: check that it "
            "belongs in the programme."
        )
        % {"category": category}
    )


# --- Plausibility: one set of rules for the form and the import ------------------------------

EARLIEST_FOUNDING_YEAR = 1900
MAX_WORKERS = 300_000


def validate_year_founded(value) -> None:
    if value is None:
        return
    this_year = datetime.date.today().year
    if value > this_year:
        raise ValidationError(
            _("The founding year cannot be in the future (after %(year)s)."),
            code="year_future",
            params={"year": this_year},
        )
    if value < EARLIEST_FOUNDING_YEAR:
        raise ValidationError(
            _("A founding year before %(year)s is not plausible: check the year."),
            code="year_early",
            params={"year": EARLIEST_FOUNDING_YEAR},
        )


def validate_worker_count(value) -> None:
    if value is None:
        return
    if value < 0:
        raise ValidationError(_("A number of workers cannot be negative."), code="workers_negative")
    if value > MAX_WORKERS:
        raise ValidationError(
            _("More than %(max)s workers in one enterprise is not plausible: check the number."),
            code="workers_implausible",
            params={"max": f"{MAX_WORKERS:,}"},
        )
