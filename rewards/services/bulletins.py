"""The weekly work bulletins' writes (工作通报): a manager's bulletin for their team's week, its annotations, the
director's replies, and a rep's line on their own week.

A bulletin is written for a plan week (a Monday whose week counts in a plan month, by kpis' Thursday rule) up to
the current week, and rewritten while its month is open; once the director closes the month it is kept as it
was and the manager annotates it instead. Every save is checked against the version the writer opened (a stale
one is refused naming who saved and when) and writes one teams StateEvent. A refusal names its input and
changes nothing: each service runs in one transaction and locks the row it changes.
"""

from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kpis.selectors import teams_for_week, week_is_locked
from targets.calculations import month_of_week, week_monday
from targets.models import PlanMonth
from teams import access, clock
from teams.errors import DomainError
from teams.models import Employee, StateEvent, Team, User
from teams.transitions import subject_type

from ..models import Bulletin, BulletinComment, RepWeekLine
from .records import person_name, valid_pk

TEXT_LIMIT = 3000  # each of a bulletin's three parts, and a comment
LINE_LIMIT = 1000
WRITTEN = "written"  # a bulletin's one state as its events name it (written, rewritten: the same state)


def plan_week(week: object) -> date:
    """Return the week's Monday when it is a plan week up to the current one, else refuse naming `week`."""
    if not isinstance(week, date) or week.weekday() != 0:
        raise DomainError(_("A week is named by its Monday."), field="week")
    if week > week_monday(clock.today()):
        raise DomainError(_("The week of %(week)s has not begun yet."), field="week", week=week.isoformat())
    if not PlanMonth.objects.filter(month=month_of_week(week)).exists():
        raise DomainError(_("The week of %(week)s is in no plan month."), field="week", week=week.isoformat())
    return week


def _text(value: object, field: str, limit: int) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if len(text) > limit:
        raise DomainError(_("At most %(limit)s characters."), field=field, limit=limit)
    return text


def _when(at) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M")


def _event(bulletin: Bulletin, action: str, *, by: User, at) -> None:
    StateEvent.objects.create(subject_type=subject_type(Bulletin), subject_id=bulletin.pk, action=action,
                              from_state="" if action == "write" else WRITTEN, to_state=WRITTEN, by=by, at=at)


# --- the manager's bulletin ------------------------------------------------------------------------------------

def _team(p: access.Principal, team: object) -> Team:
    found = Team.objects.filter(pk=valid_pk(team)).first() if valid_pk(team) else None
    if found is None or not access.may_write_bulletin(p, found):
        raise DomainError(_("You write the bulletin of the team you manage, and no other."), field="team")
    return found


def _stale(bulletin: Bulletin, version: object) -> None:
    if str(version or "") == str(bulletin.version):
        return
    raise DomainError(_("%(who)s saved this bulletin at %(when)s, after you opened it; nothing was saved. Reload to "
                        "see it as it is now."), field="version", who=person_name(bulletin.written_by),
                      when=_when(bulletin.updated_at))


@transaction.atomic
def bulletin_save(*, team: Team | int, week: date, went_well: str = "", hard: str = "", help_needed: str = "",
                  version: int | None = None, by: User) -> Bulletin:
    """Return the team's bulletin of the week, written or rewritten by its manager (its version bumped; the
    same text again changes nothing). `version` is the one the writer opened: None for a new bulletin."""
    p = access.principal_of(by)
    found = _team(p, team)
    week = plan_week(week)
    if week_is_locked(week):
        raise DomainError(_("The director has closed the month of this week: its bulletin is kept as it was. Add "
                            "an annotation instead."), field="week")
    texts = {"went_well": _text(went_well, "went_well", TEXT_LIMIT), "hard": _text(hard, "hard", TEXT_LIMIT),
             "help_needed": _text(help_needed, "help_needed", TEXT_LIMIT)}
    if not any(texts.values()):
        raise DomainError(_("Write at least one of what went well, what is hard and what help you need."),
                          field="went_well")
    bulletin = (Bulletin.objects.select_for_update(of=("self",)).select_related("written_by__employee")
                .filter(team=found, week=week).first())
    now = timezone.now()
    if bulletin is None:
        if version not in (None, "", 0):
            raise DomainError(_("This bulletin is not there any more; reload the page."), field="version")
        return _create(found, week, texts, by=by, at=now)
    _stale(bulletin, version)
    if all(getattr(bulletin, name) == text for name, text in texts.items()):
        return bulletin
    for name, text in texts.items():
        setattr(bulletin, name, text)
    bulletin.written_by, bulletin.updated_at, bulletin.version = by, now, bulletin.version + 1
    bulletin.save(update_fields=[*texts, "written_by", "updated_at", "version"])
    _event(bulletin, "rewrite", by=by, at=now)
    return bulletin


