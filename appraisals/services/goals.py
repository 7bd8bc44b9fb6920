"""The goals step: the rater edits the prefilled goals and confirms them, which freezes them."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from teams import inputs
from teams.errors import DomainError
from teams.models import User

from .. import calculations as calc
from ..models import Appraisal, Goal
from ._common import acting, move
from .figures import GOAL_METRICS


def _target(value: object) -> Decimal | None:
    """Return the target as the house parses every amount (12万, ¥1,200, full-width digits), None when blank."""
    try:
        return inputs.amount(value, Goal._meta.get_field("target"), blank=None)
    except inputs.InputError as error:
        raise DomainError(error.message, field="target") from None


def _checked(goals: object) -> list[dict]:
    """Return the goals as [{"metric", "weight", "target"}], or refuse them naming the rule broken."""
    if not isinstance(goals, list) or not goals:
        raise DomainError(_("An appraisal has at least one goal."), field="goals")
    try:
        rows = [{"metric": g["metric"], "weight": g["weight"], "target": _target(g.get("target"))} for g in goals]
    except (KeyError, TypeError, AttributeError):
        raise DomainError(_("Each goal names a metric, a weight and a target."), field="goals") from None
    if any(r["metric"] not in GOAL_METRICS for r in rows):
        raise DomainError(_("A goal counts a metric summed over months (%(allowed)s)."), field="goals",
                          allowed=", ".join(GOAL_METRICS))
    if len({r["metric"] for r in rows}) != len(rows):
        raise DomainError(_("Each metric is one goal."), field="goals")
    if not calc.weights_sum_to_100([r["weight"] for r in rows]):
        raise DomainError(_("The weights are whole percentages that add up to 100."), field="weight")
    return rows


def _replace(appraisal: Appraisal, rows: list[dict]) -> bool:
    """Write the goals; return whether they differ from the saved ones."""
    saved = [{"metric": g.metric, "weight": g.weight, "target": g.target} for g in appraisal.goals.order_by("position")]
    if saved == rows:
        return False
    appraisal.goals.all().delete()
    Goal.objects.bulk_create(Goal(appraisal=appraisal, position=n, **r) for n, r in enumerate(rows))
    return True


@transaction.atomic
def goals_save(*, by: User, appraisal_id: int, version: int, goals: list[dict]) -> Appraisal:
    """Return the appraisal with the rater's goals (metric, weight, target) saved; only in the goals step."""
    appraisal = acting(appraisal_id, version, "save_goals", by=by)
    if not _replace(appraisal, _checked(goals)):
        return appraisal  # nothing changed: the version stays, so nobody else's open form goes stale
    return move(appraisal, "save_goals", by=by)


@transaction.atomic
def goals_confirm(*, by: User, appraisal_id: int, version: int, goals: list[dict] | None = None) -> Appraisal:
    """Return the appraisal in self review, its goals (saved first, when given) frozen: weights summing to 100
    and a target on every goal."""
    appraisal = acting(appraisal_id, version, "confirm_goals", by=by)
    if goals is not None:
        _replace(appraisal, _checked(goals))
    saved = list(appraisal.goals.values_list("weight", "target"))
    if not calc.weights_sum_to_100([w for w, _t in saved]):
        raise DomainError(_("The weights are whole percentages that add up to 100."), field="weight")
    if any(t is None for _w, t in saved):
        raise DomainError(_("Every goal needs a target before the goals are confirmed."), field="target")
    return move(appraisal, "confirm_goals", by=by)
