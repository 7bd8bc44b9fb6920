"""The director's month close page: who may open it and act on it, what it counts, closing and reopening."""

import re
from contextlib import nullcontext
from datetime import date

import pytest
from django.urls import reverse

from kpis import services
from kpis.models import Channel, FiguresState, MonthClose, WeeklyFigures
from kpis.services import RepWeekInput
from tests import factories

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"]
AUGUST = date(2017, 8, 1)
AUGUST_WEEKS = [date(2017, 7, 31), date(2017, 8, 7), date(2017, 8, 14), date(2017, 8, 21), date(2017, 8, 28)]


@pytest.fixture(autouse=True)
def as_of(settings) -> date:
    settings.AS_OF_DATE = date(2017, 8, 31)
    return settings.AS_OF_DATE


def enter(by, employee, week: date) -> None:
    services.weekly_figures_save(week=week, rows=[RepWeekInput(employee.pk, {"accounts_opened": "1"})], by=by.user,
                                 channel=Channel.GRID)


def month_row(html: str, month: str) -> str:
    """Return the page's table row of the month ("2017-08")."""
    return re.search(rf'<tr id="month-{month}">(.*?)</tr>', html, re.S).group(1)


def numbers(row: str) -> list[int]:
    return [int(n) for n in re.findall(r'<td class="num[^"]*">(\d+)</td>', row)]


# --- the permission matrix ------------------------------------------------------------------

# page -> expected status for each role, in the order of ROLES (a POST that works redirects back: 302)
MATRIX = {
    "months": [200, 200, 200, 403, 403, 403],
    "close": [302, 403, 403, 403, 403, 403],
    "reopen": [302, 403, 403, 403, 403, 403],
}


def call(client, org, name: str, unchanged=None, allowed: bool = True):
    """Open the page, or post a valid close or reopen of August (closed first, so that it can be reopened); with
    `unchanged`, the post must change nothing unless `allowed`."""
    if name == "months":
        return client.get(reverse("kpis:months"))
    if name == "reopen":
        services.month_close(month=AUGUST, by=org.director.user)
    with unchanged.unless(allowed) if unchanged else nullcontext():
        return client.post(reverse(f"kpis:month_{name}"), {"month": "2017-08-01", "reason": "补录"})


@pytest.mark.parametrize(("page", "role", "status"),
                         [(p, r, s) for p, row in MATRIX.items() for r, s in zip(ROLES, row, strict=True)])
def test_permission_matrix(client, org, plan, unchanged, page, role, status):
    client.force_login(org.by_role(role).user)
    assert call(client, org, page, unchanged, allowed=status == 302).status_code == status
    if page != "months":
        closed = MonthClose.objects.filter(month=AUGUST, closed=True).exists()
        assert closed == ((status == 302) == (page == "close"))


@pytest.mark.parametrize("page", list(MATRIX))
def test_anonymous_goes_to_log_in(client, org, plan, unchanged, page):
    assert call(client, org, page, unchanged, allowed=False).url.startswith(reverse("login"))


def test_gm_and_hr_see_the_months_without_the_buttons(client, org, plan):
    client.force_login(org.general_manager.user)
    html = client.get(reverse("kpis:months")).content.decode()
    assert "2017-08" in html and reverse("kpis:month_close") not in html
    client.force_login(org.director.user)
    assert reverse("kpis:month_close") in client.get(reverse("kpis:months")).content.decode()


# --- what the page counts -------------------------------------------------------------------


def test_each_month_counts_its_figures_by_state_and_the_missing_rep_weeks(client, org, plan):
    enter(org.manager_a, org.rep_a, AUGUST_WEEKS[0])
    enter(org.manager_a, org.rep_a, AUGUST_WEEKS[1])
    enter(org.manager_b, org.rep_b, AUGUST_WEEKS[1])
    services.weekly_figures_submit(team=org.team_b, week=AUGUST_WEEKS[1], by=org.manager_b.user)
    enter(org.manager_a, org.rep_a, date(2017, 9, 4))  # September's first week: not August's
    client.force_login(org.director.user)
    html = client.get(reverse("kpis:months"), headers={"Accept-Language": "en"}).content.decode()
    # weeks, missing, draft, submitted, locked: three reps (rep_a, rep_b, mover) × five weeks = 15 rep-weeks due.
    assert numbers(month_row(html, "2017-08")) == [5, 12, 2, 1, 0]
    # September has not begun by the as-of date (31 Aug): nothing counts as missing yet.
    assert numbers(month_row(html, "2017-09")) == [4, 0, 1, 0, 0]
    assert "Open" in month_row(html, "2017-08")
    # Closing is offered for months that have begun only.
    assert reverse("kpis:month_close") in month_row(html, "2017-08")
    assert reverse("kpis:month_close") not in month_row(html, "2017-09")


