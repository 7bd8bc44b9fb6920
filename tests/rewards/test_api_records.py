"""The register's endpoints by role: who sees which records (a rep their own final ones, a manager their team's,
guessed ids 404), the register page's filters, proposing, each act with its version (stale: 409 with the current
version), bad input 400 naming the field, nothing written on a refusal, and a list whose queries do not grow."""

from datetime import date

import pytest

from rewards.models import Record
from tests.api_errors import errors_by_field
from tests.rewards.conftest import SEPTEMBER, act, propose, reach

LIST = "/api/v1/reward-records/"


def call(client, who, method: str, url: str, body: dict | None = None):
    """Call as `who` (an Employee), reading messages in English."""
    client.force_login(who.user)
    return getattr(client, method)(url, body, content_type="application/json", headers={"Accept-Language": "en"})


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [r["id"] for r in response.json()["results"]]


def act_url(record) -> str:
    return f"/api/v1/reward-records/{record.pk}/act/"


# --- who sees what ----------------------------------------------------------------------------------------------

def test_a_rep_sees_only_their_own_records_once_approved(client, org):
    proposed, approved = propose(org), reach(org, "approved")
    theirs = reach(org, "approved")
    Record.objects.filter(pk=theirs.pk).update(employee=org.rep_b)
    assert ids(call(client, org.rep_a, "get", LIST)) == [approved.pk]
    assert call(client, org.rep_a, "get", f"{LIST}{proposed.pk}/").status_code == 404  # a proposal stays internal
    assert call(client, org.rep_a, "get", f"{LIST}{theirs.pk}/").status_code == 404  # another rep's: a guessed id
    assert call(client, org.rep_a, "get", f"{LIST}{approved.pk}/").json()["record"]["id"] == approved.pk


def test_a_manager_sees_their_teams_records_and_a_guessed_id_of_another_team_is_404(client, org):
    mine = propose(org)
    theirs = propose(org, org.director, employee=org.rep_b)
    assert ids(call(client, org.manager_a, "get", LIST)) == [mine.pk]
    assert ids(call(client, org.manager_b, "get", LIST)) == [theirs.pk]
    for url in (f"{LIST}{mine.pk}/", f"{LIST}{2**31 - 1}/", f"{LIST}{2**40}/"):
        assert call(client, org.manager_b, "get", url).status_code == 404


@pytest.mark.parametrize("role", ["director", "general_manager", "hr"])
def test_all_of_sales_sees_every_record(client, org, role):
    records = {propose(org).pk, propose(org, org.director, employee=org.rep_b).pk}
    assert set(ids(call(client, org.by_role(role), "get", LIST))) == records


def test_the_filters_narrow_the_list_as_the_register_page(client, org, draft_plan):
    september = propose(org, period="month", first_month=SEPTEMBER)
    notice = propose(org, method="notice", amount=None, kind="penalty", reason="迟到")
    team = propose(org, org.director, team=org.team_b, method="notice", amount=None)
    hr = org.hr
    assert ids(call(client, hr, "get", f"{LIST}?kind=penalty")) == [notice.pk]
    assert ids(call(client, hr, "get", f"{LIST}?method=cash")) == [september.pk]
    assert ids(call(client, hr, "get", f"{LIST}?month=2017-09-01&period=month")) == [september.pk]
    assert ids(call(client, hr, "get", f"{LIST}?team={org.team_b.pk}")) == [team.pk]
    assert set(ids(call(client, hr, "get", f"{LIST}?team={org.team_a.pk}"))) == {september.pk, notice.pk}
    assert ids(call(client, hr, "get", f"{LIST}?employee={org.rep_a.pk}&sort=oldest")) == [september.pk, notice.pk]
    assert ids(call(client, hr, "get", f"{LIST}?state=approved")) == []


def test_what_waits_for_the_director_comes_first_and_says_so(client, org):
    approved, waiting = reach(org, "approved"), propose(org)
    rows = call(client, org.director, "get", LIST).json()["results"]
    assert [(r["id"], r["waiting_for_me"]) for r in rows] == [(waiting.pk, True), (approved.pk, False)]
    assert ids(call(client, org.director, "get", f"{LIST}?waiting=true")) == [waiting.pk]


