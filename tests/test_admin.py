"""Every model has an admin screen that opens, and the working calendar imports all-or-nothing."""

from datetime import date

import pytest
import tablib
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from targets.models import CalendarDay
from targets.resources import CalendarDayResource
from teams.models import Role
from tests.snapshots import replayed

MODELS = [m for name in ["teams", "targets", "kpis", "appraisals"] for m in apps.get_app_config(name).get_models()]


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_model_has_an_admin_screen_that_opens(admin_client, org, model):
    assert admin.site.is_registered(model)
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    assert admin_client.get(url).status_code == 200


def test_a_director_is_not_an_admin(client, org):
    client.force_login(org.director.user)
    assert org.director.user.role == Role.DIRECTOR
    assert client.get(reverse("admin:index")).status_code == 302


def test_calendar_import_with_a_bad_row_writes_nothing(db, unchanged):
    rows = tablib.Dataset(headers=["date", "kind", "name"])
    rows.append(["2017-10-01", "holiday", "国庆节"])
    rows.append(["2017-10-02", "vacation", "国庆节"])
    with unchanged():
        result = CalendarDayResource().import_data(rows, dry_run=False, raise_errors=False)
    assert result.has_validation_errors()
    assert not CalendarDay.objects.exists()


def test_calendar_import_updates_known_days(db):
    rows = tablib.Dataset(headers=["date", "kind", "name"])
    rows.append(["2017-09-30", "makeup", "国庆调休"])
    CalendarDayResource().import_data(rows, dry_run=False, raise_errors=True)
    rows[0] = ("2017-09-30", "makeup", "国庆中秋调休")
    CalendarDayResource().import_data(rows, dry_run=False, raise_errors=True)
    assert list(CalendarDay.objects.values_list("name", flat=True)) == ["国庆中秋调休"]


def test_state_events_are_listed_but_cannot_be_added_changed_or_deleted(admin_client, org, plan, unchanged):
    from teams.models import StateEvent

    event = StateEvent.objects.get()
    changelist = admin_client.get(reverse("admin:teams_stateevent_changelist"), {"q": org.general_manager.name})
    assert changelist.status_code == 200 and "targets.planyear" in changelist.content.decode()
    change, delete = (reverse(f"admin:teams_stateevent_{name}", args=[event.pk]) for name in ("change", "delete"))
    with unchanged():
        assert admin_client.get(reverse("admin:teams_stateevent_add")).status_code == 403
        assert admin_client.post(change, {"reason": "改"}).status_code == 403
        assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    assert StateEvent.objects.get().reason == ""


@pytest.fixture
def staff(db):
    """A staff log-in that may sign in to the admin, with no model permission yet."""
    from tests import factories

    user = factories.employee(role=Role.HR).user
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


CALENDAR_IMPORT, CALENDAR_EXPORT = "admin:targets_calendarday_import", "admin:targets_calendarday_export"


def test_a_staff_user_without_permissions_can_neither_import_nor_export_the_calendar(client, staff, unchanged):
    client.force_login(staff)
    with unchanged():
        assert client.get(reverse(CALENDAR_IMPORT)).status_code == 403
        assert client.get(reverse(CALENDAR_EXPORT)).status_code == 403
        assert client.post(reverse(CALENDAR_EXPORT), {"format": "0", "resource": "0"}).status_code == 403


def test_import_needs_the_change_permission_and_export_the_view_permission(client, staff):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_calendarday"))
    client.force_login(staff)
    assert client.get(reverse(CALENDAR_EXPORT)).status_code == 200
    assert client.get(reverse(CALENDAR_IMPORT)).status_code == 403
    staff.user_permissions.add(Permission.objects.get(codename="change_calendarday"))
    client.force_login(staff)
    assert client.get(reverse(CALENDAR_IMPORT)).status_code == 200


# --- every changelist, on a database with a row in every table -------------------------------------------------

@pytest.fixture
def every_table(org, plan, settings) -> None:
    """At least one row in every registered model's table, written through the services: figures saved (with
    their audit rows), a month closed, rollups and placings computed, weights, a proposal, a plan revision, a
    customer base and an elimination rule. Built once per process, then replayed (tests/snapshots.py)."""
    settings.AS_OF_DATE = date(2017, 8, 31)
    replayed("every_table", lambda: _fill_every_table(org, plan))


def _fill_every_table(org, plan) -> None:
    from django.contrib.auth.models import Group

    from kpis import services as figures
    from kpis.results import checks
    from kpis.results import services as rollups
    from targets import demo
    from targets import services as targets
    from teams.tokens.services import token_create
    from tests.appraisals.conftest import fill_every_appraisal_table

    march = plan.months.get(month=date(2017, 3, 1))
    for week in (date(2017, 3, 6), date(2017, 3, 13)):
        figures.weekly_figures_save(week=week, by=org.manager_a.user, channel="grid", rows=[
            figures.RepWeekInput(org.rep_a.pk, {"new_customers": "2", "accounts_opened": "1"})])
    figures.month_close(month=date(2017, 3, 1), by=org.director.user)
    figures.customer_base_set(employee=org.rep_a, opening_base=120, counted_from=date(2017, 2, 1))
    targets.team_weights_set(plan_month=march, weights={org.team_a.pk: "2", org.team_b.pk: "1"},
                             by=org.director.user)
    targets.rep_weights_set(plan_month=march, team=org.team_a, weights={org.rep_a.pk: "0.5"}, by=org.manager_a.user)
    targets.proposal_submit(plan_month=march, team=org.team_a, proposed_target=900_000, by=org.manager_a.user)
    plan.refresh_from_db()
    targets.plan_update(plan=plan, version=plan.version, phases=demo.PHASES_2017,
                        month_targets=[900_000, *demo.TARGETS_2017[1:]], by=org.director.user, reason="开门红")
    rollups.elimination_rule_set(bottom_count="1", bottom_percent="", warn_after="2", by=org.director.user)
    rollups.recompute_all()
    checks.rollups_verify()
    Group.objects.create(name="销售运营")  # Django's own model: no service of ours writes it
    fill_every_appraisal_table(org, plan)
    _fill_paths_and_training(org)
    _fill_manager_change(org)
    _fill_board(org)
    _fill_records(org)
    _fill_bulletins(org)
    _fill_access(org)
    token_create(user=org.rep_a.user, name="周报脚本")


