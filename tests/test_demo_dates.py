"""The demo's acts are dated where they happened in 2016–2017, not when load_demo ran (salesops/demo_dates.py): no
timestamp after the demo's today, each subject's events in order, closes after their months, figures entered in
their weeks, rollups computed after the last entry, and a second load dating nothing.

The demo is loaded once for the module (tests/conftest.py, demo_once) without AS_OF_DATE, as the suite runs: its
acts still stop at the demo's own today, 27 October 2017.
"""

import io
import re
from collections import defaultdict
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, DateTimeField, F, Max, Min
from django.urls import reverse
from django.utils import formats, timezone, translation

from appraisals.models import Appraisal, Cycle, FeedbackRequest, Step
from kpis.models import FigureChange, FiguresState, MonthClose, WeeklyFigures
from kpis.results.models import CompanyMonthResult, RepMonthResult, RollupMonth, TeamMonthResult
from promotions.models import PromotionCase, ReservePoolRule, StepRequirement
from salesops.demo_dates import demo_today
from targets.calculations import weeks_of_month
from targets.models import PlanYear
from targets.selectors import working_calendar
from teams.models import Appointment, StateEvent, User

SHANGHAI = ZoneInfo("Asia/Shanghai")
TODAY = date(2017, 10, 27)  # the Makefile's AS_OF_DATE: the Friday of the demo's last week with figures
END = datetime.combine(TODAY + timedelta(days=1), time(), SHANGHAI)  # the end of the demo's today
START = datetime(2016, 1, 1, tzinfo=SHANGHAI)  # the log-ins were opened in January 2016, before the 2016 plan year
# When the statutory calendar was loaded (`manage.py calendar_sync`, before the demo): the system's, not a demo act.
NOT_THE_DEMOS = {("targets.CalendarYear", "loaded_at")}


def local(moment: datetime) -> datetime:
    return timezone.localtime(moment, SHANGHAI)


def timestamp_fields():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, DateTimeField) and (model._meta.label, field.name) not in NOT_THE_DEMOS:
                yield model, field.name


def chains(kind: str | None = None) -> dict[tuple[str, int], list[StateEvent]]:
    """Return each subject's events, in the order they were written."""
    found = defaultdict(list)
    events = StateEvent.objects.order_by("pk")
    for event in events.filter(subject_type=kind) if kind else events:
        found[event.subject_type, event.subject_id].append(event)
    return found


def test_the_demos_today_is_the_friday_of_its_last_week_with_figures_or_the_as_of_date_before_it(settings):
    assert demo_today() == TODAY  # the suite runs without AS_OF_DATE: the real date is later
    settings.AS_OF_DATE = date(2017, 9, 15)
    assert demo_today() == date(2017, 9, 15)


def test_no_demo_timestamp_is_after_the_demos_today_or_before_2016(demo):
    outside, dated = {}, 0
    for model, field in timestamp_fields():
        span = model.objects.aggregate(n=Count(field), first=Min(field), last=Max(field))
        dated += span["n"]
        if span["n"] and not START <= span["first"] <= span["last"] < END:
            outside[f"{model._meta.label}.{field}"] = (local(span["first"]), local(span["last"]))
    assert not outside
    assert dated > 20_000  # the figures, their trail, the events, the rollups: all were looked at


def test_each_subjects_events_are_dated_in_the_order_they_were_made(demo):
    found = chains()
    kinds = {kind for kind, _ in found}
    assert {"targets.planyear", "kpis.monthclose", "appraisals.cycle", "appraisals.appraisal",
            "promotions.promotioncase"} <= kinds
    unordered = {key: [(e.action, local(e.at)) for e in chain] for key, chain in found.items()
                 if any(a.at >= b.at for a, b in zip(chain, chain[1:], strict=False))}
    assert not unordered


def test_each_plan_is_approved_in_the_weeks_before_its_first_month(demo):
    for plan in PlanYear.objects.all():
        (event,) = chains("targets.planyear")["targets.planyear", plan.pk]
        assert event.action == "approve" and plan.approved_at == plan.changed_at == event.at
        assert plan.first_month - timedelta(days=31) < local(plan.approved_at).date() < plan.first_month


def test_figures_are_entered_on_their_weeks_friday_evening_and_submitted_that_evening(demo):
    for week, entered in WeeklyFigures.objects.values_list("week", "entered_at"):
        assert local(entered).date() == week + timedelta(days=4) and 17 <= local(entered).hour < 21, (week, entered)
    trail = FigureChange.objects.exclude(field="state")
    assert trail.count() > 10_000 and not trail.exclude(changed_at=F("figures__entered_at")).exists()
    submitted = FigureChange.objects.filter(field="state", new_value=FiguresState.SUBMITTED).select_related("figures")
    assert submitted.count() > 1500
    for change in submitted:
        assert change.figures.entered_at < change.changed_at
        assert local(change.changed_at).date() == change.figures.week + timedelta(days=4)


