"""The rankings page for each role, and the director's bottom-elimination rule."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis import services
from kpis.results import services as rollups
from kpis.results.models import EliminationRule, PeriodPlacing, RollupMonth
from teams.errors import DomainError

MARCH_WEEKS = [date(2017, 3, 6), date(2017, 3, 13), date(2017, 3, 20)]


@pytest.fixture
def ranked(org, plan):
    """Three reps with March figures (rep_a best, the mover worst), recomputed."""
    for week in MARCH_WEEKS:
        for manager, team, reps in [(org.manager_a, org.team_a, {org.rep_a: 90_000, org.mover: 10_000}),
                                    (org.manager_b, org.team_b, {org.rep_b: 40_000})]:
            rows = [services.RepWeekInput(rep.pk, {"new_customer_deposits": amount}) for rep, amount in reps.items()]
            services.weekly_figures_save(week=week, rows=rows, by=manager.user, channel="grid", team=team)
    rollups.recompute_all([date(2017, 3, 1)])
    return plan


@pytest.mark.parametrize(("role", "status"), [
    ("director", 200), ("general_manager", 200), ("hr", 200), ("manager_a", 403), ("rep_a", 403),
])
def test_who_may_open_the_rankings(client, org, ranked, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(reverse("dashboards:rankings")).status_code == status


def test_rankings_show_the_month_with_the_bottom_flagged(client, org, ranked, settings):
    settings.AS_OF_DATE = date(2017, 3, 31)
    client.force_login(org.director.user)
    page = client.get(reverse("dashboards:rankings"), {"period": "month", "first": "2017-03-01"}).context["page"]
    # the leaver was in team A all March (left on the 31st) with a target and no figures: ranked last
    assert [p.employee for p in page.placings] == [org.rep_a, org.rep_b, org.mover, org.leaver]
    assert [p.employee for p in page.placings if p.flagged] == [org.leaver]  # 10 % of four rounds up to one


def test_director_sets_the_rule_and_the_flags_follow(client, org, ranked):
    client.force_login(org.director.user)
    client.post(reverse("dashboards:rankings"), {"bottom_count": "2", "bottom_percent": "10", "warn_after": "3"})
    assert RollupMonth.objects.get(month=date(2017, 3, 1)).pending  # the rankings are stale until the run
    rollups.recompute_pending()  # what the queued task does after the commit
    rule = EliminationRule.objects.get()
    assert (rule.bottom_count, rule.warn_after, rule.changed_by) == (2, 3, org.director.user)
    flagged = PeriodPlacing.objects.filter(period="month", first_month=date(2017, 3, 1), flagged=True)
    assert {p.employee for p in flagged} == {org.mover, org.leaver}


@pytest.mark.parametrize("role", ["general_manager", "hr", "manager_a", "rep_a"])
def test_only_the_director_may_change_the_rule(client, org, ranked, unchanged, role):
    client.force_login(org.by_role(role).user)
    with unchanged():
        assert client.post(reverse("dashboards:rankings"), {"bottom_count": "1", "bottom_percent": "10",
                                                      "warn_after": "2"}).status_code == 403
    assert not EliminationRule.objects.exists()


@pytest.mark.parametrize(("count", "percent", "warn", "field"), [
    ("", "0", "2", "bottom_count"), ("", "120", "2", "bottom_percent"), ("x", "10", "2", "bottom_count"),
    ("", "abc", "2", "bottom_percent"), ("", "10", "0", "warn_after"),
])
def test_a_bad_rule_is_refused_on_its_field(org, unchanged, count, percent, warn, field):
    with unchanged(), pytest.raises(DomainError) as refused:
        rollups.elimination_rule_set(bottom_count=count, bottom_percent=percent, warn_after=warn,
                                      by=org.director.user)
    assert refused.value.field == field
    assert not EliminationRule.objects.exists()


def test_percent_rule_is_kept_to_two_decimals(org):
    rollups.elimination_rule_set(bottom_count="", bottom_percent="12.5", warn_after="2", by=org.director.user)
    assert EliminationRule.objects.get().bottom_percent == Decimal("12.50")
