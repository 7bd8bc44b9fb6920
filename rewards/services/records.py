"""Every write to the register: propose a record (a person, or a rule when a month closes), and each act on it.

All moves go through rewards.states.RECORD, one StateEvent each. An act locks the record, refuses a user the move's
rule does not allow, an older version, a move the state does not have and a missing reason (in that order), then
moves the state and bumps the version in one save; publishing puts the record's notice on the board, revoking
takes it down. A refusal names its input and changes nothing. There is no edit service: a record is never edited.
"""

from collections.abc import Mapping
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from promotions.models import PromotionCase
from targets.models import PlanMonth
from teams import access, clock
from teams.errors import DomainError
from teams.models import Employee, StateEvent, Team, User
from teams.transitions import subject_type

from ..models import Kind, Method, Notice, NoticeKind, PeriodKind, Record, Rule
from ..states import PUBLISHED, RECORD, REVOKED

REASON_LIMIT = 2000


# --- checks of a proposal's input ------------------------------------------------------------------------------

def valid_pk(value: object) -> int | None:
    """Return the primary key of a model instance or a plain id (None for anything else or out of range)."""
    pk = getattr(value, "pk", value)
    return pk if isinstance(pk, int) and not isinstance(pk, bool) and 0 < pk < 2**31 else None


def _subject(p: access.Principal, employee: object, team: object, *, scoped: bool) -> tuple[Employee | None,
                                                                                           Team | None]:
    if (employee in (None, "")) == (team in (None, "")):
        raise DomainError(_("Choose the employee or the team the record is about (one of them, not both)."),
                          field="employee")
    today = clock.today()
    if team not in (None, ""):
        found = Team.objects.filter(pk=valid_pk(team)).first() if valid_pk(team) else None
        if found is None or (scoped and not access.may_propose_record_for(p, team=found, on=today)):
            raise DomainError(_("There is no such team you may propose a record for (a manager: their own team)."),
                              field="team")
        return None, found
    found = Employee.objects.filter(pk=valid_pk(employee)).first() if valid_pk(employee) else None
    if found is None or (scoped and not access.may_propose_record_for(p, employee=found, on=today)):
        raise DomainError(_("There is no such employee you may propose a record for (a manager: their team's "
                            "current members)."), field="employee")
    return found, None


def _amount(method: str, amount: object) -> int | None:
    if method != Method.CASH:
        if amount not in (None, "", 0):
            raise DomainError(_("Only a cash record has an amount."), field="amount")
        return None
    if amount in (None, ""):
        raise DomainError(_("Give the amount of cash, in whole yuan."), field="amount")
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise DomainError(_("The amount is a whole number of yuan."), field="amount")
    if amount <= 0:
        raise DomainError(_("The amount is more than zero yuan."), field="amount")
    if amount > settings.REWARDS_CASH_CEILING:
        raise DomainError(_("%(amount)s yuan is more than the %(ceiling)s a record may hold: check the amount."),
                          field="amount", amount=amount, ceiling=settings.REWARDS_CASH_CEILING)
    return amount


def _reason(kind: str, reason: object) -> str:
    text = reason.strip() if isinstance(reason, str) else ""
    if not text:
        raise DomainError(_("A penalty always says why: give the reason.") if kind == Kind.PENALTY
                          else _("Say what the reward is for."), field="reason")
    if len(text) > REASON_LIMIT:
        raise DomainError(_("At most %(limit)s characters."), field="reason", limit=REASON_LIMIT)
    return text


def _period(period: object, first_month: object) -> tuple[str, date | None]:
    if period not in PeriodKind.values:
        raise DomainError(_("Choose the period: a month, a phase or none."), field="period")
    if period == PeriodKind.NONE:
        if first_month not in (None, ""):
            raise DomainError(_("A record without a period names no month; choose month or phase."),
                              field="period")
        return period, None
    months = PlanMonth.objects.filter(month=first_month) if isinstance(first_month, date) else None
    if months is None or first_month.day != 1 or not months.exists():
        raise DomainError(_("Choose a month of a plan year."), field="first_month")
    if period == PeriodKind.PHASE and months.filter(phase__months__month__lt=first_month).exists():
        raise DomainError(_("A phase is named by its first month; %(month)s is not the first of its phase."),
                          field="first_month", month=first_month.strftime("%Y-%m"))
    return period, first_month


