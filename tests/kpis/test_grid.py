"""The manager's weekly entry grid, the list of weeks, submitting a week and a cell's history."""

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse

from kpis import metrics, services
from kpis.calculations import ratio
from kpis.models import Channel, FigureChange, FiguresState, WeeklyFigures
from kpis.views.grid import LIVE_FORMULAS
from tests import factories

MARCH_6 = date(2017, 3, 6)      # rep_a, the mover and the leaver are all in team A
MAY_22 = date(2017, 5, 22)      # the mover's last week in team A (Thursday 25 May)
JUNE_5 = date(2017, 6, 5)       # the mover is in team B now
ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]


@pytest.fixture(autouse=True)
def english(client):
    """Pages read in English here, so the tests can look for the services' messages."""
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"


def grid_url(team, week: date = MARCH_6) -> str:
    return reverse("kpis:grid", args=[team.pk, week.isoformat()])


def grid_post(rows: dict, versions: dict | None = None) -> dict:
    """Return the grid's form data: rows maps a rep to {metric code: typed text}; blank cells are sent blank."""
    data: dict = {"rep": [str(rep.pk) for rep in rows]}
    for rep, values in rows.items():
        data[f"version-{rep.pk}"] = str((versions or {}).get(rep.pk) or "")
        for m in metrics.ENTERED:
            data[f"v-{rep.pk}-{m.code}"] = str(values.get(m.code, ""))
    return data


FULL = {"new_customers": "3", "engaged_customers": "4", "accounts_opened": "2",
        "new_customer_deposits": "12,000.50", "existing_customer_deposits": "8000", "trading_volume": "150000"}


def save(org, rep, week: date = MARCH_6, by=None, **values) -> WeeklyFigures:
    """Save one rep's week through the service, as another channel would."""
    current = WeeklyFigures.objects.filter(employee=rep, week=week).first()
    services.weekly_figures_save(week=week, by=(by or org.manager_a).user, channel="api", rows=[
        services.RepWeekInput(rep.pk, values, current.version if current else None)])
    return WeeklyFigures.objects.get(employee=rep, week=week)


def page_versions(response) -> dict[int, int | None]:
    return {line.rep.pk: line.version for line in response.context["lines"]}


# --- who may use each page ------------------------------------------------------------------------------------

MATRIX = {
    "weeks": [200, 200, 200, 200, 404, 403],
    "grid": [200, 200, 200, 200, 404, 403],
    "grid_post": [302, 403, 403, 302, 404, 403],
    "submit": [302, 403, 403, 302, 404, 403],
    "history": [200, 200, 200, 200, 404, 200],  # a rep reads the history of their own figures
}


def call(client, page: str, org, unchanged, allowed: bool):
    """Open the page, or post to it: the post changes nothing unless `allowed`."""
    figures = save(org, org.rep_a, new_customers=1)
    if page == "weeks":
        return client.get(reverse("kpis:weeks", args=[org.team_a.pk]))
    if page == "grid":
        return client.get(grid_url(org.team_a))
    if page == "history":
        return client.get(reverse("kpis:history", args=[figures.pk, "new_customers"]))
    with unchanged.unless(allowed):
        if page == "grid_post":
            return client.post(grid_url(org.team_a), grid_post({org.rep_a: {"new_customers": "5"}},
                                                               {org.rep_a.pk: figures.version}))
        return client.post(reverse("kpis:submit", args=[org.team_a.pk, MARCH_6.isoformat()]))


# what an allowed post leaves in rep A's figures of the week
WRITTEN = {"grid_post": ("new_customers", 5), "submit": ("state", FiguresState.SUBMITTED)}


@pytest.mark.parametrize(("page", "role", "status"),
                         [(p, r, s) for p, row in MATRIX.items() for r, s in zip(ROLES, row, strict=True)])
def test_permission_matrix(client, org, plan, unchanged, page, role, status):
    client.force_login(org.by_role(role).user)
    assert call(client, page, org, unchanged, allowed=status == 302).status_code == status
    if page in WRITTEN and status == 302:
        field, value = WRITTEN[page]
        assert getattr(WeeklyFigures.objects.get(employee=org.rep_a, week=MARCH_6), field) == value


@pytest.mark.parametrize("page", list(MATRIX))
def test_anonymous_goes_to_log_in(client, org, plan, unchanged, page):
    response = call(client, page, org, unchanged, allowed=False)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("week", ["2017-03-07", "2017-3-6", "2017-02-30", "20170306", "monday"])
