"""The year-end round: built once on its day with the engine's reasons, HR mailed once, however often it runs."""

from datetime import date

import pytest
from django.core import mail

from promotions.models import RoundCandidate
from promotions.services import rounds
from teams.errors import DomainError

from .conftest import publish


def test_the_year_end_round_is_built_once_and_mails_hr_once(org, steps, cycle, django_capture_on_commit_callbacks):
    publish(org, cycle, org.rep_a, 5)
    org.hr.user.email = "hr@example.com"
    org.hr.user.save(update_fields=["email"])
    rounds.round_create(name="2017 年终", build_on=date(2017, 12, 20), by=org.hr.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert rounds.rounds_build(today=date(2017, 12, 19)) == 0
        assert rounds.rounds_build(today=date(2017, 12, 20)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert rounds.rounds_build(today=date(2017, 12, 21)) == 0
    (row,) = RoundCandidate.objects.all()
    assert row.employee_id == org.rep_a.pk and [r["rule"] for r in row.reasons] == ["time", "rating"]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["hr@example.com"]


def test_only_hr_creates_a_round(org, unchanged):
    with unchanged(), pytest.raises(DomainError):
        rounds.round_create(name="x", build_on=date(2017, 12, 20), by=org.director.user)
