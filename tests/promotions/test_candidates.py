"""HR's candidates page: eligible now and within the horizon with the reasons, the rest on request, XLSX export,
who may open it, and its queries at two sizes."""

from datetime import date

import pytest
from django.test import override_settings
from django.urls import reverse

from promotions.selectors.candidates import Filters, candidates
from teams import access
from tests import factories

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
