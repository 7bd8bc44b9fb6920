"""Paths and their requirements: HR adds a step up and, with history, the requirement in force from a day."""

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisals.models import Level
from teams import access
from teams.errors import DomainError
from teams.models import Position, User

from ..models import PathStep, RatedBy, StepRequirement
from ._numbers import number


def hr_only(by: User) -> None:
    """Refuse anyone but HR (who sets paths, requirements and training)."""
    if not access.may_manage_promotion_paths(access.principal_of(by)):
        raise DomainError(_("Only HR may do this."), field="action")


@transaction.atomic
def path_step_add(*, from_position: Position, to_position: Position, by: User) -> PathStep:
    """Return the step up from one position to another (the existing one when HR adds it twice)."""
    hr_only(by)
    if from_position.pk == to_position.pk:
        raise DomainError(_("A step up leads to another position."), field="to_position")
    step, _created = PathStep.objects.get_or_create(from_position=from_position, to_position=to_position)
    return step


@transaction.atomic
def requirement_add(*, step: PathStep, valid_from: date, months_in_position: int, by: User,
                    rating: int = Level.EXCELLENT, rated_by: str = RatedBy.MANAGER,
                    training_hours: Decimal | int | str = 0,
                    exam_score: Decimal | int | str | None = None) -> StepRequirement:
    """Return the step's requirement in force from `valid_from`; the rows before it stay as they were."""
    hr_only(by)
    if not isinstance(months_in_position, int) or isinstance(months_in_position, bool) or months_in_position < 0:
        raise DomainError(_("Months in the position cannot be negative."), field="months_in_position")
    if months_in_position > 120:
        raise DomainError(_("Months in the position are at most 120."), field="months_in_position")
    if rating not in Level.values:
        raise DomainError(_("Choose a rating level."), field="rating")
    if rated_by not in RatedBy.values:
        raise DomainError(_("Choose who rates."), field="rated_by")
    hours = number(training_hours, StepRequirement._meta.get_field("training_hours"), field="training_hours",
                   high=Decimal(9999), message=_("Training hours cannot be negative (at most 9999).")) or Decimal(0)
    score = number(exam_score, StepRequirement._meta.get_field("exam_score"), field="exam_score",
                   high=Decimal(100), message=_("An exam score is between 0 and 100."))
    if StepRequirement.objects.filter(step=step, valid_from=valid_from).exists():
        raise DomainError(_("A requirement already takes effect on %(day)s; add the change on another date."),
                          field="valid_from", day=valid_from.isoformat())
    return StepRequirement.objects.create(
        step=step, valid_from=valid_from, months_in_position=months_in_position, rating=rating, rated_by=rated_by,
        training_hours=hours, exam_score=score, changed_by=by, changed_at=timezone.now())
