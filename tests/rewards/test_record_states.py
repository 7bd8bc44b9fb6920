"""Every act on a record, by every role: allowed for whom docs/rewards.md names, refused for everyone else with
nothing changed. Rep A's record is proposed by their manager (manager A, so "the team's manager" is the proposer
too); HR gives the second approval of cash above settings.REWARDS_HR_CASH_ABOVE."""

import pytest

from rewards.models import Notice, RecordState
from teams.errors import DomainError
from teams.models import StateEvent
from tests.rewards.conftest import act, propose, reach

ROLES = ["director", "general_manager", "hr", "manager_a", "manager_b", "rep_a", "rep_b"]
LARGE = 8000  # above the HR line (5,000 by default)

# (action, the state it is made from, the amount, the state after, who may)
CASES = [
    ("approve", "proposed", 1000, RecordState.APPROVED, {"director"}),
    ("approve", "proposed", LARGE, RecordState.WITH_HR, {"director"}),
    ("reject", "proposed", 1000, RecordState.REJECTED, {"director"}),
    ("hr_approve", "with_hr", LARGE, RecordState.APPROVED, {"hr"}),
    ("reject", "with_hr", LARGE, RecordState.REJECTED, {"hr"}),
    ("publish", "approved", 1000, RecordState.PUBLISHED, {"director", "hr"}),
    ("revoke", "approved", 1000, RecordState.REVOKED, {"director", "hr"}),
    ("revoke", "published", 1000, RecordState.REVOKED, {"director", "hr"}),
    ("withdraw", "proposed", 1000, RecordState.WITHDRAWN, {"director", "hr", "manager_a"}),
    ("withdraw", "with_hr", LARGE, RecordState.WITHDRAWN, {"director", "hr", "manager_a"}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("action", "source", "amount", "target", "allowed"), CASES,
                         ids=[f"{c[0]}-from-{c[1]}-{c[2]}" for c in CASES])
def test_each_act_by_each_role(org, unchanged, role, action, source, amount, target, allowed):
    record = reach(org, source, amount)
    assert record.state == source
    who = org.by_role(role)
    if role in allowed:
        act(action, record, who, reason="理由")
        record.refresh_from_db()
        assert record.state == target
        return
    with unchanged(), pytest.raises(DomainError):
        act(action, record, who, reason="理由")


@pytest.mark.parametrize("role", ROLES)
def test_proposing_for_rep_a_by_each_role(org, unchanged, role):
    if role in {"director", "hr", "manager_a"}:
        assert propose(org, org.by_role(role)).state == RecordState.PROPOSED
        return
    with unchanged(), pytest.raises(DomainError):
        propose(org, org.by_role(role))


def test_the_director_never_approves_their_own_proposal_and_is_told_so(org, unchanged):
    record = propose(org, org.director)
    with unchanged(), pytest.raises(DomainError, match="You proposed this record") as refused:
        act("approve", record, org.director)
    assert refused.value.field == "action"


def test_the_directors_own_proposal_goes_to_the_general_manager(org):
    from rewards.selectors.records import waiting_count
    from teams.access import principal_of

    propose(org, org.manager_a)  # not the general manager's to approve
    record = propose(org, org.director)
    assert waiting_count(principal_of(org.general_manager.user)) == 1
    act("approve", record, org.general_manager)
    record.refresh_from_db()
    assert (record.state, record.approved_by) == (RecordState.APPROVED, org.general_manager.user)


def test_the_general_manager_does_not_approve_what_others_proposed(org, unchanged):
    record = propose(org, org.manager_a)
    with unchanged(), pytest.raises(DomainError, match="general manager"):
        act("approve", record, org.general_manager)


def test_hr_never_gives_the_second_approval_of_their_own_proposal(org, unchanged):
    record = propose(org, org.hr, amount=LARGE)
    act("approve", record, org.director)
    with unchanged(), pytest.raises(DomainError, match="You proposed this record"):
        act("hr_approve", record, org.hr)
    act("withdraw", record, org.hr, reason="重复")  # they may still withdraw it
    record.refresh_from_db()
    assert record.state == RecordState.WITHDRAWN


def test_a_manager_cannot_withdraw_someone_elses_proposal_about_their_rep(org, unchanged):
    record = propose(org, org.hr)
    with unchanged(), pytest.raises(DomainError, match="Only the person who proposed it"):
        act("withdraw", record, org.manager_a, reason="不同意")


def test_cash_at_the_hr_line_needs_only_the_director_and_above_it_hr_too(org, settings):
    at_line = propose(org, amount=settings.REWARDS_HR_CASH_ABOVE)
    above = propose(org, amount=settings.REWARDS_HR_CASH_ABOVE + 1)
    assert act("approve", at_line, org.director).state == RecordState.APPROVED
    assert act("approve", above, org.director).state == RecordState.WITH_HR
    assert act("hr_approve", above, org.hr).state == RecordState.APPROVED
    above.refresh_from_db()
    assert (above.approved_by, above.hr_approved_by) == (org.director.user, org.hr.user)


def test_a_notice_record_never_goes_to_hr(org):
    record = propose(org, method="notice", amount=None, reason="表扬")
    assert act("approve", record, org.director).state == RecordState.APPROVED


def test_reject_and_withdraw_and_revoke_need_a_reason(org, unchanged):
    record = reach(org, "published")
    with unchanged(), pytest.raises(DomainError) as refused:
        act("revoke", record, org.director, reason="  ")
    assert refused.value.field == "reason"
    proposed = propose(org)
    for action, who in (("reject", org.director), ("withdraw", org.manager_a)):
        with unchanged(), pytest.raises(DomainError) as refused:
            act(action, proposed, who)
        assert refused.value.field == "reason"


def test_publishing_puts_a_notice_on_the_board_and_revoking_takes_it_down(org, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    record = reach(org, "approved")
    act("publish", record, org.hr)
    record.refresh_from_db()
    notice = Notice.objects.get(record=record)
    assert record.published_at == notice.published_at
    assert (notice.kind, notice.body, notice.published_by, notice.withdrawn_at) == (
        "reward", "月度冠军", org.hr.user, None)
    # in the site's language (the new msgids' Chinese comes with the next compilemessages: "奖励：甲队员 — …")
    assert notice.title.startswith("奖励") and f"{org.rep_a.name} — 月度冠军" in notice.title
    act("revoke", record, org.director, reason="数据有误")
    record.refresh_from_db()
    notice.refresh_from_db()
    assert (record.state, record.revoke_reason) == (RecordState.REVOKED, "数据有误")
    assert notice.withdrawn_at is not None


def test_each_move_is_one_event_with_who_and_why_and_bumps_the_version(org):
    record = reach(org, "published")
    act("revoke", record, org.director, reason="数据有误")
    events = list(StateEvent.objects.filter(subject_type="rewards.record", subject_id=record.pk)
                  .order_by("pk").values_list("action", "from_state", "to_state", "by", "reason"))
    assert events == [
        ("propose", "proposed", "proposed", org.manager_a.user.pk, ""),
        ("approve", "proposed", "approved", org.director.user.pk, ""),
        ("publish", "approved", "published", org.hr.user.pk, ""),
        ("revoke", "published", "revoked", org.director.user.pk, "数据有误")]
    record.refresh_from_db()
    assert record.version == 4


def test_a_stale_version_is_refused_naming_who_acted_last(org, unchanged):
    record = propose(org)
    stale = record.version
    act("withdraw", record, org.manager_a, reason="重复")
    with unchanged(), pytest.raises(DomainError) as refused:
        act("approve", record, org.director, version=stale)
    assert refused.value.field == "version"
    assert org.manager_a.name in refused.value.message


def test_an_unknown_action_is_refused(org, unchanged):
    record = propose(org)
    with unchanged(), pytest.raises(DomainError, match="no action") as refused:
        act("edit", record, org.director)
    assert refused.value.field == "action"


def test_a_published_record_has_no_move_but_revoke(org, unchanged):
    record = reach(org, "published")
    for action in ("approve", "reject", "publish", "withdraw"):
        with unchanged(), pytest.raises(DomainError):
            act(action, record, org.director, reason="改")
