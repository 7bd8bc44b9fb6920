"""The acts on one appraisal after its goals, in the HR plan's order, and ACTS: each action's service by name.

Each act locks the appraisal, refuses a user the step's rule does not allow, an older version, a step that is
not the current one and bad input (in that order), then moves the state and bumps the version, in one save.
"""

from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.errors import DomainError
from teams.models import Employee, EmployeeStatus, User

from .. import calculations as calc
from ..models import AbilityScore, Appraisal, Condition, CycleKind, Goal
from ._common import acting, check_text, move
from .figures import collect
from .goals import goals_confirm, goals_save


def _per_goal(values: object, goals: list[Goal], field: str) -> dict[str, int]:
    """Return {metric: level} for exactly the appraisal's goals, or refuse a missing goal or a level off the scale."""
    if not isinstance(values, dict) or set(values) != {g.metric for g in goals}:
        raise DomainError(_("Give a rating to each goal: %(metrics)s."), field=field,
                          metrics=", ".join(g.metric for g in goals))
    if not all(calc.is_level(v) for v in values.values()):
        raise DomainError(_("A rating is a whole level from 1 to 5."), field=field)
    return values


def _freeze(appraisal: Appraisal, goals: list[Goal]) -> dict[str, object]:
    """Set each goal's actual from the rollups (one query), and return the appraisal's fields that go with it."""
    actuals = collect(appraisal, goals)
    for goal in goals:
        goal.actual = actuals[goal.metric]
    Goal.objects.bulk_update(goals, ["actual", "self_rating", "rating"])
    return {"snapshot_at": timezone.now()}


@transaction.atomic
def self_review_submit(*, by: User, appraisal_id: int, version: int, text: str,
                       self_ratings: dict[str, int]) -> Appraisal:
    """Return the appraisal after the employee's self review: the text, a self-rating per goal, and the figures
    collected from the rollups and frozen (refused while a month of the period is being recalculated)."""
    appraisal = acting(appraisal_id, version, "submit_review", by=by)
    text = check_text(text, "text", _("Write the self review and work report."), limit=10000)
    goals = list(appraisal.goals.order_by("position"))
    ratings = _per_goal(self_ratings, goals, "self_ratings")
    for goal in goals:
        goal.self_rating = ratings[goal.metric]
    return move(appraisal, "submit_review", by=by, also={"self_review": text, **_freeze(appraisal, goals)})


@transaction.atomic
def figures_recollect(*, by: User, appraisal_id: int, version: int) -> Appraisal:
    """Return the appraisal with its figures collected again (HR, before the rater signs)."""
    appraisal = acting(appraisal_id, version, "recollect", by=by)
    return move(appraisal, "recollect", by=by, also=_freeze(appraisal, list(appraisal.goals.order_by("position"))))


def _plain(action: str) -> Callable[..., Appraisal]:
    """Return the service of an act that takes nothing but the version."""

    @transaction.atomic
    def act(*, by: User, appraisal_id: int, version: int) -> Appraisal:
        return move(acting(appraisal_id, version, action, by=by), action, by=by)

    act.__doc__ = f"Return the appraisal after “{action}”."
    return act


feedback_close = _plain("close_feedback")
appraisal_verify = _plain("verify")
appraisal_confirm = _plain("confirm")


@transaction.atomic
def appraisal_publish(*, by: User, appraisal_id: int, version: int) -> Appraisal:
    """Return the appraisal published (HR; only once the employee confirmed it or HR decided a disagreement)."""
    appraisal = acting(appraisal_id, version, "publish", by=by)
    return move(appraisal, "publish", by=by, also={"published_at": timezone.now()})


@transaction.atomic
def appraisal_question(*, by: User, appraisal_id: int, version: int, comment: str) -> Appraisal:
    """Return the appraisal sent back to the employee's self review with the verifier's question."""
    appraisal = acting(appraisal_id, version, "question", by=by, reason=comment, reason_field="comment")
    return move(appraisal, "question", by=by, reason=comment)


@transaction.atomic
def appraisal_disagree(*, by: User, appraisal_id: int, version: int, comment: str) -> Appraisal:
    """Return the appraisal disputed: the employee's disagreement goes to HR."""
    appraisal = acting(appraisal_id, version, "disagree", by=by, reason=comment, reason_field="comment")
    return move(appraisal, "disagree", by=by, reason=comment, also={"disagreement": comment.strip()})


@transaction.atomic
def dispute_decide(*, by: User, appraisal_id: int, version: int, keep: bool, reason: str) -> Appraisal:
    """Return the disputed appraisal confirmed (HR keeps the rating) or back with the rater."""
    action = "keep" if keep else "return"
    appraisal = acting(appraisal_id, version, action, by=by, reason=reason)
    return move(appraisal, action, by=by, reason=reason)


