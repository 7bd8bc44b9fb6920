"""Pure rules about people: probation. No ORM, no clock: the day comes in as an argument."""

from datetime import date


def on_probation(probation_end: date | None, day: date) -> bool:
    """Return whether someone whose probation ends on `probation_end` is still on probation on `day`.

    The end day itself is still probation. Pages about now pass today; a ranking, a month's split or an
    eligibility check passes the last day of its period, so every screen asks the same question.
    """
    return probation_end is not None and day <= probation_end