def test_the_national_day_week_is_not_counted_as_missing(client, org, plan, settings):
    settings.AS_OF_DATE = date(2017, 10, 31)
    client.force_login(org.director.user)
    html = client.get(reverse("kpis:months")).content.decode()
    # October's four weeks, the first of them (2–8 Oct) without a working day: 3 reps × 3 weeks due.
    assert numbers(month_row(html, "2017-10")) == [4, 9, 0, 0, 0]


def test_the_page_reads_a_constant_number_of_queries(client, org, plan, django_assert_num_queries):
    client.force_login(org.director.user)
    enter(org.manager_a, org.rep_a, AUGUST_WEEKS[0])
    # session, user, the principal (the page's rule, the header's links and name), the current plan, its months
    # (with phases), figures in the plan's weeks, the working calendar, rep-weeks due, month closes, the plans for
    # the picker; the header's unread notices. No month was ever closed: no events to read.
    with django_assert_num_queries(11):
        assert client.get(reverse("kpis:months")).status_code == 200
    for _ in range(3):
        rep = factories.employee(team=org.team_a)
        for week in AUGUST_WEEKS:
            enter(org.manager_a, rep, week)
    services.month_close(month=date(2017, 7, 1), by=org.director.user)
    services.month_close(month=AUGUST, by=org.director.user)
    services.month_reopen(month=AUGUST, by=org.director.user, reason="补录")
    # the same, plus one for the closed months' state events with who made them
    with django_assert_num_queries(12):
        assert client.get(reverse("kpis:months")).status_code == 200


def test_without_a_plan_the_page_says_there_is_nothing_to_close(client, org):
    client.force_login(org.director.user)
    response = client.get(reverse("kpis:months"), headers={"Accept-Language": "en"})
    assert response.status_code == 200 and "nothing to close" in response.content.decode()


# --- closing and reopening from the page ------------------------------------------------------


def test_the_director_closes_a_month_from_the_page_and_its_figures_lock(client, org, plan):
    enter(org.manager_a, org.rep_a, AUGUST_WEEKS[2])
    client.force_login(org.director.user)
    response = client.post(reverse("kpis:month_close"), {"month": "2017-08-01", "plan": plan.pk}, follow=True,
                           headers={"Accept-Language": "en"})
    assert response.redirect_chain[-1][0] == f"{reverse('kpis:months')}?plan={plan.pk}"
    html = response.content.decode()
    assert "2017-08 closed: 1 weekly figures locked." in html
    assert "Closed" in month_row(html, "2017-08") and reverse("kpis:month_reopen") in month_row(html, "2017-08")
    assert WeeklyFigures.objects.get().state == FiguresState.LOCKED


def test_reopening_needs_a_reason_and_sends_figures_back_to_submitted(client, org, plan, unchanged):
    enter(org.manager_a, org.rep_a, AUGUST_WEEKS[2])
    services.month_close(month=AUGUST, by=org.director.user)
    client.force_login(org.director.user)
    with unchanged():
        response = client.post(reverse("kpis:month_reopen"), {"month": "2017-08-01", "reason": " "}, follow=True,
                               headers={"Accept-Language": "en"})
    assert "Say why the month is reopened." in response.content.decode()
    assert MonthClose.objects.get().closed and WeeklyFigures.objects.get().state == FiguresState.LOCKED

    response = client.post(reverse("kpis:month_reopen"), {"month": "2017-08-01", "reason": "甲队员漏报"}, follow=True,
                           headers={"Accept-Language": "en"})
    row = month_row(response.content.decode(), "2017-08")
    assert "Reopened" in row and "甲队员漏报" in row
    assert WeeklyFigures.objects.get().state == FiguresState.SUBMITTED
    reopened = MonthClose.objects.get()
    assert (reopened.closed, reopened.reopen_reason) == (False, "甲队员漏报")


def test_a_post_without_a_month_changes_nothing(client, org, plan, unchanged):
    client.force_login(org.director.user)
    with unchanged():
        response = client.post(reverse("kpis:month_close"), {"month": "August"}, follow=True,
                               headers={"Accept-Language": "en"})
    assert "Choose a month." in response.content.decode()
    assert not MonthClose.objects.exists()


def test_each_month_shows_its_last_close_or_reopen_with_who_when_and_why(client, org, plan):
    services.month_close(month=date(2017, 7, 1), by=org.director.user)
    services.month_close(month=AUGUST, by=org.director.user)
    services.month_reopen(month=AUGUST, by=org.director.user, reason="甲队员漏报")
    client.force_login(org.director.user)
    html = client.get(reverse("kpis:months"), headers={"Accept-Language": "en"}).content.decode()
    name = org.director.name
    july, august = (re.sub(r"\s+", " ", month_row(html, m)) for m in ("2017-07", "2017-08"))
    assert re.search(rf"Closed</span> <small[^>]*> closed by {name} on [^<]+</small>", july)
    assert re.search(rf"Reopened</span> <small[^>]*> reopened by {name} on [^<]+: 甲队员漏报</small>", august)
    assert "last-move" not in month_row(html, "2017-09")
