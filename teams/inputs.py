"""Every value a person types, parsed and bounded by the column that will store it.

Forms, the grid, the import, the API and the admin call these, so a column and its check cannot disagree: the
limits are read from the model field (an integer column's range, a decimal's max_digits/decimal_places, a text's
max_length). Text is bounded before any conversion, so "1e999999999" or a 5,000-digit number is refused at once.
Chinese ways of writing a number are understood: 12万, 1.2万, full-width digits and commas (１，２００), ¥1,200.00.
Each function raises InputError (a ValueError) with a message for the user.
"""

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

# The longest number anyone types ("999,999,999,999.99万" is 20); anything longer is refused unread.
MAX_NUMBER_CHARS = 40
# The years the product serves; a date outside them is a typo (9999) or an attack, never a plan.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)
# Multipliers written after a number: 万 (10,000) and 亿 (100,000,000).
SCALES = {"万": Decimal(10_000), "亿": Decimal(100_000_000)}
CURRENCY = re.compile(r"^(?:¥|CNY|RMB)|(?:元|CNY|RMB)$", re.IGNORECASE)
ISO_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class InputError(ValueError):
    """A typed value was refused; `message` says why, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def integer_range(field: models.Field) -> tuple[int, int]:
    """Return the smallest and largest value an integer column holds (the same on every database we run)."""
    return BaseDatabaseOperations.integer_field_ranges[field.get_internal_type()]


def decimal_limit(field: models.DecimalField) -> Decimal:
    """Return the largest value a decimal column holds: 999,999,999,999.99 for max_digits=14, decimal_places=2."""
    places = field.decimal_places
    return Decimal(10) ** (field.max_digits - places) - Decimal(1).scaleb(-places)


def plain(number: Decimal) -> str:
    """Return the number without trailing zeros or an exponent: 100, 1.5, 999.999."""
    return format(number.normalize(), "f")


def _shown(raw: object) -> str:
    text = str(raw)
    return text if len(text) <= 20 else text[:20] + "…"


def _number(raw: object, *, percent: bool = False) -> tuple[Decimal | None, bool]:
    """Return the typed number (None when blank) and whether it was written with a % sign."""
    text = "" if raw is None else str(raw)
    if len(text) > MAX_NUMBER_CHARS:
        raise InputError(_("“%(text)s” is too long to be a number.") % {"text": _shown(text)})
    # NFKC turns full-width digits, commas, points and ¥ into their ASCII forms.
    text = unicodedata.normalize("NFKC", text).strip()
    compact = CURRENCY.sub("", "".join(text.split())).replace(",", "")
    if compact == "":
        return None, False
    scale, had_percent = Decimal(1), False
    if percent and compact.endswith("%"):
        compact, had_percent = compact[:-1], True
    elif compact[-1] in SCALES:
        compact, scale = compact[:-1], SCALES[compact[-1]]
    try:
        number = Decimal(compact)
    except InvalidOperation:
        raise InputError(_("“%(text)s” is not a number.") % {"text": _shown(text)}) from None
    if not number.is_finite():
        raise InputError(_("“%(text)s” is not a number.") % {"text": _shown(text)})
    if number.adjusted() > 24:  # above any column; stops 1e999999999 before any arithmetic on it
        raise InputError(_("The amount is too large."))
    return number * scale, had_percent


def count(raw: object, field: models.Field, *, blank: int | None = 0) -> int | None:
    """Return a whole number within the integer column's range; blank gives `blank`."""
    number, _pct = _number(raw)
    if number is None:
        return blank
    low, high = integer_range(field)
    if number < max(low, 0):
        raise InputError(_("Figures cannot be negative."))
    if number != number.to_integral_value():
        raise InputError(_("A count is a whole number."))
    if number > high:
        raise InputError(_("A count can be at most %(limit)s.") % {"limit": f"{high:,}"})
    return int(number)


