"""Changing who leads a team (services.team_manager_change): the team's manager from the effective date, a row
recording the team, the old and the new manager, the date, why, what caused it and who recorded it; a rep made
manager gets the role and leaves the reps; nobody may lead a team too. Bad input is refused, nothing changed."""

from datetime import date

import pytest

from teams import access, services
from teams.errors import DomainError
from teams.models import Membership, Role, Team, TeamManagerChange, User

TODAY = date(2017, 9, 1)


@pytest.fixture(autouse=True)
def today(settings):
    settings.AS_OF_DATE = TODAY


def test_a_rep_made_manager_leads_the_team_with_the_role_and_is_no_longer_one_of_its_reps(org):
    change = services.team_manager_change(team=org.team_a, manager=org.rep_a, effective_on=TODAY,
                                          reason="晋升为销售经理", by=org.hr.user, source=org.rep_a)
    org.team_a.refresh_from_db()
    assert org.team_a.manager == org.rep_a
    assert (change.team, change.old_manager, change.new_manager, change.effective_on, change.reason,
            change.recorded_by) == (org.team_a, org.manager_a, org.rep_a, TODAY, "晋升为销售经理", org.hr.user)
    assert (change.source_type, change.source_id) == ("teams.employee", org.rep_a.pk)
    assert User.objects.get(pk=org.rep_a.user_id).role == Role.MANAGER
    assert Membership.objects.get(employee=org.rep_a).ends_on == date(2017, 8, 31)
    assert access.principal_of(User.objects.get(pk=org.rep_a.user_id)).managed_team_ids == {org.team_a.pk}
    assert access.principal_of(User.objects.get(pk=org.manager_a.user_id)).managed_team_ids == frozenset()


def test_a_team_can_be_left_without_a_manager_and_that_is_recorded_the_same_way(org):
    change = services.team_manager_change(team=org.team_b, manager=None, effective_on=date(2017, 8, 1),
                                          reason="经理晋升为销售总监", by=org.director.user)
    assert Team.objects.get(pk=org.team_b.pk).manager is None
    assert (change.old_manager, change.new_manager, change.effective_on, change.source_type, change.source_id) == (
        org.manager_b, None, date(2017, 8, 1), "", None)
    assert User.objects.get(pk=org.manager_b.user_id).role == Role.MANAGER  # their new position may need HR's change


def test_the_manager_the_team_has_already_records_nothing(org, unchanged):
    with unchanged():
        assert services.team_manager_change(team=org.team_a, manager=org.manager_a, effective_on=TODAY,
                                            reason="无变化", by=org.hr.user) is None


def test_the_history_of_a_team_is_its_rows_newest_first(org):
    services.team_manager_change(team=org.team_a, manager=None, effective_on=date(2017, 7, 1), reason="空缺",
                                 by=org.hr.user)
    services.team_manager_change(team=org.team_a, manager=org.manager_b, effective_on=date(2017, 8, 1),
                                 reason="兼任", by=org.hr.user)
    assert [(c.old_manager, c.new_manager) for c in org.team_a.manager_changes.all()] == [
        (None, org.manager_b), (org.manager_a, None)]


# (what is wrong, the manager (a role in org, or None), the date, the reason, the field named, words of the message)
BAD = [
    ("a date still to come", "rep_a", date(2017, 9, 2), "晋升", "effective_on", "once it takes effect"),
    ("no reason", "rep_a", TODAY, "  ", "reason", "Say why"),
    ("an HR log-in", "hr", TODAY, "调岗", "manager", "not a sales one"),
    ("the director's log-in", "director", TODAY, "兼任", "manager", "not a sales one"),
    ("someone who left", "leaver", TODAY, "返聘", "manager", "has left"),
    ("before the hire date", "rep_a", date(2015, 12, 31), "晋升", "effective_on", "was hired on"),
]


@pytest.mark.parametrize(("manager", "on", "reason", "field", "words"), [b[1:] for b in BAD],
                         ids=[b[0] for b in BAD])
def test_a_bad_change_is_refused_naming_the_field_and_changes_nothing(org, unchanged, manager, on, reason, field,
                                                                      words):
    with unchanged(), pytest.raises(DomainError, match=words) as refused:
        services.team_manager_change(team=org.team_a, manager=org.by_role(manager), effective_on=on, reason=reason,
                                     by=org.hr.user)
    assert refused.value.field == field
    assert not TeamManagerChange.objects.exists()
