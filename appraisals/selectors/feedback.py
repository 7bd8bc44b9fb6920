"""Anonymous feedback as each reader may see it: names for HR only; for anyone else, answers without names or
times, ordered by text, once the feedback has closed and only when at least three were given."""

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from teams import access

from .. import calculations as calc
from ..models import Appraisal, FeedbackRequest, Step

# While feedback is being given its answers are HR's alone: a count rising as they arrive would tell who wrote.
_STILL_GIVEN = (Step.GOALS, Step.SELF_REVIEW, Step.FEEDBACK)


@dataclass(frozen=True)
class FeedbackAnswer:
    text: str
    giver_id: int | None = None  # HR only
    giver_name: str = ""  # HR only
    answered_at: datetime | None = None  # HR only


@dataclass(frozen=True)
class FeedbackShown:
    """The answers a reader may see; `hidden` when there are some they may not (fewer than three, or not yet)."""

    answers: list[FeedbackAnswer] = field(default_factory=list)
    count: int = 0  # answers given
    asked: int = 0  # requests made
    hidden: bool = False
    with_names: bool = False


def feedback_shown(p: access.Principal, appraisal: Appraisal) -> FeedbackShown:
    """Return the appraisal's feedback as the principal may see it (one query)."""
    requests = list(FeedbackRequest.objects.filter(appraisal=appraisal).select_related("giver").order_by("pk"))
    answered = [r for r in requests if r.answer]
    if access.may_see_feedback_givers(p):
        answers = [FeedbackAnswer(r.answer, r.giver_id, r.giver.name, r.answered_at)
                   for r in sorted(answered, key=lambda r: (r.giver.name, r.pk))]
        return FeedbackShown(answers, len(answered), len(requests), with_names=True)
    if appraisal.state in _STILL_GIVEN or not calc.feedback_visible(len(answered)):
        return FeedbackShown([], len(answered), len(requests), hidden=bool(answered))
    return FeedbackShown(sorted((FeedbackAnswer(r.answer) for r in answered), key=lambda a: a.text),
                         len(answered), len(requests))


def feedback_to_give(p: access.Principal) -> list[FeedbackRequest]:
    """Return the principal's own feedback requests still open to answers, with the appraisee joined (one query)."""
    if p.employee_id is None:
        return []
    return list(FeedbackRequest.objects.filter(Q(giver_id=p.employee_id), appraisal__state__in=_STILL_GIVEN,
                                               appraisal__cycle__with_feedback=True)
                .select_related("appraisal__employee", "appraisal__cycle").order_by("appraisal__cycle__name", "pk"))
