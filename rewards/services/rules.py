"""Writes of the reward rules the director edits: every check of a rule's input, and the default set.

A rule's threshold is in its metric's unit (docs/rewards.md): a percent metric in percent (120 means 120 %), money
in yuan, a count in whole numbers, the top in places, a referral in months. A refusal names its field and writes
nothing; an older version is refused with who changed the rule and when.
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.metrics import BY_CODE, Unit
from teams import access
from teams.errors import DomainError
from teams.models import User

from ..calculations import AT_LEAST, AT_MOST, BOTTOM, PLACEHOLDERS, REFERRAL, TOP, reason_text
from ..models import Comparison, Kind, Method, PeriodKind, Rule, Scope
from .records import person_name

FIELDS = ("code", "name", "metric", "comparison", "threshold", "period", "scope", "kind", "method", "amount",
          "text_template", "active")
# a phase sums its months: an entered figure sums too, and attainment is the phase's deposits over its target;
# a rate such as the growth rates has no phase value
PHASE_METRICS = ("attainment",)


def _refuse(message: str, field: str, **params) -> None:
    raise DomainError(message, field=field, **params)


def _metric(comparison: str, metric: object, period: str) -> str:
    if comparison in (BOTTOM, REFERRAL):
        if metric not in (None, ""):
            _refuse(_("This comparison uses no metric: leave the metric empty."), "metric")
        return ""
    if metric not in BY_CODE:
        _refuse(_("There is no metric “%(metric)s”; choose one of the KPIs or attainment."), "metric",
                metric=metric if isinstance(metric, str) else "?")
    if period == PeriodKind.PHASE and not (BY_CODE[metric].entered or metric in PHASE_METRICS):
        _refuse(_("A phase rule uses attainment or an entered figure (a rate has no phase value)."), "metric")
    return metric


def _decimal(value: object) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _whole(value: Decimal | None, low: int, high: int) -> bool:
    return value is not None and value == value.to_integral_value() and low <= value <= high


def _threshold(comparison: str, metric: str, raw: object) -> Decimal | None:
    value = _decimal(raw)
    if raw not in (None, "") and value is None:
        _refuse(_("The threshold is a number."), "threshold")
    if comparison == BOTTOM:
        if value is not None:
            _refuse(_("The bottom-elimination list is set by the elimination rule: leave the threshold empty."),
                    "threshold")
        return None
    if comparison == TOP and not _whole(value, 1, 100):
        _refuse(_("For the top, the threshold is how many places: a whole number from 1 to 100."), "threshold")
    if comparison == REFERRAL and not _whole(value, 1, 120):
        _refuse(_("For a referral, the threshold is the months the hire stays: a whole number from 1 to 120."),
                "threshold")
    if comparison in (AT_LEAST, AT_MOST):
        if value is None:
            _refuse(_("Give the threshold, in the metric's unit."), "threshold")
        unit = BY_CODE[metric].unit
        if unit == Unit.PERCENT and (not -100 <= value <= 1000 or (value != value.to_integral_value()
                                                                   and abs(value) < 5)):
            _refuse(_("%(metric)s is in percent: 120 means 120 %% (a ratio such as 1.2 would mean 1.2 %%). Give "
                      "a percent from -100 to 1000."), "threshold", metric=BY_CODE[metric].label)
        if unit == Unit.COUNT and not _whole(value, 0, 10**6):
            _refuse(_("%(metric)s is a count: give a whole number."), "threshold", metric=BY_CODE[metric].label)
        if unit == Unit.CNY and not (0 <= value <= 10**11 and value == value.quantize(Decimal("0.01"))):
            _refuse(_("%(metric)s is in yuan: give an amount of yuan from 0 (500000 is 50万)."), "threshold",
                    metric=BY_CODE[metric].label)
    return value


def _shape(values: dict) -> None:
    """Refuse the combinations a rule cannot have (each names the field to change)."""
    comparison, scope, kind, method = values["comparison"], values["scope"], values["kind"], values["method"]
    if comparison in (BOTTOM, REFERRAL) and scope != Scope.REP:
        _refuse(_("This comparison is about reps: choose “each rep”."), "scope")
    if comparison == BOTTOM and kind != Kind.PENALTY:
        _refuse(_("The bottom-elimination list proposes a penalty (a warning)."), "kind")
    if comparison == REFERRAL and (kind != Kind.REWARD or values["period"] != PeriodKind.MONTH):
        _refuse(_("A referral is a reward, looked at when each month closes."), "kind")
    if method == Method.POSITION:
        _refuse(_("A rule proposes a notice or cash; a change of position is a promotion or demotion case (the "
                  "bottom list proposes one by itself after the elimination rule's consecutive periods)."), "method")
    if method == Method.CASH:
        amount = values["amount"]
        if isinstance(amount, bool) or not isinstance(amount, int) or not 0 < amount <= settings.REWARDS_CASH_CEILING:
            _refuse(_("A cash rule gives a whole number of yuan, more than 0 and at most %(ceiling)s."), "amount",
                    ceiling=settings.REWARDS_CASH_CEILING)
    elif values["amount"] not in (None, "", 0):
        _refuse(_("Only a cash rule has an amount."), "amount")
    else:
        values["amount"] = None


def _text(template: object) -> str:
    text = template.strip() if isinstance(template, str) else ""
    if not text:
        _refuse(_("Write the text the proposal gives as its reason."), "text_template")
    if len(text) > Rule._meta.get_field("text_template").max_length:
        _refuse(_("At most %(limit)s characters."), "text_template", limit=300)
    try:
        reason_text(text, **{name: "x" for name in PLACEHOLDERS})
    except (KeyError, IndexError, ValueError):
        _refuse(_("The text may use only {name}, {period}, {value} and {rank} (in braces)."), "text_template")
    return text


def _choices(values: dict) -> None:
    for field, choices, message in (
            ("comparison", Comparison, _("Choose the comparison.")), ("period", PeriodKind, _("Choose the period.")),
            ("scope", Scope, _("Choose each rep or each team.")), ("kind", Kind, _("Choose reward or penalty.")),
            ("method", Method, _("Choose the method: public notice or cash."))):
        if values[field] not in choices.values:
            _refuse(message, field)
    if values["period"] == PeriodKind.NONE:
        _refuse(_("A rule is evaluated for a month or a phase."), "period")


def _checked(values: dict) -> dict:
    _choices(values)
    values["metric"] = _metric(values["comparison"], values["metric"], values["period"])
    values["threshold"] = _threshold(values["comparison"], values["metric"], values["threshold"])
    _shape(values)
    name = values["name"].strip() if isinstance(values["name"], str) else ""
    if not name or len(name) > 100:
        _refuse(_("Give the rule a name of at most 100 characters."), "name")
    values["name"] = name
    values["text_template"] = _text(values["text_template"])
    values["active"] = values["active"] is True
    return values


@transaction.atomic
def rule_save(*, by: User, rule_id: int | None = None, version: int | None = None, **fields) -> Rule:
    """Return the rule created (no `rule_id`) or changed at `version` by the director, after every check."""
    if not access.may_edit_rules(access.principal_of(by)):
        _refuse(_("Only the sales director edits the reward rules."), "action")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown rule fields {sorted(unknown)}")
    if rule_id is None:
        rule = Rule()
        code = fields.get("code")
        if not isinstance(code, str) or not code.strip() or len(code) > 40 or not code.replace("-", "").replace(
                "_", "").isalnum() or not code.isascii():
            _refuse(_("Give a code of letters, digits, - and _ (at most 40): it names the rule's proposals."),
                    "code")
        if Rule.objects.filter(code=code).exists():
            _refuse(_("A rule with the code “%(code)s” exists already."), "code", code=code)
        rule.code = code
    else:
        rule = Rule.objects.select_for_update().filter(pk=rule_id).first() if isinstance(rule_id, int) else None
        if rule is None:
            _refuse(_("There is no such rule."), "rule_id")
        if version != rule.version:
            _refuse(_("%(who)s changed this rule at %(when)s, after you opened it; nothing was saved. Reload to see "
                      "it as it is now."), "version", who=person_name(rule.changed_by),
                    when=timezone.localtime(rule.changed_at).strftime("%Y-%m-%d %H:%M") if rule.changed_at else "—")
        rule.version += 1
    current = {field: getattr(rule, field) if rule.pk else None for field in FIELDS if field != "code"}
    current["active"] = rule.active if rule.pk else True
    values = _checked({field: fields.get(field, value) for field, value in current.items()})
    for field, value in values.items():
        setattr(rule, field, value)
    rule.changed_by, rule.changed_at = by, timezone.now()
    rule.save()
    return rule


# the seed's examples (DOMAIN.md "Rewards and penalties"); the director sets the amounts
DEFAULT_RULES = (
    {"code": "month-top-rep", "name": "月度冠军（个人）", "metric": "attainment", "comparison": TOP, "threshold": 1,
     "scope": Scope.REP, "kind": Kind.REWARD, "method": Method.CASH, "amount": 2000,
     "text_template": "{period}个人达成率第{rank}名：{name}，达成率 {value}"},
    {"code": "month-top-team", "name": "月度冠军（团队）", "metric": "attainment", "comparison": TOP, "threshold": 1,
     "scope": Scope.TEAM, "kind": Kind.REWARD, "method": Method.CASH, "amount": 5000,
     "text_template": "{period}团队达成率第{rank}名：{name}，达成率 {value}"},
    {"code": "month-120", "name": "月度达成 120%", "metric": "attainment", "comparison": AT_LEAST, "threshold": 120,
     "scope": Scope.REP, "kind": Kind.REWARD, "method": Method.NOTICE,
     "text_template": "{name} {period}达成率 {value}，超额完成目标，特此通报表扬"},
    {"code": "month-bottom", "name": "末位预警", "metric": "", "comparison": BOTTOM, "threshold": None,
     "scope": Scope.REP, "kind": Kind.PENALTY, "method": Method.NOTICE,
     "text_template": "{name} {period}处于末位淘汰名单（达成率 {value}），予以预警"},
    {"code": "phase-top-rep", "name": "阶段冠军（个人）", "metric": "attainment", "comparison": TOP, "threshold": 1,
     "period": PeriodKind.PHASE, "scope": Scope.REP, "kind": Kind.REWARD, "method": Method.CASH, "amount": 5000,
     "text_template": "{period}个人达成率第{rank}名：{name}，达成率 {value}"},
    {"code": "referral-3", "name": "推荐奖励", "metric": "", "comparison": REFERRAL, "threshold": 3,
     "scope": Scope.REP, "kind": Kind.REWARD, "method": Method.CASH, "amount": 1000,
     "text_template": "{name}推荐的新员工已入职满 {value} 个月"},
)


@transaction.atomic
def default_rules_ensure(*, by: User) -> int:
    """Create the default rules whose codes are not there yet (each through rule_save's checks); return how many."""
    have = set(Rule.objects.values_list("code", flat=True))
    made = 0
    for default in DEFAULT_RULES:
        if default["code"] not in have:
            rule_save(by=by, **{"period": PeriodKind.MONTH, "amount": None, "active": True, **default})
            made += 1
    return made
