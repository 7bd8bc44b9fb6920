"""The demo's rewards and penalties, notice board, published rankings and weekly bulletins, so every role finds
something on log-in: the rules' monthly awards and bottom warnings approved and published for the closed months
of 2017 (one revoked), September's proposals waiting for the director, pinned announcements, the closed months'
and phases' rankings published, the board read by its readers up to the last few weeks, and most managers' weekly
bulletins of September and October with a few of the director's replies and a few reps' lines on their week.

Everything goes through rewards.services, as a user's acts do (the read marks excepted: a bulk step of the demo's
own, see `_reads`); salesops.demo_dates dates it afterwards. The bulletins come first, before September is closed
(`load_bulletins`, which kpis.demo runs before its closes), as the managers wrote them each Friday of an open
month. Deterministic; running it again changes nothing.
"""

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, F, Q, Sum
from django.utils import timezone

from kpis import demo as kpis_demo
from kpis.models import FiguresState, MonthClose, WeeklyFigures
from targets import demo as targets_demo
from targets.calculations import week_monday, weeks_of_month
from targets.models import Phase, PlanMonth, PlanYear, RepWeekTarget
from targets.selectors import working_calendar
from teams import access, clock
from teams.models import Employee, Role, Team, User

from .models import Bulletin, Kind, Method, Notice, NoticeKind, NoticeRead, PeriodKind, Record, RecordState, RuleRun
from .selectors.board import visible_notices
from .services import bulletins, notices, rankings, records, rules, runs

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
    ("director", "关于近期工作通报的答复",
     "各团队工作通报里提到的难点和需要的支持我都看了，一部分已在通报下回复，其余的在下周一的经理例会上逐一落实。"
     "十月只剩最后两周，请按周盯紧目标，困难和需要的帮助照常写在周五的通报里。", False,
     date(2017, 10, 16)),
]
# Everyone has read what was published before October; of the notices since, the director, the general manager
# and HR have read all, each manager two in three, the reps some of them or none (which ones varies by person).
READ_BEFORE = date(2017, 10, 1)
READS_ALL = {Role.DIRECTOR, Role.GENERAL_MANAGER, Role.HR}
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
    made += _by_rules(closed, director, second_hr=users["hr2"])
    _reads()
    return made


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


def _reads() -> int:
    """Mark the board read as its readers had by the demo's today (READ_BEFORE, READS_ALL); return the marks made.

    A bulk step of the demo's own rather than `notice_read_mark` per notice and reader (some 8,000 marks): the same
    rows, for the notices the same selector lets each reader open. salesops.demo_dates dates each mark after its
    notice's publication and the reader's first day."""
    phase_ends = {min(months): max(months) for months in phases_months()}
    days = {title: day for _, title, _, _, day in ANNOUNCEMENTS}
    old, recent = set(), []
    for notice in Notice.objects.select_related("record", "ranking").order_by("pk"):
        if _published_from(notice, phase_ends, days) < READ_BEFORE:
            old.add(notice.pk)
        else:
            recent.append(notice.pk)
    today, now, boards, marks = clock.today(), timezone.now(), {}, []
    for n, user in enumerate(User.objects.filter(is_active=True).order_by("username")):
        p = access.principal_of(user)
        writer = access.may_write_notices(p)  # the board's writers also open the withdrawn and expired notices
        if writer not in boards:
            boards[writer] = set(visible_notices(p, today).values_list("pk", flat=True))
        read = old | {pk for k, pk in enumerate(recent) if user.role in READS_ALL
                      or ((n + k) % 3 != 0 if user.role == Role.MANAGER else (n + 2 * k) % 4 == 0)}
        marks += [NoticeRead(notice_id=pk, user=user, read_at=now) for pk in sorted(read & boards[writer])]
    return len(NoticeRead.objects.bulk_create(marks, batch_size=1000, ignore_conflicts=True))


