"""The appraisals API per role: scoped lists and details, acts through ACTS with 400 naming the field and 409
for a stale version, feedback never naming a giver to anyone but HR, the rating hidden until the rater signs."""

import pytest
from django.urls import reverse

from appraisals.models import Step
from appraisals.services import feedback
from tests import factories
from tests.api_errors import errors_by_field
from tests.appraisals.conftest import act, advance, appraisal_of, ratings, roll_up


def listed(client, who) -> set[str]:
    client.force_login(who.user)
    response = client.get(reverse("appraisal-list"))
    assert response.status_code == 200
    return {row["employee"]["name"] for row in response.json()["results"]}


def post_act(client, who, appraisal, **body):
    client.force_login(who.user)
    return client.post(reverse("appraisal-act", args=[appraisal.pk]), body, content_type="application/json")


def test_each_role_lists_only_the_appraisals_in_its_scope(client, org, cycle):
    everyone = {org.rep_a.name, org.rep_b.name, org.mover.name, org.manager_a.name, org.manager_b.name}
    assert listed(client, org.hr) == listed(client, org.director) == listed(client, org.general_manager) == everyone
    assert listed(client, org.manager_a) == {org.rep_a.name, org.mover.name, org.manager_a.name}
    assert listed(client, org.rep_a) == {org.rep_a.name}


def test_the_rater_confirms_the_goals_through_the_api(client, org, cycle):
    appraisal = appraisal_of(cycle, org.rep_a)
    goals = [{"metric": "total_deposits", "weight": 70, "target": "100000"},
             {"metric": "accounts_opened", "weight": 30, "target": "12"}]
    response = post_act(client, org.manager_a, appraisal, action="confirm_goals", version=appraisal.version,
                        goals=goals)
    assert response.status_code == 200, response.json()
    assert (response.json()["state"], response.json()["version"]) == (Step.SELF_REVIEW, appraisal.version + 1)


def test_a_refused_act_is_400_naming_the_field_and_changes_nothing(client, org, cycle, unchanged):
    appraisal = appraisal_of(cycle, org.rep_a)
    goals = [{"metric": "total_deposits", "weight": 70, "target": "1"}, {"metric": "accounts_opened", "weight": 20}]
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(reverse("appraisal-act", args=[appraisal.pk]), {
            "action": "save_goals", "version": appraisal.version, "goals": goals}, content_type="application/json")
    assert response.status_code == 400 and "weight" in errors_by_field(response)


def test_a_stale_version_is_409_naming_who_acted(client, org, cycle, unchanged):
    appraisal = advance(org, appraisal_of(cycle, org.rep_a), Step.CONFIRMATION)
    stale = appraisal.version
    act("confirm", appraisal, org.rep_a)
    client.force_login(org.rep_a.user)
    with unchanged():
        response = client.post(reverse("appraisal-act", args=[appraisal.pk]), {
            "action": "disagree", "version": stale, "comment": "不同意"}, content_type="application/json")
    assert response.status_code == 409 and org.rep_a.name in errors_by_field(response)["version"][0]


def test_an_unknown_action_or_missing_version_is_400(client, org, cycle):
    appraisal = appraisal_of(cycle, org.rep_a)
    assert post_act(client, org.hr, appraisal, action="approve", version=1).status_code == 400
    assert "version" in errors_by_field(post_act(client, org.hr, appraisal, action="withdraw", reason="x"))


def test_another_teams_manager_gets_404(client, org, cycle):
    appraisal = appraisal_of(cycle, org.rep_a)
    client.force_login(org.manager_b.user)
    assert client.get(reverse("appraisal-detail", args=[appraisal.pk])).status_code == 404
    assert post_act(client, org.manager_b, appraisal, action="confirm_goals", version=1).status_code == 404


def test_the_appraisee_sees_the_rating_only_once_the_rater_signed(client, org, cycle):
    appraisal = advance(org, appraisal_of(cycle, org.rep_a), Step.CONFIRMATION)
    act("disagree", appraisal, org.rep_a, comment="不同意")
    act("return", appraisal, org.hr, reason="重评")  # back in rating, the first rating still saved
    client.force_login(org.rep_a.user)
    data = client.get(reverse("appraisal-detail", args=[appraisal.pk])).json()
    assert data["rating"] is None and all(g["rating"] is None for g in data["goals"])
    act("rate", appraisal, org.manager_a, goal_ratings=ratings(appraisal, 5), rating=5, comment="很好")
    assert client.get(reverse("appraisal-detail", args=[appraisal.pk])).json()["rating"] == 5


@pytest.fixture
def answered(org, feedback_cycle):
    givers = [factories.employee(team=org.team_b, name=n) for n in ("周一", "吴二", "郑三")]
    roll_up()
    appraisal = advance(org, appraisal_of(feedback_cycle, org.rep_a), Step.FEEDBACK)
    requests = feedback.feedback_ask(by=org.hr.user, appraisal_id=appraisal.pk, giver_ids=[g.pk for g in givers])
    for request, text in zip(requests, ["z 很积极", "a 爱帮忙", "m 守时"], strict=True):
        feedback.feedback_answer(by=request.giver.user, request_id=request.pk, answer=text)
    act("close_feedback", appraisal, org.hr)
    return appraisal, givers


@pytest.mark.parametrize("reader", ["rep_a", "manager_a", "director"])
def test_the_api_never_names_a_giver_to_anyone_but_hr(client, org, answered, reader):
    appraisal, givers = answered
    client.force_login(org.by_role(reader).user)
    response = client.get(reverse("appraisal-detail", args=[appraisal.pk]))
    body = response.content.decode()
    assert response.json()["feedback"]["answers"] == [{"text": "a 爱帮忙"}, {"text": "m 守时"}, {"text": "z 很积极"}]
    assert not any(g.name in body for g in givers)
    assert not any(f'"giver_id": {g.pk}' in body or f'"giver_id":{g.pk}' in body for g in givers)


def test_hr_sees_the_givers_through_the_api(client, org, answered):
    appraisal, givers = answered
    client.force_login(org.hr.user)
    answers = client.get(reverse("appraisal-detail", args=[appraisal.pk])).json()["feedback"]["answers"]
    assert {a["giver_name"] for a in answers} == {g.name for g in givers}
