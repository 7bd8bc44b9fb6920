"""A case into the team-lead position (the lowest management one: 销售经理) names the team the person will lead
and/or the manager they replace, checked at nomination with the field named. Applying it makes them the team's
manager from the effective date through teams.services.team_manager_change; a manager promoted out of leading a
team leaves it without a manager, recorded the same way; a raise that keeps the position changes no team."""

from datetime import date

import pytest
from django.urls import reverse

from promotions.models import CaseState, PromotionCase
from promotions.services.acts import cases_apply_due
from teams import access
from teams.errors import DomainError
from teams.models import Membership, Role, Team, TeamManagerChange, User
from tests.promotions.conftest import EFFECTIVE, act, nominate, review

AFTER = date(2017, 9, 5)  # the effective date has passed: approving applies the case at once


def _applied(case: PromotionCase, org) -> PromotionCase:
    """Return the skip-level case reviewed as a special approval and approved by the general manager."""
    review(case, org, special_reason="破格提拔")
    act("approve", case, org.general_manager)
    case.refresh_from_db()
    return case


def test_naming_the_manager_they_replace_names_the_team_too(org, ladder):
    case = nominate(org, ladder, org.hr, to="manager", replaces_manager_id=org.manager_b.pk)
    assert (case.team, case.replaces_manager) == (org.team_b, org.manager_b)


def test_naming_the_team_alone_is_enough_and_the_api_shows_it(client, org, ladder):
    case = nominate(org, ladder, to="manager", team_id=org.team_a.pk)
    assert (case.team, case.replaces_manager) == (org.team_a, None)
    client.force_login(org.hr.user)
    detail = client.get(reverse("promotion-case-detail", args=[case.pk])).json()
    assert (detail["team"], detail["replaces_manager"]) == (org.team_a.pk, None)


# (what is wrong, who nominates (a role in org), the nomination's fields, the field named, words of the message)
BAD = [
    ("no team and no manager", "hr", {}, "team", "Name the team"),
    ("the team and a manager who leads another", "hr", {"team": "team_a", "replaces": "manager_b"},
     "replaces_manager", "does not lead"),
    ("a rep as the manager replaced", "hr", {"replaces": "rep_b"}, "replaces_manager", "no such team manager"),
    ("a manager naming another manager's team", "manager_a", {"team": "team_b"}, "team", "no such team"),
    ("a manager naming another team's manager", "manager_a", {"replaces": "manager_b"}, "replaces_manager",
     "no such team manager"),
]


