"""The cycle endpoints: HR runs the cycles as on the cycles pages (everyone else 403), through the same services;
a refused write is 400 naming the field and writes nothing; what HR does shows on the cycle page."""

from datetime import date

import pytest
from django.urls import reverse

from appraisals.models import Appraisal, Cycle, Step
from tests import factories
from tests.api_errors import errors_by_field
from tests.appraisals.conftest import DEADLINES, GOAL_METRICS, act, appraisal_of

BODY = {"name": "2017 第三季度", "kind": "quarterly", "first_month": "2017-08", "last_month": "2017-10",
        "goal_metrics": GOAL_METRICS, "deadlines": {s: d.isoformat() for s, d in DEADLINES.items()}}


def as_(client, who):
    client.force_login(who.user)
    return client


@pytest.mark.parametrize("role", ["director", "general_manager", "manager_a", "rep_a"])
def test_only_hr_reads_or_changes_the_cycles(client, org, cycle, unchanged, role):
    as_(client, org.by_role(role))
    assert client.get(reverse("appraisal-cycle-list")).status_code == 403
    assert client.get(reverse("appraisal-cycle-detail", args=[cycle.pk])).status_code == 403
    with unchanged():
        assert client.post(reverse("appraisal-cycle-close", args=[cycle.pk])).status_code == 403
        assert client.post(reverse("appraisal-cycle-person-add", args=[cycle.pk]), {"employee_id": org.rep_a.pk,
                           "reason": "x"}, content_type="application/json").status_code == 403


def test_anonymous_is_401(client, cycle):
    assert client.get(reverse("appraisal-cycle-list")).status_code == 401


def test_hr_lists_the_cycles_with_their_size_and_reads_one(client, org, cycle):
    as_(client, org.hr)
    rows = client.get(reverse("appraisal-cycle-list")).json()["results"]
    assert [(r["name"], r["size"], r["published"], r["status"]) for r in rows] == [("2017 上半年", 5, 0, "open")]
    detail = client.get(reverse("appraisal-cycle-detail", args=[cycle.pk])).json()
    assert detail["progress"]["total"] == 5 and {"step": "goals", "count": 5} in detail["progress"]["steps"]
    assert {d["step"]: d["due_on"] for d in detail["deadlines"]} == {s: d.isoformat() for s, d in DEADLINES.items()}
    assert client.get(reverse("appraisal-cycle-detail", args=[2**31 - 1])).status_code == 404


def test_hr_opens_a_cycle_and_the_cycles_page_lists_it(client, org, plan):
    as_(client, org.hr)
    response = client.post(reverse("appraisal-cycle-list"), {**BODY, "plan": plan.pk, "team_ids": [org.team_a.pk]},
                           content_type="application/json")
    assert response.status_code == 201, response.json()
    opened = Cycle.objects.get(name="2017 第三季度")
    assert response.json()["id"] == opened.pk and [t["id"] for t in response.json()["teams"]] == [org.team_a.pk]
    people = set(opened.appraisals.values_list("employee", flat=True))
    assert org.manager_a.pk in people and org.manager_b.pk not in people
    assert response.json()["progress"]["total"] == len(people)
    assert "2017 第三季度" in client.get(reverse("appraisals:cycles")).content.decode()


@pytest.mark.parametrize(("change", "field"), [
    ({"goal_metrics": [{"metric": "total_deposits", "weight": 80}]}, "goal_metrics"),
    ({"first_month": "2017-13"}, "first_month"),
    ({"first_month": "2017-09"}, "first_month"),  # not a quarter of the plan
    ({"deadlines": {"goals": "2016-01-01"}}, "deadlines"),
    ({"name": "2017 上半年"}, "name"),
    ({"team_ids": [2**31 - 1]}, "team_ids"),
    ({"plan": 2**31 - 1}, "plan"),
])
def test_a_cycle_refused_is_400_naming_the_field_and_opens_nothing(client, org, plan, cycle, unchanged, change,
                                                                   field):
    as_(client, org.hr)
    with unchanged():
        response = client.post(reverse("appraisal-cycle-list"), {**BODY, "plan": plan.pk, **change},
                               content_type="application/json")
    assert response.status_code == 400 and field in errors_by_field(response), response.json()


def test_hr_adds_a_person_and_a_second_time_is_refused(client, org, cycle, unchanged):
    newcomer = factories.employee(team=org.team_a, hired=date(2017, 3, 1), name="新来者")
    url = reverse("appraisal-cycle-person-add", args=[cycle.pk])
    as_(client, org.hr)
    response = client.post(url, {"employee_id": newcomer.pk, "reason": "三月入职"}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["employee"]["name"] == "新来者" and appraisal_of(cycle, newcomer).state == Step.GOALS
    with unchanged():
        again = client.post(url, {"employee_id": newcomer.pk, "reason": "再加"}, content_type="application/json")
        blank = client.post(url, {"employee_id": newcomer.pk, "reason": ""}, content_type="application/json")
    assert again.status_code == 400 and "employee_id" in errors_by_field(again)
    assert blank.status_code == 400 and "reason" in errors_by_field(blank)


def test_hr_moves_a_due_date_and_a_date_before_the_period_is_refused(client, org, cycle, unchanged):
    url = reverse("appraisal-cycle-deadlines", args=[cycle.pk])
    as_(client, org.hr)
    due = {s: d.isoformat() for s, d in DEADLINES.items()}
    with unchanged():
        refused = client.put(url, {"deadlines": {**due, "goals": "2016-01-01"}}, content_type="application/json")
    assert refused.status_code == 400 and "deadlines" in errors_by_field(refused)
    response = client.put(url, {"deadlines": {**due, "goals": "2017-08-12"}}, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert cycle.deadlines.get(step=Step.GOALS).due_on == date(2017, 8, 12)


def test_a_cycle_with_unfinished_appraisals_stays_open_and_one_all_withdrawn_closes(client, org, cycle, unchanged):
    url = reverse("appraisal-cycle-close", args=[cycle.pk])
    as_(client, org.hr)
    with unchanged():
        refused = client.post(url)
    assert refused.status_code == 400 and "cycle_id" in errors_by_field(refused)
    for appraisal in Appraisal.objects.filter(cycle=cycle):
        act("withdraw", appraisal, org.hr, reason="本期取消")
    response = client.post(url)
    assert response.status_code == 200 and response.json()["status"] == "closed"
    cycle.refresh_from_db()
    assert cycle.status == Cycle.Status.CLOSED