def _ability(appraisal: Appraisal, ability: object) -> list[AbilityScore]:
    """Return the annual ability evaluation's scores (every condition, 1–5, with a comment), or none outside an
    annual cycle."""
    if appraisal.cycle.kind != CycleKind.ANNUAL:
        if ability:
            raise DomainError(_("Only an annual appraisal has an ability evaluation."), field="ability")
        return []
    if not isinstance(ability, dict) or set(ability) != set(Condition.values):
        raise DomainError(_("Score each condition of the ability evaluation: %(conditions)s."), field="ability",
                          conditions=", ".join(str(label) for label in Condition.labels))
    scores = []
    for condition, value in ability.items():
        score, comment = value if isinstance(value, (tuple, list)) and len(value) == 2 else (None, None)
        if not calc.is_level(score):
            raise DomainError(_("An ability score is a whole number from 1 to 5."), field="ability")
        scores.append(AbilityScore(appraisal=appraisal, condition=condition, score=score,
                                   comment=comment.strip()[:2000] if isinstance(comment, str) else ""))
    return scores


@transaction.atomic
def appraisal_rate(*, by: User, appraisal_id: int, version: int, goal_ratings: dict[str, int], rating: int,
                   comment: str, reason: str = "", ability: dict[str, tuple[int, str]] | None = None) -> Appraisal:
    """Return the appraisal rated and signed: a rating per goal, the weighted score and its level, the rater's
    overall rating and comment (a reason when it is two or more levels from the computed one)."""
    appraisal = acting(appraisal_id, version, "rate", by=by)
    goals = list(appraisal.goals.order_by("position"))
    ratings = _per_goal(goal_ratings, goals, "goal_ratings")
    if not calc.is_level(rating):
        raise DomainError(_("A rating is a whole level from 1 to 5."), field="rating")
    comment = check_text(comment, "comment", _("Write the rater's comment."))
    score = calc.score((g.weight, ratings[g.metric]) for g in goals)
    computed = calc.computed_rating(score)
    reason = reason.strip() if isinstance(reason, str) else ""
    if calc.needs_reason(computed, rating) and not reason:
        raise DomainError(_("The rating is two or more levels from the computed one (%(computed)s): say why."),
                          field="reason", computed=computed)
    scores = _ability(appraisal, ability)
    for goal in goals:
        goal.rating = ratings[goal.metric]
    Goal.objects.bulk_update(goals, ["rating"])
    appraisal.ability_scores.all().delete()
    AbilityScore.objects.bulk_create(scores)
    return move(appraisal, "rate", by=by, reason=reason, also={
        "score": score, "computed_rating": computed, "rating": rating, "rater_comment": comment,
        "rating_reason": reason})


@transaction.atomic
def rater_reassign(*, by: User, appraisal_id: int, version: int, rater_id: int, reason: str) -> Appraisal:
    """Return the appraisal with another rater (HR, before sign-off, with a reason)."""
    appraisal = acting(appraisal_id, version, "reassign", by=by, reason=reason)
    rater = Employee.objects.filter(pk=rater_id, status=EmployeeStatus.ACTIVE).first() if isinstance(
        rater_id, int) else None
    if rater is None:
        raise DomainError(_("Choose an employee who works here as the rater."), field="rater_id")
    if rater.pk == appraisal.employee_id:
        raise DomainError(_("Nobody rates their own appraisal."), field="rater_id")
    if rater.pk == appraisal.rater_id:
        raise DomainError(_("This is the appraisal's rater already."), field="rater_id")
    return move(appraisal, "reassign", by=by, reason=reason, also={"rater": rater})


@transaction.atomic
def appraisal_withdraw(*, by: User, appraisal_id: int, version: int, reason: str) -> Appraisal:
    """Return the appraisal withdrawn from its cycle (HR, unfinished appraisals, with a reason)."""
    appraisal = acting(appraisal_id, version, "withdraw", by=by, reason=reason)
    return move(appraisal, "withdraw", by=by, reason=reason)


# Every action of appraisals.states.APPRAISAL on an existing appraisal ("add" creates one: cycles.cycle_person_add).
ACTS: dict[str, Callable[..., Appraisal]] = {
    "save_goals": goals_save, "confirm_goals": goals_confirm, "submit_review": self_review_submit,
    "close_feedback": feedback_close, "verify": appraisal_verify, "question": appraisal_question,
    "rate": appraisal_rate, "confirm": appraisal_confirm, "disagree": appraisal_disagree,
    "keep": partial(dispute_decide, keep=True), "return": partial(dispute_decide, keep=False),
    "publish": appraisal_publish, "recollect": figures_recollect, "reassign": rater_reassign,
    "withdraw": appraisal_withdraw,
}