def test_a_month_is_closed_on_the_second_or_third_working_day_after_it_and_its_figures_locked_then(demo):
    calendar, closes = working_calendar(), list(MonthClose.objects.all())
    assert len(closes) == 20  # February 2016–January 2017, and February–September 2017
    for close in closes:
        (event,) = chains("kpis.monthclose")["kpis.monthclose", close.pk]
        assert close.closed_at == event.at
        month_end = (close.month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        day = local(close.closed_at).date()
        assert calendar.is_working_day(day) and calendar.working_days(month_end + timedelta(days=1), day) in (2, 3)
        weeks = weeks_of_month(close.month.year, close.month.month)
        last_entry = WeeklyFigures.objects.filter(week__in=weeks).aggregate(last=Max("entered_at"))["last"]
        assert last_entry < close.closed_at
        locks = FigureChange.objects.filter(field="state", new_value=FiguresState.LOCKED, figures__week__in=weeks)
        assert set(locks.values_list("changed_at", flat=True)) <= {close.closed_at}
    assert FigureChange.objects.filter(new_value=FiguresState.LOCKED).count() > 1500


def test_the_month_close_page_says_february_was_closed_in_early_march_2017(client, demo, settings):
    settings.AS_OF_DATE = TODAY
    client.force_login(User.objects.get(username="director"))
    plan = PlanYear.objects.get(first_month=date(2017, 2, 1))
    page = client.get(reverse("kpis:months"), {"plan": plan.pk}).content.decode()
    row = re.search(r'<tr id="month-2017-02">(.*?)</tr>', page, re.S).group(1)
    closed_at = MonthClose.objects.get(month=date(2017, 2, 1)).closed_at
    assert local(closed_at).date() == date(2017, 3, 2)
    with translation.override("zh-hans"):
        assert formats.date_format(local(closed_at), "SHORT_DATETIME_FORMAT") in row


def test_appraisal_acts_fall_between_their_cycles_opening_and_closing_in_order_and_by_each_deadline(demo):
    steps = list(Step.values)
    events = chains("appraisals.appraisal")
    for cycle in Cycle.objects.prefetch_related("deadlines"):
        dues = {d.step: d.due_on for d in cycle.deadlines.all()}
        cycle_events = chains("appraisals.cycle")["appraisals.cycle", cycle.pk]
        assert cycle_events[0].action == "open" and cycle_events[0].at == cycle.opened_at
        closed = cycle_events[-1].at if cycle_events[-1].action == "close" else END
        for appraisal in cycle.appraisals.all():
            chain = events.get(("appraisals.appraisal", appraisal.pk), [])
            for event in chain:
                assert cycle.opened_at < event.at < closed
                # due by the deadline of the step it leaves, or of the next step that has one
                due = next(dues[s] for s in steps[steps.index(event.from_state):] if s in dues)
                assert local(event.at).date() <= due, (cycle.name, event.action, local(event.at), due)
            reviews = [e.at for e in chain if e.action == "submit_review"]
            assert appraisal.snapshot_at == (reviews[-1] if reviews else None)
            published = [e.at for e in chain if e.action == "publish"]
            assert appraisal.published_at == (published[-1] if published else None)
    half_year = Cycle.objects.get(status=Cycle.Status.CLOSED)
    assert {local(a.published_at).date().month for a in half_year.appraisals.all()} == {8}


def test_feedback_is_answered_after_the_self_review_asked_for_it_and_before_the_next_act(demo):
    events = chains("appraisals.appraisal")
    answered = FeedbackRequest.objects.filter(answered_at__isnull=False)
    assert answered.count() > 10
    for request in answered:
        chain = events["appraisals.appraisal", request.appraisal_id]
        asked = next(n for n, e in enumerate(chain) if e.to_state == Step.FEEDBACK)
        after = chain[asked + 1].at if asked + 1 < len(chain) else END
        assert chain[asked].at < request.answered_at < after


def test_promotion_rules_and_cases_come_after_what_they_rest_on_and_before_today(demo):
    assert all(local(r.changed_at).date() < r.valid_from for r in StepRequirement.objects.all())
    published = Appraisal.objects.aggregate(last=Max("published_at"))["last"]
    assert published < ReservePoolRule.objects.get().changed_at < END  # set once the first half was published
    cases = chains("promotions.promotioncase")
    assert len(cases) == PromotionCase.objects.count() >= 3
    for chain in cases.values():
        assert chain[0].action == "nominate"
        assert all(published < e.at < END for e in chain)


def test_people_joined_and_appointments_were_recorded_from_their_hire_date_on(demo):
    for user in User.objects.filter(employee__isnull=False).select_related("employee"):
        assert local(user.date_joined).date() == max(user.employee.hire_date, date(2016, 1, 4))
    for appointment in Appointment.objects.all():
        assert local(appointment.recorded_at).date() == max(appointment.effective_from, date(2016, 1, 4))


def test_the_rollups_were_computed_after_the_last_figure_entry_so_the_pages_figures_are_current(demo):
    last_entry = WeeklyFigures.objects.aggregate(last=Max("entered_at"))["last"]
    months = list(RollupMonth.objects.all())
    assert len(months) == 24 and not [m.month for m in months if m.pending]
    assert all(m.requested_at <= last_entry < m.computed_at < END and m.stale_since is None for m in months)
    computed = {m.month: m.computed_at for m in months}
    for model in (RepMonthResult, TeamMonthResult, CompanyMonthResult):
        assert all(computed[month] == at for month, at in model.objects.values_list("month", "computed_at"))


def test_the_dashboard_shows_the_figures_as_of_the_demos_friday_evening(client, demo, settings):
    settings.AS_OF_DATE = TODAY
    client.force_login(User.objects.get(username="director"))
    page = client.get(reverse("dashboards:director"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    line = re.sub(r"<[^>]+>|\s+", " ", re.search(r'<p class="freshness muted" role="status">(.*?)</p>', page,
                                                  re.S).group(1))
    computed = local(RollupMonth.objects.aggregate(last=Max("computed_at"))["last"])
    assert f"Figures as of {computed:%Y-%m-%d %H:%M}." in line and "recalculating" not in line
    assert computed.date() == TODAY and computed.hour >= 17


def test_a_second_load_dates_nothing_again(demo):
    def stamps():
        return {(model._meta.label, field): sorted(model.objects.values_list("pk", field))
                for model, field in timestamp_fields()}

    before = stamps()
    call_command("load_demo", stdout=io.StringIO())
    assert stamps() == before
