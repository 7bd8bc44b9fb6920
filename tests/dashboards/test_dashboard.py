"""The dashboards (director's, team's, rep's): who may open them, numbers equal to the rollups, filters in the
URL, the XLSX export, empty states, freshness, and a fixed number of queries whatever the data size."""

import io
import re
import zoneinfo
from datetime import date, datetime
from decimal import Decimal
from html import escape

import openpyxl
import pytest
from django.db.models import F, Sum
from django.template import defaulttags
from django.urls import reverse

from kpis import services
from kpis.models import WeeklyFigures
from kpis.results import services as rollups
from kpis.results.models import CompanyMonthResult, RepMonthResult, RollupMonth, TeamMonthResult
from targets import services as target_services
from tests import factories
from tests.snapshots import replayed

AS_OF = date(2017, 10, 25)  # a Wednesday in October 2017: February–October are the plan year to date
AS_OF_MONTH = date(2017, 10, 1)
# Twelve Mondays, from the week of 31 July (August) to the week of 16 October; none of their months is closed.
WEEKS = [date(2017, 7, 31), date(2017, 8, 7), date(2017, 8, 14), date(2017, 8, 21), date(2017, 8, 28),
         date(2017, 9, 4), date(2017, 9, 11), date(2017, 9, 18), date(2017, 9, 25), date(2017, 10, 2),
         date(2017, 10, 9), date(2017, 10, 16)]
FEW_WEEKS = [date(2017, 7, 31), date(2017, 8, 21), date(2017, 9, 11), date(2017, 10, 16)]
TOTAL = F("new_customer_deposits") + F("existing_customer_deposits")


def enter(manager, reps, week: date, seed: int = 0) -> None:
    """Save a week of figures for `reps` as their manager does, through the service."""
    rows = [services.RepWeekInput(rep.pk, {
        "new_customers": 3, "engaged_customers": 4, "accounts_opened": 1 + (i + seed) % 2,
        "new_customer_deposits": 10_000 + 1_300 * i + 700 * seed, "existing_customer_deposits": 4_500 + 100 * seed,
        "trading_volume": 90_000}) for i, rep in enumerate(reps)]
    services.weekly_figures_save(week=week, rows=rows, by=manager.user, channel="grid")


def enter_weeks(org, weeks: list[date], team_a_reps=None, team_b_reps=None) -> None:
    for n, week in enumerate(weeks):
        enter(org.manager_a, team_a_reps or [org.rep_a], week, seed=n)
        enter(org.manager_b, team_b_reps or [org.rep_b], week, seed=n + 5)


@pytest.fixture
def figures(org, plan, settings) -> None:
    """Both teams' reps report the twelve weeks; the rollups are computed; today is 25 October 2017."""
    settings.AS_OF_DATE = AS_OF
    replayed("dashboard figures", lambda: (enter_weeks(org, WEEKS), rollups.recompute_all()))


def company_to_date() -> Decimal:
    return CompanyMonthResult.objects.filter(month__lte=AS_OF_MONTH).aggregate(s=Sum("total_deposits"))["s"]


def figures_to_date(**where) -> Decimal:
    """Return the deposits entered (raw weekly figures, not rollups) for weeks up to the as-of date."""
    return WeeklyFigures.objects.filter(week__lte=AS_OF, **where).aggregate(s=Sum(TOTAL))["s"] or Decimal(0)


def board_of(client, user, url: str, language: str = "en", **params):
    client.force_login(user)
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.status_code
    return response


DASHBOARD = reverse("dashboards:director")
EXPORT = reverse("dashboards:director_export")


# --- who may open what ------------------------------------------------------------------------------------------

def url_for(org, page: str, target: str | None) -> str:
    if page == "team":
        return reverse("dashboards:team", args=[org.by_role(target).pk])
    if page == "rep":
        return reverse("dashboards:rep", args=[org.by_role(target).pk])
    return {"dashboard": DASHBOARD, "export": EXPORT}[page]


