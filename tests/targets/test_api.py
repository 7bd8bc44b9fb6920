"""Plan and target endpoints for every role: allowed, refused (403), hidden (404); scoping; 400 and 409."""

from datetime import date
from decimal import Decimal

import pytest

from targets import demo, services
from targets.models import PlanMonth, PlanYear, RepWeight, TeamWeight
from tests import factories
from tests.api_errors import errors_by_field

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
PHASES = [{"name": p.name, "month_count": p.month_count} for p in demo.PHASES_2017]


def month_url(plan: PlanYear, year: int, month: int, action: str) -> str:
    plan_month = plan.months.get(month=date(year, month, 1))
    return f"/api/v1/plans/{plan.pk}/months/{plan_month.pk}/{action}/"


def targets_2017(**changes: object) -> list[object]:
    """Return the 2017 month targets with some changed by index (m0 … m11)."""
    values: list[object] = list(demo.TARGETS_2017)
    for key, value in changes.items():
        values[int(key[1:])] = value
    return values


# --- the permission matrix ------------------------------------------------------------------


def read_url(org, plan: PlanYear, name: str) -> str:
    return {
        "plans": "/api/v1/plans/",
        "plan": f"/api/v1/plans/{plan.pk}/",
        "team_targets": f"/api/v1/team-targets/?plan={plan.pk}",
        "team_targets_of_a": f"/api/v1/team-targets/?plan={plan.pk}&team={org.team_a.pk}",
        "rep_targets": f"/api/v1/rep-targets/?plan={plan.pk}",
        "rep_targets_of_a": f"/api/v1/rep-targets/?plan={plan.pk}&team={org.team_a.pk}",
        "week_targets": f"/api/v1/week-targets/?plan={plan.pk}",
        "week_targets_of_rep_a": f"/api/v1/week-targets/?plan={plan.pk}&employee={org.rep_a.pk}",
    }[name]


# endpoint -> expected status for each role, in the order of ROLES
READS = {
    "plans": [200, 200, 200, 200, 200, 403],
    "plan": [200, 200, 200, 200, 200, 403],
    "team_targets": [200, 200, 200, 200, 200, 200],
    "team_targets_of_a": [200, 200, 200, 200, 404, 404],
    "rep_targets": [200, 200, 200, 200, 200, 200],
    "rep_targets_of_a": [200, 200, 200, 200, 404, 404],
    "week_targets": [200, 200, 200, 200, 200, 200],
    "week_targets_of_rep_a": [200, 200, 200, 200, 404, 200],
}


def write_call(org, plan: PlanYear, name: str) -> tuple[str, str, dict]:
    """Return (method, url, body) of a valid write; team and rep ids are team A's."""
    if name == "approve":
        draft = services.plan_create(name="2019年度计划", first_month=date(2019, 2, 1), phases=demo.PHASES_2017,
                                     month_targets=demo.TARGETS_2017, by=org.director.user)
        return "post", f"/api/v1/plans/{draft.pk}/approve/", {"version": draft.version}
    if name == "decide":  # a pending proposal of team A, so that deciding has something to decide
        services.proposal_submit(plan_month=plan.months.get(month=date(2017, 8, 1)), team=org.team_a,
                                 proposed_target=1_000_000, by=org.manager_a.user)
    return {
        "create": ("post", "/api/v1/plans/", {"name": "2019年度计划", "first_month": "2019-02-01", "phases": PHASES,
                                           "month_targets": demo.TARGETS_2017}),
        "update": ("put", f"/api/v1/plans/{plan.pk}/", {"version": plan.version, "phases": PHASES,
                                                     "month_targets": targets_2017(m7=1_600_000), "reason": "旺季"}),
        "team_weights": ("put", month_url(plan, 2017, 8, "team-weights"),
                         {"weights": {str(org.team_a.pk): "3", str(org.team_b.pk): "1"}}),
        "rep_weights": ("put", month_url(plan, 2017, 8, "rep-weights"),
                        {"team": org.team_a.pk, "weights": {str(org.rep_a.pk): "0.5"}}),
        "proposal": ("post", month_url(plan, 2017, 8, "proposals"), {"team": org.team_a.pk, "proposed_target": 1}),
        "decide": ("post", month_url(plan, 2017, 8, "proposals/decide"), {"accept": False}),
    }[name]


WRITES = {
    "create": [201, 403, 403, 403, 403, 403],
    "update": [200, 403, 403, 403, 403, 403],
    "approve": [200, 200, 403, 403, 403, 403],
    "team_weights": [200, 403, 403, 403, 403, 403],
    "rep_weights": [200, 403, 403, 200, 404, 403],
    "proposal": [201, 403, 403, 201, 404, 403],
    "decide": [200, 403, 403, 403, 403, 403],
}