def test_a_week_that_is_not_a_monday_is_not_a_page(client, org, week):
    client.force_login(org.manager_a.user)
    assert client.get(f"/figures/teams/{org.team_a.pk}/weeks/{week}/").status_code == 404


# --- entering a week --------------------------------------------------------------------------------------------

def test_manager_saves_the_week_and_each_cell_is_in_the_audit_trail(client, org, plan):
    client.force_login(org.manager_a.user)
    page = client.get(grid_url(org.team_a))
    assert [line.rep for line in page.context["lines"]] == sorted([org.rep_a, org.mover, org.leaver],
                                                                   key=lambda e: e.employee_number)
    response = client.post(grid_url(org.team_a), grid_post({
        org.rep_a: FULL, org.mover: {"new_customers": "1"}, org.leaver: {}}, page_versions(page)))
    assert response.status_code == 302 and response.url == grid_url(org.team_a)
    rep_a = WeeklyFigures.objects.get(employee=org.rep_a, week=MARCH_6)
    assert (rep_a.new_customer_deposits, rep_a.accounts_opened, rep_a.team) == (Decimal("12000.50"), 2, org.team_a)
    assert (rep_a.entered_by, rep_a.state) == (org.manager_a.user, FiguresState.DRAFT)
    assert WeeklyFigures.objects.get(employee=org.mover, week=MARCH_6).new_customers == 1
    # The leaver's row was left blank: no zeros invented, the week stays missing for them.
    assert not WeeklyFigures.objects.filter(employee=org.leaver).exists()
    changes = FigureChange.objects.filter(figures=rep_a)
    assert {c.channel for c in changes} == {Channel.GRID} and {c.changed_by for c in changes} == {org.manager_a.user}
    assert changes.get(field="new_customer_deposits").new_value == "12000.50"
    again = client.get(grid_url(org.team_a))
    assert "Week saved: 2 new" in again.content.decode()
    assert again.context["state"] == "missing"


def test_changing_a_cell_records_old_and_new_and_the_page_shows_totals(client, org, plan):
    client.force_login(org.manager_a.user)
    client.post(grid_url(org.team_a), grid_post({org.rep_a: FULL}))
    versions = page_versions(client.get(grid_url(org.team_a)))
    client.post(grid_url(org.team_a), grid_post({org.rep_a: {**FULL, "accounts_opened": "4"},
                                                 org.mover: {"new_customer_deposits": "1000"}}, versions))
    change = FigureChange.objects.get(figures__employee=org.rep_a, field="accounts_opened", old_value="2")
    assert (change.new_value, change.channel) == ("4", Channel.GRID)
    page = client.get(grid_url(org.team_a))
    totals = {m.code: v for m, v in page.context["totals"]}
    assert totals["new_customer_deposits"] == Decimal("13000.50") and totals["accounts_opened"] == 4
    derived = {m.code: v for m, v in page.context["total_derived"]}
    assert derived["total_deposits"] == Decimal("21000.50")
    assert derived["close_rate"] == Decimal(1)  # 4 accounts opened of 4 engaged customers


@pytest.mark.parametrize(("code", "typed", "message"), [
    ("accounts_opened", "-1", "Figures cannot be negative."),
    ("new_customer_deposits", "abc", "“abc” is not a number."),
    ("engaged_customers", "2.5", "A count is a whole number."),
    ("trading_volume", "10.005", "Money has at most two decimals."),
])
def test_a_bad_cell_is_marked_with_its_reason_and_nothing_is_saved(client, org, plan, unchanged, code, typed,
                                                                   message):
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(grid_url(org.team_a), grid_post({org.rep_a: {**FULL, code: typed}, org.mover: FULL}))
    assert response.status_code == 200
    cell = next(c for line in response.context["lines"] if line.rep == org.rep_a for c in line.cells
                if c.metric.code == code)
    assert (cell.error, cell.text) == (message, typed)  # the reason, and what was typed is kept
    html = response.content.decode()
    assert f'name="v-{org.rep_a.pk}-{code}" value="{typed}"' in html and 'aria-invalid="true"' in html
    assert "1 cells need fixing; nothing was saved." in html
    assert not WeeklyFigures.objects.exists() and not FigureChange.objects.exists()


