"""The notice board's writes: the director's and HR's announcements (publish, pin or unpin, expiry, withdraw) and
each user's read marks. Every act on a notice bumps its version and writes one teams StateEvent (who, when), so a
stale form is refused naming who acted last. Notices of records and rankings are made by their own services."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from teams import access, clock
from teams.errors import DomainError
from teams.models import StateEvent, User
from teams.transitions import subject_type

from ..models import Notice, NoticeKind, NoticeRead
from ..selectors.board import on_board, visible_notices

BODY_LIMIT = 5000
PUBLISHED, WITHDRAWN = "published", "withdrawn"  # a notice's states as its events name them
ACTIONS = {"publish": gettext_lazy("published"), "pin": gettext_lazy("pinned"), "unpin": gettext_lazy("unpinned"),
           "expiry": gettext_lazy("changed the expiry of"), "withdraw": gettext_lazy("withdrew"),
           "republish": gettext_lazy("published again")}


def writers_only(by: User) -> None:
    """Refuse anyone but the director and HR."""
    if not access.may_write_notices(access.principal_of(by)):
        raise DomainError(_("Only the sales director or HR writes on the notice board."), field="action")


def notice_event(notice: Notice, action: str, *, by: User, at=None) -> StateEvent:
    """Return the event of an act on a notice (its states: published, withdrawn)."""
    to_state = WITHDRAWN if notice.withdrawn_at else PUBLISHED
    from_state = PUBLISHED if action == "withdraw" else ("" if action == "publish" else to_state)
    return StateEvent.objects.create(subject_type=subject_type(Notice), subject_id=notice.pk, action=action,
                                     from_state=from_state, to_state=to_state, by=by, at=at or timezone.now())


def _title(title: object) -> str:
    value = title.strip() if isinstance(title, str) else ""
    if not value:
        raise DomainError(_("Give the notice a title."), field="title")
    limit = Notice._meta.get_field("title").max_length
    if len(value) > limit:
        raise DomainError(_("A title has at most %(limit)s characters."), field="title", limit=limit)
    return value


def _body(body: object) -> str:
    value = body.strip() if isinstance(body, str) else ""
    if len(value) > BODY_LIMIT:
        raise DomainError(_("A notice's text has at most %(limit)s characters."), field="body", limit=BODY_LIMIT)
    return value


def _expiry(expires_on: date | None) -> date | None:
    if expires_on is not None and not isinstance(expires_on, date):
        raise DomainError(_("Give the expiry as a date."), field="expires_on")
    if expires_on is not None and expires_on < clock.today():
        raise DomainError(_("The expiry %(day)s is in the past."), field="expires_on", day=expires_on.isoformat())
    return expires_on


@transaction.atomic
def notice_publish(*, by: User, title: str, body: str = "", pinned: bool = False,
                   expires_on: date | None = None) -> Notice:
    """Return the new announcement on the board, by the director or HR."""
    writers_only(by)
    now = timezone.now()
    notice = Notice.objects.create(kind=NoticeKind.ANNOUNCEMENT, title=_title(title), body=_body(body),
                                   pinned=bool(pinned), expires_on=_expiry(expires_on), published_by=by,
                                   published_at=now)
    notice_event(notice, "publish", by=by, at=now)
    return notice


def _locked(notice_id: object) -> Notice:
    notice = (Notice.objects.select_for_update().filter(pk=notice_id).first()
              if str(notice_id).isdigit() and int(notice_id) < 2**63 else None)
    if notice is None:
        raise DomainError(_("There is no such notice."), field="notice_id")
    return notice


def person_name(user: User | None) -> str:
    """Return how a message names a user: their employee's name, else the log-in name."""
    if user is None:
        return _("someone else")
    employee = getattr(user, "employee", None)
    return employee.name if employee is not None else user.get_username()


def current(notice: Notice, version: object) -> None:
    """Refuse an act on an older version of the notice than the saved one, saying who acted last and when."""
    if str(version) == str(notice.version):
        return
    last = (StateEvent.objects.filter(subject_type=subject_type(Notice), subject_id=notice.pk)
            .select_related("by__employee").order_by("-at", "-pk").first())
    when = timezone.localtime(last.at).strftime("%Y-%m-%d %H:%M") if last else "—"
    raise DomainError(_("%(who)s %(action)s this notice at %(when)s, after you opened it; nothing was saved. Reload "
                        "to see it as it is now."), field="version", who=person_name(last.by if last else None),
                      when=when, action=str(ACTIONS.get(last.action, last.action)) if last else "—")


def _acting(notice_id: object, version: object, by: User) -> Notice:
    writers_only(by)
    notice = _locked(notice_id)
    current(notice, version)
    if notice.withdrawn_at is not None:
        raise DomainError(_("This notice was withdrawn."), field="notice_id")
    return notice


UNCHANGED = object()


@transaction.atomic
def notice_change(*, notice_id: int, version: int, by: User, pinned: bool | None = None,
                  expires_on: date | None | object = UNCHANGED) -> Notice:
    """Return the notice pinned or unpinned, or with its expiry changed (None: no expiry); nothing to change
    changes nothing."""
    notice = _acting(notice_id, version, by)
    fields, actions = [], []
    if pinned is not None and bool(pinned) != notice.pinned:
        notice.pinned = bool(pinned)
        fields.append("pinned")
        actions.append("pin" if notice.pinned else "unpin")
    if expires_on is not UNCHANGED and expires_on != notice.expires_on:
        notice.expires_on = _expiry(expires_on)
        fields.append("expires_on")
        actions.append("expiry")
    if not fields:
        return notice
    notice.version += 1
    notice.save(update_fields=[*fields, "version"])
    for action in actions:
        notice_event(notice, action, by=by)
    return notice


@transaction.atomic
def notice_withdraw(*, notice_id: int, version: int, by: User) -> Notice:
    """Return the announcement taken off the board (kept, with who withdrew it). A record's notice leaves with the
    record's revocation, a ranking's with the ranking's withdrawal."""
    notice = _acting(notice_id, version, by)
    if notice.kind in (NoticeKind.REWARD, NoticeKind.PENALTY):
        raise DomainError(_("A reward's or penalty's notice leaves the board when the record is revoked."),
                          field="notice_id")
    if notice.kind == NoticeKind.RANKING:
        raise DomainError(_("A ranking's notice leaves the board when the ranking is withdrawn."), field="notice_id")
    notice.withdrawn_at = timezone.now()
    notice.version += 1
    notice.save(update_fields=["withdrawn_at", "version"])
    notice_event(notice, "withdraw", by=by, at=notice.withdrawn_at)
    return notice


def notice_read_mark(*, user: User, notice_id: int) -> NoticeRead:
    """Return the user's read mark of a notice they may see (a second call finds the first mark)."""
    p = access.principal_of(user)
    notice = visible_notices(p, clock.today()).filter(pk=notice_id).first() if str(notice_id).isdigit() else None
    if notice is None:
        raise DomainError(_("There is no such notice."), field="notice_id")
    read, _created = NoticeRead.objects.get_or_create(notice=notice, user=user,
                                                      defaults={"read_at": timezone.now()})
    return read


def notices_read_all(*, user: User) -> int:
    """Return how many of the board's unread notices were marked read for the user."""
    unread = on_board(clock.today()).exclude(reads__user=user).values_list("pk", flat=True)
    now = timezone.now()
    made = NoticeRead.objects.bulk_create([NoticeRead(notice_id=pk, user=user, read_at=now) for pk in unread],
                                          ignore_conflicts=True)
    return len(made)
