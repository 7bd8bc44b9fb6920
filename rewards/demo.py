"""The demo's rewards and penalties, notice board, published rankings and weekly bulletins, so every role finds
something on log-in: the rules' monthly awards and bottom warnings approved and published for the closed months
of 2017 (one revoked), September's proposals waiting for the director, pinned announcements, the closed months'
and phases' rankings published, and most managers' weekly bulletins with a few of the director's replies.

Everything goes through rewards.services, as a user's acts do; salesops.demo_dates dates it afterwards.
Deterministic; running it again changes nothing.
"""

from datetime import date

from django.utils import timezone

from kpis.models import MonthClose
from targets import demo as targets_demo
from targets.models import Phase, PlanMonth, PlanYear
from teams.models import Employee, User

from .models import Kind, Method, Notice, NoticeKind, PeriodKind, Record, RecordState, RuleRun
from .services import notices, rankings, records, rules, runs

# (author, title, text, pinned, day): the director's policy down (工作通报) and HR's notices
ANNOUNCEMENTS = [
    ("director", "金九银十冲刺：第三阶段目标 370 万",
     "九月、十月是全年旺季。请各团队按周分解目标，每周五前提交周报与工作通报，困难与需要的支持直接写在通报里。", True,
     date(2017, 8, 28)),
    ("hr1", "2017 年第三季度绩效考核安排",
     "第三季度考核已开启：目标确认、个人自评、匿名反馈依次进行，请在各步骤截止日前完成。", True, date(2017, 7, 3)),
    ("hr1", "推荐奖励办法",
     "推荐的新员工入职满 6 个月仍在职的，推荐人可获得 1,000 元推荐奖励，由人力资源部核发。", False, date(2017, 3, 1)),
    ("director", "国庆假期安排",
     "10 月 1 日至 8 日放假，9 月 30 日（周六）正常上班。十月按三周安排目标。", False, date(2017, 9, 22)),
]
REVOKED_REASON = "复核发现该月数据录入有误，已更正，撤销此奖励。"
MANUAL = [  # (proposer, subject's log-in, kind, method, amount, reason, month)
    ("manager1", "rep02", Kind.REWARD, Method.NOTICE, None, "主动带教两名新同事，团队开户数提升明显。",
     date(2017, 8, 1)),
    ("hr1", "rep17", Kind.PENALTY, Method.NOTICE, None, "九月迟到四次，未按时提交日报，予以通报批评。",
     date(2017, 9, 1)),
    ("hr1", "manager2", Kind.REWARD, Method.CASH, 8000, "第二阶段团队达成率第一，特别奖励团队经理。",
     date(2017, 5, 1)),
]


def load_rewards() -> int:
    """Load the board, rankings, records and bulletins; return how many records were made (0 when already there)."""
    if Notice.objects.filter(kind=NoticeKind.ANNOUNCEMENT).exists():
        return 0
    users = {u.username: u for u in User.objects.filter(
        username__in={"director", "hr2", *(a for a, *_ in ANNOUNCEMENTS), *(m[0] for m in MANUAL)})}
    director = users["director"]
    for author, title, text, pinned, _day in ANNOUNCEMENTS:
        notices.notice_publish(by=users[author], title=title, body=text, pinned=pinned)
    plan = PlanYear.objects.get(name=targets_demo.PLAN_2017)
    closed = sorted(MonthClose.objects.filter(closed=True, month__gte=plan.first_month)
                    .values_list("month", flat=True))
    _rankings(plan, closed, director)
    made = _manual(users, director, second_hr=users["hr2"])
    return made + _by_rules(closed, director, second_hr=users["hr2"])


def _rankings(plan: PlanYear, closed: list[date], director: User) -> None:
    """Every closed month's ranking of the plan, and each phase whose months are all closed (the second with
    amounts)."""
    for month in closed:
        rankings.ranking_publish(by=director, period=PeriodKind.MONTH, first_month=month)
    for phase in Phase.objects.filter(plan=plan).prefetch_related("months"):
        months = [m.month for m in phase.months.all()]
        if months and set(months) <= set(closed):
            rankings.ranking_publish(by=director, period=PeriodKind.PHASE, first_month=min(months),
                                     show_amounts=phase.number == 2)


def _manual(users: dict[str, User], director: User, second_hr: User) -> int:
    """Records people proposed themselves, approved by the director and published; the large cash one, which hr1
    proposed, goes through the other HR officer's second approval (nobody approves their own proposal)."""
    subjects = {e.user.username: e for e in Employee.objects.filter(
        user__username__in=[m[1] for m in MANUAL]).select_related("user")}
    for proposer, subject, kind, method, amount, reason, month in MANUAL:
        record = records.record_propose(by=users[proposer], employee=subjects[subject], kind=kind, method=method,
                                        amount=amount, reason=reason, period=PeriodKind.MONTH, first_month=month)
        approve_and_publish(record, director=director, hr=second_hr)
    return len(MANUAL)


def _by_rules(closed: list[date], director: User, second_hr: User) -> int:
    """The default rules run for every closed month (as its close would have had them run); the director approves
    and publishes what they proposed, except for the last closed month's, still waiting, and the demotion cases'
    position records, which wait for HR's review of the case; one published award is revoked."""
    rules.default_rules_ensure(by=director)
    # the previous year's closes predate the rules (the product came in with the 2017 plan): nothing is due there
    RuleRun.objects.exclude(month__in=closed).delete()
    for month in closed:
        RuleRun.objects.update_or_create(month=month, defaults={"requested_at": timezone.now(),
                                                                "requested_by": director})
        runs.run_due(month)
    proposed = list(Record.objects.filter(rule__isnull=False, state=RecordState.PROPOSED).exclude(
        method=Method.POSITION).exclude(first_month=closed[-1] if closed else None).order_by("pk"))
    for record in proposed:
        approve_and_publish(record, director=director, hr=second_hr)
    revoked = Record.objects.filter(rule__code="month-top-rep", state=RecordState.PUBLISHED).order_by("pk").first()
    if revoked is not None:
        act(revoked, "revoke", director, REVOKED_REASON)
    return Record.objects.filter(rule__isnull=False).count()


def approve_and_publish(record: Record, *, director: User, hr: User) -> Record:
    """Return the record approved by the director (and HR, for large cash) and published by the director."""
    record = act(record, "approve", director)
    if record.state == RecordState.WITH_HR:
        record = act(record, "hr_approve", hr)
    return act(record, "publish", director)


def act(record: Record, action: str, by: User, reason: str = "") -> Record:
    return records.record_act(record_id=record.pk, version=record.version, action=action, by=by, reason=reason)


def phases_months() -> list[list[date]]:
    """Return every phase's months (for dating the demo: a phase's acts follow its last month's close)."""
    months: dict[int, list[date]] = {}
    for phase_id, month in PlanMonth.objects.values_list("phase_id", "month"):
        months.setdefault(phase_id, []).append(month)
    return list(months.values())
