"""HR's candidates page: eligible now and within the horizon with the reasons, the rest on request; contracts
ending by the position held on the day, with team, days left and whether the team has a reserve; each section's
empty state; the XLSX export a sheet per section; who may open it, and its queries at two sizes."""

import io
from datetime import date

import openpyxl
import pytest
from django.test import override_settings
from django.urls import reverse

from promotions.selectors.candidates import Filters, candidates
from promotions.selectors.contracts import contracts_ending
from promotions.selectors.pool import reserve_pool
from promotions.services.pool import reserve_pool_rule_set
from teams import access
from teams import services as team_services
from teams.models import Position
from tests import factories

from ..appraisals.conftest import roll_up
from .conftest import publish

TODAY = date(2017, 9, 1)


@pytest.fixture
def excellent_rep_a(org, steps, cycle):
    publish(org, cycle, org.rep_a, 5)
    publish(org, cycle, org.rep_b, 4)


@override_settings(AS_OF_DATE=TODAY)
def test_hr_starts_on_the_candidates_page_and_sees_who_is_eligible_with_the_reasons(client, org, excellent_rep_a):
    client.force_login(org.hr.user)
    assert client.get(reverse("home"))["Location"] == reverse("promotions:candidates")
    page = client.get(reverse("promotions:candidates")).content.decode()
    assert f'data-employee="{org.rep_a.pk}" data-verdict="now"' in page
    assert "最近一次考核：优秀（部门经理评定）" in page
    assert f'data-employee="{org.rep_b.pk}"' not in page  # 良好: not eligible, shown only on request
    everyone = client.get(reverse("promotions:candidates"), {"all": "1"}).content.decode()
    assert f'data-employee="{org.rep_b.pk}" data-verdict="not"' in everyone


@override_settings(AS_OF_DATE=TODAY)
def test_a_candidate_row_links_to_the_nomination_prefilled_for_who_may_nominate_and_not_for_the_gm(
        client, org, excellent_rep_a):
    nominate = f"{reverse('promotions:case_new')}?employee={org.rep_a.pk}&amp;to_position="
    client.force_login(org.hr.user)
    assert nominate in client.get(reverse("promotions:candidates")).content.decode()
    client.force_login(org.general_manager.user)
    assert nominate not in client.get(reverse("promotions:candidates")).content.decode()


