"""Declared state machines: which moves exist, who may make them, what must hold; each move writes one StateEvent.

An app declares its table once (kpis/states.py, targets/states.py) and only its services call `move`, on a row
they have locked. Guards are rules of teams/access.py; this module compares no role. See docs/architecture.md.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from .access import Principal, principal_of
from .errors import DomainError
from .models import StateEvent, User

Guard = Callable[[Principal, Any], bool]  # (who, as access.py sees them; the subject) -> may they make this move
Check = Callable[[Any, str], None]  # (the subject, the reason) -> None, or raise DomainError saying what is missing


def principal_may(rule: Callable[[Principal], bool]) -> Guard:
    """Return a guard asking an access.py rule about the principal alone (the subject does not change the answer)."""
    return lambda principal, _subject: rule(principal)


def subject_type(model: type[models.Model] | models.Model) -> str:
    """Return how events name a model: its label, "kpis.monthclose"."""
    return model._meta.label_lower


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    label: str  # the action as a page names it, translated lazily
    allowed: Guard
    refused: str  # said to whoever the guard refuses: who may make the move instead
    check: Check | None = None
    # Where one action leads to different states by the subject (a self review goes on to feedback only in
    # cycles that collect it): this transition is taken when `when(subject)` holds; the first that holds wins.
    when: Callable[[Any], bool] | None = None


@dataclass(frozen=True)
class Step:
    """One event as a page shows it: the action and the states by their labels."""

    event: StateEvent
    action: str
    source: str
    target: str


@dataclass(frozen=True)
class StateMachine:
    name: str  # the subject as messages name it ("month"), translated lazily
    field: str  # the model field holding the state
    states: Mapping[str, str]  # state -> label
    transitions: tuple[Transition, ...]
    stored: Mapping[str, object] | None = None  # state -> value in `field`, when the column is not the state's name
    error_field: str | None = None  # the input a wrong-state refusal names

    def __post_init__(self) -> None:
        unconditional = set()  # (source, action) already taken whatever the subject: a later one is unreachable
        for t in self.transitions:
            if t.source not in self.states or t.target not in self.states:
                raise ValueError(f"{t.action}: {t.source} → {t.target} names a state the machine does not have")
            if (t.source, t.action) in unconditional:
                raise ValueError(f"two transitions {t.action} from {t.source}")
            if t.when is None:
                unconditional.add((t.source, t.action))

    def state_of(self, subject: models.Model) -> str:
        value = getattr(subject, self.field)
        if self.stored is None:
            return value
        return next(state for state, stored in self.stored.items() if stored == value)

    def authorise(self, subject: models.Model, action: str, *, by: User) -> None:
        """Refuse an unknown action, or a user no transition of that action allows (before any state is read)."""
        named = [t for t in self.transitions if t.action == action]
        if not named:
            raise DomainError(_("There is no action “%(action)s” for a %(name)s."), action=action, name=self.name)
        if not any(t.allowed(principal_of(by), subject) for t in named):
            raise DomainError(str(named[0].refused))

    def transition(self, subject: models.Model, action: str, *, by: User, reason: str = "") -> Transition:
        """Return the transition this move takes, or raise DomainError saying why it is refused; writes nothing."""
        self.authorise(subject, action, by=by)
        state = self.state_of(subject)
        move = next((t for t in self.transitions if t.action == action and t.source == state
                     and (t.when is None or t.when(subject))), None)
        if move is None:
            raise DomainError(_("“%(action)s” is not possible: the %(name)s is %(state)s."), field=self.error_field,
                              action=self.label(action), name=self.name, state=self.states[state])
        if not move.allowed(principal_of(by), subject):
            raise DomainError(str(move.refused))
        if move.check is not None:
            move.check(subject, reason)
        return move

    def move(self, subject: models.Model, action: str, *, by: User, reason: str = "",
             also: Mapping[str, object] | None = None, at: datetime | None = None) -> StateEvent:
        """Return the event of the move after setting the state (and `also`'s fields) and saving the subject.

        The caller runs inside a transaction and has locked the subject's row; a refusal changes nothing.
        """
        move = self.transition(subject, action, by=by, reason=reason)
        fields = {self.field: move.target if self.stored is None else self.stored[move.target], **(also or {})}
        for name, value in fields.items():
            setattr(subject, name, value)
        if subject._state.adding:
            subject.save()
        else:
            subject.save(update_fields=list(fields))
        return StateEvent.objects.create(subject_type=subject_type(subject), subject_id=subject.pk, action=action,
                                         from_state=move.source, to_state=move.target, by=by,
                                         at=at or timezone.now(), reason=reason.strip())

    def label(self, action: str) -> str:
        return next((str(t.label) for t in self.transitions if t.action == action), action)

    def step(self, event: StateEvent) -> Step:
        """Return the event with its action and states by label (codes no longer declared are shown as stored)."""
        return Step(event, self.label(event.action), str(self.states.get(event.from_state, event.from_state)),
                    str(self.states.get(event.to_state, event.to_state)))