# (role, page, whose) -> status. 403: the role never uses the page; 404: someone else's team or rep.
MATRIX = [
    *[(role, page, None, 200) for role in ("director", "general_manager", "hr") for page in ("dashboard", "export")],
    *[(role, page, None, 403) for role in ("manager_a", "manager_b", "rep_a") for page in ("dashboard", "export")],
    *[(role, "team", "team_a", 200) for role in ("director", "general_manager", "hr", "manager_a")],
    ("manager_a", "team", "team_b", 404),
    ("manager_b", "team", "team_a", 404),
    ("rep_a", "team", "team_a", 403),
    *[(role, "rep", "rep_a", 200) for role in ("director", "general_manager", "hr", "manager_a", "rep_a")],
    ("rep_a", "rep", "rep_b", 404),
    ("manager_a", "rep", "rep_b", 404),
    ("manager_b", "rep", "rep_a", 404),
]


@pytest.mark.parametrize(("role", "page", "whose", "status"), MATRIX)
def test_each_role_opens_its_dashboards_and_no_one_elses(client, org, plan, settings, role, page, whose, status):
    settings.AS_OF_DATE = AS_OF
    client.force_login(org.by_role(role).user)
    assert client.get(url_for(org, page, whose)).status_code == status


@pytest.mark.parametrize(("page", "whose"), [("dashboard", None), ("export", None), ("team", "team_a"),
                                             ("rep", "rep_a")])
def test_anonymous_goes_to_log_in(client, org, plan, page, whose):
    response = client.get(url_for(org, page, whose))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


# --- the numbers are the rollups' ---------------------------------------------------------------------------------

def test_director_dashboard_shows_the_plan_and_the_rollups(client, org, plan, figures):
    board = board_of(client, org.director.user, DASHBOARD).context["board"]
    assert board.as_of == AS_OF and board.as_of_month == AS_OF_MONTH
    assert board.year_target == sum(m.deposit_target for m in plan.months.all()) == 14_000_000
    assert board.actual_to_date == company_to_date() == figures_to_date() > 0
    companies = {r.month: r for r in CompanyMonthResult.objects.all()}
    for bar, month in zip(board.months, plan.months.order_by("month"), strict=True):
        assert bar.month == month.month and bar.target == month.deposit_target
        assert bar.actual == (companies[bar.month].total_deposits if bar.month in companies else 0)
        assert (bar.cumulative_actual is None) == (bar.month > AS_OF_MONTH)
    assert [b.cumulative_actual for b in board.months if b.month == AS_OF_MONTH] == [board.actual_to_date]
    assert board.period.months == [m.month for m in plan.months.order_by("month") if m.month <= AS_OF_MONTH]


def test_team_leaderboard_sums_the_team_month_results(client, org, plan, figures):
    board = board_of(client, org.director.user, DASHBOARD).context["board"]
    lines = {line.team: line for line in board.teams}
    assert set(lines) == {org.team_a, org.team_b}
    for team, line in lines.items():
        rows = TeamMonthResult.objects.filter(team=team, month__lte=AS_OF_MONTH)
        assert line.actual == sum(r.total_deposits for r in rows) == figures_to_date(team=team) > 0
        assert line.target == sum(r.deposit_target or 0 for r in rows) > 0
        assert line.accounts_opened == sum(r.accounts_opened for r in rows)
    # By hand, from `enter`: team A's rep puts in 14,500 + 800·n in week n (0–11), team B's 14,500 + 800·(n + 5);
    # 800·(0 + … + 11) = 52,800. The team targets are the plan's split of February–October (10,300,000 in all).
    a, b = lines[org.team_a], lines[org.team_b]
    assert (a.actual, b.actual) == (12 * 14_500 + 52_800, 12 * 18_500 + 52_800) == (226_800, 274_800)
    assert (a.target, b.target) == (4_998_297, 5_301_703) and a.target + b.target == 10_300_000
    assert (a.attainment, b.attainment) == (Decimal(226_800) / 4_998_297, Decimal(274_800) / 5_301_703)
    assert (round(a.attainment, 4), round(b.attainment, 4)) == (Decimal("0.0454"), Decimal("0.0518"))
    assert sum(line.actual for line in lines.values()) == board.actual_to_date
    best, worst = board.teams
    assert best.attainment >= worst.attainment


