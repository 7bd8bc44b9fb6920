"""A published appraisal rated below satisfactory offers "Start a development plan" to whoever may nominate its
employee (HR, the director, their manager), prefilling the nomination with the kind and the appraisal as its
source; a good appraisal, an unpublished one, a rep and a manager who rated a rep since moved away see no link."""

from datetime import date

import pytest
from django.urls import reverse

from appraisals.models import Level, Step
from promotions.models import CaseKind, PromotionCase
from tests.appraisals.conftest import act as appraisal_act
from tests.appraisals.conftest import advance, appraisal_of, ratings
from tests.promotions.conftest import publish

LINK = 'id="start-development"'


@pytest.fixture
def poor(org, cycle):
    """Rep A's first half, published 待改进 (needs improvement)."""
    return publish(org, cycle, org.rep_a, Level.NEEDS_IMPROVEMENT)


def page(client, who, appraisal) -> str:
    client.force_login(who.user)
    response = client.get(reverse("appraisals:appraisal", args=[appraisal.pk]))
    assert response.status_code == 200
    return response.content.decode()


def link_of(appraisal) -> str:
    return (f'{reverse("promotions:case_new")}?employee={appraisal.employee_id}&amp;kind=development&amp;'
            f'appraisal={appraisal.pk}')


@pytest.mark.parametrize("role", ["hr", "director", "manager_a"])
def test_hr_the_director_and_the_manager_are_offered_a_plan_on_a_poor_appraisal(client, org, poor, role):
    html = page(client, org.by_role(role), poor)
    assert LINK in html and link_of(poor) in html


def test_the_rep_is_not_offered_it_on_their_own_poor_appraisal(client, org, poor):
    assert LINK not in page(client, org.rep_a, poor)


@pytest.mark.parametrize("level", [Level.SATISFACTORY, Level.GOOD, Level.EXCELLENT])
def test_a_satisfactory_or_better_appraisal_offers_no_plan(client, org, cycle, level):
    good = publish(org, cycle, org.rep_b, level)
    assert LINK not in page(client, org.hr, good)
    assert LINK not in page(client, org.manager_b, good)


def test_a_poor_rating_not_yet_published_offers_no_plan(client, org, cycle):
    appraisal = advance(org, appraisal_of(cycle, org.rep_a), Step.RATING)
    appraisal_act("rate", appraisal, appraisal.rater.user, goal_ratings=ratings(appraisal, 1), rating=1,
                  comment="不合格")
    appraisal.refresh_from_db()
    assert appraisal.state == Step.CONFIRMATION and appraisal.rating == 1
    assert LINK not in page(client, org.hr, appraisal)


def test_a_manager_who_may_not_nominate_the_rep_any_more_sees_no_link(client, org, cycle):
    # the mover spent most of the half-year in team A, so manager A rates them; they are in team B since June
    moved = publish(org, cycle, org.mover, Level.UNSATISFACTORY)
    assert moved.rater == org.manager_a
    assert LINK not in page(client, org.manager_a, moved)
    assert LINK in page(client, org.hr, moved)


def test_the_link_prefills_a_development_plan_from_the_appraisal(client, org, poor):
    client.force_login(org.manager_a.user)
    form = client.get(link_of(poor).replace("&amp;", "&")).context["form"]
    assert form.initial == {"employee": str(org.rep_a.pk), "kind": "development", "appraisal": str(poor.pk)}
    response = client.post(reverse("promotions:case_new"), {
        **form.initial, "effective_on": "2017-09-01", "review_on": "2017-12-01", "reason": "上半年考核待改进",
        "plan_text": "参加逼单技巧培训"})
    case = PromotionCase.objects.get()
    assert response.status_code == 302
    assert (case.kind, case.source_appraisal, case.review_on) == (CaseKind.DEVELOPMENT, poor, date(2017, 12, 1))
