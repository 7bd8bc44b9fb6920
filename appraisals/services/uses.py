"""Where a published result was used (考评结论的运用): recorded by the app that used it."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams import access
from teams.errors import DomainError
from teams.models import User

from ..models import Appraisal, AppraisalUse, Step, Use
from ._common import check_text


@transaction.atomic
def appraisal_use_record(*, by: User, appraisal_id: int, use: str, reference: str) -> AppraisalUse:
    """Return the record of this use of a published appraisal (recording the same use twice keeps one)."""
    if not access.may_record_appraisal_use(access.principal_of(by)):
        raise DomainError(_("Only the management and HR record where a result was used."), field="action")
    if use not in Use.values:
        raise DomainError(_("Choose what the result was used for."), field="use")
    reference = check_text(reference, "reference", _("Say where the result was used."), limit=200)
    appraisal = Appraisal.objects.filter(pk=appraisal_id).first() if isinstance(appraisal_id, int) else None
    if appraisal is None or appraisal.state != Step.PUBLISHED:
        raise DomainError(_("Only a published appraisal's result can be used."), field="appraisal_id")
    record, _created = AppraisalUse.objects.get_or_create(
        appraisal=appraisal, use=use, reference=reference, defaults={"by": by, "at": timezone.now()})
    return record