def test_amounts_read_in_wan_in_chinese_and_in_cny_in_english(client, org, plan, figures):
    chinese = board_of(client, org.director.user, DASHBOARD, language="zh-hans")
    page = chinese.content.decode()
    assert '<strong data-testid="year-target">1,400万</strong>' in page
    # 226,800 + 274,800 = 501,600 yuan to date (see the leaderboard test); the leading team (B) has 274,800
    assert '<strong data-testid="actual-to-date">50.16万</strong>' in page
    assert "27.48万" in page

    english = board_of(client, org.director.user, DASHBOARD, language="en").content.decode()
    assert '<strong data-testid="year-target">CNY 14,000,000</strong>' in english
    assert '<strong data-testid="actual-to-date">CNY 501,600</strong>' in english
    assert "万" not in english.split("<main", 1)[1]


def test_team_dashboard_shows_the_team_and_its_reps(client, org, plan, figures):
    url = reverse("dashboards:team", args=[org.team_a.pk])
    response = board_of(client, org.manager_a.user, url)
    board, reps = response.context["board"], response.context["reps"]
    team_rows = TeamMonthResult.objects.filter(team=org.team_a)
    assert board.filters.team == org.team_a
    assert board.year_target == sum(r.deposit_target or 0 for r in team_rows)
    assert board.actual_to_date == sum(r.total_deposits for r in team_rows) == figures_to_date(team=org.team_a)
    assert [(b.month, b.actual) for b in board.months if b.actual] == [
        (r.month, r.total_deposits) for r in team_rows.order_by("month") if r.total_deposits]
    rep_a = next(r for r in reps if r["employee"] == org.rep_a)
    rep_rows = RepMonthResult.objects.filter(employee=org.rep_a, month__lte=AS_OF_MONTH)
    assert rep_a["actual"] == sum(r.total_deposits for r in rep_rows) == figures_to_date(employee=org.rep_a)
    assert rep_a["target"] == sum(r.deposit_target or 0 for r in rep_rows)
    assert org.rep_b not in [r["employee"] for r in reps]
    assert f"CNY {rep_a['actual']:,.0f}" in response.content.decode()


def test_rep_dashboard_lists_the_reps_months_and_weeks(client, org, plan, figures):
    url = reverse("dashboards:rep", args=[org.rep_a.pk])
    response = board_of(client, org.manager_a.user, url)
    results = response.context["results"]
    assert [(r.month, r.total_deposits) for r in results] == list(
        RepMonthResult.objects.filter(employee=org.rep_a).order_by("month").values_list("month", "total_deposits"))
    assert [w.week for w in response.context["weeks"]] == sorted(WEEKS, reverse=True)
    page = response.content.decode()
    september = next(r for r in results if r.month == date(2017, 9, 1))
    assert f"CNY {september.total_deposits:,.0f}" in page and f"CNY {september.deposit_target:,}" in page


def test_rep_dashboard_lists_the_plans_first_week_though_its_monday_is_in_january(client, org, plan, settings):
    settings.AS_OF_DATE = AS_OF
    first_week = date(2017, 1, 30)  # its Thursday is 2 February: the first week of the plan's first month
    enter(org.manager_a, [org.rep_a], first_week)
    response = board_of(client, org.rep_a.user, reverse("dashboards:rep", args=[org.rep_a.pk]))
    assert [w.week for w in response.context["weeks"]] == [first_week]


