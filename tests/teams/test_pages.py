"""Every organisation page and endpoint, for every role: allowed, refused (403), hidden (404) or log-in."""

import pytest
from django.urls import reverse

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]


def url_of(org, name: str) -> str:
    return {
        "organisation": reverse("teams:organisation"),
        "people": reverse("teams:people"),
        "team_a": reverse("teams:team", args=[org.team_a.pk]),
        "rep_a": reverse("teams:employee", args=[org.rep_a.pk]),
        "leaver": reverse("teams:employee", args=[org.leaver.pk]),
        "me": reverse("teams:me"),
        "api_teams": "/api/v1/teams/",
        "api_employees": "/api/v1/employees/",
        "api_rep_a": f"/api/v1/employees/{org.rep_a.pk}/",
    }[name]


# page -> expected status for each role, in the order of ROLES
MATRIX = {
    "organisation": [200, 200, 200, 200, 200, 403],
    "people": [200, 200, 200, 200, 200, 403],
    "team_a": [200, 200, 200, 200, 404, 403],
    "rep_a": [200, 200, 200, 200, 404, 200],
    "leaver": [200, 200, 200, 200, 404, 404],
    "me": [200, 200, 200, 200, 200, 200],
    "api_teams": [200, 200, 200, 200, 200, 200],
    "api_employees": [200, 200, 200, 200, 200, 200],
    "api_rep_a": [200, 200, 200, 200, 404, 200],
}
CASES = [(page, role, status) for page, row in MATRIX.items() for role, status in zip(ROLES, row, strict=True)]


