"""Each access event is recorded with who, when and from where; the admin browses them, read-only, and nobody
else opens them."""

from datetime import date

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from teams import audit
from teams.models import AccessEvent, Position
from teams.services import employee_leave, leavers_access_end
from tests import factories
from tests.test_access_matrix import place  # noqa: F401  (the fixture: rep A's appraisal cycle, a session, ...)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/130"


def client_from(address: str) -> Client:
    return Client(REMOTE_ADDR=address, HTTP_USER_AGENT=BROWSER)


def only(kind: str) -> AccessEvent:
    (event,) = AccessEvent.objects.filter(kind=kind)
    return event


def test_a_log_in_is_recorded_with_who_when_and_from_where(org):
    before = timezone.now()
    client_from("10.1.2.3").post(reverse("login"), {"username": org.rep_a.user.username, "password": "pw"})
    event = only(audit.LOGIN)
    assert (event.user, event.username, event.ip_address, event.user_agent) == (
        org.rep_a.user, org.rep_a.user.username, "10.1.2.3", BROWSER)
    assert before <= event.at <= timezone.now()


def test_a_failed_log_in_is_recorded_with_the_name_tried(org):
    client_from("10.1.2.3").post(reverse("login"), {"username": "nobody", "password": "guess"})
    event = only(audit.LOGIN_FAILED)
    assert (event.user, event.username, event.ip_address) == (None, "nobody", "10.1.2.3")


def test_a_lock_out_is_recorded(org, settings):
    client = client_from("10.1.2.4")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": org.rep_a.user.username, "password": "wrong"})
    event = only(audit.LOCKED_OUT)
    assert (event.username, event.ip_address) == (org.rep_a.user.username, "10.1.2.4")
    assert AccessEvent.objects.filter(kind=audit.LOGIN_FAILED).count() == settings.AXES_FAILURE_LIMIT


def test_a_log_out_is_recorded(org):
    client = client_from("10.1.2.5")
    client.force_login(org.rep_a.user)
    client.post(reverse("logout"))
    event = only(audit.LOGOUT)
    assert (event.user, event.ip_address) == (org.rep_a.user, "10.1.2.5")


def test_access_ended_by_the_daily_task_is_recorded(org, settings):
    settings.AS_OF_DATE = date(2017, 3, 30)
    rep = factories.employee(team=org.team_a)
    employee_leave(employee=rep, left_on=date(2017, 3, 31), reason="个人原因")
    assert leavers_access_end(on=date(2017, 3, 30)) == []
    assert leavers_access_end(on=date(2017, 3, 31)) == [rep.user.pk]
    assert leavers_access_end(on=date(2017, 3, 31)) == []  # a second run closes none
    rep.user.refresh_from_db()
    assert not rep.user.is_active and org.rep_a.user.is_active
    (event,) = AccessEvent.objects.filter(kind=audit.ACCESS_ENDED, user=rep.user)
    assert "2017-03-31" in event.detail


def test_the_daily_task_reads_today_from_the_clock(org, settings):
    from teams.tasks import end_leavers_access

    settings.AS_OF_DATE = date(2017, 3, 30)
    rep = factories.employee(team=org.team_a)
    employee_leave(employee=rep, left_on=date(2017, 3, 31), reason="个人原因")
    assert end_leavers_access.delay().get() == 0
    settings.AS_OF_DATE = date(2017, 3, 31)
    assert end_leavers_access.delay().get() == 1
    assert settings.CELERY_BEAT_SCHEDULE["leavers-access-end"]["task"] == "teams.tasks.end_leavers_access"


EXPORTS = [  # (URL name, args from the matrix's place, query, who downloads, what the detail names)
    ("kpis:export", (), "first=2017-02-06&last=2017-03-27&format=csv&metric=new_customers", "director",
     "weekly figures"),
    ("kpis:import_template", (), "team=team_a", "manager_a", "import template"),
    ("rewards:records_export", (), "", "hr", "rewards and penalties"),
    ("rewards:payroll", (), "month=2017-09", "hr", "payroll cash list 2017-09"),
    ("dashboards:director_export", (), "", "director", "director's dashboard"),
    ("appraisals:cycle_export", ("cycle",), "", "hr", "appraisal results"),
    ("promotions:attendance_template", ("session",), "", "hr", "attendance template"),
]