# --- filters in the URL -------------------------------------------------------------------------------------------

def test_a_month_in_the_url_shows_that_month_and_stays_in_the_export_link(client, org, plan, figures):
    september = plan.months.get(month=date(2017, 9, 1))
    response = board_of(client, org.director.user, DASHBOARD, month=september.pk)
    board = response.context["board"]
    assert board.period.months == [september.month] and board.period.label_kind == "month"
    company = CompanyMonthResult.objects.get(month=september.month)
    total = next(t for t in board.tiles if t.metric.code == "total_deposits")
    assert total.value == company.total_deposits
    assert {line.team.pk: line.actual for line in board.teams} == dict(
        TeamMonthResult.objects.filter(month=september.month).values_list("team", "total_deposits"))
    page = response.content.decode()
    assert f'href="{EXPORT}?month={september.pk}"' in page
    assert f'href="{reverse("dashboards:team", args=[org.team_a.pk])}?month={september.pk}"' in page


def test_a_phase_in_the_url_shows_the_phases_months(client, org, plan, figures):
    phase = plan.phases.get(number=3)
    params = {"plan": plan.pk, "phase": phase.pk}
    response = board_of(client, org.director.user, DASHBOARD, **params)
    board = response.context["board"]
    months = sorted(phase.months.values_list("month", flat=True))
    assert board.period.months == months and board.period.label_kind == "phase"
    assert {line.team: line.actual for line in board.teams} == {
        team: sum(r.total_deposits for r in TeamMonthResult.objects.filter(team=team, month__in=months))
        for team in (org.team_a, org.team_b)}
    assert f'href="{EXPORT}?{escape(f"plan={plan.pk}&phase={phase.pk}")}"' in response.content.decode()


def test_a_team_in_the_url_narrows_the_company_dashboard_to_the_team(client, org, plan, figures):
    response = board_of(client, org.director.user, DASHBOARD, team=org.team_b.pk)
    board = response.context["board"]
    assert board.filters.team == org.team_b
    assert board.actual_to_date == figures_to_date(team=org.team_b)
    reps = {r["employee"]: r["actual"] for r in response.context["reps"]}
    assert reps == {org.rep_b: figures_to_date(employee=org.rep_b), org.mover: 0}  # the mover joined B in June
    assert f'href="{EXPORT}?team={org.team_b.pk}"' in response.content.decode()


@pytest.mark.parametrize("name", ["plan", "phase", "month", "team"])
@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_an_unknown_id_in_the_url_is_not_found(client, org, plan, settings, url, name):
    settings.AS_OF_DATE = AS_OF
    client.force_login(org.director.user)
    assert client.get(url, {name: 999_999}).status_code == 404


def test_a_manager_cannot_reach_another_managers_team_through_the_url(client, org, plan, figures):
    client.force_login(org.manager_a.user)
    assert client.get(reverse("dashboards:team", args=[org.team_b.pk])).status_code == 404
    own = reverse("dashboards:team", args=[org.team_a.pk])
    board = client.get(own, {"team": org.team_b.pk}).context["board"]
    assert board.filters.team == org.team_a and board.actual_to_date == figures_to_date(team=org.team_a)


# --- the export ---------------------------------------------------------------------------------------------------

def test_the_export_holds_the_screens_numbers(client, org, plan, figures):
    board = board_of(client, org.director.user, DASHBOARD).context["board"]
    response = board_of(client, org.director.user, EXPORT)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="salesops-dashboard-20171025.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Months", "KPIs", "Teams", "Bottom"]
    months = list(book["Months"].iter_rows(values_only=True))
    assert months[0] == ("Month", "Target", "Actual", "Plan, cumulative", "Actual, cumulative")
    assert [(r[0], r[1], Decimal(str(r[2]))) for r in months[1:]] == [
        (f"{b.month:%Y-%m}", b.target, b.actual) for b in board.months]
    assert sum(r[1] for r in months[1:]) == 14_000_000
    teams = {r[0]: r for r in list(book["Teams"].iter_rows(values_only=True))[1:]}
    for line in board.teams:
        name, target, actual, attainment, _opened = teams[line.team.name]
        assert (target, Decimal(str(actual))) == (line.target, line.actual)
        assert attainment == f"{line.attainment * 100:.1f}%"
    kpis = {r[0]: r[1] for r in list(book["KPIs"].iter_rows(values_only=True))[1:]}
    assert Decimal(str(kpis["Total deposits"])) == board.actual_to_date


