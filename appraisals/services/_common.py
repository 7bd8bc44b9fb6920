"""What every act shares: the locked appraisal, the stale-version refusal, the move that bumps the version."""

from collections.abc import Mapping

from django.utils import timezone
from django.utils.translation import gettext as _

from teams import access
from teams.errors import DomainError
from teams.models import StateEvent, User
from teams.transitions import subject_type

from ..models import Appraisal
from ..states import APPRAISAL


def person_name(user: User | None) -> str:
    """Return how a message names a user: their employee's name, else the log-in name."""
    if user is None:
        return _("someone else")
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def hr_only(by: User) -> None:
    """Refuse anyone but HR (who runs the cycles)."""
    if not access.may_run_appraisals(access.principal_of(by)):
        raise DomainError(_("Only HR may do this."), field="action")


def locked(appraisal_id: int, *, by: User) -> Appraisal:
    """Return the appraisal locked for an act, or refuse (field "appraisal_id") when the user may not open it:
    the error must not tell an outsider whether it exists."""
    rows = access.scope_appraisals(access.principal_of(by), Appraisal.objects.all())
    appraisal = (rows.select_for_update(of=("self",)).select_related("cycle").filter(pk=appraisal_id).first()
                 if str(appraisal_id).isdigit() and int(appraisal_id) < 2**31 else None)
    if appraisal is None:
        raise DomainError(_("There is no such appraisal you may act on."), field="appraisal_id")
    return appraisal


def _naming_action(check, *args, reason_field: str = "reason", **kwargs) -> None:
    """Run a state machine check; a refusal that names no input names the action (who may not make it), and a
    missing reason names the input the service took it as."""
    try:
        check(*args, **kwargs)
    except DomainError as refused:
        field = reason_field if refused.field == "reason" else refused.field or "action"
        raise DomainError(refused.message, field=field) from None


def current(appraisal: Appraisal, version: int) -> None:
    """Refuse an act on an older version than the saved one, saying who acted last and when."""
    if appraisal.version == version:
        return
    last = (StateEvent.objects.filter(subject_type=subject_type(Appraisal), subject_id=appraisal.pk)
            .select_related("by__employee").order_by("-at", "-pk").first())
    when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "—"
    raise DomainError(_("%(who)s acted on this appraisal at %(when)s (%(action)s), after you opened it; nothing "
                        "was saved. Reload to see the appraisal as it is now."), field="version",
                      who=person_name(last.by if last else None), when=when,
                      action=APPRAISAL.label(last.action) if last else "—")


def acting(appraisal_id: int, version: int, action: str, *, by: User, reason: str = "",
           reason_field: str = "reason") -> Appraisal:
    """Return the appraisal locked, once the user may make the action, has its current version, and the action
    is possible in its state (so bad input is only reported on an act that could happen)."""
    appraisal = locked(appraisal_id, by=by)
    _naming_action(APPRAISAL.authorise, appraisal, action, by=by)
    current(appraisal, version)
    _naming_action(APPRAISAL.transition, appraisal, action, by=by, reason=reason, reason_field=reason_field)
    return appraisal


def move(appraisal: Appraisal, action: str, *, by: User, reason: str = "",
         also: Mapping[str, object] | None = None) -> Appraisal:
    """Return the appraisal after the move, its version bumped with it (one save, one event)."""
    APPRAISAL.move(appraisal, action, by=by, reason=reason, also={**(also or {}), "version": appraisal.version + 1})
    return appraisal


def check_text(text: object, field: str, message: str, limit: int = 5000) -> str:
    """Return the text stripped, or refuse it blank (with `message`) or past `limit` characters."""
    value = text.strip() if isinstance(text, str) else ""
    if not value:
        raise DomainError(message, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(limit)s characters."), field=field, limit=limit)
    return value