def _published_from(notice: Notice, phase_ends: dict[date, date], days: dict[str, date]) -> date:
    """Return the first day the notice can have been published in the demo: an announcement's day, or the first day
    after its record's or ranking's period (results are published once their period is closed)."""
    if notice.kind == NoticeKind.ANNOUNCEMENT:
        return days.get(notice.title, READ_BEFORE)
    about = notice.record or notice.ranking
    if about is None or about.period == PeriodKind.NONE:
        return READ_BEFORE  # a record of no period is dated a week before today: a recent one
    last = about.first_month
    if about.period == PeriodKind.PHASE:
        last = phase_ends.get(last, last)
    return (last + timedelta(days=32)).replace(day=1)


# --- the weekly bulletins (工作通报) ------------------------------------------------------------------------------

BULLETIN_SEED = 20170904
BULLETIN_MONTHS = [(2017, 9), (2017, 10)]  # 金九银十: the weeks of the third phase's peak
WENT_WELL = [
    "新客户邀约量比上周明显增加，周四的线下交流会到场客户不少。",
    "老客户回访做得扎实，有几位客户主动追加了资金。",
    "早会坚持复盘上周未成交的客户，跟进名单已落实到每个人。",
    "试用期的新同事已能独立完成电话邀约和开户讲解。",
    "大客户改为两人一组跟进，成交周期比上个月缩短了。",
    "开户资料的退回率下降，上周反映的问题已经解决。",
    "团队士气不错，周末也有同事主动约客户面谈。",
]
HARD = [
    "老客户加金意愿下降，不少客户在观望行情。",
    "线上咨询量不少，但有效开户偏少，资料审核退回较多。",
    "竞品在做高返利活动，有两位意向客户被分流。",
    "试用期的新同事转化率低，逼单时心理压力大。",
    "个别同事连续两周未达标，状态不稳定，需要一对一辅导。",
    "大额客户决策链长，资金要等到下周才能到账。",
    "开户系统周三下午卡顿近两小时，影响了当天的开户。",
    "客户对风险提示有顾虑，成交前反复犹豫。",
]
HELP = [  # (what the manager asks for, the director's answer if he replies: none to the last)
    ("希望安排一次逼单技巧培训，重点讲大额客户的成交。",
     "逼单培训已和人力资源部定在下周三下午，请团队全员参加，带上手头的大额客户案例。"),
    ("请市场部提供最新的活动物料和客户案例，线下交流会要用。",
     "已请市场部周一前把新一期活动物料和三个客户案例发到各团队。"),
    ("请 IT 排查开户系统卡顿的问题，高峰时段尤其明显。",
     "系统卡顿已转给 IT，他们在排查接口超时，本周内给结论。"),
    ("团队目前缺一人，请人力资源部尽快补招。",
     "补招已和人力资源部确认，本月安排面试，优先考虑内部推荐。"),
    ("请产品部出一份与竞品的对比材料，方便应对客户的比较。",
     "产品对比材料产品部本周出，出来后第一时间发给各团队经理。"),
    ("希望总监参加一次我们的周会，帮忙分析重点客户的跟进方案。",
     "好，下周一上午的周会我参加，请提前把重点客户名单整理出来。"),
    ("客户周末咨询多，希望延长周末的客服支持时间。",
     "周末客服延长到晚上八点的事已和客服部谈妥，本周六起执行。"),
    ("暂不需要额外支持，按计划推进。", ""),
]
WEEK_NOTES = {  # what a week of the season adds: (the part it goes in, the text)
    date(2017, 9, 4): ("went_well", "金九第一周，每人都定了九月的个人目标，冲刺气氛很足。"),
    date(2017, 9, 25): ("hard", "节前客户资金安排紧张，几笔大额入金推迟到节后。"),
    date(2017, 10, 9): ("hard", "节后第一周客户回流慢，前两天以回访为主。"),
    date(2017, 10, 23): ("went_well", "十月最后一周，每天下班前过一遍未成交的客户。"),
}
PRAISE = "上周做得好！{best}的跟进方法请在明天的早会上和其他团队分享。"
LINES = [  # a few reps' lines on their own week, after the week's figures
    ("rep45", date(2017, 9, 11), "本周调到猛虎队，客户名单已交接完，正在熟悉新团队的分工。"),
    ("rep09", date(2017, 9, 18), "有两位意向客户在比较竞品，想请经理周二一起去谈。"),
    ("rep30", date(2017, 10, 9), "节后客户回流慢，主要在做回访，约到三位客户下周面谈。"),
    ("rep01", date(2017, 10, 16), "周四约到一位老客户面谈，下周有望追加。"),
    ("rep01", date(2017, 10, 23), "手上还有两位客户在走开户流程，争取周五前办完。"),
]
DEPOSITS = F("new_customer_deposits") + F("existing_customer_deposits")


