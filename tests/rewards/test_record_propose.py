"""Proposing a record: what it records, and every bad input refused naming its field with nothing written (the
amount, the reason, the subject and the proposer's scope, the period, the linked case); the rules' proposals are
made once per key."""

from datetime import date

import pytest

from promotions.services.cases import case_nominate
from rewards.models import Record, RecordState, Rule
from rewards.services.records import record_propose_by_rule
from teams.errors import DomainError
from teams.models import StateEvent
from tests.rewards.conftest import SEPTEMBER, propose


def test_a_proposal_records_who_what_for_which_period_method_and_amount(org, draft_plan):
    record = propose(org, period="month", first_month=SEPTEMBER)
    assert (record.employee, record.team, record.kind, record.method, record.amount, record.reason) == (
        org.rep_a, None, "reward", "cash", 1000, "月度冠军")
    assert (record.period, record.first_month, record.state, record.version) == (
        "month", SEPTEMBER, RecordState.PROPOSED, 1)
    assert record.proposed_by == org.manager_a.user
    assert StateEvent.objects.filter(subject_type="rewards.record", subject_id=record.pk, action="propose",
                                     by=org.manager_a.user).count() == 1


def test_a_whole_team_can_be_rewarded(org):
    record = propose(org, team=org.team_a, method="notice", amount=None, reason="团队月度冠军")
    assert (record.team, record.employee) == (org.team_a, None)


CEILING = 200_000
BAD = [  # (what is wrong, the fields given, the field named)
    ("cash without an amount", {"amount": None}, "amount"),
    ("a negative amount", {"amount": -100}, "amount"),
    ("a zero amount", {"amount": 0}, "amount"),
    ("a fraction of a yuan", {"amount": 99.5}, "amount"),
    ("an amount as text", {"amount": "1000"}, "amount"),
    ("an absurd amount", {"amount": CEILING + 1}, "amount"),
    ("an amount on a notice", {"method": "notice", "amount": 500}, "amount"),
    ("no reason", {"reason": "   "}, "reason"),
    ("a penalty without a reason", {"kind": "penalty", "method": "notice", "amount": None, "reason": ""}, "reason"),
    ("an unknown kind", {"kind": "bonus"}, "kind"),
    ("an unknown method", {"method": "gift"}, "method"),
    ("neither employee nor team", {"employee": None}, "employee"),
    ("an unknown period", {"period": "year"}, "period"),
    ("a month without a period", {"first_month": SEPTEMBER}, "period"),
    ("a month outside every plan year", {"period": "month", "first_month": date(2030, 1, 1)}, "first_month"),
    ("a month that is not a first day", {"period": "month", "first_month": date(2017, 9, 15)}, "first_month"),
    ("a period without its month", {"period": "month"}, "first_month"),
    ("a phase by a month that does not start it", {"period": "phase", "first_month": date(2017, 9, 1)},
     "first_month"),
    ("a position change without a case", {"method": "position", "amount": None}, "promotion_case"),
    ("a case on a cash record", {"promotion_case": "case"}, "promotion_case"),
]


@pytest.mark.parametrize(("fields", "field"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_bad_input_is_refused_naming_the_field_and_nothing_is_written(org, draft_plan, unchanged, settings,
                                                                      fields, field):
    settings.REWARDS_CASH_CEILING = CEILING
    if fields.get("promotion_case") == "case":
        fields = {**fields, "promotion_case": _case(org)}
    with unchanged(), pytest.raises(DomainError) as refused:
        propose(org, **fields)
    assert refused.value.field == field


def test_both_an_employee_and_a_team_is_refused(org, unchanged):
    with unchanged(), pytest.raises(DomainError) as refused:
        propose(org, employee=org.rep_a, team=org.team_a)
    assert refused.value.field == "employee"


def test_a_phase_is_named_by_its_first_month(org, draft_plan):
    first = draft_plan.phases.order_by("number")[1].months.order_by("month").first().month
    assert propose(org, period="phase", first_month=first).first_month == first


@pytest.mark.parametrize(("whom", "field"), [("rep_b", "employee"), ("mover", "employee"), ("leaver", "employee"),
                                            ("team_b", "team")])
def test_a_manager_proposes_only_for_their_team_and_its_current_members(org, unchanged, whom, field):
    subject = {"team" if whom.startswith("team") else "employee": getattr(org, whom)}
    with unchanged(), pytest.raises(DomainError) as refused:
        propose(org, **subject)
    assert refused.value.field == field
    assert "no such" in refused.value.message  # the same words whether they exist or not


def test_the_director_and_hr_propose_for_anyone_in_sales(org):
    assert propose(org, org.director, employee=org.rep_b).employee == org.rep_b
    assert propose(org, org.hr, team=org.team_b, method="notice", amount=None).team == org.team_b


def _case(org):
    return case_nominate(by=org.manager_a.user, employee_id=org.rep_a.pk, kind="development",
                         effective_on=date(2017, 9, 1), reason="末位", plan_text="培训", review_on=date(2017, 12, 1))


def test_a_change_of_position_links_a_case_of_the_same_employee(org, unchanged):
    case = _case(org)
    record = propose(org, kind="penalty", method="position", amount=None, reason="连续末位", promotion_case=case)
    assert record.promotion_case == case
    with unchanged(), pytest.raises(DomainError) as refused:
        propose(org, org.director, employee=org.rep_b, kind="penalty", method="position", amount=None,
                reason="连续末位", promotion_case=case)
    assert refused.value.field == "promotion_case"


@pytest.fixture
def rule(db):
    return Rule.objects.create(code="top-rep", name="月度冠军", metric="attainment", comparison="top", threshold=1,
                               kind="reward", method="cash", amount=2000, text_template="{name} {period} 第一")


def test_a_rule_proposes_once_per_key_in_the_name_of_who_closed_the_month(org, draft_plan, rule):
    args = {"rule": rule, "key": f"top-rep:month:2017-09:{org.rep_a.pk}", "employee": org.rep_a,
            "reason": "甲队员 2017-09 第一", "period": "month", "first_month": SEPTEMBER, "metric": "attainment",
            "figures": {"attainment": "1.32", "rank": 1}, "by": org.director.user}
    first = record_propose_by_rule(**args)
    again = record_propose_by_rule(**args)
    assert again.pk == first.pk
    assert Record.objects.count() == 1
    assert (first.proposed_by, first.rule, first.amount, first.figures["rank"]) == (None, rule, 2000, 1)
    events = StateEvent.objects.filter(subject_type="rewards.record", subject_id=first.pk)
    assert list(events.values_list("action", "by")) == [("propose", org.director.user.pk)]
