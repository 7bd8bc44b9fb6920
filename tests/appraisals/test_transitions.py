"""Every act on an appraisal: allowed for the step's holder, refused for each other role with nothing changed."""

import pytest
from django.contrib.auth.models import AnonymousUser

from appraisals.models import Step
from teams.errors import DomainError
from tests.appraisals.conftest import act, advance, appraisal_of, ratings

ROLES = ["director", "general_manager", "hr", "rater", "other_manager", "appraisee", "other_rep", "anonymous"]


def who(org, role: str, appraisal):
    return {"rater": appraisal.rater.user, "appraisee": appraisal.employee.user, "anonymous": AnonymousUser(),
            "other_manager": org.manager_b.user, "other_rep": org.rep_b.user}.get(role) or org.by_role(role).user


def goals(appraisal, weights=(60, 40)):
    return [{"metric": g.metric, "weight": w, "target": 1000} for g, w in zip(appraisal.goals.order_by("position"),
                                                                              weights, strict=True)]


# (action, the state it is made from, its input, the state after, who may; the appraisal: rep_a's unless "manager")
CASES = [
    ("save_goals", Step.GOALS, lambda org, a: {"goals": goals(a)}, Step.GOALS, "rater"),
    ("confirm_goals", Step.GOALS, lambda org, a: {"goals": goals(a)}, Step.SELF_REVIEW, "rater"),
    ("submit_review", Step.SELF_REVIEW, lambda org, a: {"text": "述职", "self_ratings": ratings(a)}, Step.FEEDBACK,
     "appraisee"),
    ("close_feedback", Step.FEEDBACK, lambda org, a: {}, Step.VERIFICATION, "hr"),
    ("verify", Step.VERIFICATION, lambda org, a: {}, Step.RATING, "hr"),
    ("question", Step.VERIFICATION, lambda org, a: {"comment": "请补充"}, Step.SELF_REVIEW, "hr"),
    ("recollect", Step.VERIFICATION, lambda org, a: {}, Step.VERIFICATION, "hr"),
    ("rate", Step.RATING, lambda org, a: {"goal_ratings": ratings(a), "rating": 4, "comment": "好"},
     Step.CONFIRMATION, "rater"),
    ("reassign", Step.RATING, lambda org, a: {"rater_id": org.manager_b.pk, "reason": "调岗"}, Step.RATING, "hr"),
    ("confirm", Step.CONFIRMATION, lambda org, a: {}, Step.CONFIRMED, "appraisee"),
    ("disagree", Step.CONFIRMATION, lambda org, a: {"comment": "不同意"}, Step.DISPUTED, "appraisee"),
    ("keep", Step.DISPUTED, lambda org, a: {"reason": "维持"}, Step.CONFIRMED, "hr"),
    ("return", Step.DISPUTED, lambda org, a: {"reason": "重评"}, Step.RATING, "hr"),
    ("publish", Step.CONFIRMED, lambda org, a: {}, Step.PUBLISHED, "hr"),
    ("withdraw", Step.GOALS, lambda org, a: {"reason": "离职"}, Step.WITHDRAWN, "hr"),
    # a manager's appraisal: the director verifies and rates it
    ("verify", Step.VERIFICATION, lambda org, a: {}, Step.RATING, "director", "manager"),
    ("rate", Step.RATING, lambda org, a: {"goal_ratings": ratings(a), "rating": 3, "comment": "合格"},
     Step.CONFIRMATION, "director", "manager"),
]
MANAGER_ROLES = {"rater": "director", "appraisee": "manager_a"}


def _reach(org, appraisal, state):
    """Drive the appraisal to `state` (a dispute: through a disagreement)."""
    if state == Step.DISPUTED:
        advance(org, appraisal, Step.CONFIRMATION)
        return act("disagree", appraisal, appraisal.employee.user, comment="不同意")
    return advance(org, appraisal, state)


def _params():
    for action, source, fields, target, allowed, *of in CASES:
        for role in ROLES:
            # the manager's rater is the director: the two rows are one principal, tested once
            if of and role == "rater":
                continue
            yield pytest.param(action, source, fields, target, allowed, bool(of), role,
                               id=f"{action}-{'manager' if of else 'rep'}-{role}")


@pytest.mark.parametrize(("action", "source", "fields", "target", "allowed", "of_manager", "role"), list(_params()))
def test_each_act_is_allowed_for_its_holder_only(org, feedback_cycle, unchanged, action, source, fields, target,
                                                 allowed, of_manager, role):
    appraisal = appraisal_of(feedback_cycle, org.manager_a if of_manager else org.rep_a)
    _reach(org, appraisal, source)
    appraisal.refresh_from_db()
    user = who(org, role, appraisal)
    if role == allowed:
        after = act(action, appraisal, user, **fields(org, appraisal))
        assert after.state == target
        assert after.version == appraisal.version + 1
        return
    with unchanged(), pytest.raises(DomainError) as refused:
        act(action, appraisal, user, **fields(org, appraisal))
    assert refused.value.field in ("action", "appraisal_id"), refused.value.message


def test_an_outsider_is_told_nothing_about_the_appraisal(org, feedback_cycle, unchanged):
    appraisal = appraisal_of(feedback_cycle, org.rep_a)
    with unchanged(), pytest.raises(DomainError) as refused:
        act("confirm_goals", appraisal, org.rep_b.user, goals=goals(appraisal))
    assert refused.value.field == "appraisal_id"
    assert "no such appraisal" in refused.value.message
