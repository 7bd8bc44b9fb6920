"""Reads of the notice board: which notices are on it today (pinned first, then newest), read or unread for the
user, one notice, the header's unread count and the start pages' card. Every signed-in role reads the board; the
withdrawn and expired notices only the director and HR (teams.access.may_write_notices)."""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from teams import access
from teams.access import Principal

from ..models import Notice, NoticeRead

BOARD_ORDER = ("-pinned", "-published_at", "-pk")
CARD_SIZE = 3


def on_board(today: date) -> QuerySet[Notice]:
    """Return the notices on the board on `today`: not withdrawn, not expired (one that expires today is still on)."""
    return Notice.objects.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today), withdrawn_at__isnull=True)


def gone(today: date) -> QuerySet[Notice]:
    """Return the notices that left the board: withdrawn, or expired before `today`."""
    return Notice.objects.filter(Q(withdrawn_at__isnull=False) | Q(expires_on__lt=today))


def visible_notices(p: Principal, today: date) -> QuerySet[Notice]:
    """Return the notices the principal may open: those on the board, and for the director and HR the gone ones."""
    if not p.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.all() if access.may_write_notices(p) else on_board(today)


def _read_by(user_id: int | None) -> Exists:
    return Exists(NoticeRead.objects.filter(notice=OuterRef("pk"), user_id=user_id))


def board(p: Principal, today: date, *, show_gone: bool = False) -> QuerySet[Notice]:
    """Return the board for the principal in its order, each notice with `is_read` for them (one query per page);
    `show_gone` (the director and HR only) lists the withdrawn and expired ones instead."""
    rows = gone(today) if show_gone and access.may_write_notices(p) else on_board(today)
    return (rows.annotate(is_read=_read_by(p.user_id)).select_related("published_by__employee")
            .order_by(*BOARD_ORDER))


def notice_for(p: Principal, pk: int, today: date) -> Notice:
    """Return the notice, or 404 when it is not one the principal may open (gone, for anyone but its writers)."""
    notice = (visible_notices(p, today).annotate(is_read=_read_by(p.user_id))
              .select_related("published_by__employee", "ranking").filter(pk=pk).first())
    if notice is None:
        raise Http404
    return notice


def unread_count(p: Principal, today: date) -> int:
    """Return how many notices on the board the principal has not read (one query; none for the anonymous)."""
    if not p.is_authenticated:
        return 0
    return on_board(today).exclude(_read_by(p.user_id)).count()


def card(p: Principal, today: date) -> list[Notice]:
    """Return the start page's card: the newest few notices that are unread or pinned, pinned first (one query)."""
    if not p.is_authenticated:
        return []
    read = _read_by(p.user_id)
    return list(on_board(today).annotate(is_read=read).filter(Q(pinned=True) | Q(is_read=False))
                .order_by(*BOARD_ORDER)[:CARD_SIZE])
