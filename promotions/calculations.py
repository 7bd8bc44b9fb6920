"""The eligibility engine (pure): from a person's dated history, published results, training and a step's
requirement, decide whether they may be promoted on a date, and say why in plain words.

No ORM, no clock: the day comes in as `on`. promotions.selectors.eligibility loads the inputs; docs/promotions.md
"The engine" holds the rules.
"""

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Protocol, TypeVar

from django.utils.translation import gettext as _

NOW, FROM, NOT = "now", "from", "not"
MANAGER, DIRECTOR = "manager", "director"  # promotions.models.RatedBy's values


@dataclass(frozen=True)
class Held:
    """From `effective_from` on, the person holds `position` (a code) at `grade` (a level)."""

    effective_from: date
    position: str
    grade: int = 0


@dataclass(frozen=True)
class History:
    hire_date: date
    probation_end: date
    appointments: tuple[Held, ...]
    left_on: date | None = None


@dataclass(frozen=True)
class RatingResult:
    """A published appraisal result: the period's last day, the level, its word, who rated it."""

    period_end: date
    rating: int
    label: str
    rated_by: str  # MANAGER for a rep's appraisal, DIRECTOR for a manager's


@dataclass(frozen=True)
class Attended:
    held_on: date
    hours: Decimal
    exam_score: Decimal | None = None


@dataclass(frozen=True)
class Training:
    attended: tuple[Attended, ...] = ()


@dataclass(frozen=True)
class Requirement:
    """What the step from `from_position` to `to_position` requires (the row in force on the day)."""

    from_position: str
    to_position: str
    months_in_position: int
    rating: int
    rating_label: str
    rated_by: str = MANAGER
    training_hours: Decimal = Decimal(0)
    exam_score: Decimal | None = None


@dataclass(frozen=True)
class Check:
    rule: str  # employment, path, position, time, rating, training_hours, exam
    met: bool
    text: str


@dataclass(frozen=True)
class Eligibility:
    verdict: str  # NOW, FROM (only time is missing, met on eligible_from) or NOT
    eligible_from: date | None
    checks: tuple[Check, ...] = field(default=())

    @property
    def unmet(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.met)


def add_months(day: date, months: int) -> date:
    """Return the same day `months` calendar months later, the month's last day when that day does not exist."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def month_end(day: date) -> date:
    """Return the last day of the day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def months_and_days(start: date, end: date) -> tuple[int, int]:
    """Return the whole calendar months from `start` to `end` and the days left over ((0, 0) when end <= start)."""
    if end <= start:
        return 0, 0
    months = (end.year - start.year) * 12 + end.month - start.month
    while months > 0 and add_months(start, months) > end:
        months -= 1
    return months, (end - add_months(start, months)).days


def position_since(history: History, on: date) -> Held | None:
    """Return the first appointment of the unbroken run in the position held on `on` (a grade change keeps it)."""
    held = sorted((a for a in history.appointments if a.effective_from <= on), key=lambda a: a.effective_from)
    if not held:
        return None
    first = held[-1]
    for earlier in reversed(held[:-1]):
        if earlier.position != first.position:
            break
        first = earlier
    return first


def counting_from(history: History, since: date, *, early: bool) -> date:
    """Return the day time in the position starts to count: probation excluded, unless an early promotion."""
    return since if early else max(since, history.probation_end + timedelta(days=1))


def _rater(rated_by: str) -> str:
    return _("the department manager") if rated_by == MANAGER else _("the sales director")


