"""Change notices from the lower apps to the higher ones, so that dependencies still point one way.

teams and targets announce what changed; kpis subscribes when Django starts (KpisConfig.ready) and
queues its rollup recompute. A notice carries plain values only.
"""

from collections.abc import Callable, Iterable
from datetime import date

_listeners: list[Callable[[Iterable[date]], None]] = []
_day_listeners: list[Callable[[Iterable[date]], None]] = []
_lock_readers: list[Callable[[list[date]], Iterable[date]]] = []


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