@override_settings(AS_OF_DATE=TODAY)
def test_the_candidates_export_to_xlsx(client, org, excellent_rep_a):
    client.force_login(org.hr.user)
    response = client.get(reverse("promotions:candidates"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")


@pytest.fixture
def late(org):
    """A rep hired in February 2017 whose probation ends on 30 April, before the cycle opens."""
    return factories.employee(team=org.team_a, hired=date(2017, 2, 1), probation_end=date(2017, 4, 30))


def test_someone_eligible_within_the_horizon_is_listed_with_the_day(org, steps, late, cycle):
    publish(org, cycle, late, 5)
    p = access.principal_of(org.hr.user)
    (row,) = [c for c in candidates(p, TODAY, Filters(horizon_months=3)) if c.employee.pk == late.pk]
    assert (row.eligibility.verdict, row.eligibility.eligible_from) == ("from", date(2017, 11, 1))
    assert not [c for c in candidates(p, TODAY, Filters(horizon_months=1)) if c.employee.pk == late.pk]
    assert [c.employee.pk for c in candidates(p, TODAY, Filters(team_id=org.team_b.pk, with_not_eligible=True))
            if c.employee.pk == late.pk] == []


@pytest.mark.parametrize("extra", [0, 5])
def test_the_candidates_take_the_same_queries_whatever_the_number_of_people(org, steps, extra,
                                                                             django_assert_num_queries):
    for _ in range(extra):
        factories.employee(team=org.team_a)
    p = access.principal_of(org.hr.user)
    # people, memberships, rungs, positions, steps, rating labels ×2, requirements, appointments, results,
    # attendance
    with django_assert_num_queries(11):
        candidates(p, TODAY, Filters(with_not_eligible=True))


# --- the page's other sections: contracts ending, the reserve pool, vacancies --------------------------------------

def appoint(employee, position, on):
    team_services.appointment_record(employee=employee, position=position, salary_grade=factories.SalaryGradeFactory(),
                                     effective_from=on)


def ends(employee, day):
    team_services.employee_contract_set(employee=employee, contract_end=day)


@pytest.fixture
def contracts(org, positions, steps, cycle):
    """Contracts ending within six months of 1 September: manager A (a reserve in team A: rep A, rated 优秀), rep B
    a senior rep (no reserve in team B), a former manager now a rep, and rep A, a rep. Manager B's ends later."""
    appoint(org.manager_a, positions["manager"], date(2016, 2, 1))
    appoint(org.manager_b, positions["manager"], date(2016, 2, 1))
    appoint(org.rep_b, positions["senior_rep"], date(2016, 6, 1))
    former = factories.employee(team=org.team_a, name="前经理")
    appoint(former, positions["manager"], date(2016, 2, 1))
    appoint(former, positions["rep"], date(2017, 3, 1))
    roll_up()  # the hire made the months stale
    publish(org, cycle, org.rep_a, 5)
    reserve_pool_rule_set(by=org.hr.user, excellent_in=1, cycles=1, version="")
    for employee, day in ((org.manager_a, date(2017, 12, 31)), (org.rep_b, date(2018, 2, 28)),
                          (former, date(2017, 11, 30)), (org.rep_a, date(2017, 10, 31)),
                          (org.manager_b, date(2018, 3, 2))):
        ends(employee, day)
    return former


def test_contracts_ending_are_read_by_the_position_held_today_with_team_days_left_and_reserve(org, contracts):
    p = access.principal_of(org.hr.user)
    pool = reserve_pool(p, TODAY)
    found = contracts_ending(p, TODAY, reserve_team_ids=pool.team_ids())
    assert [(c.employee, c.staff.position.code, c.staff.team, c.days_left, c.has_reserve) for c in found] == [
        (org.manager_a, "manager", org.team_a, 121, True), (org.rep_b, "senior_rep", org.team_b, 180, False)]
    assert contracts not in [c.employee for c in found]  # once a manager, a rep today
    assert [c.employee for c in contracts_ending(p, TODAY, Filters(team_id=org.team_b.pk))] == [org.rep_b]
    assert [c.employee for c in contracts_ending(p, TODAY, Filters(position="manager"))] == [org.manager_a]


def test_someone_promoted_after_the_day_is_not_counted_as_a_manager_yet(org, positions):
    appoint(org.rep_a, positions["manager"], date(2017, 10, 1))
    ends(org.rep_a, date(2017, 12, 31))
    p = access.principal_of(org.hr.user)
    assert contracts_ending(p, TODAY) == []
    assert [c.employee for c in contracts_ending(p, date(2017, 10, 1))] == [org.rep_a]


@override_settings(AS_OF_DATE=TODAY)
def test_the_page_shows_the_contracts_and_the_pool_with_their_columns(client, org, contracts):
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:candidates")).content.decode()
    table = page[page.index('id="contracts-ending"'):page.index('id="vacancies"')]
    assert f'data-employee="{org.manager_a.pk}"' in table and "2017-12-31" in table and ">121<" in table
    assert f'data-employee="{contracts.pk}"' not in table and f'data-employee="{org.rep_a.pk}"' not in table
    pool = page[page.index('id="pool-members"'):page.index('id="contracts"')]
    assert f'data-employee="{org.rep_a.pk}"' in pool and "1 / 1" in pool


@override_settings(AS_OF_DATE=TODAY)
def test_each_section_says_when_it_is_empty(client, org, positions):
    team_services.team_assign_manager(team=org.team_a, manager=None)  # team A's position is open, nobody to fill it
    appoint(org.manager_b, positions["manager"], date(2016, 2, 1))
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:candidates")).content.decode()
    for empty in ("目前没有人符合储备人才规则。", "六个月内没有经理或专员的合同到期。", "没有内部候选人"):
        assert empty in page
    team_services.team_assign_manager(team=org.team_a, manager=org.manager_a)
    appoint(org.manager_a, positions["manager"], date(2016, 2, 1))
    assert "所选期限内没有空缺或将要空缺的经理岗位。" in client.get(reverse("promotions:candidates")).content.decode()


@override_settings(AS_OF_DATE=TODAY)
def test_the_export_has_a_sheet_per_section(client, org, contracts):
    client.force_login(org.hr.user)
    response = client.get(reverse("promotions:candidates"), {"format": "xlsx"})
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["候选人", "储备人才", "合同到期", "岗位空缺"]
    contracts_sheet = [[c.value for c in row] for row in book["合同到期"].iter_rows(min_row=2)]
    assert [(r[1], r[5], r[6]) for r in contracts_sheet] == [(org.manager_a.name, 121, "是"),
                                                             (org.rep_b.name, 180, "否")]
    pool_sheet = list(book["储备人才"].iter_rows(min_row=1, values_only=True))
    assert pool_sheet[0][6] == "2017-04 排名" and pool_sheet[1][1] == org.rep_a.name


@pytest.mark.parametrize(("role", "status"), [("hr", 200), ("director", 200), ("general_manager", 200),
                                              ("manager_a", 403), ("rep_a", 403), ("anonymous", 302)])
def test_who_opens_the_candidates_page(client, org, role, status):
    if role != "anonymous":
        client.force_login(org.by_role(role).user)
    assert client.get(reverse("promotions:candidates")).status_code == status
    assert client.get(reverse("promotions:candidates"), {"format": "xlsx"}).status_code == status


@pytest.mark.parametrize("extra", [0, 4])
@override_settings(AS_OF_DATE=TODAY)
def test_the_whole_page_takes_the_same_queries_whatever_the_number_of_people(client, org, contracts, extra,
                                                                             django_assert_num_queries):
    for n in range(extra):
        rep = factories.employee(team=org.team_b)
        appoint(rep, Position.objects.get(code="senior_rep"), date(2016, 6, 1))
        ends(rep, date(2017, 11, 1 + n))
    factories.TeamFactory(name="新组建队")  # a vacancy with internal candidates
    client.force_login(org.hr.user)
    # session, user, principal; candidates (11); the pool (9, the rule joined to who set it); contracts (5: four
    # for the people, rungs); vacancies (7); the filters' teams and ladders; HR's start page: the notice card and
    # the header's unread notices; the count of
    # rewards and penalties waiting for HR (dashboards/_records_waiting.html)
    with django_assert_num_queries(40):
        page = client.get(reverse("promotions:candidates"))
    assert len(page.context["contracts"].object_list) == 2 + extra