def test_the_team_export_adds_the_reps(client, org, plan, figures):
    book = openpyxl.load_workbook(io.BytesIO(board_of(client, org.director.user, EXPORT, team=org.team_a.pk).content))
    assert book.sheetnames == ["Months", "KPIs", "Teams", "Bottom", "Reps"]
    reps = {r[0]: Decimal(str(r[2])) for r in list(book["Reps"].iter_rows(values_only=True))[1:]}
    # the mover was in team A until June and the leaver until March: in the year to date, without figures
    assert reps == {org.rep_a.name: figures_to_date(employee=org.rep_a), org.mover.name: 0, org.leaver.name: 0}


# --- empty states and freshness -----------------------------------------------------------------------------------

def test_without_figures_the_dashboard_says_so(client, org, plan, settings):
    settings.AS_OF_DATE = AS_OF
    response = board_of(client, org.director.user, DASHBOARD)
    assert response.context["board"].actual_to_date == 0
    assert "No weekly figures yet" in response.content.decode()


def test_with_figures_the_empty_notice_is_gone(client, org, plan, figures):
    assert "No weekly figures yet" not in board_of(client, org.director.user, DASHBOARD).content.decode()


@pytest.mark.parametrize(("role", "page", "whose"), [("director", "dashboard", None), ("manager_a", "team", "team_a"),
                                                     ("rep_a", "rep", "rep_a")])
def test_without_a_plan_the_dashboards_say_there_is_none(client, org, settings, role, page, whose):
    settings.AS_OF_DATE = AS_OF
    response = board_of(client, org.by_role(role).user, url_for(org, page, whose))
    assert "targets/no_plan.html" in [t.name for t in response.templates]
    assert "No plan yet" in response.content.decode()


def test_export_without_a_plan_is_not_found(client, org, settings):
    client.force_login(org.director.user)
    assert client.get(EXPORT).status_code == 404


def test_computed_rollups_show_when_they_were_computed(client, org, plan, figures):
    page = board_of(client, org.director.user, DASHBOARD).content.decode()
    assert "Figures as of" in page and "Recalculating…" not in page


def test_a_save_shows_since_when_the_figures_are_recalculating_until_the_sweep_has_run(client, org, plan, figures):
    enter(org.manager_a, [org.rep_a], date(2017, 7, 24))  # a week saved after the last run
    line = read_line(board_of(client, org.director.user, DASHBOARD))
    assert re.match(r"Figures as of \d\d:\d\d, recalculating since \d\d:\d\d\. ", line), line
    rollups.recompute_pending()
    line = read_line(board_of(client, org.director.user, DASHBOARD))
    assert re.match(r"Figures as of \d\d:\d\d\. ", line) and "recalculating" not in line, line


SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def freeze_the_templates_clock(monkeypatch, now: datetime) -> None:
    """Make `{% now %}` (the template's idea of the real today) read `now`."""
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return now.astimezone(tz)

    monkeypatch.setattr(defaulttags, "datetime", Frozen)


def freshness_line(response) -> str:
    match = re.search(r'<p class="freshness muted" role="status">(.*?)</p>', response.content.decode(), re.DOTALL)
    assert match, "no freshness line"
    return " ".join(match.group(1).split())