def _fill_access(org) -> None:
    """A failed log-in in django-axes' attempts and an access event of it (through the audit's service)."""
    from axes.models import AccessAttempt

    from teams import audit

    AccessAttempt.objects.create(username=org.rep_a.user.username, ip_address="10.0.0.7", user_agent="Firefox",
                                 http_accept="*/*", path_info="/login/", get_data="", post_data="",
                                 failures_since_start=1)  # written by axes on a failed log-in
    audit.access_event(audit.LOGIN_FAILED, username=org.rep_a.user.username)


def _fill_board(org) -> None:
    """An announcement read by a rep, and March's ranking published (closed above, its rollups current)."""
    from rewards.services import notices, rankings

    notice = notices.notice_publish(by=org.hr.user, title="年会通知", pinned=True)
    notices.notice_read_mark(user=org.rep_a.user, notice_id=notice.pk)
    rankings.ranking_publish(by=org.director.user, period="month", first_month=date(2017, 3, 1))


def _fill_manager_change(org) -> None:
    """A new team led by manager B from the day (a change of manager, through the service)."""
    from teams import services
    from tests import factories

    services.team_manager_change(team=factories.TeamFactory(name="扩编队"), manager=org.manager_b,
                                 effective_on=date(2017, 8, 31), reason="兼任新组建团队经理", by=org.director.user)


def _fill_paths_and_training(org) -> None:
    """A ladder with its rungs, a step up with a requirement, a session and its attendance (through the services)."""
    from promotions.models import Ladder, Rung
    from promotions.services import paths, training
    from tests import factories
    from tests.promotions.conftest import course

    rep, senior = factories.PositionFactory(), factories.PositionFactory(code="senior_rep", level=20)
    ladder = Ladder.objects.create(code="rep", name="销售序列")  # no service writes ladders: set up in the admin
    for order, position in enumerate((rep, senior)):
        Rung.objects.create(ladder=ladder, position=position, order=order)
    step = paths.path_step_add(from_position=rep, to_position=senior, by=org.hr.user)
    paths.requirement_add(step=step, valid_from=date(2017, 1, 1), months_in_position=6, by=org.hr.user)
    session = training.session_add(course=course("culture"), title="企业文化", held_on=date(2017, 3, 1), hours=2,
                                   by=org.hr.user)
    training.attendance_record(session=session, employee=org.rep_a, by=org.hr.user)


def _fill_records(org) -> None:
    """Rep A's reward, proposed by their manager, approved and published (through the services)."""
    from rewards.services.records import record_act, record_propose
    from rewards.services.rules import default_rules_ensure

    record = record_propose(by=org.manager_a.user, employee=org.rep_a, kind="reward", method="cash", amount=1000,
                            reason="月度冠军")
    record_act(record_id=record.pk, version=1, action="approve", by=org.director.user)
    record_act(record_id=record.pk, version=2, action="publish", by=org.hr.user)
    default_rules_ensure(by=org.director.user)  # the rules; March's close (above) requested their run


def _fill_bulletins(org) -> None:
    """Team A's bulletin of an open August week with the director's reply and the manager's annotation, and rep
    A's line on the week (through the services)."""
    from rewards.services import bulletins

    week = date(2017, 8, 7)
    bulletin = bulletins.bulletin_save(team=org.team_a, week=week, hard="新客户少", by=org.manager_a.user)
    bulletins.bulletin_reply(bulletin_id=bulletin.pk, text="下周安排培训", by=org.director.user)
    bulletins.bulletin_annotate(bulletin_id=bulletin.pk, text="已安排", by=org.manager_a.user)
    bulletins.rep_week_line_save(employee=org.rep_a, week=week, text="客户拜访多", by=org.rep_a.user)


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda m: m._meta.label)
def test_every_changelist_lists_its_rows(every_table, admin_client, model):  # every_table first: it is replayed
    assert model._default_manager.exists(), f"{model._meta.label}'s table is empty: every_table must fill it"
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    response = admin_client.get(url)
    assert response.status_code == 200, model._meta.label
    html = response.content.decode()
    # the rows as rendered: a result list whose body has a row per result on the page (at least one)
    assert 'id="result_list"' in html, f"{model._meta.label}'s changelist shows no rows"
    body = html[html.index('id="result_list"'):]
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    shown = len(response.context["cl"].result_list)
    assert body.count("<tr") == shown >= 1, model._meta.label