@pytest.mark.parametrize(("name", "args", "query", "role", "what"), EXPORTS, ids=[e[0] for e in EXPORTS])
def test_each_export_of_personal_data_is_recorded(org, place, name, args, query, role, what):  # noqa: F811
    client = client_from("10.1.2.6")
    client.force_login(org.by_role(role).user)
    query = "&".join(f"{k}={place.get(v, v)}" for k, v in (p.split("=") for p in query.split("&") if p))
    response = client.get(reverse(name, args=[place[a] for a in args]) + (f"?{query}" if query else ""))
    assert response.status_code == 200, response.content[:300]
    event = only(audit.EXPORT)
    assert (event.user, event.ip_address, event.user_agent) == (org.by_role(role).user, "10.1.2.6", BROWSER)
    assert what in event.detail


def test_admin_changes_are_recorded_one_by_one_and_in_bulk(org, admin_client, admin_user):
    added = admin_client.post(reverse("admin:teams_position_add"),
                              {"code": "senior", "name": "高级销售", "name_en": "", "level": "30"})
    assert added.status_code == 302
    position = Position.objects.get(code="senior")
    event = AccessEvent.objects.get(kind=audit.ADMIN_CHANGE)
    assert event.user == admin_user and event.detail.startswith(f"added teams.position #{position.pk} 高级销售")
    Position.objects.create(code="junior", name="初级销售", level=5)
    AccessEvent.objects.all().delete()
    ids = list(Position.objects.filter(code__in=["senior", "junior"]).values_list("pk", flat=True))
    done = admin_client.post(reverse("admin:teams_position_changelist"),
                             {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert done.status_code == 302 and not Position.objects.filter(pk__in=ids).exists()
    details = sorted(AccessEvent.objects.filter(kind=audit.ADMIN_CHANGE).values_list("detail", flat=True))
    assert [d.split(" #")[0] for d in details] == ["deleted teams.position"] * 2


def test_an_unknown_kind_is_refused(db):
    with pytest.raises(ValueError):
        audit.access_event("guessed")


def test_the_token_kinds_are_there_for_the_api(db):
    for kind in (audit.TOKEN_CREATED, audit.TOKEN_USED, audit.TOKEN_REVOKED):
        audit.access_event(kind, username="script", detail="token 1")
    assert AccessEvent.objects.count() == 3


def test_the_admin_lists_the_events_read_only(org, admin_client, unchanged):
    audit.access_event(audit.LOGIN_FAILED, username="nobody", detail="x")
    event = AccessEvent.objects.get(kind=audit.LOGIN_FAILED)
    listed = admin_client.get(reverse("admin:teams_accessevent_changelist"), {"q": "nobody", "kind": "login_failed"})
    assert listed.status_code == 200 and "nobody" in listed.content.decode()
    with unchanged():
        assert admin_client.get(reverse("admin:teams_accessevent_add")).status_code == 403
        assert admin_client.post(reverse("admin:teams_accessevent_change", args=[event.pk]),
                                 {"detail": "改"}).status_code == 403
        assert admin_client.post(reverse("admin:teams_accessevent_delete", args=[event.pk]),
                                 {"post": "yes"}).status_code == 403


@pytest.mark.parametrize("role", ["director", "general_manager", "hr", "manager_a", "rep_a"])
def test_nobody_but_the_admin_opens_the_events(client, org, role):
    client.force_login(org.by_role(role).user)
    response = client.get(reverse("admin:teams_accessevent_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_staff_user_without_the_view_permission_is_refused(client, org):
    staff = factories.employee(role="hr").user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client.force_login(staff)
    assert client.get(reverse("admin:teams_accessevent_changelist")).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="view_accessevent"))
    client.force_login(staff)
    assert client.get(reverse("admin:teams_accessevent_changelist")).status_code == 200