def cases(matrix: dict[str, list[int]]) -> list[tuple[str, str, int]]:
    return [(name, role, code) for name, row in matrix.items() for role, code in zip(ROLES, row, strict=True)]


@pytest.mark.parametrize(("endpoint", "role", "status"), cases(READS))
def test_read_permission_matrix(client, org, plan, endpoint, role, status):
    client.force_login(org.by_role(role).user)
    assert client.get(read_url(org, plan, endpoint)).status_code == status


def written(org, name: str) -> object:
    """Return what the valid write of `write_call` leaves in the database, read back."""
    august = PlanMonth.objects.get(plan__name=demo.PLAN_2017, month=date(2017, 8, 1))
    return {
        "create": lambda: PlanYear.objects.get(name="2019年度计划").status,
        "update": lambda: PlanMonth.objects.get(plan__name=demo.PLAN_2017, month=date(2017, 9, 1)).deposit_target,
        "approve": lambda: PlanYear.objects.get(name="2019年度计划").status,
        "team_weights": lambda: august.team_weights.get(team=org.team_a).weight,
        "rep_weights": lambda: august.rep_weights.get(employee=org.rep_a).weight,
        "proposal": lambda: august.proposals.get(team=org.team_a).proposed_target,
        "decide": lambda: august.proposals.get(team=org.team_a).decision,
    }[name]()


WRITTEN = {"create": "draft", "update": 1_600_000, "approve": "approved", "team_weights": Decimal("3"),
           "rep_weights": Decimal("0.5"), "proposal": 1, "decide": "kept_top_down"}


@pytest.mark.parametrize(("endpoint", "role", "status"), cases(WRITES))
def test_write_permission_matrix(client, org, plan, unchanged, endpoint, role, status):
    method, url, body = write_call(org, plan, endpoint)
    client.force_login(org.by_role(role).user)
    with unchanged.unless(status < 400):
        response = getattr(client, method)(url, body, content_type="application/json")
    assert response.status_code == status, response.content
    if status < 400:
        assert written(org, endpoint) == WRITTEN[endpoint]


@pytest.mark.parametrize("endpoint", [*READS, *WRITES])
def test_anonymous_call_is_refused(client, org, plan, unchanged, endpoint):
    if endpoint in READS:
        assert client.get(read_url(org, plan, endpoint)).status_code == 401
    else:
        method, url, body = write_call(org, plan, endpoint)
        with unchanged():
            assert getattr(client, method)(url, body, content_type="application/json").status_code == 401


def test_refused_writes_change_nothing(client, org, plan, unchanged):
    client.force_login(org.manager_b.user)
    for endpoint in ["update", "team_weights", "rep_weights", "proposal", "decide"]:
        method, url, body = write_call(org, plan, endpoint)
        with unchanged():
            getattr(client, method)(url, body, content_type="application/json")
    plan.refresh_from_db()
    assert plan.version == 2
    assert not (TeamWeight.objects.exists() or RepWeight.objects.exists())


# --- what each role sees ------------------------------------------------------------------


def rows(client, url: str) -> list[dict]:
    response = client.get(url)
    assert response.status_code == 200
    return response.json()["results"]


def test_plan_shows_phases_months_and_the_year_total(client, org, plan):
    client.force_login(org.manager_a.user)
    body = client.get(f"/api/v1/plans/{plan.pk}/").json()
    assert (body["deposit_target"], body["status"], body["version"]) == (14_000_000, "approved", 2)
    assert [(p["name"], p["deposit_target"], len(p["months"])) for p in body["phases"]] == [
        ("第一阶段", 3_000_000, 3), ("第二阶段", 3_600_000, 3), ("第三阶段", 3_700_000, 3), ("第四阶段", 3_700_000, 3)]
    assert body["months"][7] | {"id": 0} == {"id": 0, "month": "2017-09-01", "phase": 3, "deposit_target": 1_500_000}
    assert [p["deposit_target"] for p in rows(client, "/api/v1/plans/")[0]["phases"]] == [
        3_000_000, 3_600_000, 3_700_000, 3_700_000]


