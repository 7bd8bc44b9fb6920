"""The working calendar in the database: loaded from chinesecalendar, the company's own days kept across reloads,
the years it knows on the calendar page, and the warning for plan months beyond them."""

from datetime import date, timedelta

import chinese_calendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from targets import selectors, services
from targets.models import CalendarDay, CalendarYear, PlanYear
from targets.working_calendar import selectors as calendar_selectors
from targets.working_calendar import services as calendar_services
from teams.errors import DomainError
from teams.models import StateEvent
from tests.api_errors import errors_by_field

TWO_YEARS = [date(2017, 1, 1) + timedelta(days=i) for i in range((date(2019, 1, 1) - date(2017, 1, 1)).days)]
PHASES = [services.PhaseSpec("全年", 12)]


def test_2017_and_2018_equal_chinesecalendar_day_by_day(calendar):
    held = selectors.working_calendar()
    differ = [d for d in TWO_YEARS if held.is_working_day(d) != chinese_calendar.is_workday(d)]
    assert differ == []


@pytest.mark.parametrize(("day", "working"), [
    (date(2018, 2, 11), True), (date(2018, 2, 24), True), (date(2018, 4, 8), True), (date(2018, 4, 28), True),
    (date(2018, 9, 29), True), (date(2018, 9, 30), True), (date(2018, 12, 29), True),  # make-up days
    (date(2018, 2, 15), False), (date(2018, 2, 21), False), (date(2018, 4, 5), False), (date(2018, 4, 30), False),
    (date(2018, 6, 18), False), (date(2018, 9, 24), False), (date(2018, 10, 5), False), (date(2018, 12, 31), False),
])
def test_the_2018_days_the_hand_written_calendar_had_wrong(calendar, day, working):
    assert selectors.working_calendar().is_working_day(day) is working


def test_a_reload_keeps_the_companys_days_and_drops_what_the_source_no_longer_has(calendar):
    CalendarDay.objects.filter(day=date(2018, 2, 24)).update(kind="holiday", name="公司年假", source="company")
    CalendarDay.objects.create(day=date(2018, 3, 8), kind="holiday", name="妇女节", source="company")
    CalendarDay.objects.create(day=date(2018, 7, 2), kind="holiday", name="已撤销", source="statutory")
    done = calendar_services.calendar_sync_statutory()
    assert (done.added, done.changed, done.removed, done.company_kept) == (0, 0, 1, 1)
    kept = CalendarDay.objects.get(day=date(2018, 2, 24))
    assert (kept.kind, kept.name, kept.source) == ("holiday", "公司年假", "company")
    assert CalendarDay.objects.filter(day=date(2018, 3, 8), source="company").exists()
    assert not CalendarDay.objects.filter(day=date(2018, 7, 2)).exists()
    assert calendar_services.calendar_sync_statutory() == calendar_services.CalendarSync(0, 0, 0, 1)


def test_the_command_loads_every_known_year(db):
    call_command("calendar_sync", stdout=(out := __import__("io").StringIO()))
    assert list(CalendarYear.objects.values_list("year", flat=True)) == list(range(2004, 2027))
    assert "2004–2026" in out.getvalue()
    assert CalendarDay.objects.filter(source="statutory").count() == len(chinese_calendar.holidays) + len(
        chinese_calendar.workdays)


def test_a_day_both_holiday_and_make_up_day_is_refused_and_nothing_is_written(calendar, unchanged):
    rows = [(date(2030, 10, 1), "holiday", "国庆节"), (date(2030, 10, 1), "makeup", "国庆节")]
    with unchanged(), pytest.raises(DomainError) as refused:
        calendar_services.calendar_sync(rows=rows, years=[2030], source="test")
    assert refused.value.field == "day"
    assert "2030-10-01" in refused.value.message


def test_the_calendar_page_shows_the_known_years_and_the_companys_days(client, org, calendar):
    CalendarDay.objects.create(day=date(2018, 3, 8), kind="holiday", name="妇女节", source="company")
    client.force_login(org.manager_a.user)
    page = client.get(reverse("targets:calendar")).content.decode()
    assert 'data-year="2026"' in page and 'data-year="2004"' in page and 'data-year="2027"' not in page
    assert "2018-03-08" in page and "chinesecalendar 1.11.0" in page


