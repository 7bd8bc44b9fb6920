"""Hours and scores as HR types them, parsed by the house's one parser (teams.inputs: full-width digits, bounds
from the column), refused with the rule in the promotions' own words."""

from decimal import Decimal

from django.db import models

from teams import inputs
from teams.errors import DomainError


def number(value: object, column: models.DecimalField, *, field: str, message: str, high: Decimal | None = None,
           above_zero: bool = False) -> Decimal | None:
    """Return the number (None when blank), or refuse it with `message` on `field`: not a number, negative, zero
    when `above_zero`, or past `high`."""
    try:
        parsed = inputs.decimal(value, column, maximum=high)
    except inputs.InputError:
        raise DomainError(message, field=field) from None
    if parsed is not None and above_zero and parsed <= 0:
        raise DomainError(message, field=field)
    return parsed
