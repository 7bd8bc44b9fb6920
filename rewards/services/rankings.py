"""Publishing a month's or phase's ranking: the director freezes the company ranking (kpis' PeriodPlacing) of a
closed period whose rollups are current, with its notice on the board. A republish (after a re-close and a
recompute) replaces the rows, bumps the version and puts the notice back as unread; a withdrawal takes both off."""

from datetime import date

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kpis.models import MonthClose
from kpis.results.models import PeriodPlacing, RepMonthResult, RollupMonth
from targets.models import PlanMonth
from teams import access
from teams.errors import DomainError
from teams.models import StateEvent, User
from teams.transitions import subject_type

from ..models import Notice, NoticeKind, PeriodKind, PublishedRanking
from .notices import notice_event, person_name

PERIODS = (PeriodKind.MONTH, PeriodKind.PHASE)


def director_only(by: User) -> None:
    """Refuse anyone but the director."""
    if not access.may_publish_rankings(access.principal_of(by)):
        raise DomainError(_("Only the sales director publishes or withdraws a ranking."), field="action")


def period_months(period: str, first_month: object) -> tuple[list[date], str]:
    """Return the months of the period (a phase: all its months) and how a notice names it, or refuse a period that
    is not a month or a phase of a plan."""
    if period not in PERIODS:
        raise DomainError(_("Choose a month or a phase."), field="period")
    if not isinstance(first_month, date):
        raise DomainError(_("Choose the period's first month."), field="first_month")
    plan_month = PlanMonth.objects.select_related("phase").filter(month=first_month).first()
    if plan_month is None:
        raise DomainError(_("%(month)s is not a month of a plan."), field="first_month",
                          month=f"{first_month:%Y-%m}")
    if period == PeriodKind.MONTH:
        return [plan_month.month], formats.date_format(plan_month.month, "YEAR_MONTH_FORMAT")
    months = sorted(PlanMonth.objects.filter(phase=plan_month.phase_id).values_list("month", flat=True))
    if months[0] != plan_month.month:
        raise DomainError(_("A phase is named by its first month, %(month)s."), field="first_month",
                          month=f"{months[0]:%Y-%m}")
    # phases of different plan years share their names: the months tell them apart
    return months, f"{plan_month.phase.name}（{months[0]:%Y-%m} – {months[-1]:%Y-%m}）"


def _final(months: list[date]) -> None:
    """Refuse a period with a month still open, or whose rollups are not current (a run is pending or never ran)."""
    closed = set(MonthClose.objects.filter(month__in=months, closed=True).values_list("month", flat=True))
    open_months = [m for m in months if m not in closed]
    if open_months:
        raise DomainError(_("Close %(months)s first: a ranking is published once its months are final."),
                          field="first_month", months=", ".join(f"{m:%Y-%m}" for m in open_months))
    states = {s.month: s for s in RollupMonth.objects.filter(month__in=months)}
    stale = [m for m in months if m not in states or states[m].pending or states[m].computed_at is None]
    if stale:
        raise DomainError(_("The results of %(months)s are being recalculated; publish when they are current."),
                          field="first_month", months=", ".join(f"{m:%Y-%m}" for m in stale))


def ranking_rows(period: str, first_month: date, months: list[date], *, show_amounts: bool) -> list[dict]:
    """Return the ranked placings of the period as the rows to freeze, each with the team the rep was last
    counted in during the period (two queries)."""
    placings = list(PeriodPlacing.objects.filter(period=period, first_month=first_month, rank__isnull=False)
                    .select_related("employee").order_by("rank", "employee__employee_number"))
    teams = dict(RepMonthResult.objects.filter(month__in=months, employee__in=[p.employee_id for p in placings])
                 .order_by("month", "total_deposits", "pk").values_list("employee_id", "team__name"))
    rows = []
    for placing in placings:
        row = {"rank": placing.rank, "employee_id": placing.employee_id, "name": placing.employee.name,
               "team": teams.get(placing.employee_id, ""),
               "attainment": None if placing.attainment is None else str(placing.attainment)}
        if show_amounts:
            row["deposits"] = str(placing.total_deposits)
        rows.append(row)
    return rows


