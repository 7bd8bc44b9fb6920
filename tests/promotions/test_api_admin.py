"""HR's promotion administration on API v1, as on the paths and candidates pages: the paths read by HR and the
management, a step and a requirement added by HR only, the reserve pool's rule read by who sees the candidates and
set by HR with the version read (409 when another HR saved meanwhile); a refusal names the field, writes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from promotions.models import PathStep, StepRequirement
from promotions.selectors.pool import pool_rule
from promotions.services import training
from tests.api_errors import errors_by_field
from tests.promotions.conftest import course

REQUIREMENT = {"valid_from": "2017-06-01", "months_in_position": 9, "rating": 4, "rated_by": "manager",
               "training_hours": "16", "exam_score": "80"}


def as_(client, who):
    client.force_login(who.user)
    return client


def send(client, method, url, body=None):
    return getattr(client, method)(url, body or {}, content_type="application/json")


@pytest.mark.parametrize(("role", "reads"), [("director", 200), ("general_manager", 200), ("hr", 200),
                                             ("manager_a", 403), ("rep_a", 403)])
def test_the_paths_and_the_pool_rule_are_read_as_the_pages_allow(client, org, steps, role, reads):
    as_(client, org.by_role(role))
    assert client.get(reverse("promotion-path-list")).status_code == reads
    assert client.get(reverse("promotion-pool-rule")).status_code == reads


@pytest.mark.parametrize("role", ["director", "general_manager", "manager_a", "rep_a"])
def test_only_hr_changes_the_paths_and_the_pool_rule(client, org, positions, steps, unchanged, role):
    as_(client, org.by_role(role))
    with unchanged():
        assert send(client, "post", reverse("promotion-path-step-add"), {
            "from_position": positions["rep"].pk, "to_position": positions["manager"].pk}).status_code == 403
        assert send(client, "post", reverse("promotion-requirement-add", args=[steps["senior_rep"].pk]),
                    REQUIREMENT).status_code == 403
        assert send(client, "put", reverse("promotion-pool-rule"), {
            "excellent_in": 1, "cycles": 2, "version": ""}).status_code == 403


def test_anonymous_is_401(client, db):
    assert client.get(reverse("promotion-path-list")).status_code == 401
    assert client.get(reverse("promotion-pool-rule")).status_code == 401


def test_hr_reads_each_step_with_its_requirement_in_force(client, org, steps):
    as_(client, org.hr)
    shown = {s["id"]: s for ladder in client.get(reverse("promotion-path-list")).json() for s in ladder["steps"]}
    assert shown[steps["senior_rep"].pk]["in_force"]["months_in_position"] == 6
    assert shown[steps["manager"].pk]["in_force"]["rated_by"] == "director"


def test_hr_adds_a_step_and_a_requirement_and_the_paths_show_them(client, org, positions, steps):
    as_(client, org.hr)
    added = send(client, "post", reverse("promotion-path-step-add"), {
        "from_position": positions["rep"].pk, "to_position": positions["manager"].pk})
    assert added.status_code == 201, added.json()
    step = PathStep.objects.get(from_position=positions["rep"], to_position=positions["manager"])
    assert added.json()["id"] == step.pk and added.json()["in_force"] is None
    response = send(client, "post", reverse("promotion-requirement-add", args=[step.pk]),
                    {**REQUIREMENT, "valid_from": "2017-01-01"})
    assert response.status_code == 201, response.json()
    assert response.json()["in_force"]["months_in_position"] == 9
    row = StepRequirement.objects.get(step=step)
    assert (row.valid_from, row.exam_score, row.changed_by) == (date(2017, 1, 1), 80, org.hr.user)
    assert "销售经理" in client.get(reverse("promotions:paths")).content.decode()


@pytest.mark.parametrize(("change", "field"), [
    ({"months_in_position": 121}, "months_in_position"),
    ({"rating": 9}, "rating"),
    ({"exam_score": "101"}, "exam_score"),
    ({"valid_from": "2017-01-01"}, "valid_from"),  # the seed's row already takes effect that day
    ({"rated_by": "nobody"}, "rated_by"),
])
def test_a_requirement_refused_is_400_naming_the_field_and_adds_nothing(client, org, steps, unchanged, change,
                                                                        field):
    as_(client, org.hr)
    with unchanged():
        response = send(client, "post", reverse("promotion-requirement-add", args=[steps["senior_rep"].pk]),
                        {**REQUIREMENT, **change})
    assert response.status_code == 400 and field in errors_by_field(response), response.json()


def test_a_step_to_the_same_position_is_400_and_an_unknown_step_404(client, org, positions, steps, unchanged):
    as_(client, org.hr)
    with unchanged():
        same = send(client, "post", reverse("promotion-path-step-add"), {
            "from_position": positions["rep"].pk, "to_position": positions["rep"].pk})
        missing = send(client, "post", reverse("promotion-requirement-add", args=[2**31 - 1]), REQUIREMENT)
    assert same.status_code == 400 and "to_position" in errors_by_field(same)
    assert missing.status_code == 404


def test_hr_sets_the_pool_rule_with_the_version_read_and_a_stale_one_is_409(client, org, unchanged):
    url = reverse("promotion-pool-rule")
    as_(client, org.hr)
    read = client.get(url).json()
    assert (read["excellent_in"], read["cycles"], read["version"]) == (2, 3, "")
    saved = send(client, "put", url, {"excellent_in": 1, "cycles": 2, "version": read["version"]})
    assert saved.status_code == 200, saved.json()
    assert (pool_rule().excellent_in, pool_rule().cycles) == (1, 2) and saved.json()["version"]
    with unchanged():
        stale = send(client, "put", url, {"excellent_in": 3, "cycles": 3, "version": read["version"]})
        impossible = send(client, "put", url, {"excellent_in": 4, "cycles": 3, "version": saved.json()["version"]})
    assert stale.status_code == 409 and "version" in errors_by_field(stale)
    assert impossible.status_code == 400 and "excellent_in" in errors_by_field(impossible)


@pytest.fixture
def session(org):
    return training.session_add(course=course("closing"), title="逼单技巧", held_on=date(2017, 3, 6), hours="6",
                                has_exam=True, by=org.hr.user)


@pytest.mark.parametrize("role", ["director", "general_manager", "manager_a", "rep_a"])
def test_only_hr_keeps_the_training_records(client, org, session, unchanged, role):
    as_(client, org.by_role(role))
    assert client.get(reverse("training-session-list")).status_code == 403
    assert client.get(reverse("training-session-detail", args=[session.pk])).status_code == 403
    with unchanged():
        assert send(client, "post", reverse("training-attendance-add", args=[session.pk]), {
            "rows": [{"employee": org.rep_a.pk, "exam_score": "90"}]}).status_code == 403
        assert send(client, "post", reverse("training-session-list"), {
            "course": "closing", "title": "再来", "held_on": "2017-03-07", "hours": "2"}).status_code == 403


def test_hr_records_a_session_and_its_attendance_and_the_session_page_shows_it(client, org, session):
    as_(client, org.hr)
    added = send(client, "post", reverse("training-session-list"), {
        "course": "culture", "title": "企业文化", "held_on": "2017-04-03", "hours": "1.5"})
    assert added.status_code == 201, added.json()
    assert (added.json()["course"]["code"], added.json()["hours"], added.json()["attendance"]) == (
        "culture", "1.5", [])
    response = send(client, "post", reverse("training-attendance-add", args=[session.pk]), {
        "rows": [{"employee": org.rep_a.pk, "exam_score": "88"}, {"employee": org.mover.pk}]})
    assert response.status_code == 201, response.json()
    lines = {a["employee"]["id"]: a for a in response.json()["attendance"]}
    assert (lines[org.rep_a.pk]["exam_score"], lines[org.rep_a.pk]["course_hours"]) == ("88.0", "6.0")
    listed = {s["title"]: s for s in client.get(reverse("training-session-list")).json()["results"]}
    assert (listed["逼单技巧"]["attendees"], listed["企业文化"]["attendees"]) == (2, 0)
    assert client.get(reverse("training-session-list"), {"course": "culture"}).json()["count"] == 1
    assert org.rep_a.name in client.get(reverse("promotions:training_session", args=[session.pk])).content.decode()


def test_a_refused_row_is_400_naming_it_and_no_row_is_written(client, org, session, unchanged):
    as_(client, org.hr)
    with unchanged():
        response = send(client, "post", reverse("training-attendance-add", args=[session.pk]), {
            "rows": [{"employee": org.rep_a.pk, "exam_score": "88"}, {"employee": org.mover.pk, "exam_score": "101"},
                     {"employee": org.rep_a.pk}]})
        unknown = send(client, "post", reverse("training-attendance-add", args=[session.pk]), {
            "rows": [{"employee": 2**31 - 1}]})
        hours = send(client, "post", reverse("training-session-list"), {
            "course": "culture", "title": "企业文化", "held_on": "2017-04-03", "hours": "30"})
        missing = send(client, "post", reverse("training-attendance-add", args=[2**31 - 1]), {
            "rows": [{"employee": org.rep_a.pk}]})
    assert response.status_code == 400 and set(errors_by_field(response)) == {"rows[1].exam_score",
                                                                               "rows[2].employee"}
    assert unknown.status_code == 400 and "rows[0].employee" in errors_by_field(unknown)
    assert hours.status_code == 400 and "hours" in errors_by_field(hours)
    assert missing.status_code == 404