def _number(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _time_check(history: History, since: Held, need: int, on: date, early: bool) -> tuple[Check, date]:
    start = counting_from(history, since.effective_from, early=early)
    met_on = add_months(start, need)
    months, days = months_and_days(start, on)
    if early:
        text = _("In the current position %(months)s months %(days)s days (early: probation included); needs "
                 "%(need)s months — met from %(day)s")
    else:
        text = _("In the current position %(months)s months %(days)s days (probation excluded); needs %(need)s "
                 "months — met from %(day)s")
    text = text % {"months": months, "days": days, "need": need, "day": met_on.isoformat()}
    return Check("time", met_on <= on, text), met_on


def _rating_check(results: Sequence[RatingResult], requirement: Requirement, on: date) -> Check:
    needed = _("%(label)s (rated by %(rater)s)") % {"label": requirement.rating_label,
                                                     "rater": _rater(requirement.rated_by)}
    known = [r for r in results if r.period_end <= on]
    if not known:
        return Check("rating", False, _("No published appraisal yet; needs: %(needed)s") % {"needed": needed})
    latest = max(known, key=lambda r: r.period_end)
    got = _("%(label)s (rated by %(rater)s)") % {"label": latest.label, "rater": _rater(latest.rated_by)}
    met = latest.rating >= requirement.rating and latest.rated_by == requirement.rated_by
    return Check("rating", met, _("Latest appraisal: %(got)s; needs: %(needed)s") % {"got": got, "needed": needed})


def _training_checks(training: Training, requirement: Requirement, on: date) -> list[Check]:
    done = [a for a in training.attended if a.held_on <= on]
    checks = []
    if requirement.training_hours > 0:
        hours = sum((a.hours for a in done), Decimal(0))
        checks.append(Check("training_hours", hours >= requirement.training_hours,
                            _("Training %(hours)s / %(need)s hours") % {
                                "hours": _number(hours), "need": _number(requirement.training_hours)}))
    if requirement.exam_score is not None:
        scores = [a.exam_score for a in done if a.exam_score is not None]
        best = max(scores) if scores else None
        text = (_("Best exam score %(score)s; needs %(need)s") % {"score": _number(best),
                                                                   "need": _number(requirement.exam_score)}
                if best is not None else _("No exam taken; needs %(need)s") % {
                    "need": _number(requirement.exam_score)})
        checks.append(Check("exam", best is not None and best >= requirement.exam_score, text))
    return checks


def eligibility(history: History, results: Sequence[RatingResult], training: Training,
                requirement: Requirement | None, *, on: date, early: bool = False) -> Eligibility:
    """Return whether the person may take the step on `on`: now, from a date (only time is missing), or not."""
    checks: list[Check] = []
    left = history.left_on is not None and history.left_on < on
    if history.left_on is not None:
        checks.append(Check("employment", not left, _("Leaves the company on %(day)s") % {
            "day": history.left_on.isoformat()}))
    if requirement is None:
        checks.append(Check("path", False, _("No step leads from the current position to this one (a skip-level or "
                                             "not a promotion): only a special approval by the general manager")))
        return Eligibility(NOT, None, tuple(checks))
    since = position_since(history, on)
    if since is None or since.position != requirement.from_position:
        checks.append(Check("position", False, _("The current position is not where this step starts")))
        return Eligibility(NOT, None, tuple(checks))
    time, met_on = _time_check(history, since, requirement.months_in_position, on, early)
    others = [_rating_check(results, requirement, on), *_training_checks(training, requirement, on)]
    checks += [time, *others]
    if left or not all(c.met for c in others):
        return Eligibility(NOT, None, tuple(checks))
    if time.met:
        return Eligibility(NOW, on, tuple(checks))
    if history.left_on is not None and met_on > history.left_on:
        return Eligibility(NOT, None, tuple(checks))
    return Eligibility(FROM, met_on, tuple(checks))


# --- the manager reserve pool, contracts and vacancies (docs/promotions.md "Candidates") -----------------------

@dataclass(frozen=True)
class PoolRule:
    """Excellent in at least `excellent_in` of the last `cycles` published cycles."""

    excellent_in: int
    cycles: int


@dataclass(frozen=True)
class PoolStanding:
    excellent: int  # excellent results among those counted
    counted: int    # the person's last published cycles counted: at most the rule's `cycles`
    member: bool


def pool_standing(results: Sequence[RatingResult], rule: PoolRule, *, excellent: int, on: date) -> PoolStanding:
    """Return how the person stands against the pool's rule on `on`: their last `cycles` results ended by then.

    Someone with fewer cycles published is judged on those they have: 2 excellent of 2 meets "2 of the last 3"
    (a newer rep's record is shorter, not worse), 1 of 1 does not.
    """
    known = sorted((r for r in results if r.period_end <= on), key=lambda r: r.period_end, reverse=True)
    counted = known[:max(rule.cycles, 0)]
    hits = sum(1 for r in counted if r.rating >= excellent)
    return PoolStanding(hits, len(counted), rule.excellent_in > 0 and hits >= rule.excellent_in)


def recent_months(on: date, count: int) -> tuple[date, ...]:
    """Return the first days of the `count` months up to the day's own, oldest first."""
    this_month = on.replace(day=1)
    return tuple(add_months(this_month, -n) for n in range(count - 1, -1, -1))


def days_left(on: date, day: date) -> int:
    """Return the days from `on` to `day` (0 on the day itself, negative once it has passed)."""
    return (day - on).days


NO_MANAGER, MANAGER_LEFT, NOT_IN_POSITION, LEAVING, MOVING_OUT = (
    "no_manager", "manager_left", "not_in_position", "leaving", "moving_out")


@dataclass(frozen=True)
class TeamLead:
    """A team's manager as the vacancy rule sees them: their leaving date, whether they hold a management position
    on the day, and the effective dates of approved cases that take them out of their position."""

    left_on: date | None
    holds_management: bool
    moves_out_on: tuple[date, ...] = ()


@dataclass(frozen=True)
class Opening:
    """The team's manager position is open from `opens_on` (on or before the day: open already), and why."""

    opens_on: date
    reason: str  # NO_MANAGER, MANAGER_LEFT, NOT_IN_POSITION, LEAVING or MOVING_OUT


def opening(lead: TeamLead | None, *, on: date, until: date) -> Opening | None:
    """Return when the team's manager position opens by `until`, or None while its manager stays.

    Open on the day: nobody leads the team, its manager has left (open from the day after their leaving date), or
    no longer holds a management position. Opening by `until`: the manager's leaving date falls by then (open the
    day after), or an approved case moves them out on its effective date; the earlier of the two counts.
    """
    if lead is None:
        return Opening(on, NO_MANAGER)
    if lead.left_on is not None and lead.left_on < on:
        return Opening(lead.left_on + timedelta(days=1), MANAGER_LEFT)
    if not lead.holds_management:
        return Opening(on, NOT_IN_POSITION)
    coming = [(day, MOVING_OUT) for day in lead.moves_out_on if day <= until]
    if lead.left_on is not None and lead.left_on <= until:
        coming.append((lead.left_on + timedelta(days=1), LEAVING))
    if not coming:
        return None
    day, reason = min(coming)
    return Opening(day, reason)


class Dated(Protocol):
    valid_from: date


DatedRow = TypeVar("DatedRow", bound=Dated)


def in_force(rows: Iterable[DatedRow], on: date) -> DatedRow | None:
    """Return the row in force on `on`: the latest `valid_from` on or before it (None before the first one).

    A step's requirements are rows added with the day they take effect, never edited (docs/promotions.md), so the
    rule a past decision used is the row in force on that decision's day.
    """
    return max((r for r in rows if r.valid_from <= on), key=lambda r: r.valid_from, default=None)
