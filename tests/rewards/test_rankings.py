"""Published rankings: the director publishes a closed month's or phase's ranking whose results are current; the
rows are frozen (a recompute does not move them, a republish replaces them); every role reads the published ones,
reps never an unpublished or withdrawn one; amounts only when the director chose them."""

from datetime import date

import pytest
from django.urls import reverse

from kpis import services
from kpis.models import WeeklyFigures
from kpis.results import services as rollups
from kpis.results.models import PeriodPlacing
from rewards.models import Notice, NoticeKind, PublishedRanking
from rewards.selectors.board import unread_count
from rewards.services.notices import notice_read_mark
from rewards.services.rankings import ranking_publish, ranking_withdraw
from teams import access
from teams.errors import DomainError

MARCH, APRIL, FEBRUARY = date(2017, 3, 1), date(2017, 4, 1), date(2017, 2, 1)
MARCH_WEEKS = [date(2017, 3, 6), date(2017, 3, 13), date(2017, 3, 20)]


def version(rep, week) -> int | None:
    """Return the version of the rep's week the save starts from (None: a new week)."""
    return WeeklyFigures.objects.filter(employee=rep, week=week).values_list("version", flat=True).first()


def enter_march(org, amounts=None):
    amounts = amounts or {org.rep_a: 90_000, org.mover: 10_000, org.rep_b: 40_000}
    for week in MARCH_WEEKS:
        for manager, team in [(org.manager_a, org.team_a), (org.manager_b, org.team_b)]:
            rows = [services.RepWeekInput(rep.pk, {"new_customer_deposits": amount}, version=version(rep, week))
                    for rep, amount in amounts.items() if (rep == org.rep_b) == (team == org.team_b)]
            services.weekly_figures_save(week=week, rows=rows, by=manager.user, channel="grid", team=team)


@pytest.fixture
def ranked(org, plan, settings):
    """March entered (rep A best, then rep B, the mover, the leaver), recomputed with February and April (the
    first phase placed), and March closed."""
    settings.AS_OF_DATE = date(2017, 10, 27)
    enter_march(org)
    rollups.recompute_all([FEBRUARY, MARCH, APRIL])
    services.month_close(month=MARCH, by=org.director.user)
    return plan


def names(ranking) -> list[str]:
    return [row["name"] for row in ranking.rows]


def test_the_director_publishes_a_closed_month(org, ranked):
    ranking = ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    assert names(ranking) == [org.rep_a.name, org.rep_b.name, org.mover.name, org.leaver.name]
    first = ranking.rows[0]
    assert (first["rank"], first["employee_id"], first["team"]) == (1, org.rep_a.pk, org.team_a.name)
    assert ranking.rows[1]["team"] == org.team_b.name
    assert "deposits" not in first  # amounts only if chosen
    notice = Notice.objects.get(ranking=ranking)
    assert (notice.kind, notice.published_by, notice.withdrawn_at) == (NoticeKind.RANKING, org.director.user, None)
    assert unread_count(access.principal_of(org.rep_a.user), date(2017, 10, 27)) == 1