@pytest.mark.parametrize(("query", "status", "field"), [
    ("kind=bonus", 400, "kind"), ("month=September", 400, "month"), ("sort=best", 400, "sort"),
    ("team=abc", 400, "team"), ("team={team_b}", 404, None), ("employee={rep_b}", 404, None),
])
def test_a_bad_or_foreign_filter_is_refused(client, org, query, status, field):
    response = call(client, org.manager_a, "get",
                    f"{LIST}?" + query.format(team_b=org.team_b.pk, rep_b=org.rep_b.pk))
    assert response.status_code == status
    if field:
        assert field in errors_by_field(response)


def test_a_record_shows_its_history_and_the_acts_open_to_the_reader(client, org):
    record = propose(org)
    body = call(client, org.director, "get", f"{LIST}{record.pk}/").json()
    assert body["record"] | {"proposed_at": None} == {
        "id": record.pk, "employee": {"id": org.rep_a.pk, "name": "甲队员"}, "team": None, "kind": "reward",
        "method": "cash", "amount": 1000, "reason": "月度冠军", "period": "none", "first_month": None,
        "state": "proposed", "version": 1, "rule": None, "proposed_by": org.manager_a.name, "proposed_at": None,
        "approved_by": None, "hr_approved_by": None, "published_at": None, "needs_review": False, "review_note": "",
        "waiting_for_me": False}
    assert body["acts"] == ["approve", "reject", "withdraw"]
    assert [(s["action"], s["from_state"], s["to_state"], s["by"]) for s in body["history"]] == [
        ("propose", "proposed", "proposed", org.manager_a.name)]
    assert call(client, org.manager_a, "get", f"{LIST}{record.pk}/").json()["acts"] == ["withdraw"]


@pytest.mark.parametrize("records", [3, 30])
def test_the_list_reads_the_same_queries_however_many_records(client, org, records, django_assert_num_queries):
    for n in range(records):
        propose(org, amount=100 + n)
    client.force_login(org.director.user)
    # session, user, the principal; the page's count, its rows (joined: employee, team, rule, proposer, approvers)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert response.json()["count"] == records


# --- proposing --------------------------------------------------------------------------------------------------

def test_a_manager_proposes_for_their_team_and_gets_the_new_record(client, org):
    response = call(client, org.manager_a, "post", LIST, {"employee": org.rep_a.pk, "kind": "reward",
                                                          "method": "cash", "amount": 800, "reason": "开户最多"})
    assert response.status_code == 201, response.content
    record = Record.objects.get()
    assert response.json()["record"]["id"] == record.pk and record.amount == 800
    assert record.proposed_by == org.manager_a.user and record.state == "proposed"


@pytest.mark.parametrize("role", ["general_manager", "rep_a"])
def test_a_role_that_proposes_nothing_is_refused_403(client, org, unchanged, role):
    with unchanged():
        response = call(client, org.by_role(role), "post", LIST, {"employee": org.rep_a.pk, "kind": "reward",
                                                                  "method": "notice", "reason": "好"})
    assert response.status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"method": "cash", "reason": "好"}, "amount"),                          # cash without its amount
    ({"method": "notice", "amount": 5, "reason": "好"}, "amount"),          # an amount on a notice
    ({"method": "cash", "amount": 10**7, "reason": "好"}, "amount"),        # above the ceiling
    ({"method": "notice", "reason": "  "}, "reason"),
    ({"method": "bonus", "reason": "好"}, "method"),
    ({"method": "notice", "reason": "好", "period": "month"}, "first_month"),
    ({"method": "notice", "reason": "好", "team": 1}, "employee"),           # both an employee and a team
    ({"method": "notice", "reason": "好", "employee": "rep_b"}, "employee"),  # another team's rep: not theirs
    ({"method": "notice", "reason": "好", "employee": 2**31 - 1}, "employee"),
])
def test_a_refused_proposal_names_its_field_and_writes_nothing(client, org, draft_plan, unchanged, body, field):
    body = {"employee": org.rep_a.pk, "kind": "reward", **body}
    if body["employee"] == "rep_b":
        body["employee"] = org.rep_b.pk
    with unchanged():
        response = call(client, org.manager_a, "post", LIST, body)
    assert response.status_code == 400
    assert field in errors_by_field(response), response.json()


# --- acts -------------------------------------------------------------------------------------------------------

