"""Date the demo's acts when they would have happened, not when `load_demo` ran.

Why a step of its own: load_demo builds the 2017 organisation through the services every user goes through (weekly
figures, month closes, the plan's approval, appraisal acts, promotion cases…), and those stamp their rows with the
real clock, as a production save must. Left so, a user opening February 2017's close, an appraisal's history or a
rep's figure history read the day the demo was loaded. Passing a date through each of those services would widen a
dozen production signatures for the demo alone, so the loader lets them write and then calls `date_demo` once: it
rewrites, in bulk UPDATEs, the timestamps of the rows written since the load began, and only those (a second load
writes nothing, so it dates nothing; rows users wrote after an earlier load keep their times).

Every time comes from the row's own domain dates (its week, its month, its cycle's deadlines, the plan's first
month) and none is after the demo's today (`demo_today`). A subject's events keep their order; the rollups are
computed after the last figure entry, so the pages' "figures as of …" follows the figures.
"""

from collections import defaultdict
from datetime import date, datetime, time, timedelta

from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from appraisals.models import Appraisal, Cycle, FeedbackRequest, Step, StepDeadline
from kpis import demo as kpis_demo
from kpis.models import FigureChange, FiguresState, MonthClose, WeeklyFigures
from kpis.results.models import CompanyMonthResult, RepMonthResult, RollupMonth, TeamMonthResult
from promotions.models import PromotionCase, ReservePoolRule, StepRequirement
from rewards import demo as rewards_demo
from rewards.models import (
    Bulletin,
    BulletinComment,
    Notice,
    NoticeRead,
    PublishedRanking,
    Record,
    RepWeekLine,
    Rule,
    RuleRun,
)
from targets.calculations import weeks_of_month
from targets.models import PlanYear
from targets.selectors import working_calendar
from teams import clock
from teams.models import AccessEvent, Appointment, StateEvent, Team, User
from teams.transitions import subject_type

STEPS = list(Step.values)  # an appraisal's states in order: an act leaving one is due by its deadline or a later one
BATCH = 500


def demo_today() -> date:
    """Return the last day the demo's acts may fall on: the Friday of its last week with figures (27 October 2017,
    the Makefile's AS_OF_DATE), or the loader's as-of date when that is earlier."""
    return min(clock.today(), kpis_demo.demo_weeks()[-1] + timedelta(days=4))


def date_demo(*, since: datetime) -> None:
    """Rewrite the timestamps of the rows written since `since` from their domain dates."""
    _Dating(since).run()


