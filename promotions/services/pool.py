"""The reserve pool's rule: HR sets N and M (excellent in at least N of the last M published cycles)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from teams import inputs
from teams.errors import DomainError
from teams.models import User

from ..models import ReservePoolRule
from ..selectors.pool import rule_version
from .paths import hr_only

SINGLE_ROW = 1  # the rule's one row: a fixed key, so two first saves at once cannot create two rules


def _count(value: object, name: str, message: str) -> int:
    """Return a whole number of at least 1 for the rule's column, or refuse it with `message` on `name`."""
    try:
        number = inputs.count(value, ReservePoolRule._meta.get_field(name), blank=None)
    except inputs.InputError:
        raise DomainError(message, field=name) from None
    if number is None or number < 1:
        raise DomainError(message, field=name)
    return number


def _stale(rule: ReservePoolRule | None, version: object) -> None:
    """Refuse the save when the rule changed after the form was shown (another HR saved it meanwhile)."""
    current = rule_version(rule) if rule else ""
    if version == current:
        return
    by = rule.changed_by if rule else None
    who = (getattr(getattr(by, "employee", None), "name", "") or by.get_username()) if by else "—"
    when = timezone.localtime(rule.changed_at).strftime("%Y-%m-%d %H:%M") if rule and rule.changed_at else "—"
    raise DomainError(_("%(who)s changed the reserve pool's rule at %(when)s, after you opened the page; nothing was "
                        "saved. Reload to see the rule as it is now."), field="version", who=who, when=when)


@transaction.atomic
def reserve_pool_rule_set(*, by: User, excellent_in: object, cycles: object, version: object) -> ReservePoolRule:
    """Return the pool's rule with N = `excellent_in` and M = `cycles` (1 ≤ N ≤ M), saved by HR; `version` is the
    stamp the form was shown (selectors.pool.rule_version), so a save over a newer change is refused."""
    hr_only(by)
    n = _count(excellent_in, "excellent_in", _("Give how many excellent ratings: a whole number, at least 1."))
    m = _count(cycles, "cycles", _("Give how many of the last cycles count: a whole number, at least 1."))
    if n > m:
        raise DomainError(_("Excellent in %(n)s of the last %(m)s cycles cannot be met: N is at most M."),
                          field="excellent_in", n=n, m=m)
    rule = ReservePoolRule.objects.select_for_update().order_by("pk").first()
    _stale(rule, version)
    now = timezone.now()
    if rule is None:
        rule, created = ReservePoolRule.objects.get_or_create(
            pk=SINGLE_ROW, defaults={"excellent_in": n, "cycles": m, "changed_by": by, "changed_at": now})
        if created:
            return rule
        # another HR's first save won the race: refused as any save over a newer change
        rule = ReservePoolRule.objects.select_for_update().get(pk=rule.pk)
        _stale(rule, version)
    if (rule.excellent_in, rule.cycles) == (n, m):
        return rule
    rule.excellent_in, rule.cycles, rule.changed_by, rule.changed_at = n, m, by, now
    rule.save(update_fields=["excellent_in", "cycles", "changed_by", "changed_at"])
    return rule
