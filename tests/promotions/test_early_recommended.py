"""Early promotion out of probation: HR records at review that the department recommends it (the page's checkbox,
the API's `early_recommended`), the case keeps it as a field, and the engine then counts the time in position from
the appointment, probation included. The migration takes the flag out of the old `review` JSON."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from promotions.models import CaseState, PromotionCase
from promotions.services import cases
from tests import factories
from tests.api_errors import errors_by_field
from tests.promotions.conftest import CHECKLIST, nominate, publish, review

flag_out_of_review = importlib.import_module("promotions.migrations.0006_early_recommended_from_review"
                                             ).flag_out_of_review
SCORES = {f"score_{c}": 4 for c in CHECKLIST}


@pytest.fixture
def probationer(org):
    """A rep in team A since June 2016 on a year's probation: in position 15 months by September 2017, but only
    three of them after probation."""
    return factories.employee(team=org.team_a, hired=date(2016, 6, 1), probation_end=date(2017, 5, 31),
                              name="试用者")


@pytest.mark.parametrize(("early", "state", "rules_met"), [(False, CaseState.WITH_GENERAL_MANAGER, False),
                                                           (True, CaseState.WITH_DIRECTOR, True)])
def test_the_recommendation_lets_the_engine_count_probation_and_the_rules_are_met(org, steps, positions,
                                                                                   probationer, cycle, early,
                                                                                   state, rules_met):
    publish(org, cycle, probationer, 5)
    case = cases.case_nominate(by=org.hr.user, employee_id=probationer.pk, kind="up_position",
                               to_position_id=positions["senior_rep"].pk, effective_on=date(2017, 9, 1),
                               reason="部门推荐提前晋升")
    review(case, org, early_recommended=early, special_reason="" if early else "部门推荐")
    case.refresh_from_db()
    assert (case.state, case.rules_met, case.early_recommended) == (state, rules_met, early)
    assert [u["rule"] for u in case.unmet_rules] == ([] if early else ["time"])


def test_hr_ticks_the_recommendation_on_the_review_form(client, org, ladder, engine):
    case = nominate(org, ladder)
    client.force_login(org.hr.user)
    form = client.get(reverse("promotions:case", args=[case.pk])).content.decode()
    assert 'name="early_recommended"' in form
    response = client.post(reverse("promotions:case_act", args=[case.pk, "review"]),
                           {"version": case.version, "early_recommended": "on", **SCORES})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.early_recommended is True and "early" not in case.review
    assert engine.calls[-1][-1] is True
    page = client.get(reverse("promotions:case", args=[case.pk])).content.decode()
    assert 'id="early-recommended"' in page


def test_the_api_review_takes_early_recommended_and_refuses_the_old_name(client, org, ladder, engine, unchanged):
    case = nominate(org, ladder)
    client.force_login(org.hr.user)
    url = reverse("promotion-case-act", args=[case.pk])
    with unchanged():
        old = client.post(url, {"action": "review", "version": case.version, "checklist": CHECKLIST, "early": True},
                          content_type="application/json")
    assert old.status_code == 400 and "early_recommended" in errors_by_field(old)["early"][0]
    done = client.post(url, {"action": "review", "version": case.version, "checklist": CHECKLIST,
                             "early_recommended": True}, content_type="application/json")
    assert done.status_code == 200 and done.json()["early_recommended"] is True
    assert engine.calls == [(org.rep_a.pk, ladder["senior"].pk, case.effective_on, True)]


def test_the_migration_moves_the_flag_out_of_the_review(org, ladder, engine):
    recommended, plain = nominate(org, ladder), nominate(org, ladder, org.hr, employee=org.rep_b)
    for case in (recommended, plain):
        review(case, org)
    PromotionCase.objects.filter(pk=recommended.pk).update(review={"checklist": CHECKLIST, "early": True})
    PromotionCase.objects.filter(pk=plain.pk).update(review={"checklist": CHECKLIST, "early": False})
    flag_out_of_review(apps, None)
    rows = {c.pk: c for c in PromotionCase.objects.all()}
    assert (rows[recommended.pk].early_recommended, rows[plain.pk].early_recommended) == (True, False)
    assert all(rows[c.pk].review == {"checklist": CHECKLIST} for c in (recommended, plain))