def _notice_put(ranking: PublishedRanking, label: str, *, by: User, now) -> Notice:
    """Return the ranking's notice, new or put back on the board as unread (a republished ranking is news)."""
    title = _("Ranking published: %(period)s") % {"period": label}
    body = _("The company ranking of %(period)s, by attainment.") % {"period": label}
    notice = Notice.objects.select_for_update().filter(ranking=ranking).first()
    if notice is None:
        notice = Notice.objects.create(kind=NoticeKind.RANKING, ranking=ranking, title=title, body=body,
                                       published_by=by, published_at=now)
        notice_event(notice, "publish", by=by, at=now)
        return notice
    notice.title, notice.body, notice.published_by, notice.published_at = title, body, by, now
    notice.withdrawn_at, notice.version = None, notice.version + 1
    notice.save(update_fields=["title", "body", "published_by", "published_at", "withdrawn_at", "version"])
    notice.reads.all().delete()
    notice_event(notice, "republish", by=by, at=now)
    return notice


@transaction.atomic
def ranking_publish(*, by: User, period: str, first_month: date, show_amounts: bool = False) -> PublishedRanking:
    """Return the period's published ranking, its rows frozen from the current placings (republishing the same
    period replaces them and bumps the version)."""
    director_only(by)
    months, label = period_months(period, first_month)
    _final(months)
    rows = ranking_rows(period, first_month, months, show_amounts=bool(show_amounts))
    if not rows:
        raise DomainError(_("%(period)s has no ranking to publish."), field="first_month", period=label)
    now = timezone.now()
    ranking = PublishedRanking.objects.select_for_update().filter(period=period, first_month=first_month).first()
    action = "republish" if ranking else "publish"
    if ranking is None:
        ranking = PublishedRanking(period=period, first_month=first_month, version=0)
    ranking.show_amounts, ranking.rows, ranking.published_by, ranking.published_at = bool(show_amounts), rows, by, now
    ranking.withdrawn_at, ranking.version = None, ranking.version + 1
    ranking.save()
    StateEvent.objects.create(subject_type=subject_type(PublishedRanking), subject_id=ranking.pk, action=action,
                              from_state="" if action == "publish" else "published", to_state="published", by=by,
                              at=now)
    _notice_put(ranking, label, by=by, now=now)
    return ranking


@transaction.atomic
def ranking_withdraw(*, ranking_id: int, version: int, by: User) -> PublishedRanking:
    """Return the ranking withdrawn with its notice: reps no longer see it (it is kept, and can be republished)."""
    director_only(by)
    ranking = (PublishedRanking.objects.select_for_update().filter(pk=ranking_id).first()
               if str(ranking_id).isdigit() and int(ranking_id) < 2**63 else None)
    if ranking is None:
        raise DomainError(_("There is no such ranking."), field="ranking_id")
    if str(version) != str(ranking.version):
        last = (StateEvent.objects.filter(subject_type=subject_type(PublishedRanking), subject_id=ranking.pk)
                .select_related("by__employee").order_by("-at", "-pk").first())
        raise DomainError(_("%(who)s changed this ranking at %(when)s, after you opened it; nothing was saved."),
                          field="version", who=person_name(last.by if last else None),
                          when=timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "—")
    if ranking.withdrawn_at is not None:
        return ranking
    now = timezone.now()
    ranking.withdrawn_at, ranking.version = now, ranking.version + 1
    ranking.save(update_fields=["withdrawn_at", "version"])
    StateEvent.objects.create(subject_type=subject_type(PublishedRanking), subject_id=ranking.pk, action="withdraw",
                              from_state="published", to_state="withdrawn", by=by, at=now)
    notice = Notice.objects.select_for_update().filter(ranking=ranking).first()
    if notice is not None and notice.withdrawn_at is None:
        notice.withdrawn_at, notice.version = now, notice.version + 1
        notice.save(update_fields=["withdrawn_at", "version"])
        notice_event(notice, "withdraw", by=by, at=now)
    return ranking
