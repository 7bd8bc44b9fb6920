"""The rep's own page: targets beside what their weekly figures add up to, read-only, for every role."""

import re
from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db.models import F, Sum
from django.urls import reverse

from kpis import services
from kpis.models import WeeklyFigures
from targets.models import RepWeekTarget
from teams.models import Role, User

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
AS_OF = date(2017, 10, 25)  # a Wednesday: last week is 16 Oct, this week 23 Oct, month October, phase 3 (Aug–Oct)
NATIONAL_DAY_WEEK = date(2017, 10, 2)


def enter(org, week: date, new: int = 3000, existing: int = 2000, rep=None) -> None:
    rep = rep or org.rep_a
    services.weekly_figures_save(week=week, by=org.manager_a.user, channel="grid", rows=[services.RepWeekInput(
        rep.pk, {"new_customers": 4, "engaged_customers": 3, "accounts_opened": 1,
                 "new_customer_deposits": new, "existing_customer_deposits": existing, "trading_volume": 40000})])


def deposits(rep, first: date, last: date) -> Decimal:
    total = WeeklyFigures.objects.filter(employee=rep, week__range=(first, last)).aggregate(
        s=Sum(F("new_customer_deposits") + F("existing_customer_deposits")))["s"]
    return total or Decimal(0)


def target(rep, first: date, last: date) -> int:
    return RepWeekTarget.objects.filter(employee=rep, week__range=(first, last)).aggregate(
        s=Sum("deposit_target"))["s"] or 0


def row(html: str, table: str, week: date) -> str:
    """Return the HTML of the week's row in the table with the given id."""
    section = html.split(f'id="{table}"', 1)[1].split("</table>", 1)[0]
    return re.search(rf'<tr data-week="{week:%Y-%m-%d}">(.*?)</tr>', section, re.S).group(1)


@pytest.mark.parametrize("role", ROLES)
def test_every_signed_in_employee_may_open_their_own_page(client, org, plan, role):
    client.force_login(org.by_role(role).user)
    assert client.get(reverse("dashboards:mine")).status_code == 200


