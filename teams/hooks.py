"""Change notices from the lower apps to the higher ones, so that dependencies still point one way.

teams and targets announce what changed; kpis subscribes when Django starts (KpisConfig.ready) and
queues its rollup recompute. A notice carries plain values only.
"""

from collections.abc import Callable, Iterable
from datetime import date

_listeners: list[Callable[[Iterable[date]], None]] = []


def subscribe(listener: Callable[[Iterable[date]], None]) -> None:
    """Call `listener(months)` whenever data feeding those months' results changes."""
    if listener not in _listeners:
        _listeners.append(listener)


def months_changed(months: Iterable[date]) -> None:
    """Tell the subscribers that the results of these months (first days) are stale."""
    months = sorted({m.replace(day=1) for m in months})
    for listener in _listeners:
        listener(months)