def test_the_director_approves_and_hr_publishes_at_the_version_they_read(client, org):
    record = propose(org)
    approved = call(client, org.director, "post", act_url(record), {"action": "approve", "version": 1})
    assert approved.status_code == 200, approved.content
    row = approved.json()["record"]
    assert (row["state"], row["version"], row["approved_by"]) == ("approved", 2, org.director.name)
    published = call(client, org.hr, "post", act_url(record), {"action": "publish", "version": 2})
    assert published.json()["record"]["state"] == "published" and published.json()["notice"] is not None


def test_a_stale_version_is_409_with_the_current_version_and_changes_nothing(client, org, unchanged):
    record = propose(org)
    act("approve", record, org.director)
    with unchanged():
        response = call(client, org.hr, "post", act_url(record), {"action": "publish", "version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and "version" in errors_by_field(response)


def test_an_act_may_send_the_records_etag_as_if_match_instead_of_its_version(client, org, unchanged):
    record = propose(org)
    client.force_login(org.director.user)
    tag = client.get(f"{LIST}{record.pk}/")["ETag"]
    assert tag == '"1"'
    approved = client.post(act_url(record), {"action": "approve"}, content_type="application/json",
                           headers={"If-Match": tag})
    assert approved.status_code == 200 and approved["ETag"] == '"2"', approved.content
    client.force_login(org.hr.user)
    with unchanged():
        stale = client.post(act_url(record), {"action": "publish"}, content_type="application/json",
                            headers={"If-Match": tag})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert list(errors_by_field(stale)) == ["version"]


@pytest.mark.parametrize(("who", "action", "status"), [
    ("general_manager", "approve", 403),  # sees the register, never approves a manager's proposal
    ("manager_a", "approve", 403),        # its proposer: someone else approves it
    ("hr", "approve", 403),
    ("manager_b", "approve", 404),        # another team's record: not there
    ("rep_a", "withdraw", 404),           # a proposal about them is not theirs to see
    ("rep_b", "approve", 404),
])
def test_an_act_the_role_never_makes_is_403_and_outside_the_scope_404(client, org, unchanged, who, action, status):
    record = propose(org)
    with unchanged():
        response = call(client, org.by_role(who), "post", act_url(record), {"action": action, "version": 1})
    assert response.status_code == status


def test_a_rep_may_read_their_published_record_but_not_revoke_it(client, org, unchanged):
    record = reach(org, "published")
    with unchanged():
        response = call(client, org.rep_a, "post", act_url(record), {"action": "revoke", "version": record.version,
                                                                     "reason": "不要"})
    assert response.status_code == 403


@pytest.mark.parametrize(("body", "field"), [
    ({"action": "reject", "version": 1}, "reason"),            # a rejection says why
    ({"action": "publish", "version": 1}, "state"),            # not approved yet
    ({"action": "promote", "version": 1}, "action"),
    ({"action": "approve"}, "version"),
    ({"action": "approve", "version": "one"}, "version"),
    ({"action": "reject", "version": 1, "reason": "x" * 2001}, "reason"),
])
def test_a_refused_act_names_its_field_and_writes_nothing(client, org, unchanged, body, field):
    record = propose(org)
    with unchanged():
        response = call(client, org.director, "post", act_url(record), body)
    assert response.status_code == 400
    assert field in errors_by_field(response), response.json()


def test_a_guessed_record_id_is_404_for_an_act(client, org, unchanged):
    with unchanged():
        assert call(client, org.director, "post", f"{LIST}{2**31 - 1}/act/",
                    {"action": "approve", "version": 1}).status_code == 404


def test_anonymous_calls_are_refused_401(client, org, unchanged):
    record = propose(org)
    with unchanged():
        assert client.get(LIST).status_code == 401
        assert client.post(act_url(record), {"action": "approve", "version": 1},
                           content_type="application/json").status_code == 401


def test_the_former_members_record_follows_the_dates_of_membership(client, org, draft_plan):
    march = propose(org, org.director, employee=org.mover, period="month", first_month=date(2017, 3, 1))
    september = propose(org, org.director, employee=org.mover, period="month", first_month=SEPTEMBER)
    assert ids(call(client, org.manager_a, "get", LIST)) == [march.pk]
    assert call(client, org.manager_a, "get", f"{LIST}{september.pk}/").status_code == 404
