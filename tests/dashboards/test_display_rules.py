"""Both branches of every display rule the dashboards have: this week's entry status on the team page, a phase
started or not, and each list's empty state against the same list with rows. Expected texts are written here."""

import re
from datetime import date

import pytest
from django.urls import reverse

from kpis import services
from kpis.results import services as rollups
from tests import factories

AS_OF = date(2017, 10, 25)  # a Wednesday: this week is the week of 23 October, in October's plan month
THIS_WEEK = date(2017, 10, 23)
LAST_WEEK = date(2017, 10, 16)


def enter(manager, rep, week: date) -> None:
    services.weekly_figures_save(week=week, by=manager.user, channel="grid", rows=[services.RepWeekInput(rep.pk, {
        "new_customers": 2, "engaged_customers": 3, "accounts_opened": 1, "new_customer_deposits": 20_000,
        "existing_customer_deposits": 5_000, "trading_volume": 50_000})])


def page(client, user, url: str, **params) -> str:
    client.force_login(user)
    response = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response.content.decode()


def entry_status(html: str) -> str:
    """Return the text of the team page's 'This week' card, tags stripped and white space folded."""
    card = re.search(r'<section class="card entry-status">(.*?)</section>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", card).split())


@pytest.fixture
def today(settings):
    settings.AS_OF_DATE = AS_OF


# --- the team page: this week's entry status, four branches -------------------------------------------------------

def test_this_week_names_the_reps_without_figures(client, org, plan, today):
    status = entry_status(page(client, org.manager_a.user, reverse("dashboards:team", args=[org.team_a.pk])))
    assert status == "This week (from 10/23/2017) 1 rep has no figures yet: 甲队员"


def test_this_week_says_everyone_is_in_once_the_team_has_entered(client, org, plan, today):
    enter(org.manager_a, org.rep_a, THIS_WEEK)
    status = entry_status(page(client, org.manager_a.user, reverse("dashboards:team", args=[org.team_a.pk])))
    assert status == "This week (from 10/23/2017) Everyone's figures are in."


def test_this_week_says_the_month_is_closed(client, org, plan, today):
    services.month_close(month=date(2017, 10, 1), by=org.director.user)
    status = entry_status(page(client, org.manager_a.user, reverse("dashboards:team", args=[org.team_a.pk])))
    assert status == "This week (from 10/23/2017) The month is closed."


def test_this_week_says_nobody_is_in_an_empty_team(client, org, plan, today):
    empty = factories.TeamFactory(name="空队")
    boss = factories.manager_of(empty)
    status = entry_status(page(client, boss.user, reverse("dashboards:team", args=[empty.pk])))
    assert status == "This week (from 10/23/2017) Nobody is in the team this week."


# --- a phase started or not -----------------------------------------------------------------------------------------

def phase_label(html: str, name: str) -> str:
    label = re.search(rf'<div class="phase-label"><strong>{name}</strong>(.*?)</div>', html, re.S).group(1)
    return " ".join(re.sub(r"<[^>]+>", " ", label).split())


def test_a_phase_that_has_not_begun_says_so_and_a_begun_one_shows_its_attainment(client, org, plan, today):
    html = page(client, org.director.user, reverse("dashboards:director"))
    assert phase_label(html, "第四阶段").endswith("not started")
    assert "not started" not in phase_label(html, "第三阶段")
    assert phase_label(html, "第三阶段").endswith("0.0%")


def test_the_last_phase_shows_its_attainment_once_it_has_begun(client, org, plan, settings):
    settings.AS_OF_DATE = date(2017, 11, 15)
    html = page(client, org.director.user, reverse("dashboards:director"))
    assert "not started" not in phase_label(html, "第四阶段")
    assert phase_label(html, "第四阶段").endswith("0.0%")


# --- empty lists, and the same lists with rows ----------------------------------------------------------------------

NO_TEAMS = "No team results yet: they appear once weekly figures are entered and the rollups have run."
NO_REPS = "No rep results for this period yet."
NO_RANKING = "No ranking for this period yet: it appears once weekly figures are in and the rollups have run."
NO_RESULTS, NO_WEEKS = "No results for this rep yet.", "No weekly figures yet."


def test_before_any_figures_every_list_says_it_is_empty(client, org, plan, today):
    director = org.director.user
    assert NO_TEAMS in page(client, director, reverse("dashboards:director"))
    assert NO_REPS in page(client, director, reverse("dashboards:director"), team=org.team_a.pk)
    assert NO_RANKING in page(client, director, reverse("dashboards:rankings"))
    rep = page(client, director, reverse("dashboards:rep", args=[org.rep_a.pk]))
    assert NO_RESULTS in rep and NO_WEEKS in rep


def test_with_figures_the_lists_show_their_rows_instead(client, org, plan, today):
    enter(org.manager_a, org.rep_a, LAST_WEEK)
    enter(org.manager_b, org.rep_b, LAST_WEEK)
    rollups.recompute_all()
    director = org.director.user
    board = page(client, director, reverse("dashboards:director"))
    assert NO_TEAMS not in board and "先锋队" in board and "猛虎队" in board
    reps = page(client, director, reverse("dashboards:director"), team=org.team_a.pk)
    assert NO_REPS not in reps and "甲队员" in reps
    ranking = page(client, director, reverse("dashboards:rankings"))
    assert NO_RANKING not in ranking and "甲队员" in ranking and "乙队员" in ranking
    rep = page(client, director, reverse("dashboards:rep", args=[org.rep_a.pk]))
    assert NO_RESULTS not in rep and NO_WEEKS not in rep and "10/16/2017" in rep
