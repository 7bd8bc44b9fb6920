"""Change notices from the lower apps to the higher ones, so that dependencies still point one way.

teams and targets announce what changed; kpis subscribes when Django starts (KpisConfig.ready) and
queues its rollup recompute. A notice carries plain values only. Two readers go the same way up: targets asks
which months hold locked figures and what a month's deposits were, which kpis answers.
"""

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal

_listeners: list[Callable[[Iterable[date]], None]] = []
_day_listeners: list[Callable[[Iterable[date]], None]] = []
_lock_readers: list[Callable[[list[date]], Iterable[date]]] = []
_deposit_readers: list[Callable[[list[date]], Mapping[date, Decimal]]] = []


def subscribe(listener: Callable[[Iterable[date]], None]) -> None:
    """Call `listener(months)` whenever data feeding those months' results changes."""
    if listener not in _listeners:
        _listeners.append(listener)


def subscribe_days(listener: Callable[[Iterable[date]], None]) -> None:
    """Call `listener(days)` whenever data of the weeks holding those days changes (which month a week counts in
    is the listener's rule, not this app's)."""
    if listener not in _day_listeners:
        _day_listeners.append(listener)


def months_changed(months: Iterable[date]) -> None:
    """Tell the subscribers that the results of these months (first days) are stale."""
    months = sorted({m.replace(day=1) for m in months})
    for listener in _listeners:
        listener(months)


def days_changed(days: Iterable[date]) -> None:
    """Tell the subscribers that the results of the weeks holding these days are stale (a membership's dates)."""
    days = sorted(set(days))
    for listener in _day_listeners:
        listener(days)


def subscribe_locks(reader: Callable[[list[date]], Iterable[date]]) -> None:
    """Let `reader(months)` answer which of those months hold figures already locked (a closed month)."""
    if reader not in _lock_readers:
        _lock_readers.append(reader)


def months_locked(months: Iterable[date]) -> list[date]:
    """Return which of these months (first days) the subscribers hold locked figures for, in order."""
    months = sorted({m.replace(day=1) for m in months})
    return sorted({m for reader in _lock_readers for m in reader(months)})


def subscribe_deposits(reader: Callable[[list[date]], Mapping[date, Decimal]]) -> None:
    """Let `reader(months)` answer the company's total deposits in those months (only months with figures)."""
    if reader not in _deposit_readers:
        _deposit_readers.append(reader)


def month_deposits(months: Iterable[date]) -> dict[date, Decimal]:
    """Return the total deposits reported in each of these months (first days) that has figures."""
    months = sorted({m.replace(day=1) for m in months})
    found: dict[date, Decimal] = {}
    for reader in _deposit_readers:
        found.update(reader(months))
    return found


_close_listeners: list[Callable[[date, int], None]] = []


def subscribe_closes(listener: Callable[[date, int], None]) -> None:
    """Call `listener(month, by_user_id)` inside the transaction that closes a month (its results are final now):
    rewards records that its rules are due, and queues them once the close commits."""
    if listener not in _close_listeners:
        _close_listeners.append(listener)


def month_closed(month: date, by_user_id: int) -> None:
    """Tell the subscribers that the director has closed this month (first day)."""
    for listener in _close_listeners:
        listener(month.replace(day=1), by_user_id)