@pytest.mark.parametrize(("page", "role", "status"), CASES)
def test_permission_matrix(client, org, page, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(url_of(org, page)).status_code == status


@pytest.mark.parametrize("page", [p for p in MATRIX if not p.startswith("api")])
def test_anonymous_is_sent_to_log_in(client, org, page):
    response = client.get(url_of(org, page))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("page", [p for p in MATRIX if p.startswith("api")])
def test_anonymous_api_call_is_refused(client, org, page):
    assert client.get(url_of(org, page)).status_code == 401


def test_manager_api_lists_only_own_team_and_self(client, org):
    client.force_login(org.manager_a.user)
    names = {row["name"] for row in client.get("/api/v1/employees/").json()["results"]}
    assert names == {org.manager_a.name, org.rep_a.name, org.mover.name, org.leaver.name}
    assert [t["name"] for t in client.get("/api/v1/teams/").json()["results"]] == ["先锋队"]


def test_rep_api_lists_only_self(client, org):
    client.force_login(org.rep_a.user)
    assert [row["name"] for row in client.get("/api/v1/employees/").json()["results"]] == ["甲队员"]


def test_organisation_page_lists_todays_members_only(client, org):
    client.force_login(org.director.user)
    page = client.get(reverse("teams:organisation")).content.decode()
    assert "甲队员" in page and "调动者" in page and "离职者" not in page


def test_team_page_separates_former_members(client, org):
    client.force_login(org.manager_a.user)
    response = client.get(reverse("teams:team", args=[org.team_a.pk]))
    current = {m.employee for m in response.context["current"]}
    former = {m.employee for m in response.context["former"]}
    assert current == {org.rep_a} and former == {org.mover, org.leaver}


def test_people_page_searches_and_shows_team_and_position(client, org):
    client.force_login(org.hr.user)
    response = client.get(reverse("teams:people"), {"q": "队员"})
    rows = list(response.context["page"].object_list)
    assert {r.name for r in rows} == {"甲队员", "乙队员"}
    assert {(r.name, r.team_name, r.position_name) for r in rows} == {("甲队员", "先锋队", "销售代表"),
                                                                      ("乙队员", "猛虎队", "销售代表")}


def test_people_page_sorts_by_name_descending(client, org):
    client.force_login(org.director.user)
    rows = list(client.get(reverse("teams:people"), {"sort": "-name"}).context["page"].object_list)
    assert [r.name for r in rows] == sorted((r.name for r in rows), reverse=True)


def test_people_page_query_count_does_not_grow_with_people(client, org, django_assert_num_queries):
    from tests import factories

    client.force_login(org.director.user)
    # session, user, the principal (employee, managed teams: the header's links and name come from it); the
    # page reads: teams for the filter, the count, the rows; the header's unread notices.
    with django_assert_num_queries(7) as small:
        client.get(reverse("teams:people"))
    for _ in range(15):
        factories.employee(team=org.team_a)
    with django_assert_num_queries(len(small.captured_queries)):
        client.get(reverse("teams:people"))


def test_people_list_for_htmx_is_the_list_alone_with_the_same_rows_as_the_page(client, org):
    client.force_login(org.director.user)
    filters = {"q": "队员", "sort": "-name"}
    page = client.get(reverse("teams:people"), filters)
    fragment = client.get(reverse("teams:people"), filters, headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'id="people-filters"' not in html and 'id="people-list"' not in html
    assert '<input type="hidden" name="sort" value="-name" form="people-filters">' in html
    assert "<html" in page.content.decode() and 'id="people-list"' in page.content.decode()
    rows = [e.name for e in fragment.context["page"].object_list]
    assert rows == [e.name for e in page.context["page"].object_list]
    assert sorted(rows) == sorted(["甲队员", "乙队员"])
    assert all(name in html for name in rows)
    assert "HX-Request" in fragment["Vary"] and "HX-Request" in page["Vary"]


def test_people_filters_work_as_a_plain_get_form_without_javascript(client, org):
    client.force_login(org.director.user)
    html = client.get(reverse("teams:people"), {"sort": "name"}).content.decode()
    assert '<form method="get" class="filters" id="people-filters"' in html
    # The sort input sits in the list, outside the form, and still belongs to it.
    assert '<input type="hidden" name="sort" value="name" form="people-filters">' in html
    assert 'href="?sort=-name"' in html


def test_language_switch_shows_english(client, org):
    client.force_login(org.director.user)
    assert "组织架构" in client.get(reverse("teams:organisation")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Organisation" in client.get(reverse("teams:organisation")).content.decode()


# --- a former manager sees a moved rep as they were in the team, nothing after --------------------------------

@pytest.fixture
def promoted_mover(org):
    """The mover (team A until 2017-05-31, team B from 2017-06-01), promoted in team B on 2017-07-01."""
    from datetime import date

    from teams import services
    from tests import factories

    senior = factories.PositionFactory(code="senior", name="高级销售代表", level=20)
    grade = factories.SalaryGradeFactory(code="G4", name="四级", level=4, monthly_base=7000)
    services.appointment_record(employee=org.mover, position=senior, salary_grade=grade,
                                effective_from=date(2017, 7, 1), reason="调入后晋升")
    return org.mover


def test_a_former_manager_sees_the_moved_reps_page_for_their_own_period_only(client, org, promoted_mover):
    client.force_login(org.manager_a.user)
    response = client.get(reverse("teams:employee", args=[promoted_mover.pk]))
    record, html = response.context["record"], response.content.decode()
    assert [m.team for m in record.memberships] == [org.team_a]
    assert org.team_b.name not in html
    assert all(a.effective_from < org.team_a.memberships.get(employee=promoted_mover).ends_on
               for a in record.appointments)
    assert "高级销售代表" not in html and "调入后晋升" not in html
    assert record.current.position.code == "rep"


def test_the_new_manager_sees_the_moved_reps_current_team_and_grade(client, org, promoted_mover):
    client.force_login(org.manager_b.user)
    response = client.get(reverse("teams:employee", args=[promoted_mover.pk]))
    record = response.context["record"]
    assert [m.team for m in record.memberships] == [org.team_b]
    assert record.current.position.code == "senior" and "调入后晋升" in response.content.decode()


def test_a_former_manager_sees_the_moved_rep_in_the_people_list_as_in_their_team(client, org, promoted_mover):
    client.force_login(org.manager_a.user)
    rows = {e.pk: e for e in client.get(reverse("teams:people")).context["page"].object_list}
    mover = rows[promoted_mover.pk]
    assert (mover.team_name, mover.position_name, mover.grade_code) == (org.team_a.name, "销售代表", "G1")
    client.force_login(org.director.user)
    rows = {e.pk: e for e in client.get(reverse("teams:people")).context["page"].object_list}
    assert (rows[promoted_mover.pk].team_name, rows[promoted_mover.pk].grade_code) == (org.team_b.name, "G4")
