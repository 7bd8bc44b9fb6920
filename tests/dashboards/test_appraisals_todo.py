"""The start pages list the appraisals their owner holds now: the manager's team page, the rep's own page and the
director's cockpit; the rep's page also keeps the history of their published results."""

import pytest
from django.urls import reverse

from appraisals.models import Step
from tests.appraisals.conftest import advance, appraisal_of, open_cycle, roll_up


@pytest.fixture
def cycle(org, plan):
    """The 2017 first half for all of sales, opened by HR (as tests/appraisals' fixture of the same name)."""
    return open_cycle(org, plan)


def todo(client, employee, url: str) -> list:
    client.force_login(employee.user)
    response = client.get(url)
    assert response.status_code == 200
    return response.context["appraisals_todo"]


def test_a_manager_sees_their_reps_goals_to_confirm_at_the_top_of_the_team_page(client, org, cycle):
    team_page = reverse("dashboards:team", args=[org.team_a.pk])
    held = todo(client, org.manager_a, team_page)
    assert {a.employee for a in held} == {org.rep_a, org.mover}  # the mover spent most of the half in team A
    assert reverse("appraisals:appraisal", args=[appraisal_of(cycle, org.rep_a).pk]) in \
        client.get(team_page).content.decode()


def test_a_rep_sees_their_own_appraisal_once_it_is_theirs_to_act_on(client, org, cycle):
    assert todo(client, org.rep_a, reverse("dashboards:mine")) == []
    roll_up()
    advance(org, appraisal_of(cycle, org.rep_a), Step.SELF_REVIEW)
    assert [a.employee for a in todo(client, org.rep_a, reverse("dashboards:mine"))] == [org.rep_a]


def test_the_director_sees_the_managers_appraisals_to_verify(client, org, cycle):
    roll_up()
    advance(org, appraisal_of(cycle, org.manager_a), Step.VERIFICATION)
    held = todo(client, org.director, reverse("dashboards:director"))
    assert appraisal_of(cycle, org.manager_a) in held
    assert not [a for a in held if not a.is_manager]  # reps' evidence is HR's to check


@pytest.mark.parametrize("published", [False, True])
def test_the_reps_page_shows_a_result_only_once_published(client, org, cycle, published):
    roll_up()
    advance(org, appraisal_of(cycle, org.rep_a), Step.PUBLISHED if published else Step.CONFIRMED)
    client.force_login(org.rep_a.user)
    response = client.get(reverse("dashboards:mine"))
    assert [r.cycle_name for r in response.context["results"]] == ([cycle.name] if published else [])