def test_an_open_month_is_refused(org, ranked, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        ranking_publish(by=org.director.user, period="month", first_month=APRIL)
    assert refused.value.field == "first_month" and "2017-04" in refused.value.message


def test_stale_rollups_are_refused(org, ranked, unchanged):
    rollups.months_stale([MARCH])
    with unchanged(), pytest.raises(DomainError) as refused:
        ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    assert refused.value.field == "first_month" and "recalculated" in refused.value.message


def test_a_phase_needs_all_its_months_closed(org, ranked, unchanged):
    services.month_close(month=FEBRUARY, by=org.director.user)
    with unchanged(), pytest.raises(DomainError) as refused:
        ranking_publish(by=org.director.user, period="phase", first_month=FEBRUARY)
    assert refused.value.field == "first_month" and "2017-04" in refused.value.message
    services.month_close(month=APRIL, by=org.director.user)
    ranking = ranking_publish(by=org.director.user, period="phase", first_month=FEBRUARY)
    assert names(ranking)[0] == org.rep_a.name


@pytest.mark.parametrize(("period", "first", "field"), [
    ("phase", MARCH, "first_month"),  # a phase is named by its first month
    ("year", MARCH, "period"),
    ("month", date(2019, 3, 1), "first_month"),  # no plan month
    ("month", "2017-03-01", "first_month"),
])
def test_a_period_that_is_not_one_is_refused(org, ranked, unchanged, period, first, field):
    with unchanged(), pytest.raises(DomainError) as refused:
        ranking_publish(by=org.director.user, period=period, first_month=first)
    assert refused.value.field == field


@pytest.mark.parametrize("role", ["general_manager", "hr", "manager_a", "rep_a"])
def test_only_the_director_publishes(org, ranked, unchanged, role):
    with unchanged(), pytest.raises(DomainError) as refused:
        ranking_publish(by=org.by_role(role).user, period="month", first_month=MARCH)
    assert refused.value.field == "action"


def test_rows_stay_frozen_after_a_recompute_and_a_republish_replaces_them(org, ranked):
    ranking = ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    notice = Notice.objects.get(ranking=ranking)
    notice_read_mark(user=org.rep_a.user, notice_id=notice.pk)
    services.month_reopen(month=MARCH, by=org.director.user, reason="补录")
    enter_march(org, {org.rep_a: 10_000, org.mover: 10_000, org.rep_b: 90_000})  # rep B now first
    rollups.recompute_pending()
    services.month_close(month=MARCH, by=org.director.user)
    assert PeriodPlacing.objects.get(period="month", first_month=MARCH, rank=1).employee == org.rep_b
    ranking.refresh_from_db()
    assert names(ranking)[0] == org.rep_a.name  # what was announced stays as announced
    again = ranking_publish(by=org.director.user, period="month", first_month=MARCH, show_amounts=True)
    assert (again.pk, again.version, names(again)[0]) == (ranking.pk, 2, org.rep_b.name)
    assert again.rows[0]["deposits"] == "270000.00"
    notice.refresh_from_db()
    assert notice.version == 2 and not notice.reads.exists()  # back on the board as news
    assert PublishedRanking.objects.count() == 1 and Notice.objects.count() == 1


def test_a_withdrawn_ranking_leaves_the_board(org, ranked, unchanged):
    ranking = ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    with unchanged(), pytest.raises(DomainError) as refused:
        ranking_withdraw(ranking_id=ranking.pk, version=0, by=org.director.user)
    assert refused.value.field == "version" and org.director.name in refused.value.message
    ranking = ranking_withdraw(ranking_id=ranking.pk, version=1, by=org.director.user)
    assert ranking.withdrawn_at is not None and ranking.notice.withdrawn_at is not None
    assert unread_count(access.principal_of(org.rep_a.user), date(2017, 10, 27)) == 0


def url(period="month", first=MARCH) -> str:
    return reverse("rewards:ranking", args=[period, first.year, first.month])


@pytest.mark.parametrize("role", ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a"])
def test_every_role_reads_a_published_ranking(client, org, ranked, role):
    ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    client.force_login(org.by_role(role).user)
    response = client.get(url())
    assert response.status_code == 200
    assert [r.name for r in response.context["page"].rows][:2] == [org.rep_a.name, org.rep_b.name]
    assert [ranking.first_month for ranking in client.get(reverse("rewards:rankings")).context["rankings"]] == [MARCH]


def test_the_rep_sees_their_own_row_highlighted(client, org, ranked):
    ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    client.force_login(org.rep_b.user)
    rows = client.get(url()).context["page"].rows
    assert [r.name for r in rows if r.mine] == [org.rep_b.name]
    assert 'class="mine"' in client.get(url()).content.decode()


def test_amounts_are_hidden_unless_chosen(client, org, ranked):
    ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    client.force_login(org.rep_a.user)
    response = client.get(url())
    assert [r.deposits for r in response.context["page"].rows] == [None] * 4
    assert "270000" not in response.content.decode() and "27.00" not in response.content.decode()
    ranking_publish(by=org.director.user, period="month", first_month=MARCH, show_amounts=True)
    response = client.get(url())
    assert response.context["page"].rows[0].deposits == 270_000


@pytest.mark.parametrize("role", ["rep_a", "manager_a", "general_manager"])
def test_unpublished_and_withdrawn_periods_are_not_found(client, org, ranked, role):
    ranking = ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    client.force_login(org.by_role(role).user)
    assert client.get(url("phase", FEBRUARY)).status_code == 404  # placed, never published
    assert client.get(url("month", APRIL)).status_code == 404
    ranking_withdraw(ranking_id=ranking.pk, version=1, by=org.director.user)
    assert client.get(url()).status_code == 404
    assert client.get(reverse("rewards:rankings")).context["rankings"] == []


@pytest.mark.parametrize("role", ["director", "hr"])
def test_the_director_and_hr_still_open_a_withdrawn_ranking(client, org, ranked, role):
    ranking = ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    ranking_withdraw(ranking_id=ranking.pk, version=1, by=org.director.user)
    client.force_login(org.by_role(role).user)
    assert client.get(url()).status_code == 200


def test_the_rankings_page_stays_refused_for_reps(client, org, ranked):
    client.force_login(org.rep_a.user)
    assert client.get(reverse("dashboards:rankings")).status_code == 403
    links = [u for _label, u in client.get(reverse("rewards:board")).context["nav_links"]]
    assert reverse("rewards:rankings") in links


@pytest.mark.parametrize(("role", "has_form"), [("director", True), ("general_manager", False), ("hr", False)])
def test_the_publish_form_is_the_directors(client, org, ranked, role, has_form):
    client.force_login(org.by_role(role).user)
    html = client.get(reverse("dashboards:rankings"), {"period": "month", "first": "2017-03-01"}).content.decode()
    assert ('id="ranking-publish"' in html) == has_form


def test_the_director_publishes_from_the_rankings_page(client, org, ranked):
    client.force_login(org.director.user)
    response = client.post(reverse("rewards:ranking_publish"), {"period": "month", "first_month": "2017-03-01",
                                                                "show_amounts": "1"})
    assert response.url == url()
    assert PublishedRanking.objects.get().show_amounts


def test_an_open_month_posted_comes_back_with_the_reason(client, org, ranked, unchanged):
    client.force_login(org.director.user)
    with unchanged():
        response = client.post(reverse("rewards:ranking_publish"), {"period": "month", "first_month": "2017-04-01"},
                               follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("dashboards:rankings"))
    assert any("2017-04" in str(m) for m in response.context["messages"])


@pytest.mark.parametrize("count", [1, 2])
def test_the_published_list_and_a_ranking_cost_the_same_queries_at_any_size(client, org, ranked, count,
                                                                           django_assert_num_queries):
    ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    if count == 2:
        services.month_close(month=FEBRUARY, by=org.director.user)
        ranking_publish(by=org.director.user, period="month", first_month=FEBRUARY)
    client.force_login(org.rep_a.user)
    # the session, the user, the principal, the published rankings, the header's unread count
    with django_assert_num_queries(5):
        assert len(client.get(reverse("rewards:rankings")).context["rankings"]) == count
    # the session, the user, the principal, the ranking with its rows, the header's unread count
    with django_assert_num_queries(5):
        client.get(url())


def test_the_director_withdraws_from_the_ranking_page_and_hr_may_not(client, org, ranked, unchanged):
    ranking = ranking_publish(by=org.director.user, period="month", first_month=MARCH)
    client.force_login(org.hr.user)
    with unchanged():
        assert client.post(reverse("rewards:ranking_withdraw", args=[ranking.pk]), {"version": 1}).status_code == 403
    client.force_login(org.director.user)
    assert client.post(reverse("rewards:ranking_withdraw", args=[ranking.pk]), {"version": 1}).url == url()
    ranking.refresh_from_db()
    assert ranking.withdrawn_at is not None