def _create(team: Team, week: date, texts: dict[str, str], *, by: User, at) -> Bulletin:
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(team=team, week=week, month=month_of_week(week), written_by=by,
                                               written_at=at, updated_at=at, **texts)
    except IntegrityError:  # written meanwhile from another window: the same answer as a stale version
        other = Bulletin.objects.select_related("written_by__employee").get(team=team, week=week)
        _stale(other, None)
        raise
    _event(bulletin, "write", by=by, at=at)
    return bulletin


# --- comments: the manager's annotations, the director's replies -------------------------------------------------

def _bulletin(p: access.Principal, bulletin_id: object) -> Bulletin:
    rows = access.scope_bulletins(p, Bulletin.objects.all())
    found = (rows.select_for_update(of=("self",)).select_related("team").filter(pk=valid_pk(bulletin_id)).first()
             if valid_pk(bulletin_id) else None)
    if found is None:  # outside the scope or not there: the same answer
        raise DomainError(_("There is no such bulletin."), field="bulletin_id")
    return found


def _comment(bulletin: Bulletin, kind: str, text: object, by: User) -> BulletinComment:
    body = _text(text, "text", TEXT_LIMIT)
    if not body:
        raise DomainError(_("Write the text."), field="text")
    return BulletinComment.objects.create(bulletin=bulletin, kind=kind, text=body, by=by, at=timezone.now())


@transaction.atomic
def bulletin_annotate(*, bulletin_id: int, text: str, by: User) -> BulletinComment:
    """Return the team manager's new annotation of the bulletin (any time; the only way to add to it once its month
    is closed)."""
    p = access.principal_of(by)
    bulletin = _bulletin(p, bulletin_id)
    if not access.may_annotate_bulletin(p, bulletin.team_id):
        raise DomainError(_("Only the team's manager annotates its bulletin."), field="bulletin_id")
    return _comment(bulletin, BulletinComment.CommentKind.ANNOTATION, text, by)


@transaction.atomic
def bulletin_reply(*, bulletin_id: int, text: str, by: User) -> BulletinComment:
    """Return the director's new reply to the bulletin."""
    p = access.principal_of(by)
    if not access.may_reply_to_bulletins(p):
        raise DomainError(_("Only the sales director replies to bulletins."), field="bulletin_id")
    return _comment(_bulletin(p, bulletin_id), BulletinComment.CommentKind.REPLY, text, by)


# --- a rep's line on their own week ---------------------------------------------------------------------------

@transaction.atomic
def rep_week_line_save(*, employee: Employee | int, week: date, text: str, version: int | None = None,
                       by: User) -> RepWeekLine:
    """Return the rep's line on their own week, in the team the week belongs to (kpis' rule), written or rewritten
    while the week's month is open (the same text again changes nothing)."""
    p = access.principal_of(by)
    if valid_pk(employee) is None or not access.may_write_week_line(p, valid_pk(employee)):
        raise DomainError(_("A rep writes a line on their own week only."), field="employee")
    week = plan_week(week)
    team_id = teams_for_week([valid_pk(employee)], week)[valid_pk(employee)]
    if team_id is None:
        raise DomainError(_("You were in no team in the week of %(week)s."), field="week", week=week.isoformat())
    if week_is_locked(week):
        raise DomainError(_("The director has closed the month of this week: your line is kept as it was."),
                          field="week")
    body = _text(text, "text", LINE_LIMIT)
    if not body:
        raise DomainError(_("Write the line."), field="text")
    line = (RepWeekLine.objects.select_for_update(of=("self",)).select_related("employee")
            .filter(employee_id=valid_pk(employee), week=week).first())
    now = timezone.now()
    if line is None:
        try:
            with transaction.atomic():
                return RepWeekLine.objects.create(employee_id=valid_pk(employee), team_id=team_id, week=week, text=body,
                                                  written_at=now)
        except IntegrityError:
            line = RepWeekLine.objects.select_related("employee").get(employee_id=valid_pk(employee), week=week)
            version = None  # written meanwhile in another window: refused below as stale
    if str(version or "") != str(line.version):
        raise DomainError(_("%(who)s saved this line at %(when)s, after you opened it; nothing was saved. Reload to "
                            "see it as it is now."), field="version", who=line.employee.name,
                          when=_when(line.written_at))
    if line.text == body and line.team_id == team_id:
        return line
    line.text, line.team_id, line.written_at, line.version = body, team_id, now, line.version + 1
    line.save(update_fields=["text", "team", "written_at", "version"])
    return line
