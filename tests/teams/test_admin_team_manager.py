"""A team's manager changed in the admin is a dated TeamManagerChange with its reason, as a promotion makes it;
a refusal shows on the field it names and writes nothing."""

from datetime import date

from django.urls import reverse
from django.utils import translation

from teams.models import Team, TeamManagerChange
from tests import factories


def _post(admin_client, team: Team, **changes):
    data = {"code": team.code, "name": team.name, "manager": team.manager_id or "", "is_active": "on",
            "manager_from": "", "manager_reason": "", **changes}
    return admin_client.post(reverse("admin:teams_team_change", args=[team.pk]), data)


def test_a_new_manager_set_in_the_admin_is_recorded_with_its_date_and_reason(admin_client, org):
    newcomer = factories.employee(role="manager", name="新经理")
    response = _post(admin_client, org.team_a, manager=newcomer.pk, manager_from="2017-06-01",
                     manager_reason="原经理调岗")
    assert response.status_code == 302
    org.team_a.refresh_from_db()
    assert org.team_a.manager == newcomer
    change = TeamManagerChange.objects.get(team=org.team_a)
    assert (change.old_manager, change.new_manager, change.effective_on, change.reason) == (
        org.manager_a, newcomer, date(2017, 6, 1), "原经理调岗")


def test_a_change_of_manager_without_a_reason_is_refused_in_chinese_and_changes_nothing(admin_client, org):
    newcomer = factories.employee(role="manager", name="新经理")
    with translation.override("zh-hans"):
        response = _post(admin_client, org.team_a, manager=newcomer.pk, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert "请说明团队经理变更的原因。" in response.content.decode()
    org.team_a.refresh_from_db()
    assert org.team_a.manager == org.manager_a
    assert not TeamManagerChange.objects.exists()


def test_a_rep_of_another_team_made_manager_leaves_the_reps(admin_client, org):
    response = _post(admin_client, org.team_a, manager=org.rep_b.pk, manager_from="2017-07-03",
                     manager_reason="破格提拔")
    assert response.status_code == 302
    org.rep_b.user.refresh_from_db()
    assert org.rep_b.user.role == "manager"
    assert org.rep_b.memberships.get(ends_on__isnull=False).ends_on == date(2017, 7, 2)


def test_renaming_a_team_records_no_change_of_manager(admin_client, org):
    assert _post(admin_client, org.team_a, name="新名字").status_code == 302
    org.team_a.refresh_from_db()
    assert (org.team_a.name, org.team_a.manager) == ("新名字", org.manager_a)
    assert not TeamManagerChange.objects.exists()
