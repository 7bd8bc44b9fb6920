"""Cases from nomination to dated history: special approval, skip-level, demotion, release ending access on its
date, application written once (by HR, at approval, or by the daily task run twice), and bad input refused naming
the rule with nothing changed."""

from datetime import date

import pytest
from django.conf import settings as django_settings

from promotions.models import CaseState, PromotionCase
from promotions.selectors.cases import checklist_prefill
from promotions.services.acts import cases_apply_due
from promotions.tasks import apply_due_cases
from teams import services as team_services
from teams.errors import DomainError
from teams.models import Appointment, EmployeeStatus, Membership
from tests.promotions.conftest import CHECKLIST, EFFECTIVE, act, nominate, review


def _approved(org, ladder, **kwargs) -> PromotionCase:
    case = nominate(org, ladder, **kwargs)
    review(case, org)
    return act("approve", case, org.director)


def test_rules_not_met_go_to_the_general_manager_with_the_unmet_rules_and_a_reason(org, ladder, engine, unchanged):
    engine.met = False
    case = nominate(org, ladder)
    with unchanged(), pytest.raises(DomainError, match="special approval needs a reason") as refused:
        review(case, org)
    assert refused.value.field == "special_reason"
    review(case, org, special_reason="季度销冠，贡献突出")
    case.refresh_from_db()
    assert (case.state, case.rules_met, case.special_reason) == (CaseState.WITH_GENERAL_MANAGER, False,
                                                                 "季度销冠，贡献突出")
    assert [u["rule"] for u in case.unmet_rules] == ["rating"]
    act("approve", case, org.general_manager)
    case.refresh_from_db()
    assert case.state == CaseState.APPROVED


def test_a_skip_level_is_always_special_even_when_the_engine_is_satisfied(org, ladder, engine):
    case = nominate(org, ladder, to="manager", team_id=org.team_a.pk)
    review(case, org, special_reason="破格提拔")
    case.refresh_from_db()
    assert case.state == CaseState.WITH_GENERAL_MANAGER
    assert "skip_level" in [u["rule"] for u in case.unmet_rules]


def test_review_asks_the_engine_on_the_effective_date_with_the_early_flag(org, ladder, engine):
    case = nominate(org, ladder)
    review(case, org, early_recommended=True)
    assert engine.calls == [(org.rep_a.pk, ladder["senior"].pk, EFFECTIVE, True)]
    case.refresh_from_db()
    assert case.early_recommended is True and "early" not in case.review


def test_without_the_recommendation_the_engine_excludes_probation(org, ladder, engine):
    case = nominate(org, ladder)
    review(case, org)
    assert engine.calls == [(org.rep_a.pk, ladder["senior"].pk, EFFECTIVE, False)]
    case.refresh_from_db()
    assert case.early_recommended is False


def test_a_lateral_move_demotion_or_release_asks_no_engine_and_goes_to_the_director(org, ladder, engine):
    case = nominate(org, ladder, kind="release", reason="连续末位")
    review(case, org)
    case.refresh_from_db()
    assert case.state == CaseState.WITH_DIRECTOR and engine.calls == []


def test_approval_after_the_effective_date_applies_at_once_writing_the_dated_appointment(org, ladder, engine,
                                                                                           settings):
    settings.AS_OF_DATE = date(2017, 9, 5)
    case = _approved(org, ladder)
    case.refresh_from_db()
    assert case.state == CaseState.APPLIED
    appointment = case.applied_appointment
    assert (appointment.position, appointment.salary_grade, appointment.effective_from) == (
        ladder["senior"], ladder["g2"], EFFECTIVE)
    assert team_services.appointment_at(org.rep_a, date(2017, 8, 31)).position == ladder["rep"]


def test_applying_twice_is_refused_and_writes_nothing(org, ladder, engine, settings, unchanged):
    settings.AS_OF_DATE = date(2017, 9, 5)
    case = _approved(org, ladder)
    with unchanged(), pytest.raises(DomainError, match="not possible"):
        act("apply", case, org.hr)


def test_hr_cannot_apply_before_the_effective_date(org, ladder, engine, unchanged):
    case = _approved(org, ladder)
    with unchanged(), pytest.raises(DomainError, match="takes effect on 2017-09-01") as refused:
        act("apply", case, org.hr)
    assert refused.value.field == "effective_on"


def test_an_unapproved_case_cannot_be_applied(org, ladder, engine, unchanged):
    case = nominate(org, ladder)
    review(case, org)
    with unchanged(), pytest.raises(DomainError, match="not possible"):
        act("apply", case, org.hr)


def test_the_daily_task_run_twice_applies_once(org, ladder, engine):
    case = _approved(org, ladder)
    assert cases_apply_due(today=date(2017, 8, 31)) == 0
    assert cases_apply_due(today=EFFECTIVE) == 1
    assert cases_apply_due(today=EFFECTIVE) == 0
    case.refresh_from_db()
    assert case.state == CaseState.APPLIED
    assert Appointment.objects.filter(employee=org.rep_a, effective_from=EFFECTIVE).count() == 1
    assert case.applied_appointment.recorded_by == org.director.user  # in the name of who approved it


def test_the_apply_task_is_on_the_beat_and_calls_the_service(org, ladder, engine, settings):
    _approved(org, ladder)
    settings.AS_OF_DATE = EFFECTIVE
    beat = [entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()]
    assert "promotions.tasks.apply_due_cases" in beat
    assert apply_due_cases.apply().get() == 1
    assert apply_due_cases.apply().get() == 0


