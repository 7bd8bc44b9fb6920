"""The case pages and endpoints for the roles they serve: nominate with the target prefilled, act forms posting the
version, the director's and the GM's waiting lists on their start page, a rejection shown to the nominator, and
the API's 400 naming the field and 409 for a stale version."""

from datetime import date

import pytest
from django.urls import reverse

from promotions.models import CaseState, PromotionCase
from promotions.services import cases
from tests import factories
from tests.api_errors import errors_by_field
from tests.promotions.conftest import act, nominate, publish, review


def test_nominate_page_prefills_employee_and_target(client, org, ladder):
    client.force_login(org.hr.user)
    url = reverse("promotions:case_new") + f"?employee={org.rep_a.pk}&to_position={ladder['senior'].pk}"
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"].initial == {"employee": str(org.rep_a.pk), "to_position": str(ladder["senior"].pk)}


def test_nominating_through_the_page_opens_the_case(client, org, ladder):
    client.force_login(org.manager_a.user)
    response = client.post(reverse("promotions:case_new"), {
        "employee": org.rep_a.pk, "kind": "up_both", "to_position": ladder["senior"].pk,
        "to_grade": ladder["g2"].pk, "effective_on": "2017-09-01", "reason": "业绩突出"})
    case = PromotionCase.objects.get()
    assert response.status_code == 302 and response.url == reverse("promotions:case", args=[case.pk])


def test_a_refused_nomination_comes_back_on_its_field(client, org, ladder, unchanged):
    client.force_login(org.manager_a.user)
    with unchanged():
        page = client.post(reverse("promotions:case_new"), {
            "employee": org.rep_a.pk, "kind": "up_both", "to_position": ladder["rep"].pk,
            "to_grade": ladder["g2"].pk, "effective_on": "2017-09-01", "reason": "好"})
    assert page.status_code == 200 and page.context["form"].errors["to_position"]


def test_hr_reviews_on_the_case_page_and_the_director_sees_it_waiting(client, org, ladder, engine, plan):
    case = nominate(org, ladder)
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:case", args=[case.pk]))
    assert "review" in page.context["forms"]
    fields = {"version": case.version, **{f"score_{c}": 4 for c in ("skills", "experience", "conduct",
                                                                    "contribution", "potential")}}
    assert client.post(reverse("promotions:case_act", args=[case.pk, "review"]), fields).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.WITH_DIRECTOR
    client.force_login(org.director.user)
    start = client.get(reverse("dashboards:director"))
    assert [c.pk for c in start.context["cases_waiting"]] == [case.pk]
    client.force_login(org.general_manager.user)
    assert client.get(reverse("dashboards:director")).context["cases_waiting"] == []


def test_before_the_review_the_case_page_shows_the_engines_own_checks(client, org, steps, positions, cycle):
    publish(org, cycle, org.rep_a, 5)  # excellent by their manager, in position since 2016: every rule met
    case = cases.case_nominate(by=org.hr.user, employee_id=org.rep_a.pk, kind="up_position",
                               to_position_id=positions["senior_rep"].pk, effective_on=date(2017, 9, 1), reason="好")
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:case", args=[case.pk]))
    assert [(c.rule, c.met) for c in page.context["checks"]] == [("time", True), ("rating", True)]
    assert "✓ 最近一次考核：优秀（部门经理评定）" in page.content.decode()


def test_a_stale_act_on_the_page_says_who_acted(client, org, ladder, engine):
    case = nominate(org, ladder)
    stale = case.version
    review(case, org)
    client.force_login(org.director.user)
    page = client.post(reverse("promotions:case_act", args=[case.pk, "approve"]), {"version": stale})
    assert page.status_code == 200 and "本次未保存" in str(page.context["forms"]["approve"].errors)


def test_a_rejection_tells_the_nominator_why_on_their_start_page(client, org, ladder, engine, plan):
    case = nominate(org, ladder)
    review(case, org)
    act("reject", case, org.director, reason="入职时间不足")
    client.force_login(org.manager_a.user)
    page = client.get(reverse("dashboards:team", args=[org.team_a.pk]))
    assert [(c.pk, c.rejected_why) for c in page.context["cases_rejected"]] == [(case.pk, "入职时间不足")]
    assert "入职时间不足" in page.content.decode()


@pytest.mark.parametrize("size", [2, 6])
def test_the_case_list_costs_the_same_queries_at_any_size(client, org, ladder, django_assert_num_queries, size):
    for n in range(size):
        rep = factories.employee(team=org.team_a)
        nominate(org, ladder, org.hr, employee=rep, reason=f"第{n}")
    client.force_login(org.hr.user)
    # session, user, principal; the page's count and rows (joined); the header's unread notices
    with django_assert_num_queries(6):
        page = client.get(reverse("promotions:cases"))
    assert len(page.context["page"].object_list) == size


def test_api_act_answers_400_naming_the_field_and_409_for_a_stale_version(client, org, ladder, engine):
    case = nominate(org, ladder)
    client.force_login(org.hr.user)
    url = reverse("promotion-case-act", args=[case.pk])
    bad = client.post(url, {"action": "review", "version": case.version, "checklist": {}},
                      content_type="application/json")
    assert bad.status_code == 400 and "review" in errors_by_field(bad)
    stale = client.post(url, {"action": "withdraw", "version": case.version + 5, "reason": "x"},
                        content_type="application/json")
    assert stale.status_code == 409 and "version" in errors_by_field(stale)
    done = client.post(url, {"action": "withdraw", "version": case.version, "reason": "本人放弃"},
                       content_type="application/json")
    assert done.status_code == 200 and done.json()["state"] == CaseState.WITHDRAWN
    assert [h["action"] for h in done.json()["history"]] == ["nominate", "withdraw"]


def test_api_lists_only_the_cases_in_scope(client, org, ladder):
    case = nominate(org, ladder)
    client.force_login(org.manager_b.user)
    assert client.get(reverse("promotion-case-list")).json()["results"] == []
    assert client.get(reverse("promotion-case-detail", args=[case.pk])).status_code == 404
    client.force_login(org.manager_a.user)
    assert [c["id"] for c in client.get(reverse("promotion-case-list")).json()["results"]] == [case.pk]
