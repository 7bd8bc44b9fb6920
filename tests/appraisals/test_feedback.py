"""Anonymous feedback: HR names the givers, each answers only their own request; the appraisee and the rater
see answers without names or times, ordered by text, only after the step closed and only from three answers."""

import pytest

from appraisals.models import Step
from appraisals.selectors import feedback_shown, feedback_to_give
from appraisals.services import feedback
from teams import access
from teams.errors import DomainError
from tests import factories
from tests.appraisals.conftest import act, advance, appraisal_of, roll_up


@pytest.fixture
def givers(org):
    return [factories.employee(team=org.team_a, name=name) for name in ("张三", "李四", "王五")]


@pytest.fixture
def asked(org, feedback_cycle, givers):
    roll_up()  # the givers' memberships made their months stale
    appraisal = advance(org, appraisal_of(feedback_cycle, org.rep_a), Step.FEEDBACK)
    requests = feedback.feedback_ask(by=org.hr.user, appraisal_id=appraisal.pk, giver_ids=[g.pk for g in givers])
    return appraisal, requests


def answer(requests, texts):
    for request, text in zip(requests, texts, strict=False):
        feedback.feedback_answer(by=request.giver.user, request_id=request.pk, answer=text)


def shown_to(org, appraisal, who):
    appraisal.refresh_from_db()
    return feedback_shown(access.principal_of(who.user), appraisal)


def test_the_appraisee_and_rater_see_answers_without_names_ordered_by_text(org, asked, givers):
    appraisal, requests = asked
    answer(requests, ["b 认真", "c 守时", "a 主动"])  # given in another order than the text's
    act("close_feedback", appraisal, org.hr)
    for reader in (org.rep_a, org.manager_a):
        shown = shown_to(org, appraisal, reader)
        assert [a.text for a in shown.answers] == ["a 主动", "b 认真", "c 守时"]
        assert all(a.giver_id is None and a.giver_name == "" and a.answered_at is None for a in shown.answers)
        assert not shown.with_names
        assert not any(g.name in repr(shown) for g in givers)


def test_hr_sees_who_gave_each_answer(org, asked, givers):
    appraisal, requests = asked
    answer(requests, ["认真", "守时"])
    shown = shown_to(org, appraisal, org.hr)
    assert shown.with_names and {(a.giver_name, a.text) for a in shown.answers} == {("张三", "认真"), ("李四", "守时")}


@pytest.mark.parametrize("count", [0, 1, 2])
def test_fewer_than_three_answers_are_not_shown(org, asked, count):
    appraisal, requests = asked
    answer(requests, ["认真", "守时"][:count])
    act("close_feedback", appraisal, org.hr)
    shown = shown_to(org, appraisal, org.rep_a)
    assert shown.answers == [] and shown.hidden == bool(count) and shown.count == count


def test_answers_are_not_shown_while_feedback_is_still_given(org, asked):
    appraisal, requests = asked
    answer(requests, ["认真", "守时", "主动"])
    assert shown_to(org, appraisal, org.rep_a).answers == []
    assert shown_to(org, appraisal, org.manager_a).answers == []


def test_a_giver_sees_and_answers_only_their_own_request(org, asked, givers, unchanged):
    appraisal, requests = asked
    mine = feedback_to_give(access.principal_of(givers[0].user))
    assert [r.pk for r in mine] == [requests[0].pk]
    with unchanged(), pytest.raises(DomainError) as refused:
        feedback.feedback_answer(by=givers[1].user, request_id=requests[0].pk, answer="冒充")
    assert refused.value.field == "request_id"


def test_the_appraisee_is_not_asked_about_themselves(org, asked, unchanged):
    appraisal, _requests = asked
    with unchanged(), pytest.raises(DomainError) as refused:
        feedback.feedback_ask(by=org.hr.user, appraisal_id=appraisal.pk, giver_ids=[org.rep_a.pk])
    assert refused.value.field == "giver_ids"


def test_only_hr_asks_for_feedback(org, asked, givers, unchanged):
    appraisal, _requests = asked
    for who in (org.manager_a, org.director, org.rep_a):
        with unchanged(), pytest.raises(DomainError):
            feedback.feedback_ask(by=who.user, appraisal_id=appraisal.pk, giver_ids=[givers[0].pk])


def test_no_answer_after_the_feedback_closed(org, asked, unchanged):
    appraisal, requests = asked
    act("close_feedback", appraisal, org.hr)
    with unchanged(), pytest.raises(DomainError) as refused:
        feedback.feedback_answer(by=requests[0].giver.user, request_id=requests[0].pk, answer="晚了")
    assert refused.value.field == "state"