def test_a_demotion_writes_the_lower_position(org, ladder, engine, settings):
    team_services.appointment_record(employee=org.rep_a, position=ladder["senior"], salary_grade=ladder["g2"],
                                     effective_from=date(2017, 1, 1))
    settings.AS_OF_DATE = date(2017, 9, 5)
    case = _approved(org, ladder, kind="demotion", to="rep", grade="g1", reason="考核不合格")
    case.refresh_from_db()
    assert case.state == CaseState.APPLIED
    assert team_services.appointment_at(org.rep_a, EFFECTIVE).position == ladder["rep"]


def test_a_development_plan_not_improved_leads_to_a_release_that_ends_access_on_its_date(org, ladder, engine):
    plan = nominate(org, ladder, kind="development", plan_text="培训逼单", review_on=date(2017, 11, 1))
    review(plan, org)
    act("approve", plan, org.director)
    plan.refresh_from_db()
    assert (plan.state, plan.review_on) == (CaseState.IN_DEVELOPMENT, date(2017, 11, 1))
    release = act("not_improved", plan, org.hr, reason="培训后仍无法胜任", follow_kind="release",
                  effective_on=date(2017, 11, 30))
    plan.refresh_from_db()
    assert plan.state == CaseState.CLOSED_NOT_IMPROVED and release.follows == plan and release.kind == "release"
    review(release, org)
    act("approve", release, org.director)
    assert cases_apply_due(today=date(2017, 11, 29)) == 0
    org.rep_a.refresh_from_db()
    assert org.rep_a.status == EmployeeStatus.ACTIVE and org.rep_a.user.is_active
    assert cases_apply_due(today=date(2017, 11, 30)) == 1
    org.rep_a.refresh_from_db()
    assert (org.rep_a.status, org.rep_a.left_on) == (EmployeeStatus.LEFT, date(2017, 11, 30))
    assert not org.rep_a.user.is_active
    assert Membership.objects.get(employee=org.rep_a).ends_on == date(2017, 11, 30)


def test_an_improved_plan_closes_the_case(org, ladder, engine):
    plan = nominate(org, ladder, kind="development", plan_text="培训", review_on=date(2017, 11, 1))
    review(plan, org)
    act("approve", plan, org.director)
    act("improved", plan, org.hr, reason="达标")
    plan.refresh_from_db()
    assert plan.state == CaseState.CLOSED_IMPROVED and not plan.followed_by.exists()


def test_the_checklist_is_empty_without_an_annual_evaluation(org):
    items, source = checklist_prefill(org.rep_a.pk)
    assert source is None and [i.score for i in items] == [None] * 5


# (what is wrong, the nomination's fields, the field named, words of the message)
BAD = [
    ("the current position", {"to": "rep"}, "to_position", "current one"),
    ("a lower grade for up_both", {"grade": "g1"}, "to_grade", "higher salary grade"),
    ("salary up changing the position", {"kind": "up_salary"}, "to_position", "keeps the position"),
    ("lateral on the same ladder", {"kind": "lateral", "grade": "g1"}, "to_position", "another ladder"),
    ("a demotion upwards", {"kind": "demotion"}, "to_position", "lower position"),
    ("before the hire date", {"effective_on": date(2015, 12, 31)}, "effective_on", "hired on"),
    ("no reason", {"reason": "  "}, "reason", "Say why"),
    ("a development case without a plan", {"kind": "development", "review_on": date(2017, 12, 1)}, "plan_text",
     "development plan"),
    ("a plan reviewed before it starts", {"kind": "development", "plan_text": "培训", "review_on": EFFECTIVE},
     "review_on", "reviewed after"),
]


@pytest.mark.parametrize(("fields", "field", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_nomination_is_refused_naming_the_rule(org, ladder, unchanged, fields, field, words):
    with unchanged(), pytest.raises(DomainError, match=words) as refused:
        nominate(org, ladder, **fields)
    assert refused.value.field == field


def test_a_target_position_that_does_not_exist_is_refused(org, ladder, unchanged):
    from promotions.services.cases import case_nominate

    with unchanged(), pytest.raises(DomainError, match="no such position") as refused:
        case_nominate(by=org.hr.user, employee_id=org.rep_a.pk, kind="up_position", to_position_id=2**31 - 1,
                      effective_on=EFFECTIVE, reason="好")
    assert refused.value.field == "to_position"


def test_an_effective_date_after_leaving_is_refused(org, ladder, unchanged):
    with unchanged(), pytest.raises(DomainError, match="left on 2017-03-31") as refused:
        nominate(org, ladder, org.hr, employee=org.leaver, effective_on=date(2017, 4, 1))
    assert refused.value.field == "effective_on"


def test_a_manager_cannot_nominate_another_teams_rep(org, ladder, unchanged):
    with unchanged(), pytest.raises(DomainError, match="no such employee") as refused:
        nominate(org, ladder, org.manager_a, employee=org.rep_b)
    assert refused.value.field == "employee"


def test_a_second_open_case_for_the_same_person_is_refused(org, ladder, unchanged):
    nominate(org, ladder)
    with unchanged(), pytest.raises(DomainError, match="open case already"):
        nominate(org, ladder, org.hr)


def test_a_review_without_every_condition_scored_is_refused(org, ladder, engine, unchanged):
    case = nominate(org, ladder)
    with unchanged(), pytest.raises(DomainError, match="whole number from 1 to 5") as refused:
        act("review", case, org.hr, checklist={**CHECKLIST, "skills": {"score": 9}})
    assert refused.value.field == "review"
    with unchanged(), pytest.raises(DomainError, match="Score each condition"):
        act("review", case, org.hr, checklist={"skills": {"score": 4}})


def test_a_rejection_without_a_reason_is_refused(org, ladder, engine, unchanged):
    case = nominate(org, ladder)
    review(case, org)
    with unchanged(), pytest.raises(DomainError, match="Say why") as refused:
        act("reject", case, org.director, reason="")
    assert refused.value.field == "reason"