def amount(raw: object, field: models.DecimalField, *, blank: Decimal | None = Decimal(0)) -> Decimal | None:
    """Return money (CNY) within the decimal column: at most its decimals, not negative, not above its limit."""
    number, _pct = _number(raw)
    if number is None:
        return blank
    if number < 0:
        raise InputError(_("Figures cannot be negative."))
    if number > decimal_limit(field):  # before rounding: a huge number has no room for decimals
        raise InputError(_("The amount is too large."))
    step = Decimal(1).scaleb(-field.decimal_places)
    if number != number.quantize(step):
        raise InputError(_("Money has at most two decimals.") if field.decimal_places == 2 else
                         _("At most %(n)s decimals.") % {"n": field.decimal_places})
    return number.quantize(step)


def whole_yuan(raw: object, *, limit: int) -> int:
    """Return a target in whole yuan (not negative, at most `limit`); blank is refused."""
    number, _pct = _number(raw)
    if number is None:
        raise InputError(_("Give a number."))
    if number < 0 or number != number.to_integral_value():
        raise InputError(_("A target is a whole, non-negative number of yuan."))
    if number > limit:
        raise InputError(_("The target is too large."))
    return int(number)


def decimal(raw: object, field: models.DecimalField, *, maximum: Decimal | None = None,
            percent: str = "refuse") -> Decimal | None:
    """Return a weight or a percentage within the decimal column (and `maximum`), rounded to its decimals; blank
    gives None. A % sign is refused (`percent="refuse"`), read as a share ("share": 150% is 1.5, a ramp) or
    ignored for a value that is a percentage already ("plain": 10% is 10)."""
    number, had_percent = _number(raw, percent=True)
    if number is None:
        return None
    if had_percent and percent == "refuse":
        raise InputError(_("Write the number without the percent sign."))
    if had_percent and percent == "share":
        number = number / 100
    if number < 0:
        raise InputError(_("A weight cannot be negative."))
    limit = min(decimal_limit(field), maximum) if maximum is not None else decimal_limit(field)
    if number > limit:
        raise InputError(_("It can be at most %(limit)s.") % {"limit": plain(limit)})
    return number.quantize(Decimal(1).scaleb(-field.decimal_places))


def text(raw: object, field: models.CharField, *, required: bool = False) -> str:
    """Return the text stripped, refused when longer than the column (or blank when required)."""
    value = "" if raw is None else str(raw).strip()
    if required and not value:
        raise InputError(_("This field is required."))
    if field.max_length is not None and len(value) > field.max_length:
        raise InputError(_("At most %(limit)s characters; this has %(n)s.") % {"limit": field.max_length,
                                                                              "n": f"{len(value):,}"})
    return value


def served_day(day: date) -> date:
    """Return the day when it lies in the years the product serves (2000–2100), else refuse with the range."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(_("Dates run from %(first)s to %(last)s; %(day)s is outside.")
                         % {"first": FIRST_DAY.year, "last": LAST_DAY.year, "day": day.isoformat()})
    return day


def day(raw: object) -> date:
    """Return a YYYY-MM-DD date within the served years."""
    value = "" if raw is None else unicodedata.normalize("NFKC", str(raw)).strip()
    match = ISO_DAY.fullmatch(value) if len(value) <= 10 else None
    try:
        parsed = date(*(int(part) for part in match.groups())) if match else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InputError(_("“%(text)s” is not a date (write it as YYYY-MM-DD).") % {"text": _shown(value)})
    return served_day(parsed)


def month(raw: object) -> date:
    """Return the first day of a YYYY-MM month within the served years."""
    value = "" if raw is None else unicodedata.normalize("NFKC", str(raw)).strip()
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value) if len(value) <= 7 else None
    if match is None or not 1 <= int(match[2]) <= 12:
        raise InputError(_("Give the month as YYYY-MM."))
    return served_day(date(int(match[1]), int(match[2]), 1))


def validate_served_day(value: date) -> None:
    """A form and serializer validator: the date lies in the served years."""
    try:
        served_day(value)
    except InputError as error:
        raise ValidationError(error.message) from None