def create(org, first_month: date) -> PlanYear:
    return services.plan_create(name=f"{first_month:%Y}年度计划", first_month=first_month, phases=PHASES,
                                month_targets=[1_000_000] * 12, by=org.director.user)


def test_months_beyond_the_known_years_are_named(org, calendar):
    assert calendar_selectors.months_beyond_calendar([date(2026, 11, 1), date(2026, 12, 1), date(2027, 1, 1)]) == [
        date(2026, 12, 1), date(2027, 1, 1)]  # the last week of December 2026 ends on Sunday 3 January 2027


def test_approving_a_plan_beyond_the_calendar_is_refused_until_the_director_chooses_to(org, calendar, unchanged):
    plan = create(org, date(2027, 2, 1))
    with unchanged(), pytest.raises(DomainError) as refused:
        services.plan_approve(plan=plan, version=plan.version, by=org.general_manager.user)
    assert refused.value.field == "calendar" and "2027-02" in refused.value.message
    approved = services.plan_approve(plan=plan, version=plan.version, by=org.general_manager.user,
                                     without_calendar=True)
    assert approved.status == PlanYear.Status.APPROVED
    event = StateEvent.objects.get(subject_id=plan.pk, action="approve")
    assert "2027-02" in event.reason and "2028-01" in event.reason


def test_the_api_warns_on_create_and_approves_only_when_told(client, org, calendar):
    client.force_login(org.director.user)
    body = {"name": "2027年度计划", "first_month": "2027-02-01", "month_targets": [1_000_000] * 12,
            "phases": [{"name": "全年", "month_count": 12}]}
    created = client.post("/api/v1/plans/", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["months_without_calendar"][0] == "2027-02"
    url = f"/api/v1/plans/{created.json()['id']}/approve/"
    refused = client.post(url, {"version": 1}, content_type="application/json")
    assert refused.status_code == 400 and "2027-02" in errors_by_field(refused)["calendar"][0]
    approved = client.post(url, {"version": 1, "without_calendar": True}, content_type="application/json")
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_a_plan_inside_the_known_years_has_no_warning(client, org, calendar):
    plan = create(org, date(2025, 2, 1))
    client.force_login(org.director.user)
    page = client.get(reverse("targets:plan", args=[plan.pk])).content.decode()
    assert 'id="calendar-warning"' not in page
    assert client.get(f"/api/v1/plans/{plan.pk}/").json()["months_without_calendar"] == []


def test_the_plan_page_warns_and_offers_to_approve_without_the_holidays(client, org, calendar):
    plan = create(org, date(2027, 2, 1))
    client.force_login(org.general_manager.user)
    page = client.get(reverse("targets:plan", args=[plan.pk])).content.decode()
    assert 'id="calendar-warning"' in page and "2027-02" in page and 'name="without_calendar"' in page
    client.post(reverse("targets:plan_approve", args=[plan.pk]), {"version": plan.version})
    assert PlanYear.objects.get(pk=plan.pk).status == "draft"
    client.post(reverse("targets:plan_approve", args=[plan.pk]), {"version": plan.version, "without_calendar": "1"})
    assert PlanYear.objects.get(pk=plan.pk).status == "approved"


def test_a_day_changed_in_the_admin_becomes_the_companys_and_survives_a_reload(admin_client, calendar):
    day = CalendarDay.objects.get(day=date(2018, 2, 24))  # a statutory make-up Saturday
    response = admin_client.post(reverse("admin:targets_calendarday_change", args=[day.pk]),
                           {"day": "2018-02-24", "kind": "holiday", "name": "公司年假"})
    assert response.status_code == 302
    calendar_services.calendar_sync_statutory()
    day.refresh_from_db()
    assert (day.kind, day.source) == ("holiday", "company")


def test_an_imported_file_with_a_day_both_off_and_worked_writes_nothing(calendar, unchanged):
    import tablib

    from targets.resources import CalendarDayResource

    rows = tablib.Dataset(headers=["date", "kind", "name"])
    rows.append(["2030-10-01", "holiday", "国庆节"])
    rows.append(["2030-10-01", "makeup", "国庆节"])
    with unchanged():
        result = CalendarDayResource().import_data(rows, dry_run=False, raise_errors=False)
    assert result.has_errors() and "2030-10-01" in str(result.base_errors[0].error)
