"""The rules on a closed month's real rollups: what they propose, that a second run proposes nothing twice, what a
re-close withdraws or flags, the bottom list's demotion, referrals, and runs that wait for current results."""

from datetime import date
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from kpis import services
from kpis.results import services as rollups
from kpis.results.models import PeriodPlacing
from kpis.results.services import elimination_rule_set
from promotions.models import CaseKind, PromotionCase
from rewards.models import Record, RecordState, Rule, RuleRun
from rewards.services.evaluation import rules_evaluate
from rewards.services.rules import default_rules_ensure
from rewards.services.runs import rules_run_now, run_due
from teams.errors import DomainError
from teams.models import SalaryGrade

from .conftest import act
from .test_rankings import APRIL, FEBRUARY, MARCH, enter_march


@pytest.fixture
def closed_march(org, plan, settings):
    """March entered (rep A far ahead; team B ahead of team A, whose target is larger), rollups current for
    February–April, March closed, and the default rules in place."""
    settings.AS_OF_DATE = date(2017, 10, 27)
    enter_march(org)
    rollups.recompute_all([FEBRUARY, MARCH, APRIL])
    services.month_close(month=MARCH, by=org.director.user)
    default_rules_ensure(by=org.director.user)
    return plan


def proposals(code: str) -> list[Record]:
    return list(Record.objects.filter(rule__code=code).select_related("employee", "team").order_by("pk"))


def test_closing_a_month_proposes_the_months_top_rep_and_team(org, closed_march):
    outcome = rules_evaluate(month=MARCH, by=org.director.user)
    [rep] = proposals("month-top-rep")
    [team] = proposals("month-top-team")
    assert (rep.employee, rep.state, rep.proposed_by, rep.amount) == (org.rep_a, RecordState.PROPOSED, None, 2000)
    assert rep.figures["rank"] == 1 and org.rep_a.name in rep.reason and "2017" in rep.reason
    assert (team.team, team.amount, team.period, team.first_month) == (org.team_b, 5000, "month", MARCH)
    assert outcome.proposed == Record.objects.count() and outcome.withdrawn == outcome.flagged == 0
    assert not proposals("phase-top-rep")  # March does not end its phase


def test_a_second_run_proposes_nothing_twice(org, closed_march):
    rules_evaluate(month=MARCH, by=org.director.user)
    before = list(Record.objects.values_list("pk", "version", "state"))
    again = rules_evaluate(month=MARCH, by=org.director.user)
    assert (again.proposed, again.withdrawn, again.flagged) == (0, 0, 0)
    assert list(Record.objects.values_list("pk", "version", "state")) == before


def reclose_with_rep_b_ahead(org):
    services.month_reopen(month=MARCH, by=org.director.user, reason="更正乙队员的数字")
    enter_march(org, {org.rep_b: 200_000})
    rollups.recompute_all([MARCH, APRIL])
    services.month_close(month=MARCH, by=org.director.user)


def test_a_reclose_withdraws_the_proposal_that_no_longer_holds_and_proposes_what_does(org, closed_march):
    rules_evaluate(month=MARCH, by=org.director.user)
    reclose_with_rep_b_ahead(org)
    outcome = rules_evaluate(month=MARCH, by=org.director.user)
    first, second = proposals("month-top-rep")
    assert (first.employee, first.state) == (org.rep_a, RecordState.WITHDRAWN)
    assert (second.employee, second.state) == (org.rep_b, RecordState.PROPOSED)
    assert outcome.withdrawn >= 1 and outcome.proposed >= 1


def test_an_approved_record_that_no_longer_holds_is_flagged_never_changed(org, closed_march):
    rules_evaluate(month=MARCH, by=org.director.user)
    [record] = proposals("month-top-rep")
    act("approve", record, org.director)
    record.refresh_from_db()
    state, version = record.state, record.version
    reclose_with_rep_b_ahead(org)
    outcome = rules_evaluate(month=MARCH, by=org.director.user)
    record.refresh_from_db()
    assert (record.state, record.version, record.needs_review) == (state, version, True)
    assert "已不成立" in record.review_note and outcome.flagged >= 1  # in the site's language, as the board
    assert rules_evaluate(month=MARCH, by=org.director.user).flagged == 0  # flagged once


def test_the_bottom_list_proposes_warnings_and_a_second_period_a_demotion(org, closed_march):
    elimination_rule_set(bottom_count=2, bottom_percent=None, warn_after=2, by=org.director.user)
    rollups.recompute_all([MARCH, APRIL])  # the leaver (left 31 March) and the mover are the bottom two
    flagged = PeriodPlacing.objects.filter(period="month", first_month=MARCH, flagged=True)
    assert set(flagged.values_list("employee_id", flat=True)) == {org.leaver.pk, org.mover.pk}
    PeriodPlacing.objects.filter(employee=org.mover, period="month").update(consecutive=2)  # February too
    SalaryGrade.objects.create(code="G0", name="见习", level=0, monthly_base=3000)  # a step down from G1
    rules_evaluate(month=MARCH, by=org.director.user)
    warnings = [r for r in proposals("month-bottom") if r.method == "notice"]
    assert [r.employee for r in warnings] == [org.mover]  # the leaver is not warned
    [position] = [r for r in proposals("month-bottom") if r.method == "position"]
    case = PromotionCase.objects.get(pk=position.promotion_case_id)
    assert (position.employee, position.kind, case.kind, case.employee) == (
        org.mover, "penalty", CaseKind.DEMOTION, org.mover)
    assert case.effective_on == APRIL and case.to_grade.level < case.from_grade.level
    assert warnings[0].figures["demotion"] == "proposed"
    rules_evaluate(month=MARCH, by=org.director.user)
    assert PromotionCase.objects.filter(employee=org.mover).count() == 1
    assert len(proposals("month-bottom")) == 2


