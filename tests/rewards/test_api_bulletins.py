"""The bulletins' endpoints by role: a team's week for all of sales and its manager (another team's 404, a rep 403),
its manager writes it at the version read while the month is open (stale: 409 with the current version; closed:
400 naming the week), the director's week and replies, the manager's annotations, a rep's own line; nothing
written on a refusal; queries that do not grow with the teams, comments and lines."""

from datetime import date

import pytest

from kpis import services as figure_services
from rewards.models import Bulletin, BulletinComment, RepWeekLine
from rewards.services.bulletins import bulletin_reply, bulletin_save, rep_week_line_save
from tests import factories
from tests.api_errors import errors_by_field

TODAY = date(2017, 10, 27)
OCT_16 = date(2017, 10, 16)


@pytest.fixture(autouse=True)
def today(settings):
    settings.AS_OF_DATE = TODAY


def team_url(team, week=OCT_16) -> str:
    return f"/api/v1/bulletins/teams/{team.pk}/{week.isoformat()}/"


def call(client, who, method: str, url: str, body: dict | None = None):
    client.force_login(who.user)
    return getattr(client, method)(url, body, content_type="application/json", headers={"Accept-Language": "en"})


def write(org, **texts) -> Bulletin:
    return bulletin_save(team=org.team_a, week=OCT_16, by=org.manager_a.user, **(texts or {"hard": "新客户少"}))


@pytest.mark.parametrize(("role", "status"), [("director", 200), ("general_manager", 200), ("hr", 200),
                                              ("manager_a", 200), ("manager_b", 404), ("rep_a", 403)])
def test_a_teams_week_is_for_all_of_sales_and_its_manager(client, org, draft_plan, role, status):
    write(org)
    assert call(client, org.by_role(role), "get", team_url(org.team_a)).status_code == status


def test_the_manager_writes_and_rewrites_at_the_version_read(client, org, draft_plan):
    first = call(client, org.manager_a, "put", team_url(org.team_a), {"went_well": "签了三单"})
    assert first.status_code == 200, first.content
    assert (first.json()["bulletin"]["went_well"], first.json()["bulletin"]["version"]) == ("签了三单", 1)
    again = call(client, org.manager_a, "put", team_url(org.team_a), {"went_well": "签了五单", "version": 1})
    assert again.json()["bulletin"]["version"] == 2 and again.json()["locked"] is False


def test_a_stale_version_is_409_with_the_current_one_and_changes_nothing(client, org, draft_plan, unchanged):
    write(org)
    write(org, hard="更难了", version=1)
    with unchanged():
        response = call(client, org.manager_a, "put", team_url(org.team_a), {"hard": "我的版本", "version": 1})
    assert response.status_code == 409
    assert response.json()["current_version"] == 2 and "version" in errors_by_field(response)


@pytest.mark.parametrize(("who", "status"), [("director", 403), ("hr", 403), ("manager_b", 404), ("rep_a", 403)])
def test_only_the_teams_manager_writes_it(client, org, draft_plan, unchanged, who, status):
    with unchanged():
        assert call(client, org.by_role(who), "put", team_url(org.team_a), {"hard": "难"}).status_code == status


@pytest.mark.parametrize(("body", "field"), [({}, "went_well"), ({"hard": "x" * 3001}, "hard"),
                                              ({"hard": "难", "version": "v"}, "version")])
def test_a_refused_bulletin_names_its_field_and_writes_nothing(client, org, draft_plan, unchanged, body, field):
    with unchanged():
        response = call(client, org.manager_a, "put", team_url(org.team_a), body)
    assert response.status_code == 400 and field in errors_by_field(response)


def test_a_closed_months_bulletin_is_annotated_not_rewritten(client, org, draft_plan, unchanged):
    bulletin = write(org)
    figure_services.month_close(month=date(2017, 10, 1), by=org.director.user)
    with unchanged():
        refused = call(client, org.manager_a, "put", team_url(org.team_a), {"hard": "改", "version": 1})
    assert refused.status_code == 400 and "week" in errors_by_field(refused)
    note = call(client, org.manager_a, "post", f"/api/v1/bulletins/{bulletin.pk}/annotations/", {"text": "补充"})
    assert note.status_code == 201 and note.json()["kind"] == "annotation"
    body = call(client, org.director, "get", team_url(org.team_a)).json()
    assert body["locked"] is True and [c["text"] for c in body["bulletin"]["comments"]] == ["补充"]