class _Dating:
    def __init__(self, since: datetime) -> None:
        self.since = since
        self.calendar = working_calendar()
        self.today = demo_today()
        self.limit = timezone.make_aware(datetime.combine(self.today, time(21)), timezone.get_default_timezone())
        first = PlanYear.objects.order_by("first_month").values_list("first_month", flat=True).first() or self.today
        # The log-ins and records were set up when the product came in: the month before the first plan year.
        self.go_live = self.workday_after((first - timedelta(days=1)).replace(day=1) - timedelta(days=1), 1)
        self.cycles_closed: list[datetime] = []

    def at(self, day: date, hour: time, minutes: int = 0) -> datetime:
        moment = datetime.combine(day, hour) + timedelta(minutes=minutes)
        return min(timezone.make_aware(moment, timezone.get_default_timezone()), self.limit)

    def workday_after(self, day: date, n: int) -> date:
        """Return the n-th working day after `day` (`day` itself for 0)."""
        while n > 0:
            day += timedelta(days=1)
            n -= self.calendar.is_working_day(day)
        return day

    def workday_before(self, day: date, n: int) -> date:
        """Return the n-th working day before `day` (`day` itself for 0)."""
        while n > 0:
            day -= timedelta(days=1)
            n -= self.calendar.is_working_day(day)
        return day

    def run(self) -> None:
        events: dict[str, dict[int, list[StateEvent]]] = defaultdict(lambda: defaultdict(list))
        every = list(StateEvent.objects.filter(at__gte=self.since).order_by("pk"))
        for event in every:
            events[event.subject_type][event.subject_id].append(event)
        self._people()
        self._plans(events[subject_type(PlanYear)])
        self._rollups(self._figures())
        self._closes(events[subject_type(MonthClose)])
        self._appraisals(events[subject_type(Cycle)], events[subject_type(Appraisal)])
        self._promotions(events[subject_type(PromotionCase)])
        self._rewards(events)
        StateEvent.objects.bulk_update(every, ["at"], batch_size=BATCH)

    def _people(self) -> None:
        """Log-ins from the hire date (or the product's start), appointments recorded on their effective day, access
        events on the leaving date they record."""
        users = list(User.objects.filter(date_joined__gte=self.since).select_related("employee"))
        for user in users:
            hired = getattr(getattr(user, "employee", None), "hire_date", self.go_live)
            user.date_joined = self.at(max(self.go_live, hired), time(9))
        User.objects.bulk_update(users, ["date_joined"], batch_size=BATCH)
        appointments = list(Appointment.objects.filter(recorded_at__gte=self.since))
        for appointment in appointments:
            appointment.recorded_at = self.at(max(self.go_live, appointment.effective_from), time(9, 30))
        Appointment.objects.bulk_update(appointments, ["recorded_at"], batch_size=BATCH)
        # a leaver's log-in closed (access ended) on their leaving date, when the daily task runs
        events = list(AccessEvent.objects.filter(at__gte=self.since).select_related("user__employee"))
        for event in events:
            left = getattr(getattr(event.user, "employee", None), "left_on", None)
            event.at = self.at(max(self.go_live, left), time(0, 5)) if left else self.at(self.go_live, time(9))
        AccessEvent.objects.bulk_update(events, ["at"], batch_size=BATCH)

    def _plans(self, chains: dict[int, list[StateEvent]]) -> None:
        """A plan is approved ten working days before its first month; earlier moves two working days apart."""
        plans = PlanYear.objects.in_bulk(list(chains))
        for pk, chain in chains.items():
            plan, approved = plans[pk], self.workday_before(plans[pk].first_month, 10)
            for n, event in enumerate(chain):
                event.at = self.at(self.workday_before(approved, 2 * (len(chain) - 1 - n)), time(15))
            if plan.approved_at and plan.approved_at >= self.since:
                plan.approved_at = next((e.at for e in reversed(chain) if e.action == "approve"), plan.approved_at)
            if plan.changed_at and plan.changed_at >= self.since:
                plan.changed_at = chain[-1].at
        PlanYear.objects.bulk_update(plans.values(), ["approved_at", "changed_at"])

    def _figures(self) -> datetime | None:
        """A week's figures are entered on its Friday evening (kpis.demo.entered_at) and submitted after; return the
        last entry."""
        numbers = {pk: n for n, pk in enumerate(Team.objects.order_by("code").values_list("pk", flat=True))}
        rows = WeeklyFigures.objects.filter(entered_at__gte=self.since)
        keys = set(rows.order_by().values_list("week", "team_id").distinct())
        entered = {(week, team): min(kpis_demo.entered_at(week, numbers[team]), self.limit) for week, team in keys}
        for team in {team for _, team in keys}:
            rows.filter(team_id=team).update(entered_at=Case(
                *[When(week=week, then=Value(at)) for (week, t), at in entered.items() if t == team],
                default=F("entered_at")))
        changes = FigureChange.objects.filter(changed_at__gte=self.since)
        changes.exclude(field="state").update(changed_at=Subquery(
            WeeklyFigures.objects.filter(pk=OuterRef("figures_id")).values("entered_at")[:1]))
        submitted = [FigureChange(pk=pk, changed_at=min(entered[week, team] + kpis_demo.SUBMITTED_AFTER, self.limit))
                     for pk, week, team in changes.filter(field="state", new_value=FiguresState.SUBMITTED)
                     .values_list("pk", "figures__week", "figures__team_id") if (week, team) in entered]
        FigureChange.objects.bulk_update(submitted, ["changed_at"], batch_size=BATCH)
        return max(entered.values(), default=None)

    def _rollups(self, last_entry: datetime | None) -> None:
        """The months computed by this load were requested by its last entry and computed just after it."""
        if last_entry is None:
            return
        computed = min(last_entry + timedelta(seconds=30), self.limit)
        done = RollupMonth.objects.filter(computed_at__gte=self.since, requested_at__lte=F("computed_at")).filter(
            Q(requested_at__gte=self.since) | Q(requested_at__lte=computed))
        months = list(done.values_list("month", flat=True))
        RollupMonth.objects.filter(month__in=months, requested_at__gte=self.since).update(requested_at=last_entry)
        RollupMonth.objects.filter(month__in=months).update(
            computed_at=computed, run_started_at=computed, run_finished_at=min(computed + timedelta(seconds=5),
                                                                               self.limit))
        for model in (RepMonthResult, TeamMonthResult, CompanyMonthResult):
            model.objects.filter(month__in=months, computed_at__gte=self.since).update(computed_at=computed)

    def close_day(self, month: date, n: int = 0) -> date:
        """Return the day of the month's n-th close event: the second or third working day after the month."""
        month_end = (month + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        return self.workday_after(month_end, 2 + month.month % 2 + n)

    def _closes(self, chains: dict[int, list[StateEvent]]) -> None:
        """A month is closed on the second or third working day after it, and its figures locked then."""
        closes = MonthClose.objects.in_bulk(list(chains))
        for pk, chain in chains.items():
            close = closes[pk]
            for n, event in enumerate(chain):
                event.at = self.at(self.close_day(close.month, n), time(17))
            if close.closed_at >= self.since:
                close.closed_at = next((e.at for e in reversed(chain) if e.action == "close"), close.closed_at)
                FigureChange.objects.filter(
                    changed_at__gte=self.since, field="state", new_value=FiguresState.LOCKED,
                    figures__week__in=weeks_of_month(close.month.year, close.month.month),
                ).update(changed_at=close.closed_at)
        MonthClose.objects.bulk_update(closes.values(), ["closed_at"])

    def _appraisals(self, cycle_chains: dict[int, list[StateEvent]],
                    chains: dict[int, list[StateEvent]]) -> None:
        """A cycle opens on the first working day of its goals' month; each appraisal's acts follow in order, each
        in the last working days before its step's deadline; the cycle closes the working day after the last."""
        appraisals = list(Appraisal.objects.filter(pk__in=list(chains)).select_related("employee").order_by("pk"))
        cycles = Cycle.objects.in_bulk(set(cycle_chains) | {a.cycle_id for a in appraisals})
        dues: dict[int, dict[str, date]] = defaultdict(dict)
        for deadline in StepDeadline.objects.filter(cycle_id__in=list(cycles)):
            dues[deadline.cycle_id][deadline.step] = deadline.due_on
        for n, pk in enumerate(sorted(cycles)):
            cycle = cycles[pk]
            first_due = min(dues[pk].values(), default=cycle.first_month)
            opened = self.at(self.workday_after(first_due.replace(day=1) - timedelta(days=1), 1), time(9), 30 * n)
            if cycle.opened_at >= self.since:
                cycle.opened_at = opened
            latest = opened
            for key, appraisal in enumerate(a for a in appraisals if a.cycle_id == pk):
                start = max(opened, self.at(appraisal.employee.hire_date, time(9)))
                latest = max(latest, self._acts(chains[appraisal.pk], start, dues[pk], key))
                self._mirror(appraisal, chains[appraisal.pk])
            for i, event in enumerate(cycle_chains.get(pk, [])):
                event.at = opened if i == 0 else self.at(self.workday_after(latest.date(), i), time(10))
                if event.action == "close":
                    self.cycles_closed.append(event.at)
        Cycle.objects.bulk_update(cycles.values(), ["opened_at"])
        Appraisal.objects.bulk_update(appraisals, ["snapshot_at", "published_at"], batch_size=BATCH)
        self._feedback(chains)

    def _acts(self, chain: list[StateEvent], start: datetime, dues: dict[str, date], key: int) -> datetime:
        last = start
        for i, event in enumerate(chain):
            due = max(min(self._due(event.from_state, dues), self.today), last.date())
            window = self.calendar.working_dates(last.date(), due) or [due]
            day = window[max(0, len(window) - 1 - (key + i) % 3)]
            slot = self.at(day, time(9, 30), (key * 37 + i * 53) % 420)
            event.at = last = min(max(slot, last + timedelta(minutes=15)), self.limit)
        return last

    def _due(self, state: str, dues: dict[str, date]) -> date:
        later = STEPS[STEPS.index(state):] if state in STEPS else []
        return next((dues[step] for step in later if step in dues), self.today)

    def _mirror(self, appraisal: Appraisal, chain: list[StateEvent]) -> None:
        """The figures were collected with the last self review, the appraisal published with its publish act."""
        for field, actions in (("snapshot_at", {"submit_review", "recollect"}), ("published_at", {"publish"})):
            moments = [e.at for e in chain if e.action in actions]
            if moments and getattr(appraisal, field) and getattr(appraisal, field) >= self.since:
                setattr(appraisal, field, moments[-1])

    def _feedback(self, chains: dict[int, list[StateEvent]]) -> None:
        """Feedback is answered soon after the self review sent the appraisal to it, before its next act."""
        answered: dict[int, list[FeedbackRequest]] = defaultdict(list)
        for request in FeedbackRequest.objects.filter(answered_at__gte=self.since).order_by("pk"):
            answered[request.appraisal_id].append(request)
        for appraisal_id, requests in answered.items():
            chain = chains.get(appraisal_id, [])
            asked = next((n for n, e in enumerate(chain) if e.to_state == Step.FEEDBACK), None)
            if asked is None:
                continue
            start = chain[asked].at
            end = chain[asked + 1].at if asked + 1 < len(chain) else min(
                max(self.at(self.today, time(20)), start + timedelta(minutes=30)), self.limit)
            gap = min((end - start) / (len(requests) + 1), timedelta(minutes=40))  # soon after being asked
            for n, request in enumerate(requests, start=1):
                request.answered_at = start + n * gap
        FeedbackRequest.objects.bulk_update([r for rs in answered.values() for r in rs], ["answered_at"])

    def _promotions(self, chains: dict[int, list[StateEvent]]) -> None:
        """The rules were written the working day before they apply; the open cases' acts fall in the fortnight
        before today, two working days apart; the reserve pool's rule was set once the last cycle had closed."""
        requirements = list(StepRequirement.objects.filter(changed_at__gte=self.since).order_by("pk"))
        for n, requirement in enumerate(requirements):
            requirement.changed_at = self.at(self.workday_before(requirement.valid_from, 1), time(10), 5 * n)
        StepRequirement.objects.bulk_update(requirements, ["changed_at"])
        for n, pk in enumerate(sorted(chains)):
            chain, last = chains[pk], self.workday_before(self.today + timedelta(days=1), 2 + n % 3)
            for i, event in enumerate(chain):
                event.at = self.at(self.workday_before(last, 2 * (len(chain) - 1 - i)), time(10), 20 * n + 45 * i)
        pool_day = self.workday_after(max(self.cycles_closed).date(), 1) if self.cycles_closed else self.today
        ReservePoolRule.objects.filter(changed_at__gte=self.since).update(changed_at=self.at(pool_day, time(11)))

    def _rewards(self, events: dict[str, dict[int, list[StateEvent]]]) -> None:
        """Rankings are published the working day after their period's close; a record is proposed on its period's
        close (or, with no period, a week before today) and each later act falls a working day after the one before;
        announcements on their day; a notice is read within two days of its publication or of the reader's first
        day; a bulletin is written on its week's last working day in the evening and answered the next working day,
        a rep's line on their week written just before it."""
        Rule.objects.filter(changed_at__gte=self.since).update(changed_at=self.at(self.go_live, time(10)))
        for run in RuleRun.objects.filter(requested_at__gte=self.since):  # the rules ran as each month closed
            closed = self.at(self.close_day(run.month), time(10, 30))
            ran = closed + timedelta(minutes=1) if run.evaluated_at else None  # the task ran at once
            RuleRun.objects.filter(pk=run.pk).update(requested_at=closed, evaluated_at=closed if run.evaluated_at
                                                     else None, ran_at=ran)
        notice_at: dict[tuple[str, int], datetime] = {}
        self.phase_ends = {min(ms): max(ms) for ms in rewards_demo.phases_months()}
        rankings = list(PublishedRanking.objects.filter(published_at__gte=self.since).order_by("pk"))
        for n, ranking in enumerate(rankings):
            last = self.last_month(ranking.period, ranking.first_month)
            ranking.published_at = self.at(self.workday_after(self.close_day(last), 1), time(11), n % 10)
            notice_at[("ranking", ranking.pk)] = ranking.published_at
            for event in events[subject_type(PublishedRanking)].get(ranking.pk, []):
                event.at = ranking.published_at
        PublishedRanking.objects.bulk_update(rankings, ["published_at"])
        self._records(events[subject_type(Record)], notice_at)
        days = {title: day for _, title, _, _, day in rewards_demo.ANNOUNCEMENTS}
        notices = list(Notice.objects.filter(published_at__gte=self.since).order_by("pk"))
        for notice in notices:
            moment = (notice_at.get(("ranking", notice.ranking_id)) or notice_at.get(("record", notice.record_id))
                      or self.at(days.get(notice.title, self.today), time(9, 30)))
            notice.published_at = moment
            for event in events[subject_type(Notice)].get(notice.pk, []):
                event.at = moment
            if notice.withdrawn_at is not None and notice.record_id:  # a revoked record's notice: when revoked
                revoked = [e.at for e in events[subject_type(Record)].get(notice.record_id, []) if e.action == "revoke"]
                notice.withdrawn_at = revoked[-1] if revoked else moment
        Notice.objects.bulk_update(notices, ["published_at", "withdrawn_at"], batch_size=BATCH)
        published = {n.pk: n.published_at for n in notices}
        joined = dict(User.objects.values_list("pk", "date_joined"))  # dated by _people: a reader's first day
        reads = list(NoticeRead.objects.filter(read_at__gte=self.since))
        for read in reads:
            start = max(published.get(read.notice_id) or self.limit, joined[read.user_id])
            read.read_at = min(start + timedelta(minutes=30 + (read.user_id * 97 + read.notice_id * 31) % 2400),
                               self.limit)
        NoticeRead.objects.bulk_update(reads, ["read_at"], batch_size=BATCH)
        self._bulletins(events[subject_type(Bulletin)])

    def last_month(self, period: str, first_month: date) -> date:
        return self.phase_ends.get(first_month, first_month) if period == "phase" else first_month

    def _records(self, chains: dict[int, list[StateEvent]], notice_at: dict) -> None:
        records = list(Record.objects.filter(proposed_at__gte=self.since).order_by("pk"))
        for n, record in enumerate(records):
            chain = chains.get(record.pk, [])
            if record.first_month is None:
                start = self.workday_before(self.today, 5)
            else:
                start = self.close_day(self.last_month(record.period, record.first_month))
            for i, event in enumerate(chain):
                event.at = self.at(self.workday_after(start, i), time(10, 30), n % 40 + 5 * i)
            record.proposed_at = chain[0].at if chain else self.at(start, time(10, 30))
            publish = next((e.at for e in chain if e.action == "publish"), None)
            if record.published_at is not None and publish is not None:
                record.published_at = publish
                notice_at[("record", record.pk)] = publish
        Record.objects.bulk_update(records, ["proposed_at", "published_at"], batch_size=BATCH)

    def week_last_workday(self, monday: date) -> date:
        """Return the week's last working day (a make-up Saturday included), or its Friday when it has none."""
        return next((day for day in (monday + timedelta(days=n) for n in range(6, -1, -1))
                     if self.calendar.is_working_day(day)), monday + timedelta(days=4))

    def _bulletins(self, chains: dict[int, list[StateEvent]]) -> None:
        bulletins = list(Bulletin.objects.filter(written_at__gte=self.since).order_by("pk"))
        for bulletin in bulletins:
            bulletin.written_at = self.at(self.week_last_workday(bulletin.week), time(18), (bulletin.team_id * 7) % 50)
            chain = chains.get(bulletin.pk, [])
            for n, event in enumerate(chain):  # its write, and a rewrite (none in the demo) a few minutes later
                event.at = min(bulletin.written_at + timedelta(minutes=5 * n), self.limit)
            bulletin.updated_at = chain[-1].at if chain else bulletin.written_at
        Bulletin.objects.bulk_update(bulletins, ["written_at", "updated_at"], batch_size=BATCH)
        written = {b.pk: b.written_at for b in bulletins}
        comments = list(BulletinComment.objects.filter(at__gte=self.since).order_by("pk"))
        for n, comment in enumerate(comments):
            start = written.get(comment.bulletin_id) or self.limit
            comment.at = max(self.at(self.workday_after(start.date(), 1), time(9, 30), 7 * n % 50),
                             start + timedelta(minutes=5))
            comment.at = min(comment.at, self.limit)
        BulletinComment.objects.bulk_update(comments, ["at"], batch_size=BATCH)
        lines = list(RepWeekLine.objects.filter(written_at__gte=self.since))
        for line in lines:
            line.written_at = self.at(self.week_last_workday(line.week), time(17), line.employee_id % 40)
        RepWeekLine.objects.bulk_update(lines, ["written_at"], batch_size=BATCH)
