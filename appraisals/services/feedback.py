"""Anonymous feedback: HR names who gives it; each giver answers their own request, until HR closes the step."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams.errors import DomainError
from teams.models import Employee, EmployeeStatus, User

from ..models import Appraisal, FeedbackRequest, Step
from ._common import check_text, hr_only, locked

# Feedback may be asked and answered until HR closes the feedback step.
OPEN_TO_FEEDBACK = (Step.GOALS, Step.SELF_REVIEW, Step.FEEDBACK)


def _collecting(appraisal: Appraisal) -> None:
    if not appraisal.cycle.with_feedback:
        raise DomainError(_("This cycle collects no anonymous feedback."), field="appraisal_id")
    if appraisal.state not in OPEN_TO_FEEDBACK:
        raise DomainError(_("The feedback of this appraisal is closed."), field="state")


@transaction.atomic
def feedback_ask(*, by: User, appraisal_id: int, giver_ids: list[int]) -> list[FeedbackRequest]:
    """Return the appraisal's requests after HR asks these employees for feedback (one request each; a giver
    already asked is not asked twice)."""
    hr_only(by)
    appraisal = locked(appraisal_id, by=by)
    _collecting(appraisal)
    wanted = {g for g in giver_ids if isinstance(g, int)} if isinstance(giver_ids, list) else set()
    if not wanted or len(wanted) != len(giver_ids):
        raise DomainError(_("Choose who gives feedback."), field="giver_ids")
    if appraisal.employee_id in wanted:
        raise DomainError(_("Nobody gives feedback on their own appraisal."), field="giver_ids")
    if Employee.objects.filter(pk__in=wanted, status=EmployeeStatus.ACTIVE).count() != len(wanted):
        raise DomainError(_("Each giver is an employee who works here."), field="giver_ids")
    asked = set(appraisal.feedback.values_list("giver_id", flat=True))
    FeedbackRequest.objects.bulk_create(FeedbackRequest(appraisal=appraisal, giver_id=g, asked_by=by)
                                        for g in sorted(wanted - asked))
    return list(appraisal.feedback.order_by("pk"))


@transaction.atomic
def feedback_answer(*, by: User, request_id: int, answer: str) -> FeedbackRequest:
    """Return the giver's request with their answer (they may change it until the feedback closes)."""
    employee_id = Employee.objects.filter(user=by).values_list("pk", flat=True).first()
    request = (FeedbackRequest.objects.select_for_update(of=("self",)).select_related("appraisal__cycle")
               .filter(pk=request_id, giver_id=employee_id).first()
               if employee_id is not None and isinstance(request_id, int) else None)
    if request is None:
        raise DomainError(_("There is no such feedback request of yours."), field="request_id")
    _collecting(request.appraisal)
    request.answer = check_text(answer, "answer", _("Write your feedback."), limit=5000)
    request.answered_at = timezone.now()
    request.save(update_fields=["answer", "answered_at"])
    return request