def test_the_director_replies_and_others_may_not(client, org, draft_plan, unchanged):
    bulletin = write(org)
    url = f"/api/v1/bulletins/{bulletin.pk}/replies/"
    reply = call(client, org.director, "post", url, {"text": "收到，周五开会"})
    assert reply.status_code == 201 and reply.json()["by"] == org.director.name
    with unchanged():
        assert call(client, org.general_manager, "post", url, {"text": "我也说"}).status_code == 403
        assert call(client, org.manager_a, "post", url, {"text": "我也说"}).status_code == 403
        assert call(client, org.manager_b, "post", url, {"text": "我也说"}).status_code == 404
        assert call(client, org.director, "post", url, {"text": " "}).status_code == 400
        assert call(client, org.director, "post", "/api/v1/bulletins/2147483647/replies/", {"text": "好"}).status_code \
            == 404
        assert call(client, org.manager_b, "post", f"/api/v1/bulletins/{bulletin.pk}/annotations/",
                    {"text": "别队"}).status_code == 404
    assert BulletinComment.objects.count() == 1


def test_the_directors_week_lists_the_teams_without_a_bulletin_first(client, org, draft_plan):
    write(org)
    body = call(client, org.director, "get", f"/api/v1/bulletins/weeks/{OCT_16.isoformat()}/").json()
    assert [(r["team"]["name"], r["missing"]) for r in body["rows"]] == [("猛虎队", True), ("先锋队", False)]
    for who in (org.manager_a, org.rep_a):
        assert call(client, who, "get", f"/api/v1/bulletins/weeks/{OCT_16.isoformat()}/").status_code == 403


def test_a_put_may_send_the_bulletins_etag_as_if_match(client, org, draft_plan, unchanged):
    write(org)
    client.force_login(org.manager_a.user)
    tag = client.get(team_url(org.team_a))["ETag"]
    assert tag == '"1"'
    again = client.put(team_url(org.team_a), {"hard": "更难了"}, content_type="application/json",
                       headers={"If-Match": tag})
    assert again.status_code == 200 and again["ETag"] == '"2"', again.content
    with unchanged():
        stale = client.put(team_url(org.team_a), {"hard": "我的版本"}, content_type="application/json",
                           headers={"If-Match": tag})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2 and "version" in errors_by_field(stale)


@pytest.mark.parametrize("url", ["/api/v1/bulletins/weeks/2017-10-17/", "/api/v1/bulletins/weeks/next/"])
def test_a_week_that_is_not_a_monday_is_404(client, org, url):
    assert call(client, org.director, "get", url).status_code == 404


def test_a_rep_writes_their_own_line_and_their_manager_sees_it(client, org, draft_plan, unchanged):
    url = f"/api/v1/bulletins/mine/{OCT_16.isoformat()}/"
    assert call(client, org.rep_a, "get", url).json() == {"week": OCT_16.isoformat(), "line": None}
    made = call(client, org.rep_a, "put", url, {"text": "客户跟进中"})
    assert made.status_code == 200 and made.json()["line"]["version"] == 1
    with unchanged():
        stale = call(client, org.rep_a, "put", url, {"text": "改了", "version": None})
        assert stale.status_code == 409 and stale.json()["current_version"] == 1
        assert call(client, org.rep_a, "put", url, {"text": "", "version": 1}).status_code == 400
        assert call(client, org.manager_a, "put", url, {"text": "代写"}).status_code == 403
    lines = call(client, org.manager_a, "get", team_url(org.team_a)).json()["lines"]
    assert [(line["employee"]["name"], line["text"]) for line in lines] == [("甲队员", "客户跟进中")]
    assert RepWeekLine.objects.count() == 1


@pytest.mark.parametrize("size", [1, 6])
def test_the_weeks_read_a_fixed_number_of_queries(client, org, draft_plan, django_assert_num_queries, size):
    for n in range(size):
        team = factories.TeamFactory(name=f"新队{n}")
        manager = factories.manager_of(team)
        factories.employee(team=team)
        bulletin = bulletin_save(team=team, week=OCT_16, hard="难", by=manager.user)
        bulletin_reply(bulletin_id=bulletin.pk, text="回复", by=org.director.user)
        factories.employee(team=org.team_a)
    own = write(org)
    for _ in range(size):
        bulletin_reply(bulletin_id=own.pk, text="回复", by=org.director.user)
    for member in org.team_a.memberships.filter(ends_on__isnull=True).select_related("employee"):
        rep_week_line_save(employee=member.employee, week=OCT_16, text="一句", by=member.employee.user)
    client.force_login(org.director.user)
    # session, user, principal; the teams of the week, their bulletins, the bulletins' comments, the month's close
    with django_assert_num_queries(7):
        client.get(f"/api/v1/bulletins/weeks/{OCT_16.isoformat()}/")
    client.force_login(org.manager_a.user)
    # session, user, principal; the team; its bulletin, the comments, the lines (with the reps), the week's figures
    # and targets summed, the month's close
    with django_assert_num_queries(10):
        client.get(team_url(org.team_a))