def test_a_second_save_of_the_same_week_is_refused_showing_what_the_first_one_saved(client, org, plan, unchanged):
    director = Client()
    director.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    director.force_login(org.director.user)
    client.force_login(org.manager_a.user)
    manager_page, director_page = client.get(grid_url(org.team_a)), director.get(grid_url(org.team_a))
    client.post(grid_url(org.team_a), grid_post({org.rep_a: FULL}, page_versions(manager_page)))
    theirs = grid_post({org.rep_a: {**FULL, "new_customers": "9"}, org.mover: {"new_customers": "7"}},
                       page_versions(director_page))
    with unchanged():
        refused = director.post(grid_url(org.team_a), theirs)
    html = refused.content.decode()
    assert refused.status_code == 200 and "Someone else saved figures" in html
    assert f"{org.manager_a.name} saved {org.rep_a.name}" in html
    [conflict] = refused.context["conflicts"]
    assert conflict.differences == [(metrics.BY_CODE["new_customers"].label, "3", "9")]
    # Nothing of the second save is written, not even the mover's row nobody else touched.
    assert WeeklyFigures.objects.get(employee=org.rep_a).new_customers == 3
    assert not WeeklyFigures.objects.filter(employee=org.mover).exists()
    assert not FigureChange.objects.filter(changed_by=org.director.user).exists()
    # What the director typed is kept; saving again after reading the conflict replaces the manager's figures.
    assert f'name="v-{org.rep_a.pk}-new_customers" value="9"' in html
    again = director.post(grid_url(org.team_a), {**theirs, **{f"version-{k}": v or "" for k, v in
                                                                page_versions(refused).items()}})
    assert again.status_code == 302 and WeeklyFigures.objects.get(employee=org.rep_a).new_customers == 9


# --- scope ------------------------------------------------------------------------------------------------------

def test_manager_cannot_post_for_another_team(client, org, plan, unchanged):
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(grid_url(org.team_b), grid_post({org.rep_b: FULL}))
    assert response.status_code == 404 and not WeeklyFigures.objects.exists()


def test_the_mover_is_in_team_a_until_may_and_in_team_b_from_june(client, org, plan):
    client.force_login(org.director.user)

    def reps(team, week):
        return {line.rep for line in client.get(grid_url(team, week)).context["lines"]}

    assert org.mover in reps(org.team_a, MAY_22) and org.mover not in reps(org.team_b, MAY_22)
    assert org.mover in reps(org.team_b, JUNE_5) and org.mover not in reps(org.team_a, JUNE_5)


def test_manager_cannot_enter_the_mover_after_he_left_the_team(client, org, plan, unchanged):
    client.force_login(org.manager_a.user)
    with unchanged():
        response = client.post(grid_url(org.team_a, JUNE_5), grid_post({org.rep_a: FULL, org.mover: FULL}))
    assert response.status_code == 404 and org.mover.name not in response.content.decode()
    assert not WeeklyFigures.objects.exists()


@pytest.mark.parametrize("outsider", ["other team's rep", "no such id", "in no team that week"])
def test_a_manager_posting_reps_outside_the_grid_gets_404_naming_no_one(client, org, plan, unchanged, outsider):
    # Whatever the reason, the same 404: no name, no hint whether the id exists or where its owner is.
    week = date(2017, 4, 10)  # the leaver left on 31 March
    posted = {"other team's rep": org.rep_b.pk, "no such id": 987654, "in no team that week": org.leaver.pk}[outsider]
    client.force_login(org.manager_a.user)
    data = grid_post({org.rep_a: FULL})
    data["rep"].append(str(posted))
    data |= {f"v-{posted}-{m.code}": "1" for m in metrics.ENTERED}
    with unchanged():
        response = client.post(grid_url(org.team_a, week), data)
    html = response.content.decode()
    assert response.status_code == 404
    assert all(name not in html for name in (org.rep_b.name, org.leaver.name, "不存在", "Unknown rep"))
    assert not WeeklyFigures.objects.exists()


# --- states -----------------------------------------------------------------------------------------------------

def test_a_locked_month_reads_only_and_refuses_a_post(client, org, plan, unchanged):
    save(org, org.rep_a, new_customers=2)
    services.month_close(month=date(2017, 3, 1), by=org.director.user)
    client.force_login(org.manager_a.user)
    page = client.get(grid_url(org.team_a))
    html = page.content.decode()
    assert page.context["readonly"] and "closed this month" in html
    assert 'id="grid-save"' not in html and f'name="v-{org.rep_a.pk}-new_customers" value="2" ' in html
    assert html.count(" readonly>") == 3 * len(metrics.ENTERED)
    with unchanged():
        response = client.post(grid_url(org.team_a), grid_post({org.rep_a: {"new_customers": "8"}},
                                                               page_versions(page)))
    assert response.status_code == 200 and "is closed" in response.content.decode()
    assert WeeklyFigures.objects.get(employee=org.rep_a).new_customers == 2


