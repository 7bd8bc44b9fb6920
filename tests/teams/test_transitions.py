"""The declared transition table: which moves it allows, which it refuses and why. No database needed."""

from dataclasses import dataclass

import pytest

from teams import access
from teams.errors import DomainError
from teams.models import Role, User
from teams.transitions import StateMachine, Transition
from teams.transitions import principal_may as may


@dataclass
class Case:
    """A subject with a plain state attribute, as an appraisal or a reward record will have."""

    status: str


@dataclass
class Month:
    closed: bool


def needs_reason(_subject, reason: str) -> None:
    if not reason.strip():
        raise DomainError("Say why.", field="reason")


MACHINE = StateMachine(
    name="case", field="status", states={"draft": "Draft", "approved": "Approved", "closed": "Closed"},
    error_field="status",
    transitions=(
        Transition("approve", "draft", "approved", "Approve", may(access.may_approve_plan), "GM or director."),
        Transition("close", "approved", "closed", "Close", may(access.may_edit_plan), "Director only."),
        Transition("close", "draft", "closed", "Close", may(access.may_edit_plan), "Director only.",
                   check=needs_reason),
    ),
)


def user(role: str) -> User:
    return User(username=role, role=role)


@pytest.mark.parametrize(("role", "allowed"), [(Role.GENERAL_MANAGER, True), (Role.DIRECTOR, True),
                                               (Role.ADMIN, True), (Role.HR, False), (Role.MANAGER, False),
                                               (Role.REP, False)])
def test_the_guard_is_the_access_rule(role, allowed):
    if allowed:
        assert MACHINE.transition(Case("draft"), "approve", by=user(role)).target == "approved"
    else:
        with pytest.raises(DomainError, match="GM or director."):
            MACHINE.transition(Case("draft"), "approve", by=user(role))


def test_the_same_action_takes_the_transition_from_the_current_state():
    director = user(Role.DIRECTOR)
    assert MACHINE.transition(Case("approved"), "close", by=director).source == "approved"
    assert MACHINE.transition(Case("draft"), "close", by=director, reason="撤销").source == "draft"


def test_an_unknown_action_is_refused():
    with pytest.raises(DomainError, match="no action “reopen” for a case"):
        MACHINE.transition(Case("draft"), "reopen", by=user(Role.DIRECTOR))


def test_a_move_from_the_wrong_state_is_refused_naming_the_state():
    with pytest.raises(DomainError, match="“Approve” is not possible: the case is Approved.") as refused:
        MACHINE.transition(Case("approved"), "approve", by=user(Role.DIRECTOR))
    assert refused.value.field == "status"


def test_who_may_not_act_is_told_so_before_the_state_is_revealed():
    with pytest.raises(DomainError, match="GM or director."):
        MACHINE.transition(Case("approved"), "approve", by=user(Role.REP))


def test_a_failing_check_refuses_the_move():
    with pytest.raises(DomainError, match="Say why.") as refused:
        MACHINE.transition(Case("draft"), "close", by=user(Role.DIRECTOR), reason="  ")
    assert refused.value.field == "reason"


def test_a_stored_value_maps_to_its_state():
    machine = StateMachine(name="month", field="closed", states={"open": "Open", "closed": "Closed"},
                           stored={"open": False, "closed": True},
                           transitions=(Transition("close", "open", "closed", "Close", may(access.may_edit_plan),
                                                   "Director only."),))
    assert machine.state_of(Month(closed=True)) == "closed"
    assert machine.transition(Month(closed=False), "close", by=user(Role.DIRECTOR)).target == "closed"


@pytest.mark.parametrize("transitions", [
    (Transition("go", "draft", "nowhere", "Go", may(access.may_edit_plan), "-"),),
    (Transition("go", "draft", "closed", "Go", may(access.may_edit_plan), "-"),
     Transition("go", "draft", "approved", "Go", may(access.may_edit_plan), "-")),
])
def test_a_table_with_an_unknown_state_or_an_ambiguous_move_is_refused_when_declared(transitions):
    with pytest.raises(ValueError):
        StateMachine(name="case", field="status", states={"draft": "", "approved": "", "closed": ""},
                     transitions=transitions)
