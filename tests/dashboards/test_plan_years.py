"""Every year, not only 2017, on the demo: the year picker as each role (the default is the year holding today),
a rep's and a manager's own history in 2016, 同比 with real numbers, and next year's plan drafted from 2017."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from kpis.results.models import CompanyMonthResult
from targets import demo as targets_demo
from targets.models import PlanYear
from targets.seasons.selectors import next_plan_draft
from teams.models import Team, User
from tests.api_errors import errors_by_field

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
def plans(demo) -> tuple[PlanYear, PlanYear]:
    return PlanYear.objects.get(name=targets_demo.PLAN_2016), PlanYear.objects.get(name=targets_demo.PLAN_2017)


def page(client, username: str, url: str) -> str:
    client.force_login(User.objects.get(username=username))
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def picker_choices(html: str) -> list[str]:
    form = html.split('class="filters year-picker"', 1)[1].split("</form>", 1)[0]
    return [part.split('"', 1)[0] for part in form.split('<option value="')[1:]]


@pytest.mark.parametrize(("username", "url"), [
    ("director", "dashboards:rankings"), ("gm", "dashboards:rankings"), ("hr1", "dashboards:rankings"),
    ("rep01", "dashboards:mine"),
])
def test_the_picker_defaults_to_the_year_holding_today_and_offers_2016(client, plans, username, url):
    html = page(client, username, reverse(url))
    y2016, y2017 = plans
    assert picker_choices(html) == [str(y2017.pk), str(y2016.pk)]
    assert f'<option value="{y2017.pk}" selected' in html
    assert targets_demo.PLAN_2016 in page(client, username, f"{reverse(url)}?plan={y2016.pk}").split("</h1>")[0]


def test_the_director_and_team_dashboards_switch_to_2016(client, plans):
    y2016, _ = plans
    team = Team.objects.get(code="team-1")
    html = page(client, "director", f"{reverse('dashboards:director')}?plan={y2016.pk}")
    assert f'<option value="{y2016.pk}" selected' in html and "2017年1月" in html
    html = page(client, "manager1", f"{reverse('dashboards:team', args=[team.pk])}?plan={y2016.pk}")
    assert targets_demo.PLAN_2016 in html.split("</h1>")[0]


def test_a_manager_sees_their_teams_2016_targets_and_not_another_teams(client, plans):
    y2016, _ = plans
    mine, other = Team.objects.get(code="team-1"), Team.objects.get(code="team-2")
    html = page(client, "manager1", f"{reverse('targets:team', args=[mine.pk])}?plan={y2016.pk}")
    assert targets_demo.PLAN_2016 in html.split("</h1>")[0] and 'class="filters year-picker"' in html
    client.force_login(User.objects.get(username="manager1"))
    assert client.get(f"{reverse('targets:team', args=[other.pk])}?plan={y2016.pk}").status_code == 404


def test_a_rep_sees_their_own_2016_and_a_rep_hired_in_2017_has_only_one_year(client, plans):
    y2016, _ = plans
    html = page(client, "rep01", f"{reverse('dashboards:mine')}?plan={y2016.pk}")
    assert targets_demo.PLAN_2016 in html.split("</h1>")[0]
    periods = html.split('id="periods"')[1].split("</tbody>")[0].split("<tbody>")[1]
    assert periods.count("<tr") == 1 and "2016/2/1" in periods  # a past year: the year alone, not this week
    assert 'class="filters year-picker"' not in page(client, "rep56", reverse("dashboards:mine"))


def test_the_rep_drill_down_shows_2016_months_and_2017_compared_with_them(client, plans):
    y2016, _ = plans
    rep = User.objects.get(username="rep01").employee
    url = reverse("dashboards:rep", args=[rep.pk])
    html = page(client, "manager1", f"{url}?plan={y2016.pk}")
    assert "2016年2月" in html and "2017年2月" not in html.split('id="weeks"')[0]
    yoy = page(client, "director", url).split('class="num yoy">')[1:10]  # February–October 2017
    assert all(not cell.startswith("—") for cell in yoy)


def yoy_of_total_deposits(html: str) -> str:
    tile = html.split('data-metric="total_deposits"')[1].split("</small>")[0]
    return tile.split()[-1]


@pytest.mark.parametrize("month", [2, 9, 10])  # every month's 同比 in the rollups: tests/kpis/test_demo.py
def test_the_dashboard_and_team_page_compare_2017_months_with_2016(client, plans, month):
    _, y2017 = plans
    plan_month = y2017.months.get(month=date(2017, month, 1))
    team = Team.objects.get(code="team-3")
    for username, url in [("director", reverse("dashboards:director")),
                          ("manager3", reverse("dashboards:team", args=[team.pk]))]:
        yoy = yoy_of_total_deposits(page(client, username, f"{url}?month={plan_month.pk}"))
        assert yoy.endswith("%") and yoy[0] in "+−", (username, month, yoy)


def test_january_2018_compares_with_january_2017_across_plan_years(plans):
    january = CompanyMonthResult.objects.get(month=date(2018, 1, 1))
    assert CompanyMonthResult.objects.get(month=date(2017, 1, 1)).total_deposits > 0
    assert january.performance_growth_yoy == Decimal("-1")  # nothing reported yet in January 2018


def test_the_2018_draft_follows_the_2017_seasons_and_adds_up(plans):
    _, y2017 = plans
    draft = next_plan_draft(y2017, growth=Decimal("10"), as_of=date(2017, 10, 27))
    assert (draft.name, draft.first_month) == ("2018年度销售计划", date(2018, 2, 1))
    assert draft.phases == [(p.name, p.month_count) for p in targets_demo.PHASES_2017]
    assert draft.deposit_target == round(draft.basis * Decimal("1.1"))
    targets = [m.deposit_target for m in draft.months]
    assert targets.index(max(targets)) == 7  # September 2018: 金九
    assert [m.last_deposits is None for m in draft.months] == [False] * 8 + [True] * 4  # October–January not over


def test_the_director_drafts_2018_from_2017_in_the_plan_editor(client, plans):
    _, y2017 = plans
    html = page(client, "director", f"{reverse('targets:plan_new')}?source={y2017.pk}&total=15000000")
    assert 'value="2018年度销售计划"' in html and 'value="2018-02"' in html
    targets = [int(part.split('"', 1)[0]) for part in html.split('name="target_')[1:] for part in
               [part.split('value="', 1)[1]]]
    assert sum(targets) == 15_000_000 and len(targets) == 12
    assert PlanYear.objects.count() == 2  # a draft is a form, nothing saved yet


@pytest.mark.parametrize(("query", "field", "message"), [
    ("growth=-100.5", "growth", "below −100 %"), ("total=-5", "total", "non-negative"),
])
def test_a_bad_draft_is_refused_naming_the_field(client, plans, unchanged, query, field, message):
    _, y2017 = plans
    client.force_login(User.objects.get(username="director"))
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with unchanged():
        response = client.get(f"/api/v1/plans/{y2017.pk}/next-draft/?{query}")
    assert response.status_code == 400 and message in errors_by_field(response)[field][0]


def test_the_api_drafts_2018_and_the_draft_saves_as_a_plan(client, plans):
    _, y2017 = plans
    client.force_login(User.objects.get(username="director"))
    draft = client.get(f"/api/v1/plans/{y2017.pk}/next-draft/?total=15000000").json()
    assert sum(draft["month_targets"]) == 15_000_000 and draft["first_month"] == "2018-02-01"
    body = {key: draft[key] for key in ("name", "first_month", "phases", "month_targets")}
    created = client.post("/api/v1/plans/", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["deposit_target"] == 15_000_000
    assert created.json()["months_without_calendar"] == []
