"""A development plan ends in a state that says how: closed_improved, or closed_not_improved when a demotion or
release case follows it. The case page, HR's list and its filter show the outcome in Chinese and English, and the
migration moves plans closed before the split to the state their closing event names."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.urls import reverse

from promotions.models import CaseState, PromotionCase
from promotions.selectors.cases import history
from teams.models import StateEvent
from teams.transitions import subject_type
from tests.promotions.conftest import act, nominate, review

split_closed = importlib.import_module("promotions.migrations.0004_closed_cases_by_outcome").split_closed


def running_plan(org, ladder, employee=None) -> PromotionCase:
    """Return a development plan for the employee (rep A), approved by the director and running."""
    plan = nominate(org, ladder, org.hr, kind="development", employee=employee, plan_text="培训逼单",
                    review_on=date(2017, 11, 1))
    review(plan, org)
    act("approve", plan, org.director)
    plan.refresh_from_db()
    assert plan.state == CaseState.IN_DEVELOPMENT
    return plan


@pytest.fixture
def outcomes(org, ladder, engine) -> tuple[PromotionCase, PromotionCase]:
    """Rep A's plan closed improved, rep B's closed not improved (a release follows it)."""
    improved, failed = running_plan(org, ladder), running_plan(org, ladder, org.rep_b)
    act("improved", improved, org.hr, reason="已达标")
    act("not_improved", failed, org.hr, reason="仍未达标", follow_kind="release", effective_on=date(2017, 12, 31))
    improved.refresh_from_db()
    failed.refresh_from_db()
    return improved, failed


def test_each_outcome_is_its_own_state_and_its_event_says_so(outcomes):
    improved, failed = outcomes
    assert (improved.state, failed.state) == (CaseState.CLOSED_IMPROVED, CaseState.CLOSED_NOT_IMPROVED)
    assert not improved.followed_by.exists() and failed.followed_by.get().kind == "release"
    assert [(s.event.action, s.event.to_state) for s in history(failed)][-1] == (
        "not_improved", CaseState.CLOSED_NOT_IMPROVED)


@pytest.mark.parametrize(("language", "improved_label", "failed_label"), [
    ("zh-hans", "已结束：有改进", "已结束：未改进"), ("en", "Closed: improved", "Closed: not improved")])
def test_the_case_page_shows_the_outcome_in_the_viewers_language(client, org, outcomes, language, improved_label,
                                                                   failed_label):
    improved, failed = outcomes
    client.force_login(org.hr.user)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = language
    improved_page = client.get(reverse("promotions:case", args=[improved.pk])).content.decode()
    failed_page = client.get(reverse("promotions:case", args=[failed.pk])).content.decode()
    assert f'id="state">{improved_label}<' in improved_page and failed_label not in improved_page
    assert f'id="state">{failed_label}<' in failed_page


@pytest.mark.parametrize(("state", "label"), [(CaseState.CLOSED_IMPROVED, "已结束：有改进"),
                                              (CaseState.CLOSED_NOT_IMPROVED, "已结束：未改进")])
def test_hrs_list_filters_by_each_outcome_and_offers_both(client, org, outcomes, state, label):
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:cases"), {"state": state})
    assert [c.pk for c in page.context["page"].object_list] == [c.pk for c in outcomes if c.state == state]
    html = page.content.decode()
    assert f'<option value="{state}" selected>{label}</option>' in html
    assert f'<span class="tag">{label}</span>' in html
    offered = [value for value, _label in page.context["states"]]
    assert {CaseState.CLOSED_IMPROVED, CaseState.CLOSED_NOT_IMPROVED} <= set(offered) and "closed" not in offered


def test_the_migration_moves_plans_closed_before_the_split_by_their_closing_event(org, ladder, engine, outcomes):
    improved, failed = outcomes
    by_hand = running_plan(org, ladder, org.mover)  # closed with no event on record, nothing follows it
    rows = PromotionCase.objects.filter(pk__in=[improved.pk, failed.pk, by_hand.pk])
    events = StateEvent.objects.filter(subject_type=subject_type(PromotionCase), action__in=["improved",
                                                                                             "not_improved"])
    rows.update(state="closed")  # as the rows were before the outcome had states of its own
    events.update(to_state="closed")
    split_closed(apps, None)
    assert dict(rows.values_list("pk", "state")) == {improved.pk: CaseState.CLOSED_IMPROVED,
                                                     failed.pk: CaseState.CLOSED_NOT_IMPROVED,
                                                     by_hand.pk: CaseState.CLOSED_IMPROVED}
    assert dict(events.values_list("subject_id", "to_state")) == {improved.pk: CaseState.CLOSED_IMPROVED,
                                                                  failed.pk: CaseState.CLOSED_NOT_IMPROVED}
    split_closed(apps, None)  # run again: nothing left to move
    assert rows.filter(state="closed").count() == 0
