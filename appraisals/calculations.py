"""Pure appraisal arithmetic: weights, the weighted score and its level, the rater's team, deadlines, who holds
a step, the period of a cycle.

Nothing here touches the ORM, a request or the clock: dates, states and numbers come in as arguments. Services
turn a False or a problem returned here into a DomainError naming the field (docs/appraisals.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

LOWEST, HIGHEST = 1, 5  # the rating scale's levels (appraisals.models.Level): a higher level is a better rating
SATISFACTORY = 3  # 合格: below it (待改进, 不合格) an appraisal can start a development plan
FEEDBACK_SHOWN_FROM = 3  # fewer answers than this are hidden: with one or two, a giver can be guessed
REASON_FROM = 2  # an overall rating this many levels from the computed one needs a reason
CENT = Decimal("0.01")

# The steps that carry a due date, in the HR plan's order (appraisals.models.Step values).
DEADLINE_STEPS = ("goals", "self_review", "feedback", "verification", "rating", "confirmation", "confirmed")

# Who holds each step (must act next); steps missing here are held by nobody (published, withdrawn).
RATER, APPRAISEE, HR, DIRECTOR = "rater", "appraisee", "hr", "director"
_HOLDERS = {"goals": RATER, "self_review": APPRAISEE, "feedback": HR, "verification": HR, "rating": RATER,
            "confirmation": APPRAISEE, "disputed": HR, "confirmed": HR}


def is_level(value: object) -> bool:
    """Return whether the value is a level of the scale: an integer 1–5 (a bool is not a rating)."""
    return isinstance(value, int) and not isinstance(value, bool) and LOWEST <= value <= HIGHEST


def below_satisfactory(rating: object) -> bool:
    """Return whether the rating is a level of the scale below satisfactory (needs improvement, unsatisfactory);
    no rating is not below anything."""
    return is_level(rating) and rating < SATISFACTORY


def weights_sum_to_100(weights: Iterable[int]) -> bool:
    """Return whether the goals' weights are whole percentages above 0 that add up to exactly 100."""
    weights = list(weights)
    valid = all(isinstance(w, int) and not isinstance(w, bool) and 0 < w <= 100 for w in weights)
    return bool(weights) and valid and sum(weights) == 100


def score(goals: Iterable[tuple[int, int]]) -> Decimal:
    """Return Σ weight × rating ÷ 100 over (weight, rating) pairs, to two decimals (half up)."""
    total = sum((Decimal(weight) * rating for weight, rating in goals), Decimal(0))
    return (total / 100).quantize(CENT, rounding=ROUND_HALF_UP)


def computed_rating(weighted: Decimal) -> int:
    """Return the level the score rounds to, half up (2.50 → 3), kept on the scale."""
    level = int(weighted.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return min(HIGHEST, max(LOWEST, level))


def needs_reason(computed: int, chosen: int) -> bool:
    """Return whether the rater's overall rating is far enough from the computed one to need a reason."""
    return abs(computed - chosen) >= REASON_FROM


@dataclass(frozen=True)
class Span:
    """A membership: a team from `starts_on` to `ends_on` (inclusive; None: still a member)."""

    team_id: int
    starts_on: date
    ends_on: date | None


def _days_within(span: Span, first: date, last: date) -> tuple[int, date]:
    start, end = max(span.starts_on, first), min(span.ends_on or last, last)
    return max(0, (end - start).days + 1), end


def rater_team(spans: Iterable[Span], first: date, last: date) -> int | None:
    """Return the team the employee spent most days of first..last in (ties: the later team), or None when
    they were in no team on any day of it. Two spans of one team count together."""
    days: dict[int, int] = {}
    latest: dict[int, date] = {}
    for span in spans:
        count, end = _days_within(span, first, last)
        if count:
            days[span.team_id] = days.get(span.team_id, 0) + count
            latest[span.team_id] = max(latest.get(span.team_id, end), end)
    if not days:
        return None
    return max(days, key=lambda team: (days[team], latest[team]))


def feedback_visible(count: int) -> bool:
    """Return whether this many answers may be shown to the appraisee and the rater (three or more)."""
    return count >= FEEDBACK_SHOWN_FROM


@dataclass(frozen=True)
class DeadlineProblem:
    step: str
    kind: str  # "unknown" (no such step), "before_period", "before_earlier" (before an earlier step's date)
    earlier: str = ""


def deadlines_in_order(deadlines: Mapping[str, date], period_starts: date) -> DeadlineProblem | None:
    """Return the first deadline that breaks a rule, in step order, or None: every step is one that has a
    deadline, none falls before the period's first day, none before an earlier step's."""
    unknown = sorted(set(deadlines) - set(DEADLINE_STEPS))
    if unknown:
        return DeadlineProblem(unknown[0], "unknown")
    previous: tuple[str, date] | None = None
    for step in DEADLINE_STEPS:
        if step not in deadlines:
            continue
        due = deadlines[step]
        if due < period_starts:
            return DeadlineProblem(step, "before_period")
        if previous is not None and due < previous[1]:
            return DeadlineProblem(step, "before_earlier", previous[0])
        previous = (step, due)
    return None


def holder(state: str, is_manager: bool) -> str | None:
    """Return who must act on an appraisal in this state: the rater, the appraisee, HR or the director (who
    verifies a manager's appraisal); None once nobody must (published, withdrawn)."""
    if state == "verification" and is_manager:
        return DIRECTOR
    return _HOLDERS.get(state)


def period_fits(kind: str, first: date, last: date, phases: Sequence[Sequence[date]]) -> bool:
    """Return whether first..last (months' first days) is a period of this kind of cycle in a plan whose phases
    hold these months, in order: one month; one phase (quarterly); two consecutive phases (half-year); the whole
    plan (annual)."""
    months = [m for phase in phases for m in phase]
    if first not in months or last not in months or last < first:
        return False
    if kind == "monthly":
        return first == last
    spans = [(phase[0], phase[-1]) for phase in phases if phase]
    if kind == "quarterly":
        return (first, last) in spans
    if kind == "half_year":
        return any(a[0] == first and b[1] == last for a, b in zip(spans, spans[1:], strict=False))
    if kind == "annual":
        return bool(spans) and (first, last) == (spans[0][0], spans[-1][1])
    return False
