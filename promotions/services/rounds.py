"""The year-end round: HR sets its date; on that day a task lists everyone eligible (and within the horizon), once,
and mails HR."""

from dataclasses import asdict
from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from teams import access
from teams.errors import DomainError
from teams.models import Role, User

from ..models import CandidateRound, RoundCandidate
from ..selectors.candidates import Filters, candidates
from .paths import hr_only


@transaction.atomic
def round_create(*, name: str, build_on: date, by: User, horizon_months: int = 3) -> CandidateRound:
    """Return the new round, to be built on `build_on`."""
    hr_only(by)
    name = name.strip()
    if not name:
        raise DomainError(_("Name the round."), field="name")
    if CandidateRound.objects.filter(name=name).exists():
        raise DomainError(_("A round of this name exists."), field="name")
    if not 0 <= horizon_months <= 24:
        raise DomainError(_("The horizon is 0 to 24 months."), field="horizon_months")
    return CandidateRound.objects.create(name=name, build_on=build_on, horizon_months=horizon_months, created_by=by)


def _notify(round_id: int) -> None:
    candidate_round = CandidateRound.objects.get(pk=round_id)
    emails = list(User.objects.filter(role=Role.HR, is_active=True).exclude(email="").values_list("email", flat=True))
    if emails:
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Promotion round %(name)s: %(n)s candidates") % {
                "name": candidate_round.name, "n": candidate_round.candidates.count()}
            body = _("The round %(name)s was built on %(day)s; its list is on the candidates page.") % {
                "name": candidate_round.name, "day": candidate_round.build_on.isoformat()}
        send_mail(subject, body, None, emails)
    CandidateRound.objects.filter(pk=round_id, notified_at__isnull=True).update(notified_at=timezone.now())


def rounds_build(*, today: date) -> int:
    """Return how many rounds were built: each due and unbuilt round is claimed by a conditional update first, so a
    second run (or two at once) builds and mails nothing again."""
    built = 0
    for candidate_round in CandidateRound.objects.filter(build_on__lte=today, built_at__isnull=True):
        with transaction.atomic():
            claimed = CandidateRound.objects.filter(pk=candidate_round.pk, built_at__isnull=True).update(
                built_at=timezone.now())
            if not claimed:
                continue
            scope = access.principal_of(candidate_round.created_by)
            rows = candidates(scope, candidate_round.build_on, Filters(horizon_months=candidate_round.horizon_months))
            RoundCandidate.objects.bulk_create([
                RoundCandidate(round=candidate_round, employee=c.employee, to_position=c.to_position,
                               eligible_from=c.eligibility.eligible_from,
                               reasons=[asdict(check) for check in c.eligibility.checks]) for c in rows],
                ignore_conflicts=True)
            transaction.on_commit(lambda pk=candidate_round.pk: _notify(pk))
        built += 1
    return built