def test_the_demotion_waits_for_the_elimination_rules_consecutive_periods(org, closed_march):
    """The director's "consecutive periods before a warning" is also when the rules propose the demotion."""
    elimination_rule_set(bottom_count=2, bottom_percent=None, warn_after=3, by=org.director.user)
    rollups.recompute_all([MARCH, APRIL])
    SalaryGrade.objects.create(code="G0", name="见习", level=0, monthly_base=3000)
    PeriodPlacing.objects.filter(employee=org.mover, period="month").update(consecutive=2)
    rules_evaluate(month=MARCH, by=org.director.user)
    assert [r.method for r in proposals("month-bottom")] == ["notice"] and not PromotionCase.objects.exists()
    PeriodPlacing.objects.filter(employee=org.mover, period="month").update(consecutive=3)
    rules_evaluate(month=MARCH, by=org.director.user)
    assert PromotionCase.objects.filter(employee=org.mover, kind=CaseKind.DEMOTION).count() == 1


def test_a_second_period_with_no_lower_step_warns_and_says_so(org, closed_march):
    elimination_rule_set(bottom_count=2, bottom_percent=None, warn_after=2, by=org.director.user)
    rollups.recompute_all([MARCH, APRIL])
    PeriodPlacing.objects.filter(employee=org.mover, period="month").update(consecutive=2)
    rules_evaluate(month=MARCH, by=org.director.user)  # everyone is on the lowest grade and position
    [warning] = proposals("month-bottom")
    assert warning.method == "notice" and warning.figures["demotion"].startswith("no lower step")
    assert not PromotionCase.objects.exists()


def test_a_referral_is_rewarded_once_per_hire(org, closed_march):
    org.rep_b.referred_by = org.rep_a
    org.rep_b.save(update_fields=["referred_by"])
    rules_evaluate(month=MARCH, by=org.director.user)
    [referral] = proposals("referral-3")
    assert (referral.employee, referral.amount, referral.figures["hire"]) == (org.rep_a, 1000, org.rep_b.pk)
    services.month_close(month=APRIL, by=org.director.user)
    rules_evaluate(month=APRIL, by=org.director.user)
    assert len(proposals("referral-3")) == 1


def test_an_inactive_rule_proposes_nothing(org, closed_march):
    Rule.objects.exclude(code="month-top-team").update(active=False)
    rules_evaluate(month=MARCH, by=org.director.user)
    assert set(Record.objects.values_list("rule__code", flat=True)) == {"month-top-team"}


def test_the_close_requests_a_run_that_waits_while_the_results_are_recalculated(org, closed_march):
    run = RuleRun.objects.get(month=MARCH)
    assert run.pending and run.requested_by == org.director.user
    rollups.months_stale([MARCH])
    assert run_due(MARCH) is None
    run.refresh_from_db()
    assert run.pending and "2017-03" in run.waiting_for and not Record.objects.exists()
    rollups.recompute_all([MARCH, APRIL])
    assert run_due(MARCH) is not None
    run.refresh_from_db()
    assert not run.pending and run.proposed == Record.objects.count() > 0 and run.waiting_for == ""
    assert run_due(MARCH) is None  # done: a second sweep does nothing


def test_the_director_runs_an_open_month_and_is_told_to_close_it(org, closed_march, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        rules_run_now(month=APRIL, by=org.director.user)
    assert refused.value.field == "month" and "2017-04" in refused.value.message


def test_closing_a_month_runs_its_rules_after_the_commit(org, plan, settings, django_capture_on_commit_callbacks):
    settings.AS_OF_DATE = date(2017, 10, 27)
    enter_march(org)
    rollups.recompute_all([FEBRUARY, MARCH, APRIL])
    default_rules_ensure(by=org.director.user)
    with django_capture_on_commit_callbacks(execute=True):
        services.month_close(month=MARCH, by=org.director.user)
    assert proposals("month-top-rep")[0].employee == org.rep_a
    assert not RuleRun.objects.get(month=MARCH).pending


def test_a_rule_records_page_says_what_the_rule_found_in_words(client, org, closed_march):
    rules_evaluate(month=MARCH, by=org.director.user)
    [record] = proposals("month-top-rep")
    client.force_login(org.director.user)
    page = client.get(reverse("rewards:record", args=[record.pk])).content.decode()  # the site's language
    shown = (Decimal(record.figures["value"]) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    assert f"<span class=\"muted\">达成率</span> {shown}%" in page
    assert "<span class=\"muted\">排名</span> 1" in page
    assert "consecutive" not in page and "threshold" not in page  # no raw keys of the stored figures