def _case(p: access.Principal, method: str, employee: Employee | None, case: object) -> PromotionCase | None:
    if method != Method.POSITION:
        if case not in (None, ""):
            raise DomainError(_("Only a change of position links a promotion or demotion case."),
                              field="promotion_case")
        return None
    found = (access.scope_cases(p, PromotionCase.objects.all()).filter(pk=valid_pk(case)).first()
             if valid_pk(case) else None)
    if found is None or employee is None or found.employee_id != employee.pk:
        raise DomainError(_("A change of position links a promotion or demotion case of the same employee."),
                          field="promotion_case")
    return found


def _choice(value: object, choices: type, field: str, message: str) -> str:
    if value not in choices.values:
        raise DomainError(message, field=field)
    return value


# --- proposing -------------------------------------------------------------------------------------------------

@transaction.atomic
def record_propose(*, by: User, employee: Employee | int | None = None, team: Team | int | None = None, kind: str,
                   method: str, amount: int | None = None, reason: str, period: str = PeriodKind.NONE,
                   first_month: date | None = None, promotion_case: PromotionCase | int | None = None) -> Record:
    """Return the new record, proposed by `by` about one employee or one team in their scope, after every check of
    its input (the first refusal names its field; nothing is written)."""
    p = access.principal_of(by)
    if not access.may_propose_records(p):
        raise DomainError(str(RECORD.transitions[0].refused), field="action")
    kind = _choice(kind, Kind, "kind", _("Choose reward or penalty."))
    method = _choice(method, Method, "method", _("Choose the method: public notice, cash or position."))
    subject, subject_team = _subject(p, employee, team, scoped=True)
    record = Record(employee=subject, team=subject_team, kind=kind, method=method, amount=_amount(method, amount),
                    reason=_reason(kind, reason), promotion_case=_case(p, method, subject, promotion_case),
                    proposed_by=by, proposed_at=timezone.now())
    record.period, record.first_month = _period(period, first_month)
    RECORD.move(record, "propose", by=by)
    return record


def record_propose_by_rule(*, rule: Rule, key: str, employee: Employee | int | None = None,
                           team: Team | int | None = None, reason: str, period: str, first_month: date | None,
                           metric: str, figures: Mapping[str, object], by: User,
                           promotion_case: PromotionCase | int | None = None, kind: str | None = None,
                           method: str | None = None) -> Record:
    """Return the record the rule proposes under `key`, or the one it proposed already under that key (nothing
    written then). `proposed_by` stays empty ("the rules"); the event is by `by`, who closed the month. `kind` and
    `method` default to the rule's (the bottom rule's demotion is a position record)."""
    existing = Record.objects.filter(proposal_key=key).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return _by_rule(rule=rule, key=key, employee=employee, team=team, reason=reason, period=period,
                            first_month=first_month, metric=metric, figures=figures, by=by,
                            promotion_case=promotion_case, kind=kind or rule.kind, method=method or rule.method)
    except IntegrityError:  # proposed meanwhile by a second run of the same evaluation
        existing = Record.objects.filter(proposal_key=key).first()
        if existing is None:
            raise
        return existing


def _by_rule(*, rule: Rule, key: str, employee, team, reason, period, first_month, metric, figures, by,
             promotion_case, kind, method) -> Record:
    p = access.principal_of(by)
    if not access.may_propose_records(p):
        raise DomainError(str(RECORD.transitions[0].refused), field="action")
    subject, subject_team = _subject(p, employee, team, scoped=False)  # a rule covers all of sales
    record = Record(employee=subject, team=subject_team, kind=kind, method=method,
                    amount=_amount(method, rule.amount if method == Method.CASH else None),
                    reason=_reason(kind, reason), rule=rule, metric=metric, figures=dict(figures), proposal_key=key,
                    promotion_case=_case(p, method, subject, promotion_case), proposed_at=timezone.now())
    record.period, record.first_month = _period(period, first_month)
    RECORD.move(record, "propose", by=by)
    return record


# --- acts on a record ------------------------------------------------------------------------------------------

ACTIONS = ("approve", "hr_approve", "reject", "publish", "revoke", "withdraw")