def read_line(response) -> str:
    """The freshness line as a reader sees it: its text, without the markup."""
    return re.sub(r"<[^>]+>", "", freshness_line(response))


AT = datetime(2024, 5, 6, 14, 2, tzinfo=SHANGHAI).replace


@pytest.mark.parametrize(("state", "language", "expected"), [
    ({"computed_at": AT(minute=2), "stale_since": AT(minute=3)}, "zh-hans",
     "数据截至 14:02，14:03 起正在重新计算。 今天按 2017年10月25日 计。"),
    ({"computed_at": AT(minute=2), "stale_since": AT(minute=3)}, "en",
     "Figures as of 14:02, recalculating since 14:03. Today is taken as Oct. 25, 2017."),
    ({"computed_at": AT(day=5, hour=18, minute=0), "stale_since": AT(minute=3)}, "zh-hans",
     "数据截至 2024-05-05 18:00，14:03 起正在重新计算。 今天按 2017年10月25日 计。"),
    ({"computed_at": AT(minute=2), "stale_since": AT(minute=3), "attempts": 2, "run_finished_at": AT(minute=5),
      "retry_at": AT(minute=9)}, "zh-hans",
     "数据截至 14:02，14:03 起正在重新计算。 重新计算于 14:05 失败，将于 14:09 重试。 今天按 2017年10月25日 计。"),
    ({"computed_at": AT(minute=2), "stale_since": AT(minute=3), "attempts": 2, "run_finished_at": AT(minute=5),
      "retry_at": AT(day=7, hour=0, minute=9)}, "en",
     "Figures as of 14:02, recalculating since 14:03. The recalculation failed at 14:05; it is tried again at "
     "2024-05-07 00:09. Today is taken as Oct. 25, 2017."),
], ids=["stale-zh", "stale-en", "computed-yesterday-zh", "failed-zh", "failed-retried-tomorrow-en"])
def test_the_freshness_line_says_how_old_the_figures_are_and_when_a_failed_recompute_is_retried(
        client, org, plan, figures, monkeypatch, state, language, expected):
    RollupMonth.objects.update(requested_at=AT(minute=4), **state)  # every month stale since 14:03, asked again later
    freeze_the_templates_clock(monkeypatch, AT(minute=10))
    assert read_line(board_of(client, org.director.user, DASHBOARD, language=language)) == expected


# computed_at 07:30 in Shanghai is 23:30 UTC the day before; 23:59 in Shanghai the day before is the same UTC day
# as 00:30 today: the rule reads the Shanghai day either way.
@pytest.mark.parametrize(("computed", "now", "language", "expected"), [
    (datetime(2024, 5, 6, 7, 30, tzinfo=SHANGHAI), datetime(2024, 5, 6, 10, 0, tzinfo=SHANGHAI), "en",
     "Figures as of 07:30. Today is taken as Oct. 25, 2017."),
    (datetime(2024, 5, 6, 7, 30, tzinfo=SHANGHAI), datetime(2024, 5, 6, 10, 0, tzinfo=SHANGHAI), "zh-hans",
     "数据截至 07:30。 今天按 2017年10月25日 计。"),
    (datetime(2024, 5, 5, 23, 59, tzinfo=SHANGHAI), datetime(2024, 5, 6, 0, 30, tzinfo=SHANGHAI), "en",
     "Figures as of 2024-05-05 23:59. Today is taken as Oct. 25, 2017."),
    (datetime(2024, 5, 5, 23, 59, tzinfo=SHANGHAI), datetime(2024, 5, 6, 0, 30, tzinfo=SHANGHAI), "zh-hans",
     "数据截至 2024-05-05 23:59。 今天按 2017年10月25日 计。"),
], ids=["today-en", "today-zh", "earlier-day-en", "earlier-day-zh"])
def test_figures_as_of_shows_only_the_time_when_computed_today_else_date_and_time(
        client, org, plan, figures, monkeypatch, computed, now, language, expected):
    RollupMonth.objects.update(computed_at=computed, requested_at=computed)  # every month current, computed then
    freeze_the_templates_clock(monkeypatch, now)
    assert freshness_line(board_of(client, org.director.user, DASHBOARD, language=language)) == expected


