"""The manager reserve pool: N of the last M published cycles at the edges (pure), the pool on published cycles
with each member's ranking history, HR's rule form (saved, refused for bad input and for other roles, a stale
edit refused), and its queries at two sizes."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from appraisals.models import Level
from kpis.results.models import PeriodPlacing
from promotions import calculations as calc
from promotions.calculations import PoolRule, RatingResult
from promotions.models import ReservePoolRule
from promotions.selectors.pool import pool_rule, reserve_pool, rule_version
from promotions.services.pool import reserve_pool_rule_set
from teams import access
from teams.errors import DomainError
from tests import factories
from tests.appraisals.conftest import enter, open_cycle, roll_up

from .conftest import publish

TODAY = date(2017, 8, 15)  # the promotions tests' AS_OF_DATE
EXCELLENT, GOOD = Level.EXCELLENT, Level.GOOD


def results(*levels: int, last=date(2017, 7, 31)) -> tuple[RatingResult, ...]:
    """Return published results, the latest first: one a month back from `last` per level."""
    return tuple(RatingResult(calc.month_end(calc.add_months(last, -n)), level, "", calc.MANAGER)
                 for n, level in enumerate(levels))


def standing(found, n=2, m=3, on=TODAY):
    return calc.pool_standing(found, PoolRule(n, m), excellent=EXCELLENT, on=on)


# --- N of the last M (pure) --------------------------------------------------------------------------------------

@pytest.mark.parametrize(("levels", "n", "m", "member"), [
    ((5, 5, 4), 2, 3, True),         # exactly N of M
    ((5, 4, 4), 2, 3, False),        # N − 1
    ((4, 4, 4, 5, 5), 2, 3, False),  # the excellent ones are older than the last M
    ((5, 5), 2, 3, True),            # fewer than M published: judged on those they have
    ((5,), 2, 3, False),             # fewer than N published can never be enough
    ((4, 4, 4), 1, 3, False),        # "good" is not "excellent"
    ((), 1, 1, False),               # nothing published
    ((5, 5, 5), 3, 3, True),
])
def test_n_of_the_last_m_cycles(levels, n, m, member):
    got = standing(results(*levels), n, m)
    assert got.member is member
    assert got.counted == min(len(levels), m)


def test_a_cycle_ending_after_the_day_does_not_count_yet():
    found = results(5, 4, 4, last=date(2017, 9, 30))  # September and August end after the day
    assert standing(found, 1, 2, on=TODAY) == calc.PoolStanding(0, 1, False)  # July alone
    assert standing(found, 1, 2, on=date(2017, 10, 1)).member


ratings = st.lists(st.sampled_from([1, 2, 3, 4, 5]), max_size=8)


@given(ratings, st.integers(min_value=1, max_value=6), st.integers(min_value=0, max_value=5))
def test_the_pool_counts_at_most_m_cycles_and_admits_exactly_from_n_excellent(levels, m, less):
    n = max(m - less, 1)
    got = standing(results(*levels), n, m)
    last_m = levels[:m]
    assert got.counted == len(last_m)
    assert got.excellent == last_m.count(5)
    assert got.member is (last_m.count(5) >= n)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), st.integers(min_value=1, max_value=24))
def test_recent_months_end_with_the_days_month_one_month_apart(day, count):
    months = calc.recent_months(day, count)
    assert len(months) == count and months[-1] == day.replace(day=1)
    assert all(calc.add_months(a, 1) == b for a, b in zip(months, months[1:], strict=False))


# --- the pool on published cycles ---------------------------------------------------------------------------------

@pytest.fixture
def three_cycles(org, steps, cycle, plan):
    """February and March (monthly) and the first half, published: rep A 优秀/良好/优秀, rep B 良好/优秀/良好."""
    february = open_cycle(org, plan, name="2017年2月", kind="monthly", first=date(2017, 2, 1), last=date(2017, 2, 1))
    march = open_cycle(org, plan, name="2017年3月", kind="monthly", first=date(2017, 3, 1), last=date(2017, 3, 1))
    for found, (a, b) in ((february, (EXCELLENT, GOOD)), (march, (GOOD, EXCELLENT)), (cycle, (EXCELLENT, GOOD))):
        publish(org, found, org.rep_a, a)
        publish(org, found, org.rep_b, b)


def hr(org):
    return access.principal_of(org.hr.user)


def members(org, on=TODAY) -> dict[int, calc.PoolStanding]:
    return {m.employee.pk: m.standing for m in reserve_pool(hr(org), on).members}


def set_rule(org, n, m):
    return reserve_pool_rule_set(by=org.hr.user, excellent_in=n, cycles=m, version=rule_version(pool_rule()))


def test_the_pool_holds_reps_excellent_in_n_of_their_last_m_published_cycles(org, three_cycles):
    assert pool_rule().pk is None and (pool_rule().excellent_in, pool_rule().cycles) == (2, 3)  # the seed's default
    assert members(org) == {org.rep_a.pk: calc.PoolStanding(2, 3, True)}
    set_rule(org, 1, 1)  # the latest cycle only: the first half
    assert set(members(org)) == {org.rep_a.pk}
    set_rule(org, 1, 2)  # March or the first half
    assert set(members(org)) == {org.rep_a.pk, org.rep_b.pk}
    set_rule(org, 3, 3)
    assert members(org) == {}


def test_a_manager_or_a_leaver_is_never_in_the_pool(org, steps, cycle):
    publish(org, cycle, org.manager_a, EXCELLENT)
    set_rule(org, 1, 1)
    assert org.manager_a.pk not in members(org)
    assert org.leaver.pk not in members(org)


def test_each_member_shows_their_company_rank_and_attainment_for_the_last_six_months(org, steps, cycle):
    publish(org, cycle, org.rep_a, EXCELLENT)
    set_rule(org, 1, 1)
    enter(org, org.rep_a, week=date(2017, 7, 3), deposits=900_000)
    roll_up()
    (member,) = reserve_pool(hr(org), TODAY).members
    pool = reserve_pool(hr(org), TODAY)
    assert pool.months == tuple(date(2017, m, 1) for m in range(3, 9))
    july = member.ranks[pool.months.index(date(2017, 7, 1))]
    stored = PeriodPlacing.objects.get(period="month", first_month=date(2017, 7, 1), employee=org.rep_a)
    assert (july.rank, july.attainment) == (stored.rank, stored.attainment) and july.rank == 1


@pytest.mark.parametrize("extra", [0, 3])
def test_the_pool_takes_the_same_queries_whatever_the_number_of_members(org, steps, plan, extra,
                                                                         django_assert_num_queries):
    reps = [org.rep_a, *(factories.employee(team=org.team_a) for _ in range(extra))]
    roll_up()
    found = open_cycle(org, plan)
    for rep in reps:
        publish(org, found, rep, EXCELLENT)
    set_rule(org, 1, 1)
    # the rule; the people (with their position on the day), positions, memberships, teams led; rungs; rating
    # labels, published results; the placings
    with django_assert_num_queries(9):
        pool = reserve_pool(hr(org), TODAY)
    assert len(pool.members) == 1 + extra


# --- HR's rule form ----------------------------------------------------------------------------------------------

def post_rule(client, who, **fields):
    client.force_login(who.user)
    body = {"excellent_in": "2", "cycles": "3", "version": rule_version(pool_rule()), **fields}
    return client.post(reverse("promotions:pool_rule"), body)


def test_hr_sets_n_and_m_on_the_candidates_page(client, org, steps):
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:candidates"))
    assert page.context["rule_form"].initial == {"excellent_in": 2, "cycles": 3, "version": ""}
    response = post_rule(client, org.hr, excellent_in="３", cycles="4")  # full-width digits, as typed in Chinese
    assert response.status_code == 302 and response.url.endswith("#pool")
    rule = ReservePoolRule.objects.get()
    assert (rule.excellent_in, rule.cycles, rule.changed_by) == (3, 4, org.hr.user)
    assert timezone.now() - rule.changed_at < timedelta(minutes=1)
    shown = client.get(reverse("promotions:candidates")).context["rule_form"].initial
    assert shown == {"excellent_in": 3, "cycles": 4, "version": rule.changed_at.isoformat()}


@pytest.mark.parametrize(("fields", "field"), [
    ({"excellent_in": "4", "cycles": "3"}, "excellent_in"),  # N > M
    ({"excellent_in": "0", "cycles": "3"}, "excellent_in"),
    ({"excellent_in": "1", "cycles": "0"}, "cycles"),          # M ≥ 1
    ({"excellent_in": "两", "cycles": "3"}, "excellent_in"),
    ({"excellent_in": "1.5", "cycles": "3"}, "excellent_in"),
    ({"excellent_in": "1", "cycles": "-2"}, "cycles"),
    ({"excellent_in": "1", "cycles": "99999"}, "cycles"),      # past the column
    ({"excellent_in": "", "cycles": "3"}, "excellent_in"),
])
def test_bad_input_comes_back_on_its_field_and_nothing_is_written(client, org, steps, unchanged, fields, field):
    with unchanged():
        page = post_rule(client, org.hr, **fields)
    assert page.status_code == 200 and page.context["rule_form"].errors[field]


def test_a_stale_edit_is_refused_saying_who_changed_the_rule(client, org, steps, unchanged):
    shown = rule_version(pool_rule())  # HR 1 opens the page
    other = factories.employee(role="hr", name="人事二")
    reserve_pool_rule_set(by=other.user, excellent_in=1, cycles=2, version=shown)  # HR 2 saves first
    with unchanged():
        page = post_rule(client, org.hr, excellent_in="3", cycles="3", version=shown)
    errors = page.context["rule_form"].non_field_errors()
    assert page.status_code == 200 and "人事二" in str(errors)
    assert (pool_rule().excellent_in, pool_rule().cycles) == (1, 2)


def test_a_second_first_save_over_the_first_is_stale_too(org):
    reserve_pool_rule_set(by=org.hr.user, excellent_in=1, cycles=2, version="")
    with pytest.raises(DomainError) as refused:
        reserve_pool_rule_set(by=org.hr.user, excellent_in=3, cycles=3, version="")
    assert refused.value.field == "version" and ReservePoolRule.objects.count() == 1


def test_saving_the_same_rule_changes_nothing(org):
    first = reserve_pool_rule_set(by=org.hr.user, excellent_in=2, cycles=3, version="")
    again = reserve_pool_rule_set(by=org.hr.user, excellent_in="2", cycles="3", version=rule_version(first))
    assert again.changed_at == first.changed_at


@pytest.mark.parametrize("role", ["director", "general_manager", "manager_a", "rep_a"])
def test_only_hr_sets_the_rule(client, org, role, unchanged):
    with unchanged():
        assert post_rule(client, org.by_role(role)).status_code == 403
    with pytest.raises(DomainError) as refused:
        reserve_pool_rule_set(by=org.by_role(role).user, excellent_in=1, cycles=1, version="")
    assert refused.value.field == "action"


def test_an_anonymous_visitor_is_sent_to_log_in_and_the_rule_is_not_read_by_get(client, org, unchanged):
    with unchanged():
        response = client.post(reverse("promotions:pool_rule"), {"excellent_in": "1", "cycles": "1"})
    assert response.status_code == 302 and reverse("login") in response.url
    client.force_login(org.hr.user)
    assert client.get(reverse("promotions:pool_rule")).status_code == 405


def test_the_rule_shows_who_set_it_and_when(client, org):
    reserve_pool_rule_set(by=org.hr.user, excellent_in=1, cycles=2, version="")
    client.force_login(org.director.user)
    page = client.get(reverse("promotions:candidates")).content.decode()
    assert org.hr.name in page and 'id="pool-rule"' not in page  # the director sees the rule, HR sets it