@pytest.mark.parametrize(("who", "fields", "field", "words"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_case_into_the_team_lead_position_without_a_fitting_team_is_refused(org, ladder, unchanged, who, fields,
                                                                              field, words):
    named = {"team_id": org.by_role(fields["team"]).pk} if "team" in fields else {}
    if "replaces" in fields:
        named["replaces_manager_id"] = org.by_role(fields["replaces"]).pk
    with unchanged(), pytest.raises(DomainError, match=words) as refused:
        nominate(org, ladder, org.by_role(who), to="manager", **named)
    assert refused.value.field == field


def test_a_case_into_another_position_names_no_team(org, ladder, unchanged):
    with unchanged(), pytest.raises(DomainError, match="Only a case into the position that leads a team") as refused:
        nominate(org, ladder, to="senior", team_id=org.team_a.pk)
    assert refused.value.field == "team"


def test_someone_outside_sales_cannot_be_nominated_to_lead_a_team(org, ladder, unchanged):
    with unchanged(), pytest.raises(DomainError, match="not a sales one") as refused:
        nominate(org, ladder, org.director, employee=org.hr, to="manager", team_id=org.team_a.pk)
    assert refused.value.field == "employee"


def test_the_nomination_page_offers_the_teams_and_managers_the_nominator_may_name(client, org, ladder):
    client.force_login(org.manager_a.user)
    form = client.get(reverse("promotions:case_new")).context["form"]
    assert list(form.fields["team"].queryset) == [org.team_a]
    assert list(form.fields["replaces_manager"].queryset) == [org.manager_a]
    response = client.post(reverse("promotions:case_new"), {
        "employee": org.rep_a.pk, "kind": "up_both", "to_position": ladder["manager"].pk, "to_grade": ladder["g2"].pk,
        "effective_on": "2017-09-01", "reason": "带队潜力"})
    assert response.status_code == 200 and response.context["form"].errors["team"]
    response = client.post(reverse("promotions:case_new"), {
        "employee": org.rep_a.pk, "kind": "up_both", "to_position": ladder["manager"].pk, "to_grade": ladder["g2"].pk,
        "effective_on": "2017-09-01", "reason": "带队潜力", "replaces_manager": org.manager_a.pk})
    assert response.status_code == 302 and PromotionCase.objects.get().team == org.team_a


def test_applying_the_case_makes_them_the_teams_manager_from_the_effective_date(client, org, ladder, engine,
                                                                               settings):
    settings.AS_OF_DATE = AFTER
    case = _applied(nominate(org, ladder, to="manager", replaces_manager_id=org.manager_a.pk), org)
    assert case.state == CaseState.APPLIED
    assert Team.objects.get(pk=org.team_a.pk).manager == org.rep_a
    change = TeamManagerChange.objects.get()
    assert (change.team, change.old_manager, change.new_manager, change.effective_on) == (
        org.team_a, org.manager_a, org.rep_a, EFFECTIVE)
    assert (change.source_type, change.source_id, change.recorded_by) == (
        "promotions.promotioncase", case.pk, org.general_manager.user)
    assert f"#{case.pk}" in change.reason
    # they lead the team now: the manager role, out of the reps from the day before
    rep_a = User.objects.get(pk=org.rep_a.user_id)
    assert rep_a.role == Role.MANAGER and access.principal_of(rep_a).managed_team_ids == {org.team_a.pk}
    assert Membership.objects.get(employee=org.rep_a).ends_on == date(2017, 8, 31)
    client.force_login(org.hr.user)
    page = client.get(reverse("promotions:case", args=[case.pk])).content.decode()
    assert f'id="team-to-lead">{org.team_a.name}' in page and org.manager_a.name in page


def test_the_daily_task_changes_the_manager_on_the_effective_date_once(org, ladder, engine, settings):
    case = _applied(nominate(org, ladder, to="manager", team_id=org.team_a.pk), org)
    assert case.state == CaseState.APPROVED  # 1 September is still to come
    assert Team.objects.get(pk=org.team_a.pk).manager == org.manager_a and not TeamManagerChange.objects.exists()
    settings.AS_OF_DATE = EFFECTIVE
    assert cases_apply_due(today=EFFECTIVE) == 1
    assert cases_apply_due(today=EFFECTIVE) == 0
    assert Team.objects.get(pk=org.team_a.pk).manager == org.rep_a
    assert TeamManagerChange.objects.count() == 1


def test_a_manager_promoted_to_director_leaves_their_team_without_a_manager(org, ladder, engine, settings):
    settings.AS_OF_DATE = AFTER
    case = nominate(org, ladder, org.director, employee=org.manager_a, to="director", reason="带队业绩突出")
    case = _applied(case, org)
    assert case.state == CaseState.APPLIED
    assert Team.objects.get(pk=org.team_a.pk).manager is None
    change = TeamManagerChange.objects.get()
    assert (change.team, change.old_manager, change.new_manager, change.effective_on, change.source_id) == (
        org.team_a, org.manager_a, None, EFFECTIVE, case.pk)
    assert Team.objects.get(pk=org.team_b.pk).manager == org.manager_b


def test_a_managers_raise_in_the_same_position_keeps_their_team(org, ladder, engine, settings):
    settings.AS_OF_DATE = AFTER
    case = nominate(org, ladder, org.hr, kind="up_salary", employee=org.manager_a, to="rep", reason="业绩突出")
    review(case, org)
    act("approve", case, org.director)
    case.refresh_from_db()
    assert case.state == CaseState.APPLIED
    assert Team.objects.get(pk=org.team_a.pk).manager == org.manager_a and not TeamManagerChange.objects.exists()