# --- a fixed number of queries whatever the size ------------------------------------------------------------------

@pytest.fixture(params=[(1, FEW_WEEKS), (4, WEEKS)], ids=["2 reps x 4 weeks", "8 reps x 12 weeks"])
def sized(request, org, draft_plan, settings, way_up_paths):
    """Return the organisation with `n` reps in each team reporting the weeks, the plan approved after hiring."""
    per_team, weeks = request.param
    settings.AS_OF_DATE = AS_OF
    team_a = [org.rep_a, *[factories.employee(team=org.team_a) for _ in range(per_team - 1)]]
    team_b = [org.rep_b, *[factories.employee(team=org.team_b) for _ in range(per_team - 1)]]
    target_services.plan_approve(plan=draft_plan, version=draft_plan.version, by=org.general_manager.user)
    enter_weeks(org, weeks, team_a, team_b)
    rollups.recompute_all()
    assert WeeklyFigures.objects.count() == 2 * per_team * len(weeks)
    return org


# Each page: session, user, the principal (the employee and the teams they manage, built once: every access rule,
# the header's links and name come from it, so none costs a query of its own).
# Director dashboard: session, user, principal; current plan; the board (plan months, phases, company month results,
# team month results, team week results, calendar, bottom placings, excluded placings, rollup states); the filters'
# plans, phases, months and teams; the appraisals to act on and the feedback to give (appraisals/_todo.html); the
# promotion cases waiting for a decision and the rejected nominations (promotions/_todo.html); the notice card
# (rewards/board_card.html) and the header's unread notices; the count of records waiting for their approval
# (dashboards/_records_waiting.html); the teams without last week's bulletin (rewards/bulletins_card.html).
DIRECTOR_QUERIES = 25
# Team dashboard (a manager): session, user, principal; the team; current plan; this week's entry status (its
# reps' memberships that week, the reps, their figures, their week targets, month closed?); the
# board (plan months, phases, this team's month results, visible teams' month results, team week results, calendar,
# bottom placings, excluded placings, rollup states); the reps' month results; the filters' plans, phases and months;
# the appraisals to act on and the feedback to give; the promotion cases waiting and the rejected nominations;
# the team's way up (its members today with their employees; their appointments with positions and rungs, their
# training, their published appraisals; the rating labels; the steps up and their requirements in force); the
# notice card and the header's unread notices.
TEAM_QUERIES = 36
# Rep dashboard (the rep's manager): session, user, principal; the rep; current plan; plan months; the rep's month
# results; the rep's weeks; the plan years the rep had targets in (the year picker); the way up (is the rep in the
# manager's team today; the rep's appointments, training, published appraisals; the rating labels; the steps up
# and their requirements in force); the header's unread notices.
REP_QUERIES = 17


def test_director_dashboard_runs_a_fixed_number_of_queries(client, sized, django_assert_num_queries):
    client.force_login(sized.director.user)
    with django_assert_num_queries(DIRECTOR_QUERIES):
        assert client.get(DASHBOARD).status_code == 200


def test_team_dashboard_runs_a_fixed_number_of_queries(client, sized, django_assert_num_queries):
    client.force_login(sized.manager_a.user)
    with django_assert_num_queries(TEAM_QUERIES):
        assert client.get(reverse("dashboards:team", args=[sized.team_a.pk])).status_code == 200


def test_rep_dashboard_runs_a_fixed_number_of_queries(client, sized, django_assert_num_queries):
    client.force_login(sized.manager_a.user)
    with django_assert_num_queries(REP_QUERIES):
        assert client.get(reverse("dashboards:rep", args=[sized.rep_a.pk])).status_code == 200