def test_anonymous_goes_to_log_in(client, org, plan):
    response = client.get(reverse("dashboards:mine"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_a_log_in_without_an_employee_has_no_page(client, org, plan):
    client.force_login(User.objects.create_user("auditor", role=Role.HR))
    assert client.get(reverse("dashboards:mine")).status_code == 404


def test_rep_starts_on_this_page(client, org, plan):
    client.force_login(org.rep_a.user)
    assert client.get(reverse("home")).url == reverse("dashboards:mine")


def test_period_results_are_the_sums_of_the_reps_figures(client, org, plan, settings):
    settings.AS_OF_DATE = AS_OF
    for week in [date(2017, 2, 6), date(2017, 8, 7), date(2017, 9, 18), date(2017, 10, 9), date(2017, 10, 23)]:
        enter(org, week, new=1000 + week.day * 100)
    enter(org, date(2017, 2, 6), rep=org.mover, new=99_000)  # someone else's figures count nowhere here
    client.force_login(org.rep_a.user)
    response = client.get(reverse("dashboards:mine"), HTTP_ACCEPT_LANGUAGE="en")
    periods = {p.label: p for p, _needed in response.context["periods"]}
    needed = {p.label: n for p, n in response.context["periods"]}
    assert [p.first for p in periods.values()] == [
        date(2017, 10, 16), date(2017, 10, 23), date(2017, 10, 2), date(2017, 7, 31), date(2017, 1, 30)]
    for p in periods.values():
        assert p.actual == deposits(org.rep_a, p.first, p.last), p.label
        assert p.target == target(org.rep_a, p.first, p.last) > 0, p.label
    # By hand: the weeks entered hold 3,600 (6 Feb), 3,700 (7 Aug), 4,800 (18 Sep), 3,900 (9 Oct) and 5,300 (23 Oct);
    # the targets are rep_a's week targets of the plan's split over each period.
    by_hand = {"last_week": (0, 111_111), "week": (5_300, 111_111), "month": (3_900 + 5_300, 333_333),
               "phase": (3_700 + 4_800 + 3_900 + 5_300, 1_233_333),
               "year": (3_600 + 3_700 + 4_800 + 3_900 + 5_300, 4_519_093)}
    assert {label: (p.actual, p.target, p.gap, p.attainment) for label, p in periods.items()} == {
        label: (Decimal(actual), target, Decimal(actual - target), Decimal(actual) / Decimal(target))
        for label, (actual, target) in by_hand.items()}
    assert periods["last_week"].actual == 0 and periods["week"].actual == Decimal(5300)
    # AS_OF is in the last week of October, which also ends phase 3: no week is left to make either up
    assert needed["week"] is None and needed["month"] is None and needed["phase"] is None
    # (4,519,093 − 21,300) ÷ the 13 working weeks after 23 October (30 Oct – 22 Jan) = 345,984.0769…
    assert needed["year"] == Decimal("345984.08")
    assert periods["year"].actual == deposits(org.rep_a, date(2017, 1, 1), date(2018, 12, 31)) == Decimal(21_300)
    page = response.content.decode()
    assert f"CNY {periods['year'].actual:,.0f}" in page and f"CNY {periods['month'].target:,}" in page


def test_a_week_without_figures_is_shown_as_missing(client, org, plan, settings):
    settings.AS_OF_DATE = AS_OF
    enter(org, date(2017, 10, 9))
    client.force_login(org.rep_a.user)
    response = client.get(reverse("dashboards:mine"), HTTP_ACCEPT_LANGUAGE="en")
    status = {week.monday: week.status for _, week in response.context["calendar"]}
    # 16 Oct is over and had a target; 23 Oct is still running; the National Day week had nothing to do.
    assert status == {date(2017, 10, 2): "", date(2017, 10, 9): "draft", date(2017, 10, 16): "missing",
                      date(2017, 10, 23): ""}
    page = response.content.decode()
    assert "Missing" in row(page, "month", date(2017, 10, 16)) and "Missing" in row(page, "weeks", date(2017, 10, 16))
    assert "Missing" not in row(page, "month", date(2017, 10, 23))


def test_attainment_reads_as_a_dash_when_the_target_is_zero(client, org, plan, settings):
    settings.AS_OF_DATE = AS_OF
    assert target(org.rep_a, NATIONAL_DAY_WEEK, NATIONAL_DAY_WEEK) == 0
    enter(org, NATIONAL_DAY_WEEK, new=1200, existing=0)
    client.force_login(org.rep_a.user)
    response = client.get(reverse("dashboards:mine"), {"month": plan.months.get(month=date(2017, 10, 1)).pk},
                          HTTP_ACCEPT_LANGUAGE="en")
    week = next(w for _, w in response.context["calendar"] if w.monday == NATIONAL_DAY_WEEK)
    assert (week.total, week.attainment) == (Decimal(1200), None)
    cells = row(response.content.decode(), "month", NATIONAL_DAY_WEEK)
    assert "CNY 1,200" in cells and '<td class="num">—</td>' in cells
    assert "%" not in cells


def test_weekly_table_lists_every_entered_metric_read_only(client, org, plan, settings):
    settings.AS_OF_DATE = AS_OF
    enter(org, date(2017, 10, 9), new=3456, existing=1000)
    client.force_login(org.rep_a.user)
    page = client.get(reverse("dashboards:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    table = page.split('id="weeks"', 1)[1].split("</table>", 1)[0]
    for label in ["New customers", "Engaged customers", "Accounts opened", "New-customer deposits",
                  "Existing-customer deposits", "Trading volume"]:
        assert label in table
    assert "CNY 3,456" in row(page, "weeks", date(2017, 10, 9)) and "CNY 40,000" in table
    assert "<input" not in page.split("<main", 1)[1].replace('<input type="hidden" name="plan"', "")


def test_rep_without_figures_is_told_so(client, org, plan, settings):
    settings.AS_OF_DATE = AS_OF
    client.force_login(org.rep_a.user)
    page = client.get(reverse("dashboards:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "No figures have been entered for you" in page


def test_without_a_plan_the_page_says_so(client, org):
    client.force_login(org.rep_a.user)
    assert "No plan yet" in client.get(reverse("dashboards:mine"), HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize("weeks", [2, 30])
def test_page_runs_the_same_queries_however_many_weeks_of_figures(client, org, plan, settings, weeks, way_up_paths,
                                                                  django_assert_num_queries):
    settings.AS_OF_DATE = AS_OF
    for n in range(weeks):
        enter(org, date(2017, 10, 23) - timedelta(weeks=n))
    client.force_login(org.rep_a.user)
    # session, user, the principal (the rep's employee id, the header's links and name); current plan, plan
    # months, the month of last week;
    # the rep's figures, their week targets; the working calendar (pace); the latest ranked month;
    # rep_periods; rep_calendar; the plan years they had targets in, for the year picker (a rep's header links
    # need none); the appraisals to act on, the feedback to give; the published results (rating labels, appraisals);
    # the way up (the rep; their appointments, training, published appraisals; the rating labels; the steps up and
    # their requirements in force); the notice card and the header's unread notices;
    # their final rewards and penalties (dashboards/_my_records.html)
    with django_assert_num_queries(27):
        response = client.get(reverse("dashboards:mine"))
    assert len([w for w in response.context["weeks"] if w.figures]) == weeks


def test_page_shows_pace_rank_and_the_months_chart(client, org, plan, settings):
    from kpis.results import services as rollups

    settings.AS_OF_DATE = AS_OF
    for n in range(3):
        enter(org, date(2017, 10, 23) - timedelta(weeks=n))
    rollups.recompute_all([date(2017, 10, 1)])
    client.force_login(org.rep_a.user)
    response = client.get(reverse("dashboards:mine"), HTTP_ACCEPT_LANGUAGE="en")
    pace, placing = response.context["year_pace"], response.context["placing"]
    assert pace.actual_to_date == sum(w.total for w in response.context["weeks"] if w.figures) == Decimal(15_000)
    # needed = (year target − actual to date) ÷ the weeks after the as-of week (23 Oct) that have working days
    year_target = target(org.rep_a, date(2017, 1, 30), date(2018, 1, 22))
    assert year_target == 4_519_093
    remaining = [date(2017, 10, 30), date(2017, 11, 6), date(2017, 11, 13), date(2017, 11, 20), date(2017, 11, 27),
                 date(2017, 12, 4), date(2017, 12, 11), date(2017, 12, 18), date(2017, 12, 25),
                 date(2018, 1, 1), date(2018, 1, 8), date(2018, 1, 15), date(2018, 1, 22)]  # none a holiday week
    assert list(RepWeekTarget.objects.filter(employee=org.rep_a, week__gt=date(2017, 10, 23))
                .order_by("week").values_list("week", flat=True)) == remaining
    actual = 3 * (3_000 + 2_000)  # three weeks of the default figures
    assert pace.needed_per_week == Decimal("346468.69")  # (4,519,093 − 15,000) ÷ 13 = 346,468.6923…
    assert ((Decimal(year_target) - actual) / len(remaining)).quantize(Decimal("0.01")) == Decimal("346468.69")
    assert (placing.month, placing.rank_in_team) == (date(2017, 10, 1), 1)
    chart = response.context["charts"]
    assert len(chart["months"]) == 12 and chart["actual"][8] == float(pace.actual_to_date)
    assert 'id="months-chart"' in response.content.decode()


def test_rep_sees_week_month_phase_and_year_targets_as_of_the_demo_date(client, org, plan, settings):
    settings.AS_OF_DATE = date(2017, 10, 31)  # Tuesday: its week (30 Oct) belongs to November
    client.force_login(org.rep_a.user)
    periods = {p.label: p for p, _needed in client.get(reverse("dashboards:mine")).context["periods"]}
    mine = RepWeekTarget.objects.filter(employee=org.rep_a)
    assert periods["week"].first == date(2017, 10, 30)
    assert periods["week"].target == mine.get(week=date(2017, 10, 30)).deposit_target
    november = mine.filter(plan_month__month=date(2017, 11, 1)).aggregate(s=Sum("deposit_target"))["s"]
    assert periods["month"].target == november > 0
    phase4 = mine.filter(plan_month__phase__number=4).aggregate(s=Sum("deposit_target"))["s"]
    assert periods["phase"].target == phase4
    assert periods["year"].target == mine.aggregate(s=Sum("deposit_target"))["s"]


def test_rep_calendar_shows_no_target_in_the_national_day_week(client, org, plan):
    client.force_login(org.rep_a.user)
    october = plan.months.get(month=date(2017, 10, 1))
    weeks = client.get(reverse("dashboards:mine"), {"month": october.pk}).context["calendar"]
    assert [(week.monday, week.target) for _days, week in weeks][0] == (date(2017, 10, 2), 0)
    assert all(week.target > 0 for _days, week in weeks[1:])
