"""Every act on a case: allowed for whom docs/promotions.md names, refused for each other role with nothing
changed. The nominator is manager A (rep A's manager)."""

from datetime import date

import pytest

from promotions.models import CaseState
from promotions.services.acts import ACTS
from teams.errors import DomainError
from tests.promotions.conftest import CHECKLIST, act, nominate, review

ROLES = ["director", "general_manager", "hr", "nominator", "other_manager", "rep", "other_rep"]


def who(org, role: str):
    return {"nominator": org.manager_a, "other_manager": org.manager_b, "rep": org.rep_a,
            "other_rep": org.rep_b}.get(role) or org.by_role(role)


def _reach(org, ladder, engine, settings, state: str):
    """Return rep A's case, nominated by manager A, in `state` (reached through the services)."""
    if state == "in_development":
        case = nominate(org, ladder, kind="development", plan_text="转岗到电话销售，培训逼单",
                        review_on=date(2017, 12, 1))
        review(case, org)
        return act("approve", case, org.director)
    case = nominate(org, ladder)
    if state == "nominated":
        return case
    if state == "with_gm":
        engine.met = False
        return review(case, org, special_reason="贡献突出")
    review(case, org)
    if state == "with_director":
        return case
    act("approve", case, org.director)
    settings.AS_OF_DATE = date(2017, 9, 2)  # the effective date has passed: HR may apply it
    return case


# (action, the state it is made from, its input, the state after, who may)
CASES = [
    ("review", "nominated", {"checklist": CHECKLIST}, CaseState.WITH_DIRECTOR, {"hr"}),
    ("approve", "with_director", {}, CaseState.APPROVED, {"director"}),
    ("reject", "with_director", {"reason": "时间未满"}, CaseState.REJECTED, {"director"}),
    ("approve", "with_gm", {}, CaseState.APPROVED, {"general_manager"}),
    ("reject", "with_gm", {"reason": "不破格"}, CaseState.REJECTED, {"general_manager"}),
    # the director approved it, and the daily task applies it in their name
    ("apply", "approved", {}, CaseState.APPLIED, {"hr", "director"}),
    ("withdraw", "nominated", {"reason": "本人不愿"}, CaseState.WITHDRAWN, {"hr", "nominator"}),
    ("withdraw", "with_director", {"reason": "本人不愿"}, CaseState.WITHDRAWN, {"hr", "nominator"}),
    ("withdraw", "approved", {"reason": "本人不愿"}, CaseState.WITHDRAWN, {"hr", "nominator"}),
    ("improved", "in_development", {"reason": "已胜任"}, CaseState.CLOSED_IMPROVED, {"hr"}),
    ("not_improved", "in_development", {"reason": "仍不胜任", "follow_kind": "release",
                                        "effective_on": date(2017, 12, 31)}, CaseState.CLOSED_NOT_IMPROVED, {"hr"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "source", "fields", "target", "allowed"), CASES,
                         ids=[f"{c[0]}-from-{c[1]}" for c in CASES])
def test_each_act_by_each_role(org, ladder, engine, settings, unchanged, role, action, source, fields, target,
                               allowed):
    case = _reach(org, ladder, engine, settings, source)
    if role in allowed:
        act(action, case, who(org, role), **fields)
        case.refresh_from_db()
        assert case.state == target
        return
    with unchanged(), pytest.raises(DomainError):
        act(action, case, who(org, role), **fields)


@pytest.mark.parametrize("role", ROLES)
def test_nominating_rep_a_by_each_role(org, ladder, unchanged, role):
    if role in {"director", "hr", "nominator"}:
        assert nominate(org, ladder, who(org, role)).state == CaseState.NOMINATED
        return
    with unchanged(), pytest.raises(DomainError):
        nominate(org, ladder, who(org, role))


def test_nobody_decides_a_case_they_nominated(org, ladder, engine, unchanged):
    case = nominate(org, ladder, org.director)
    review(case, org)
    with unchanged(), pytest.raises(DomainError, match="never the person who nominated"):
        act("approve", case, org.director)


def test_a_stale_version_is_refused_naming_who_acted(org, ladder, engine, unchanged):
    case = nominate(org, ladder)
    stale = case.version
    review(case, org)
    with unchanged(), pytest.raises(DomainError) as refused:
        ACTS["approve"](by=org.director.user, case_id=case.pk, version=stale)
    assert refused.value.field == "version"


def test_every_move_is_an_event_with_who_and_why(org, ladder, engine):
    from promotions.selectors.cases import history

    case = nominate(org, ladder)
    review(case, org)
    act("reject", case, org.director, reason="考核不够")
    steps = history(case)
    assert [s.event.action for s in steps] == ["nominate", "review", "reject"]
    assert steps[-1].event.by == org.director.user and steps[-1].event.reason == "考核不够"