def test_manager_sees_only_own_team_rows(client, org, plan):
    client.force_login(org.manager_a.user)
    assert {r["team_name"] for r in rows(client, f"/api/v1/team-targets/?plan={plan.pk}")} == {"先锋队"}
    reps = rows(client, f"/api/v1/rep-targets/?plan={plan.pk}")
    assert {r["team"] for r in reps} == {org.team_a.pk}
    assert {r["employee_name"] for r in reps} == {"甲队员", "调动者", "离职者"}
    # The mover's rows in team B are team B's business; their team-A months stay visible.
    assert [r["month"] for r in reps if r["employee"] == org.mover.pk][-1] == "2017-06-01"


def test_new_manager_sees_a_movers_new_team_rows_only(client, org, plan):
    client.force_login(org.manager_b.user)
    reps = rows(client, f"/api/v1/rep-targets/?plan={plan.pk}&team={org.team_b.pk}")
    assert [r["month"] for r in reps if r["employee"] == org.mover.pk][0] == "2017-06-01"
    assert {r["team"] for r in rows(client, f"/api/v1/week-targets/?plan={plan.pk}")} == {org.team_b.pk}


def test_rep_sees_only_own_rows(client, org, plan):
    client.force_login(org.rep_a.user)
    assert rows(client, f"/api/v1/team-targets/?plan={plan.pk}") == []
    months = rows(client, f"/api/v1/rep-targets/?plan={plan.pk}")
    assert len(months) == 12 and {r["employee"] for r in months} == {org.rep_a.pk}
    weeks = rows(client, f"/api/v1/week-targets/?plan={plan.pk}&employee={org.rep_a.pk}")
    assert {r["employee"] for r in weeks} == {org.rep_a.pk}
    assert client.get(f"/api/v1/week-targets/?plan={plan.pk}&employee={org.rep_b.pk}").status_code == 404


def test_week_targets_are_paginated(client, org, plan):
    client.force_login(org.director.user)
    body = client.get(f"/api/v1/week-targets/?plan={plan.pk}").json()
    assert body["count"] > 50 and len(body["results"]) == 50 and body["next"]


def test_lists_read_a_constant_number_of_queries(client, org, plan, django_assert_num_queries):
    client.force_login(org.director.user)
    urls = ["/api/v1/plans/", f"/api/v1/team-targets/?plan={plan.pk}", f"/api/v1/rep-targets/?plan={plan.pk}",
            f"/api/v1/week-targets/?plan={plan.pk}"]
    # session, user, the principal; plans: count, page, phases, months; targets: the plan, count, page (joined).
    counts = []
    for url in urls:
        with django_assert_num_queries({"/api/v1/plans/": 7}.get(url, 6)) as small:
            client.get(url)
        counts.append(len(small.captured_queries))
    for _ in range(3):
        factories.employee(team=org.team_a)
    services.plan_create(name="2019年度计划", first_month=date(2019, 2, 1), phases=demo.PHASES_2017,
                         month_targets=demo.TARGETS_2017, by=org.director.user)
    services.plan_allocate(plan=plan)
    for url, count in zip(urls, counts, strict=True):
        with django_assert_num_queries(count):
            client.get(url)


# --- writes: what they do, and what they refuse ---------------------------------------------


def send(client, user, method: str, url: str, body: dict):
    client.force_login(user)
    return getattr(client, method)(url, body, content_type="application/json")


def test_director_creates_and_the_general_manager_approves_a_plan(client, org, calendar):
    body = {"name": "2025年度计划", "first_month": "2025-01-01", "month_targets": ["1,000,000"] * 12,
            "phases": [{"name": "上半年", "month_count": 6}, {"name": "下半年", "month_count": 6}]}
    created = send(client, org.director.user, "post", "/api/v1/plans/", body)
    assert created.status_code == 201
    assert (created.json()["status"], created.json()["deposit_target"]) == ("draft", 12_000_000)
    plan_id = created.json()["id"]
    approved = send(client, org.general_manager.user, "post", f"/api/v1/plans/{plan_id}/approve/", {"version": 1})
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"]
    assert sum(r["deposit_target"] for r in rows(client, f"/api/v1/team-targets/?plan={plan_id}")) == 12_000_000
    saved = PlanYear.objects.get(pk=plan_id)
    assert (saved.status, saved.approved_by, saved.months.count()) == ("approved", org.general_manager.user, 12)


def test_manager_sets_a_ramp_and_gets_the_teams_new_split(client, org, plan):
    url = month_url(plan, 2017, 7, "rep-weights")
    response = send(client, org.manager_b.user, "put", url, {"team": org.team_b.pk,
                                                            "weights": {str(org.mover.pk): "0.5"}})
    assert {r["employee_name"]: r["deposit_target"] for r in response.json()} == {"乙队员": 533_333, "调动者": 266_667}
    july = plan.months.get(month=date(2017, 7, 1))
    assert july.rep_weights.get(employee=org.mover).weight == Decimal("0.5")
    assert dict(july.rep_targets.filter(team=org.team_b).values_list("employee__name", "deposit_target")) == {
        "乙队员": 533_333, "调动者": 266_667}