@dataclass(frozen=True)
class _Week:
    """A team's week as its manager sees it on Friday: the entered figures, the target, the best rep."""

    deposits: Decimal
    accounts: int
    target: int
    submitted: bool
    best: str = ""
    best_deposits: Decimal = Decimal(0)

    @property
    def attainment(self) -> int | None:
        return round(self.deposits * 100 / self.target) if self.target else None


def _wan(yuan: Decimal) -> str:
    return f"{yuan / 10000:.1f}"


def bulletin_weeks() -> list[date]:
    """Return the weeks of September and October 2017 with figures and a working day, up to the current week."""
    calendar, this_week = working_calendar(), week_monday(clock.today())
    figures = set(kpis_demo.demo_weeks())
    return [monday for year, month in BULLETIN_MONTHS for monday in weeks_of_month(year, month)
            if monday in figures and monday <= this_week
            and any(calendar.is_working_day(monday + timedelta(days=d)) for d in range(7))]


def load_bulletins() -> int:
    """Write the managers' bulletins of September and October, the director's replies to a few and a few reps' lines
    on their week, through the services, while those months are open; return how many bulletins (0 when there)."""
    if Bulletin.objects.exists():
        return 0
    weeks = bulletin_weeks()
    teams = list(Team.objects.filter(manager__isnull=False).select_related("manager__user").order_by("code"))
    written = _bulletins(weeks, teams, _team_weeks(weeks), random.Random(BULLETIN_SEED))
    _lines(set(weeks))
    return written


def _team_weeks(weeks: list[date]) -> dict[tuple[int, date], _Week]:
    """Return each team's weeks as entered (three queries: the sums, the targets, the reps by deposits)."""
    targets = {(row["team_id"], row["week"]): row["total"] for row in RepWeekTarget.objects.filter(week__in=weeks)
               .values("team_id", "week").annotate(total=Sum("deposit_target"))}
    found = {}
    sums = WeeklyFigures.objects.filter(week__in=weeks).values("team_id", "week").annotate(
        deposits=Sum(DEPOSITS), accounts=Sum("accounts_opened"),
        drafts=Count("pk", filter=Q(state=FiguresState.DRAFT)))
    for row in sums:
        key = (row["team_id"], row["week"])
        found[key] = _Week(row["deposits"], row["accounts"], targets.get(key) or 0, submitted=not row["drafts"])
    best = (WeeklyFigures.objects.filter(week__in=weeks).annotate(total=DEPOSITS)
            .order_by("team_id", "week", "-total", "employee__employee_number")
            .values_list("team_id", "week", "employee__name", "total"))
    for team_id, week, name, total in best:  # the first row of a team's week is its best rep's
        if not found[team_id, week].best:
            found[team_id, week] = replace(found[team_id, week], best=name, best_deposits=total)
    return found