@pytest.mark.parametrize("role", ["general_manager", "hr"])
def test_general_manager_and_hr_read_the_grid_without_save_or_submit(client, org, plan, role):
    save(org, org.rep_a, new_customers=2)
    client.force_login(org.by_role(role).user)
    html = client.get(grid_url(org.team_a)).content.decode()
    assert "see this team's figures but not change them" in html
    assert 'id="grid-save"' not in html and 'id="submit-form"' not in html and " readonly>" in html


def test_manager_submits_the_week_to_the_director(client, org, plan):
    save(org, org.rep_a, new_customers=2)
    client.force_login(org.manager_a.user)
    assert 'id="submit-form"' in client.get(grid_url(org.team_a)).content.decode()
    response = client.post(reverse("kpis:submit", args=[org.team_a.pk, MARCH_6.isoformat()]), follow=True)
    assert "Figures of 1 rep submitted to the director." in response.content.decode()
    assert WeeklyFigures.objects.get(employee=org.rep_a).state == FiguresState.SUBMITTED
    assert 'id="submit-form"' not in response.content.decode()


# --- cell history -----------------------------------------------------------------------------------------------

def test_the_grid_links_each_saved_cells_history_and_the_fragment_shows_it(client, org, plan):
    figures = save(org, org.rep_a, new_customers=2)
    client.force_login(org.manager_a.user)
    client.post(grid_url(org.team_a), grid_post({org.rep_a: {"new_customers": "6"}}, {org.rep_a.pk: figures.version}))
    url = reverse("kpis:history", args=[figures.pk, "new_customers"])
    grid = client.get(grid_url(org.team_a)).content.decode()
    assert f'data-history="{url}"' in grid
    assert 'hx-target="#grid-history"' in grid  # htmx swaps the fragment in under the grid
    response = client.get(url, headers={"HX-Request": "true"})
    fragment = response.content.decode()
    assert "<html" not in fragment and "Entry grid" in fragment and "API" in fragment
    assert "<td class=\"num\">2</td><td class=\"num\">6</td>" in fragment.replace("\n    ", "")
    assert org.manager_a.name in fragment
    assert "HX-Request" in response["Vary"]  # a cache must not hand the fragment to a plain visit
    assert "<html" in client.get(url).content.decode()
    assert client.get(reverse("kpis:history", args=[figures.pk, "password"])).status_code == 404


def test_a_rep_reads_the_history_of_their_own_cells_and_gets_404_for_anyone_elses(client, org, plan):
    own, other = save(org, org.rep_a, new_customers=2), save(org, org.mover, new_customers=1)
    client.force_login(org.rep_a.user)
    response = client.get(reverse("kpis:history", args=[own.pk, "new_customers"]))
    assert response.status_code == 200 and org.rep_a.name in response.content.decode()
    assert response.context["grid_url"] == reverse("dashboards:mine")  # not the team's grid, which they cannot open
    assert client.get(reverse("kpis:history", args=[other.pk, "new_customers"])).status_code == 404
    assert client.get(reverse("kpis:history", args=[987654, "new_customers"])).status_code == 404


# --- the list of weeks ------------------------------------------------------------------------------------------

def test_weeks_list_each_week_of_the_plan_up_to_today_with_its_state(client, org, plan, settings):
    settings.AS_OF_DATE = date(2017, 3, 22)
    for rep in (org.rep_a, org.mover, org.leaver):
        save(org, rep, week=date(2017, 2, 13), new_customer_deposits=1000)
        save(org, rep, new_customers=1)
    save(org, org.rep_a, week=date(2017, 3, 13), new_customers=1)
    services.weekly_figures_submit(team=org.team_a, week=MARCH_6, by=org.manager_a.user)
    services.month_close(month=date(2017, 2, 1), by=org.director.user)
    client.force_login(org.manager_a.user)
    response = client.get(reverse("kpis:weeks", args=[org.team_a.pk]))
    months = response.context["overview"].months
    assert [(m.month, m.closed) for m in months] == [(date(2017, 3, 1), False), (date(2017, 2, 1), True)]
    states = {w.week: (w.state, w.entered, w.reps) for m in months for w in m.weeks}
    assert list(states) == [date(2017, 3, 20), date(2017, 3, 13), MARCH_6, date(2017, 2, 27),
                            date(2017, 2, 20), date(2017, 2, 13), date(2017, 2, 6), date(2017, 1, 30)]
    assert states[date(2017, 3, 20)] == ("missing", 0, 3)
    assert states[date(2017, 3, 13)] == ("missing", 1, 3)
    assert states[MARCH_6] == (FiguresState.SUBMITTED, 3, 3)
    assert states[date(2017, 2, 13)] == (FiguresState.LOCKED, 3, 3)
    assert months[1].weeks[1].total_deposits == Decimal(3000)
    assert grid_url(org.team_a, date(2017, 3, 13)) in response.content.decode()