@pytest.mark.parametrize(("method", "url", "body", "field"), [
    ("post", "/api/v1/plans/", {"month_targets": targets_2017(m3="-5")}, "months.3"),
    ("post", "/api/v1/plans/", {"month_targets": targets_2017(m0="一百万")}, "months.0"),
    ("post", "/api/v1/plans/", {"month_targets": demo.TARGETS_2017[:11]}, "months"),
    ("post", "/api/v1/plans/", {"phases": PHASES[:3]}, "phases"),
    ("post", "/api/v1/plans/", {"phases": [{"name": "全年", "month_count": "十二"}]}, "phases[0].month_count"),
    ("post", "/api/v1/plans/", {"first_month": "2019-02-15"}, "first_month"),
    ("post", "/api/v1/plans/", {"first_month": "2017-06-01"}, "first_month"),
    ("post", "/api/v1/plans/", {"first_month": None}, "first_month"),
    ("put", "plan", {"reason": ""}, "reason"),
    ("put", "team-weights", {"weights": {"A": "0", "B": "0"}}, "weights"),
    ("put", "team-weights", {"weights": {"A": "很多"}}, "weights.A"),  # a DictField's child, by its key
    ("put", "team-weights", {"weights": {"先锋队": "1"}}, "weights"),
    ("put", "rep-weights", {"team": "A", "weights": []}, "weights"),
    ("post", "proposals", {"team": "A", "proposed_target": "5.5"}, "proposed_target"),
    ("post", "proposals", {"proposed_target": "5"}, "team"),
    ("post", "proposals/decide", {"accept": True}, "proposals"),
    ("post", "proposals/decide", {}, "accept"),
])
def test_bad_input_answers_400_naming_the_field(client, org, plan, unchanged, method, url, body, field):
    team_ids = {"A": org.team_a.pk, "B": org.team_b.pk}
    body = {k: team_ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    if isinstance(body.get("weights"), dict):
        body["weights"] = {str(team_ids.get(k, k)): v for k, v in body["weights"].items()}
    if url == "plan":
        url, body = f"/api/v1/plans/{plan.pk}/", {"version": 2, "phases": PHASES,
                                              "month_targets": targets_2017(m1=1), **body}
    elif url.startswith("/api/v1/plans/"):
        body = {"name": "2019年度计划", "first_month": "2019-02-01", "phases": PHASES,
                "month_targets": demo.TARGETS_2017, **body}
    else:
        url = month_url(plan, 2017, 8, url)
    client.force_login(org.director.user)
    with unchanged():
        response = send(client, org.director.user, method, url, body)
    assert response.status_code == 400, response.content
    field = field.replace(".A", f".{org.team_a.pk}")
    assert field in errors_by_field(response), response.json()


def test_stale_version_answers_409_and_changes_nothing(client, org, plan, unchanged):
    body = {"version": 1, "phases": PHASES, "month_targets": targets_2017(m7=1_600_000), "reason": "旧页面"}
    client.force_login(org.director.user)
    with unchanged():
        response = send(client, org.director.user, "put", f"/api/v1/plans/{plan.pk}/", body)
        assert response.status_code == 409 and "version" in errors_by_field(response)
        approve = send(client, org.director.user, "post", f"/api/v1/plans/{plan.pk}/approve/", {"version": 1})
        assert approve.status_code == 409
    plan.refresh_from_db()
    assert plan.version == 2 and plan.months.get(month=date(2017, 9, 1)).deposit_target == 1_500_000


def test_unknown_team_or_month_answers_404(client, org, plan, unchanged):
    other = services.plan_create(name="2019年度计划", first_month=date(2019, 2, 1), phases=demo.PHASES_2017,
                                 month_targets=demo.TARGETS_2017, by=org.director.user)
    foreign_month = f"/api/v1/plans/{plan.pk}/months/{other.months.first().pk}/team-weights/"
    client.force_login(org.director.user)
    with unchanged():
        assert send(client, org.director.user, "put", foreign_month, {"weights": {}}).status_code == 404
        unknown_team = {"weights": {str(org.team_a.pk): "1", "999999": "1"}}
        assert send(client, org.director.user, "put", month_url(plan, 2017, 8, "team-weights"),
                    unknown_team).status_code == 404
    assert client.get("/api/v1/team-targets/?plan=999999").status_code == 404