def _bulletins(weeks: list[date], teams: list[Team], figures: dict[tuple[int, date], _Week],
               rng: random.Random) -> int:
    """Each week, every manager but one or two writes their team's bulletin (in a week whose figures some have not
    submitted yet, only those who have); the director answers one a week and praises the strongest; return how
    many were written."""
    asked: dict[int, int] = {}  # the help each team asked for last, not asked again the next week
    written: dict[date, list[tuple[Bulletin, int, _Week]]] = {}
    for week in weeks:
        submitted = [t for t in teams if (t.pk, week) in figures and figures[t.pk, week].submitted]
        skipped = set() if len(submitted) < len(teams) else set(rng.sample(teams, rng.choice((1, 1, 2))))
        for team in (t for t in submitted if t not in skipped):
            help_index = rng.choice([i for i in range(len(HELP)) if i != asked.get(team.pk)])
            asked[team.pk] = help_index
            texts = _texts(week, figures[team.pk, week], help_index, rng)
            bulletin = bulletins.bulletin_save(team=team, week=week, by=team.manager.user, **texts)
            written.setdefault(week, []).append((bulletin, help_index, figures[team.pk, week]))
    _replies(weeks, written, rng)
    return sum(len(rows) for rows in written.values())


def _texts(week: date, figures: _Week, help_index: int, rng: random.Random) -> dict[str, str]:
    """Return a bulletin's three parts from the week's figures and the phrases drawn for it."""
    pct = figures.attainment
    went_well = [f"本周团队入金 {_wan(figures.deposits)} 万元，开户 {figures.accounts} 户"
                 + (f"，完成周目标的 {pct}%。" if pct is not None else "。")]
    if pct is not None and pct >= 100 and figures.best:
        went_well.append(f"{figures.best}入金 {_wan(figures.best_deposits)} 万元，是团队本周第一。")
    hard = [f"离周目标还差 {_wan(figures.target - figures.deposits)} 万元。"] if pct is not None and pct < 100 else []
    if week in WEEK_NOTES:  # after what the figures say, before the week's own phrases
        part, note = WEEK_NOTES[week]
        (went_well if part == "went_well" else hard).append(note)
    went_well.append(rng.choice(WENT_WELL))
    hard += rng.sample(HARD, rng.choice((1, 2)))
    return {"went_well": "".join(went_well), "hard": "".join(hard), "help_needed": HELP[help_index][0]}


def _replies(weeks: list[date], written: dict[date, list[tuple[Bulletin, int, _Week]]], rng: random.Random) -> None:
    """The director answers one request for help a week (not yet the newest week's, written this evening) and
    praises the strongest week of the season."""
    director = User.objects.get(username="director")
    replied, answered = set(), set()
    for week in weeks[:-1]:
        answerable = [(b, i) for b, i, _ in written.get(week, []) if HELP[i][1]]
        fresh = [(b, i) for b, i in answerable if i not in answered]  # a request he answered before is in hand
        if answerable:
            bulletin, help_index = rng.choice(fresh or answerable)
            bulletins.bulletin_reply(bulletin_id=bulletin.pk, text=HELP[help_index][1], by=director)
            replied.add(bulletin.pk)
            answered.add(help_index)
    strong = [(f.attainment, -b.pk, b, f.best) for week in weeks[:-1] for b, _, f in written.get(week, [])
              if b.pk not in replied and f.attainment is not None and f.attainment >= 110 and f.best]
    if strong:
        *_, bulletin, best = max(strong)
        bulletins.bulletin_reply(bulletin_id=bulletin.pk, text=PRAISE.format(best=best), by=director)


def _lines(weeks: set[date]) -> None:
    """A few reps' lines on their own week, opened with their week's figures when they have some."""
    reps = {e.user.username: e for e in Employee.objects.filter(user__username__in={r for r, *_ in LINES})
            .select_related("user")}
    figures = {(employee_id, week): (total, accounts) for employee_id, week, total, accounts in WeeklyFigures.objects
               .filter(employee__in=reps.values(), week__in=weeks).annotate(total=DEPOSITS)
               .values_list("employee_id", "week", "total", "accounts_opened")}
    for username, week, text in LINES:
        rep = reps.get(username)
        if rep is None or week not in weeks:
            continue
        total, accounts = figures.get((rep.pk, week), (None, None))
        opening = "" if total is None else (f"本周入金 {_wan(total)} 万元，开户 {accounts} 户。" if accounts
                                            else f"本周入金 {_wan(total)} 万元，没有新开户。")
        bulletins.rep_week_line_save(employee=rep, week=week, text=opening + text, by=rep.user)