def test_weeks_page_without_a_plan_says_so(client, org):
    client.force_login(org.manager_a.user)
    assert "No plan yet" in client.get(reverse("kpis:weeks", args=[org.team_a.pk])).content.decode()


# --- query counts -----------------------------------------------------------------------------------------------

def grow_team(org, reps: int) -> None:
    """Add reps to team A with saved figures for the week, so the page has more rows and more to count."""
    for _ in range(reps):
        rep = factories.employee(team=org.team_a, hired=date(2016, 1, 4))
        save(org, rep, new_customers=1)
        save(org, rep, week=date(2017, 2, 13), new_customers=1)


@pytest.mark.parametrize("extra_reps", [0, 6])
def test_grid_query_count_does_not_grow_with_the_team(client, org, plan, django_assert_num_queries, extra_reps):
    grow_team(org, extra_reps)
    client.force_login(org.manager_a.user)
    # 1 session, 2 user, 3 the principal (employee and managed teams: the page's rule, may the manager change the
    # team, the header's links and name all come from it), 4 team (scoped to the manager), 5-6 the reps in the
    # team that week (the memberships of its reps that week, the employees), 7 figures, 8 week targets,
    # 9 month closed? 10 the header's unread notices
    with django_assert_num_queries(10):
        response = client.get(grid_url(org.team_a))
    assert len(response.context["lines"]) == 3 + extra_reps


@pytest.mark.parametrize("extra_reps", [0, 6])
def test_weeks_query_count_does_not_grow_with_the_team(client, org, plan, settings, django_assert_num_queries,
                                                       extra_reps):
    settings.AS_OF_DATE = date(2017, 10, 31)
    grow_team(org, extra_reps)
    client.force_login(org.manager_a.user)
    # 1 session, 2 user, 3 the principal (the page's rule, the header's links and name), 4 team, 5 plans,
    # 6 plan months, 7 memberships, 8 figures, 9 week targets, 10 closed months, 11 the header's unread notices.
    with django_assert_num_queries(11):
        response = client.get(reverse("kpis:weeks", args=[org.team_a.pk]))
    assert response.context["overview"].months[0].month == date(2017, 11, 1)


# --- the registry drives the columns ----------------------------------------------------------------------------

def test_a_twelfth_entered_metric_in_the_registry_appears_as_a_grid_column(client, org, plan, monkeypatch):
    save(org, org.rep_a, new_customers=2)
    visits = metrics.Metric("client_visits", "客户拜访次数", "Client visits", metrics.Unit.COUNT)
    monkeypatch.setattr(metrics, "REGISTRY", (*metrics.REGISTRY, visits))
    monkeypatch.setattr(metrics, "ENTERED", (*metrics.ENTERED, visits))
    client.force_login(org.manager_a.user)
    html = client.get(grid_url(org.team_a)).content.decode()
    assert 'data-code="client_visits">Client visits' in html
    assert f'name="v-{org.rep_a.pk}-client_visits"' in html


@pytest.mark.parametrize("values", [
    {"new_customer_deposits": Decimal("1200.50"), "existing_customer_deposits": Decimal(800), "accounts_opened": 3,
     "engaged_customers": 4, "target": 4000},
    {"new_customer_deposits": Decimal(0), "existing_customer_deposits": Decimal(0), "accounts_opened": 0,
     "engaged_customers": 0, "target": 0},
    {"new_customer_deposits": Decimal(5), "existing_customer_deposits": Decimal(0), "accounts_opened": 2,
     "engaged_customers": 0, "target": None},
])
def test_the_browsers_recipes_for_derived_columns_agree_with_the_registry(values):
    values = dict(values)
    target = values.pop("target")
    entered = {m.code: values.get(m.code, 0) for m in metrics.ENTERED}
    known: dict = {**entered, "planned_target": target}
    for code, (op, args) in LIVE_FORMULAS.items():
        operands = [known[a] for a in args]
        if op == "sum":
            known[code] = sum(operands)
        elif op == "ratio":
            known[code] = ratio(*operands)
        else:
            known[code] = target
    period = metrics.PeriodFigures(values=entered, target=target)
    expected = metrics.derive(period, tuple(metrics.BY_CODE[code] for code in LIVE_FORMULAS))
    assert {code: known[code] for code in LIVE_FORMULAS} == {
        code: (None if v is None else Decimal(v)) for code, v in expected.items()}