def person_name(user: User | None) -> str:
    """Return how a message names a user: their employee's name, else the log-in name."""
    if user is None:
        return _("someone else")
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def _locked(record_id: object, *, by: User) -> Record:
    rows = access.scope_records(access.principal_of(by), Record.objects.all())
    record = (rows.select_for_update(of=("self",)).select_related("employee", "team", "rule")
              .filter(pk=valid_pk(record_id)).first() if valid_pk(record_id) else None)
    if record is None:  # outside the scope or not there: the same answer
        raise DomainError(_("There is no such record you may act on."), field="record_id")
    return record


def _naming(check, *args, **kwargs) -> None:
    try:
        check(*args, **kwargs)
    except DomainError as refused:
        raise DomainError(refused.message, field=refused.field or "action") from None


def _current(record: Record, version: object) -> None:
    if record.version == version:
        return
    last = (StateEvent.objects.filter(subject_type=subject_type(Record), subject_id=record.pk)
            .select_related("by__employee").order_by("-at", "-pk").first())
    when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "—"
    raise DomainError(_("%(who)s acted on this record at %(when)s (%(action)s), after you opened it; nothing was "
                        "saved. Reload to see the record as it is now."), field="version",
                      who=person_name(last.by if last else None), when=when,
                      action=RECORD.label(last.action) if last else "—")


@transaction.atomic
def record_act(*, record_id: int, version: int, action: str, by: User, reason: str = "") -> Record:
    """Return the record after the action (approve, hr_approve, reject, publish, revoke, withdraw) by `by`, its
    version bumped; publishing creates its notice, revoking withdraws it."""
    if action not in ACTIONS:
        raise DomainError(_("There is no action “%(action)s” for a record."), field="action", action=action)
    record = _locked(record_id, by=by)
    p = access.principal_of(by)
    if action in ("approve", "hr_approve", "reject") and access.is_record_proposer(p, record):
        raise DomainError(_("You proposed this record: someone else approves or rejects it (you may withdraw "
                            "it)."), field="action")
    _naming(RECORD.authorise, record, action, by=by)
    _current(record, version)
    text = reason.strip() if isinstance(reason, str) else ""
    if len(text) > REASON_LIMIT:
        raise DomainError(_("At most %(limit)s characters."), field="reason", limit=REASON_LIMIT)
    _naming(RECORD.transition, record, action, by=by, reason=text)
    now = timezone.now()
    also: dict[str, object] = {"version": record.version + 1}
    if action == "approve":
        also["approved_by"] = by
    elif action == "hr_approve":
        also["hr_approved_by"] = by
    elif action == "publish":
        also["published_at"] = now
    elif action == "revoke":
        also["revoke_reason"] = text
    event = RECORD.move(record, action, by=by, reason=text, also=also, at=now)
    if event.to_state == PUBLISHED:
        Notice.objects.create(kind=NoticeKind.REWARD if record.kind == Kind.REWARD else NoticeKind.PENALTY,
                              title=notice_title(record), body=record.reason, record=record, published_by=by,
                              published_at=now)
    elif event.to_state == REVOKED:
        Notice.objects.filter(record=record, withdrawn_at__isnull=True).update(withdrawn_at=now)
    return record


# --- how a record is named on the board ------------------------------------------------------------------------

def period_text(period: str, first_month: date | None) -> str:
    """Return the record's period as a title says it: "2017年9月", a phase by its name, or nothing."""
    if period == PeriodKind.NONE or first_month is None:
        return ""
    month = _("%(year)s/%(month)s") % {"year": first_month.year, "month": first_month.month}
    if period == PeriodKind.PHASE:
        phase = PlanMonth.objects.filter(month=first_month).values_list("phase__name", flat=True).first()
        return phase or month
    return month


def notice_title(record: Record) -> str:
    """Return the notice's title in the site's language: "奖励：张三 — 2017年9月 月度冠军" (the rule's name, else
    the reason's first line, cut short)."""
    with translation.override(settings.LANGUAGE_CODE):
        name = record.employee.name if record.employee_id else record.team.name
        what = record.rule.name if record.rule_id else record.reason.splitlines()[0][:40]
        period = period_text(record.period, record.first_month)
        title = _("%(kind)s: %(name)s — %(period)s %(what)s") % {
            "kind": Kind(record.kind).label, "name": name, "period": period, "what": what}
    return " ".join(title.split())[:120]
