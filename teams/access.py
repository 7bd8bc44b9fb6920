"""All access rules: which employees, teams and rows a principal may see or change, at a date.

Every view, selector, service, endpoint and the navigation asks this module; none tests a role itself. Rules:
- the general manager, the director, HR and admins see all of sales;
- a manager sees the teams they manage and each member for the dates of membership
  (former members included), plus themself;
- a rep sees only themself.
An object outside the principal's scope answers 404 (its existence is not revealed); a visible object the
principal may not change, or a page the role may not use at all, answers 403.

Who the user is gets worked out once per request (`PrincipalMiddleware`, or `principal_of` for DRF, services
and tests): a frozen Principal, so the rules below are plain functions of it and cost no query.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, DateField, Exists, Expression, F, Model, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, Least, TruncDate
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject
from rest_framework.permissions import BasePermission

from . import clock
from .models import ApiToken, Employee, Membership, Role, Team, User, membership_during

SEES_ALL_SALES = frozenset({Role.GENERAL_MANAGER, Role.DIRECTOR, Role.HR, Role.ADMIN})
CHANGES_ALL_TEAMS = frozenset({Role.DIRECTOR, Role.ADMIN})
APPROVES_PLANS = frozenset({Role.GENERAL_MANAGER, Role.DIRECTOR, Role.ADMIN})


# --- the principal: who is asking, worked out once -------------------------------------------------------------

@dataclass(frozen=True)
class Principal:
    """Who is asking: the role, the log-in, the employee and the teams they manage (none unless a manager)."""

    role: str | None                 # None: not signed in; superusers count as admins
    user_id: int | None
    employee_id: int | None = None
    managed_team_ids: frozenset[int] = frozenset()
    is_staff: bool = False
    name: str = ""                   # the employee's name, else the log-in name (the page header)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None


ANONYMOUS = Principal(role=None, user_id=None)
_CACHE = "_access_principal"  # the attribute principal_of caches the principal in, on the user object


def role_of(user: User) -> str | None:
    """Return the user's role; superusers count as admins, anonymous users have none (no query)."""
    if not user.is_authenticated:
        return None
    return Role.ADMIN if user.is_superuser else user.role


def principal_of(user: User) -> Principal:
    """Return the user's principal, built in one query the first time and cached on the user object."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    cached = getattr(user, _CACHE, None)
    if cached is None:
        cached = _build(user)
        setattr(user, _CACHE, cached)
    return cached


def _build(user: User) -> Principal:
    role = role_of(user)
    # One query: the employee and, joined, the teams they lead (a row per team, or one row with None).
    rows = (list(Employee.objects.filter(user_id=user.pk).values_list("pk", "name", "managed_teams__id"))
            if user.pk else [])  # an unsaved user (a pure test) has no employee
    return Principal(
        role=role, user_id=user.pk, employee_id=rows[0][0] if rows else None,
        managed_team_ids=frozenset(t for _, _, t in rows if t is not None) if role == Role.MANAGER else frozenset(),
        is_staff=user.is_staff, name=rows[0][1] if rows else user.get_username(),
    )


def principal(request: HttpRequest) -> Principal:
    """Return the principal of a page's or an endpoint's request (DRF authenticates after the middleware ran)."""
    return principal_of(getattr(request, "user", None))


class PrincipalMiddleware:
    """Attach `request.principal`, built on first use (so pages that never ask pay nothing) and once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.principal = SimpleLazyObject(lambda: principal(request))
        return self.get_response(request)


def _pk(obj: Model | int) -> int:
    return obj if isinstance(obj, int) else obj.pk


# --- rules: plain functions of the principal, no query ---------------------------------------------------------

def sees_all_sales(p: Principal) -> bool:
    """Return whether the principal sees every team and employee."""
    return p.role in SEES_ALL_SALES


def leads_teams(p: Principal) -> bool:
    """Return whether the principal manages at least one team."""
    return bool(p.managed_team_ids)


def may_see_team(p: Principal, team: Team | int) -> bool:
    """Return whether the principal may open this team's pages."""
    return sees_all_sales(p) or _pk(team) in p.managed_team_ids


def may_change_team(p: Principal, team: Team | int) -> bool:
    """Return whether the principal may change this team's data (targets, figures, ratings)."""
    return p.role in CHANGES_ALL_TEAMS or _pk(team) in p.managed_team_ids


def may_enter_figures(p: Principal) -> bool:
    """Return whether the principal may enter or import weekly figures for some team."""
    return p.role in CHANGES_ALL_TEAMS or leads_teams(p)


def may_edit_plan(p: Principal) -> bool:
    """Return whether the principal may edit plans, team weights, close months and decide on proposals."""
    return p.role in CHANGES_ALL_TEAMS


def may_approve_plan(p: Principal) -> bool:
    """Return whether the principal may approve a plan."""
    return p.role in APPROVES_PLANS


def may_view_plan(p: Principal) -> bool:
    """Return whether the principal may open the company plan (everyone but reps, who see their own targets)."""
    return sees_all_sales(p) or leads_teams(p)


def may_view_organisation(p: Principal) -> bool:
    """Return whether the principal may open the organisation and people pages, team pages and the grid."""
    return sees_all_sales(p) or leads_teams(p)


def has_own_page(p: Principal) -> bool:
    """Return whether the principal's header links to "my targets" (reps: it is their start page too)."""
    return p.role == Role.REP


def has_profile(p: Principal) -> bool:
    """Return whether the principal is an employee, with a profile page of their own."""
    return p.employee_id is not None


def may_see_rollup_status(p: Principal) -> bool:
    """Return whether the principal may open the rollups' status page: stale, running and failed months."""
    return p.role in CHANGES_ALL_TEAMS or p.is_staff


def may_change_calendar(user: User) -> bool:
    """Return whether the user may add or override working-calendar days: the admin's model permission decides,
    since the days are changed there."""
    return user.is_active and user.has_perm("targets.change_calendarday")


# --- appraisals (the subject is an appraisals.Appraisal; this module reads only its ids, never imports it) ------

RUNS_APPRAISALS = frozenset({Role.HR, Role.ADMIN})


def may_run_appraisals(p: Principal) -> bool:
    """Return whether the principal runs appraisal cycles: opens them, asks for feedback, publishes, withdraws."""
    return p.role in RUNS_APPRAISALS


def is_appraisee(p: Principal, appraisal) -> bool:
    """Return whether the appraisal is the principal's own (they review themselves and confirm, never rate)."""
    return p.employee_id is not None and appraisal.employee_id == p.employee_id


def is_rater(p: Principal, appraisal) -> bool:
    """Return whether the principal is the appraisal's rater (who confirms its goals and rates it)."""
    return p.employee_id is not None and appraisal.rater_id == p.employee_id and not is_appraisee(p, appraisal)


def may_verify_managers(p: Principal) -> bool:
    """Return whether the principal checks the evidence of managers' appraisals (and rates managers): the director."""
    return p.role in CHANGES_ALL_TEAMS


def may_verify_appraisal(p: Principal, appraisal) -> bool:
    """Return whether the principal checks the appraisal's evidence: HR for reps, the director for managers."""
    if is_appraisee(p, appraisal):
        return False
    if appraisal.is_manager:
        return may_verify_managers(p)
    return may_run_appraisals(p)


def may_record_appraisal_use(p: Principal) -> bool:
    """Return whether the principal may record where a published result was used (a promotion, a reward, pay)."""
    return sees_all_sales(p)


def scope_appraisals(p: Principal, rows: QuerySet) -> QuerySet:
    """Return the appraisals the principal may open: all of sales; a manager's team's, those they rate and their
    own; a rep's own. Feedback givers reach only their request, never the appraisal (see feedback selectors)."""
    if sees_all_sales(p):
        return rows
    if p.employee_id is None:
        return rows.none()
    mine = Q(employee_id=p.employee_id) | Q(rater_id=p.employee_id)
    if p.managed_team_ids:
        mine |= Q(team_id__in=p.managed_team_ids)
    return rows.filter(mine)


def may_see_feedback_givers(p: Principal) -> bool:
    """Return whether the principal may see who gave which anonymous feedback answer: HR only."""
    return may_run_appraisals(p)


# --- promotion cases (the subject is a promotions.PromotionCase; this module reads only its ids and fields) -----

NOMINATES_ANYONE = frozenset({Role.DIRECTOR, Role.HR, Role.ADMIN})
REVIEWS_CASES = frozenset({Role.HR, Role.ADMIN})


def may_nominate(p: Principal) -> bool:
    """Return whether the principal may nominate someone at all: the director, HR, a manager (their team's reps)."""
    return p.role in NOMINATES_ANYONE or leads_teams(p)


def nominable_employees(p: Principal, on: date) -> QuerySet[Employee]:
    """Return whom the principal may nominate on `on`: anyone (the director, HR); a manager, their team's current
    reps; nobody else."""
    if p.role in NOMINATES_ANYONE:
        return Employee.objects.all()
    if not p.managed_team_ids:
        return Employee.objects.none()
    return Employee.objects.filter(pk__in=_members(p, membership_during(on)).values("employee_id"))


def may_nominate_employee(p: Principal, employee: Employee | int, on: date) -> bool:
    """Return whether the principal may nominate this employee on `on`: the director and HR anyone; a manager one
    of their team's current reps (one query, for a manager only); nobody else."""
    if p.role in NOMINATES_ANYONE:
        return True
    return leads_teams(p) and nominable_employees(p, on).filter(pk=_pk(employee)).exists()


def nominable_teams(p: Principal) -> QuerySet[Team]:
    """Return the teams a nomination by the principal may name as the one its nominee will lead: every active team
    (the director, HR); a manager, their own; none for anyone else."""
    if p.role in NOMINATES_ANYONE:
        return Team.objects.filter(is_active=True)
    return Team.objects.filter(is_active=True, pk__in=p.managed_team_ids)


def nominable_managers(p: Principal) -> QuerySet[Employee]:
    """Return the managers a nomination by the principal may name as replaced: those leading a nominable team."""
    return Employee.objects.filter(managed_teams__in=nominable_teams(p)).distinct()


def may_review_cases(p: Principal) -> bool:
    """Return whether the principal reviews promotion cases (the checklist, special approval's reason), applies a
    case whose date has passed and records a development plan's outcome: HR."""
    return p.role in REVIEWS_CASES


def is_nominator(p: Principal, case) -> bool:
    """Return whether the principal nominated the case (they may withdraw it, never decide it)."""
    return p.user_id is not None and case.nominated_by_id == p.user_id


def may_decide_case(p: Principal, case) -> bool:
    """Return whether the principal decides the case: the director when the rules are met, the general manager
    for a special approval; never its nominator."""
    if is_nominator(p, case):
        return False
    if case.rules_met is False:
        return p.role == Role.GENERAL_MANAGER
    return p.role == Role.DIRECTOR


def may_withdraw_case(p: Principal, case) -> bool:
    """Return whether the principal may withdraw the case while it is open: HR or its nominator."""
    return may_review_cases(p) or is_nominator(p, case)


def may_apply_case(p: Principal, case) -> bool:
    """Return whether the principal may apply the approved case: HR, or whoever approved it (the daily task acts
    in their name); `approved_by_id` is read from the case's approve event by the service."""
    return may_review_cases(p) or (p.user_id is not None and getattr(case, "approved_by_id", None) == p.user_id)


def may_list_cases(p: Principal) -> bool:
    """Return whether the principal has a list of promotion cases: all of sales, and managers (their teams')."""
    return sees_all_sales(p) or leads_teams(p)


def scope_cases(p: Principal, rows: QuerySet) -> QuerySet:
    """Return the cases the principal may open: all of sales; a manager's own nominations and their teams'
    members' cases; nobody else's (a rep sees no case: they see their path on their own page)."""
    if sees_all_sales(p):
        return rows
    if p.user_id is None:
        return rows.none()
    mine = Q(nominated_by_id=p.user_id)
    if p.managed_team_ids:
        mine |= Q(Exists(_members(p, Q()).filter(employee_id=OuterRef("employee_id"))))
    return rows.filter(mine)


def may_open_admin(p: Principal) -> bool:
    """Return whether the principal's header links to the Django admin."""
    return p.role == Role.ADMIN or p.is_staff


def start_page_kind(p: Principal) -> str:
    """Return where the principal starts: "admin", "candidates" (HR), "sales" (the cockpit), "team" (their first
    team) or "own"."""
    if p.role == Role.ADMIN:
        return "admin"
    if p.role == Role.HR:
        return "candidates"  # HR reviews promotion candidates first (issue 14)
    if sees_all_sales(p):
        return "sales"
    return "team" if leads_teams(p) else "own"


def managed_team_ids(p: Principal) -> list[int]:
    """Return the ids of the teams the principal manages, in a stable order."""
    return sorted(p.managed_team_ids)


def any_role(p: Principal) -> bool:
    """Return True for every signed-in principal: pages whose scoping is done by the querysets."""
    return p.is_authenticated


def opens_admin(role: str) -> bool:
    """Return whether a log-in of this role is staff (may sign in to the admin)."""
    return role == Role.ADMIN


def may_lead_a_team(user: User) -> bool:
    """Return whether this log-in's role lets it be a team's manager."""
    return role_of(user) == Role.MANAGER


def may_be_given_a_team(user: User) -> bool:
    """Return whether this log-in may be made a team's manager by a change of manager: a manager, or a rep promoted
    to lead one (their role becomes manager); never the director, HR or the general manager."""
    return role_of(user) in (Role.MANAGER, Role.REP)


# --- scoped querysets ------------------------------------------------------------------------------------------

def visible_teams(p: Principal) -> QuerySet[Team]:
    """Return the teams whose pages this principal may open."""
    if sees_all_sales(p):
        return Team.objects.all()
    return Team.objects.filter(pk__in=p.managed_team_ids)


def changeable_teams(p: Principal) -> QuerySet[Team]:
    """Return the teams whose data (targets, figures, ratings) the principal may change."""
    if p.role in CHANGES_ALL_TEAMS:
        return Team.objects.all()
    return Team.objects.filter(pk__in=p.managed_team_ids)


def _members(p: Principal, during: Q) -> QuerySet[Membership]:
    return Membership.objects.filter(during, team_id__in=p.managed_team_ids)


def scope_rows(p: Principal, rows: QuerySet, *, employee_field: str | None = "employee",
               team_field: str | None = "team", date_field: str | None = None) -> QuerySet:
    """Return the rows the principal may see: all of sales / my teams for my dates / only me.

    A row belongs to a manager's teams through its `team_field` (a row's team is the team it counts in, so that
    is "for my dates" already); a row without a team field belongs to them when its employee was a member of one
    of their teams (on the row's `date_field`, if given). Their own rows, and a rep's, come through
    `employee_field`.
    """
    if sees_all_sales(p):
        return rows
    own = Q(**{employee_field: p.employee_id}) if employee_field and p.employee_id else Q(pk__in=[])
    if not p.managed_team_ids:
        return rows.filter(own)
    if team_field:
        return rows.filter(own | Q(**{f"{team_field}__in": p.managed_team_ids}))
    during = membership_during(OuterRef(date_field)) if date_field else Q()
    member = Exists(_members(p, during).filter(employee_id=OuterRef(employee_field)))
    return rows.filter(own | Q(member))


def visible_employees(p: Principal, on: date | None = None) -> QuerySet[Employee]:
    """Return the employees this principal may see; with `on`, only those visible at that date."""
    if sees_all_sales(p):
        return Employee.objects.all()
    if not p.is_authenticated:
        return Employee.objects.none()
    own = Q(pk=p.employee_id) if p.employee_id else Q(pk__in=[])
    if not p.managed_team_ids:
        return Employee.objects.filter(own)
    members = _members(p, membership_during(on) if on else Q()).values("employee_id")
    return Employee.objects.filter(own | Q(pk__in=members))


def visible_periods(p: Principal, employee: Employee) -> list[tuple[date | None, date | None]]:
    """Return the date ranges (inclusive, None = open) over which the principal may see this employee's data."""
    if sees_all_sales(p) or employee.pk == p.employee_id:
        return [(None, None)]
    if not p.managed_team_ids:
        return []
    spans = _members(p, Q()).filter(employee=employee).order_by("starts_on")
    return [(m.starts_on, m.ends_on) for m in spans]


def visible_until(p: Principal, on: date) -> Expression:
    """Return an expression for the outer employee: `on`, or the last day up to `on` the principal may see them
    (a former member of a manager's team: the end of that membership)."""
    today = Value(on, output_field=DateField())
    if sees_all_sales(p):
        return today
    ends = (_members(p, Q(starts_on__lte=on)).filter(employee_id=OuterRef("pk"))
            .order_by(F("ends_on").desc(nulls_first=True)).values("ends_on")[:1])
    seen = Least(Coalesce(Subquery(ends), today), today)
    if p.employee_id is None:
        return seen
    return Case(When(pk=p.employee_id, then=today), default=seen, output_field=DateField())


def may_see_employee(p: Principal, employee: Employee, on: date | None = None) -> bool:
    """Return whether the principal may see this employee (at `on`, if given)."""
    return visible_employees(p, on).filter(pk=employee.pk).exists()


def may_change_employee(p: Principal, employee: Employee) -> bool:
    """Return whether the principal may change this employee's data: one of their team's current members."""
    if p.role in CHANGES_ALL_TEAMS:
        return True
    return _members(p, membership_during(clock.today())).filter(employee=employee).exists()


# --- loaders: 404 outside the scope, 403 for a visible object the principal may not change ---------------------

def _load(rows: QuerySet, pk: object) -> Model:
    if str(pk).isdigit() and int(str(pk)[:12]) > 2**31 - 1:
        raise Http404  # past the integer column: no such row, and no database error either
    try:
        return rows.get(pk=pk)
    except (rows.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def get_team(p: Principal, pk: int, write: bool = False) -> Team:
    """Return the team; 404 outside the principal's scope, 403 when `write` and they may only look at it."""
    team = _load(visible_teams(p).select_related("manager"), pk)
    if write and not may_change_team(p, team):
        raise PermissionDenied
    return team


def get_employee(p: Principal, pk: int, write: bool = False) -> Employee:
    """Return the employee; 404 outside the principal's scope, 403 when `write` and they may only look."""
    employee = _load(visible_employees(p), pk)
    if write and not may_change_employee(p, employee):
        raise PermissionDenied
    return employee


def require_visible_employees(p: Principal, pks: set[int]) -> None:
    """Answer 404 unless every employee is visible to the principal (one query): a refusal would name a hidden one."""
    if visible_employees(p).filter(pk__in=pks).count() != len(pks):
        raise Http404


def get_rep_week(p: Principal, rows: QuerySet, pk: int, write: bool = False) -> Model:
    """Return one rep-week row (weekly figures) of `rows`: 404 outside the scope, 403 when `write` and the
    principal may only look (a rep, their own figures)."""
    row = _load(scope_rows(p, rows), pk)
    if write and not may_change_team(p, row.team_id):
        raise PermissionDenied
    return row


# --- pages and endpoints ---------------------------------------------------------------------------------------

def page_for(predicate: Callable[[Principal], bool]) -> Callable:
    """Decorate a view: anonymous users go to log-in, principals failing `predicate` get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not predicate(principal(request)):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def endpoint_for(request, predicate: Callable[[Principal], bool]) -> Principal:
    """Return the request's principal when `predicate` allows them the endpoint, else raise 403: the API's
    counterpart of `page_for`, called first in an endpoint's method."""
    p = principal(request)
    if not predicate(p):
        raise PermissionDenied
    return p


class IsSalesStaff(BasePermission):
    """DRF: a signed-in user with a role; each endpoint narrows further through this module."""

    def has_permission(self, request, view) -> bool:
        return principal(request).role is not None


# --- promotions: paths, training, candidates (issue 14) --------------------------------------------------------

RUNS_PROMOTIONS = frozenset({Role.HR, Role.ADMIN})


def may_manage_promotion_paths(p: Principal) -> bool:
    """Return whether the principal sets paths, requirements, training records, the reserve pool and rounds."""
    return p.role in RUNS_PROMOTIONS


def may_see_promotion_paths(p: Principal) -> bool:
    """Return whether the principal reads the promotion paths and their requirements: HR, who sets them, and the
    director and the general manager, who decide cases by them."""
    return sees_all_sales(p)


def may_keep_training_records(p: Principal) -> bool:
    """Return whether the principal opens the training pages (sessions, attendance, a person's hours and exam
    scores): HR, who records them; the scores are personal, so nobody else reads them there."""
    return may_manage_promotion_paths(p)


def may_see_candidates(p: Principal) -> bool:
    """Return whether the principal sees the candidates page: HR, and who nominates or decides across sales."""
    return sees_all_sales(p)


# --- the way up: a person's next position and each rule met or not (issue 14, "Where it shows") ----------------

SEES_EVERY_WAY_UP = frozenset({Role.GENERAL_MANAGER, Role.DIRECTOR, Role.HR})


def may_see_way_up(p: Principal, employee: Employee | int, on: date | None = None) -> bool:
    """Return whether the principal may see the employee's way up: the employee themself, their manager while
    they are a current member of the manager's team (on `on`, default today), HR, the director and the general
    manager; nobody else (not another rep, another team's manager, a former member's manager, nor the admin
    log-in, who has no part in promotions). A query only for a manager looking at someone else."""
    if p.employee_id is not None and _pk(employee) == p.employee_id:
        return True
    if p.role in SEES_EVERY_WAY_UP:
        return True
    if not p.managed_team_ids:
        return False
    return _members(p, membership_during(on or clock.today())).filter(employee_id=_pk(employee)).exists()


def may_see_team_way_up(p: Principal, team: Team | int) -> bool:
    """Return whether the principal sees the way-up table of the team's current members: `may_see_way_up` for
    each of them, asked once for the team (no query): the team's manager, HR, the director, the general manager."""
    return p.role in SEES_EVERY_WAY_UP or _pk(team) in p.managed_team_ids


def may_see_exam_scores(p: Principal, employee: Employee | int) -> bool:
    """Return whether the way up shows the employee's exam scores, or only whether the exam is passed: scores are
    personal, so the employee themself and HR (who records them) read them; a manager, the director and the
    general manager see passed or not against the required score."""
    return (p.employee_id is not None and _pk(employee) == p.employee_id) or may_keep_training_records(p)


# --- rewards: the register of rewards and penalties (issue 15) ---------------------------------------------------

PROPOSES_ANY_RECORD = frozenset({Role.DIRECTOR, Role.HR, Role.ADMIN})
APPROVES_RECORDS = frozenset({Role.DIRECTOR, Role.ADMIN})
KEEPS_RECORDS = frozenset({Role.HR, Role.ADMIN})  # HR sees and records everything; cash above the line needs them


def may_propose_records(p: Principal) -> bool:
    """Return whether the principal proposes rewards and penalties: the director and HR for anyone in sales, a
    manager for their own team and its members."""
    return p.role in PROPOSES_ANY_RECORD or leads_teams(p)


def is_record_proposer(p: Principal, record) -> bool:
    """Return whether the principal proposed the record (they may withdraw it, never approve it)."""
    return p.user_id is not None and record.proposed_by_id == p.user_id


def may_approve_record(p: Principal, record) -> bool:
    """Return whether the principal approves (or rejects) a proposed record: the director, within sales; never
    the person who proposed it. The director's own proposals go to the general manager (a query for the GM)."""
    if is_record_proposer(p, record):
        return False
    if p.role in APPROVES_RECORDS:
        return True
    return (p.role == Role.GENERAL_MANAGER and record.proposed_by_id is not None
            and User.objects.filter(pk=record.proposed_by_id, role=Role.DIRECTOR).exists())


def may_hr_approve_record(p: Principal, record) -> bool:
    """Return whether the principal gives (or refuses) HR's approval a large cash record needs: HR, never for
    their own proposal."""
    return p.role in KEEPS_RECORDS and not is_record_proposer(p, record)


def may_publish_records(p: Principal) -> bool:
    """Return whether the principal publishes approved records on the board and revokes published ones: the
    director and HR."""
    return p.role in APPROVES_RECORDS or p.role in KEEPS_RECORDS


def may_withdraw_record(p: Principal, record) -> bool:
    """Return whether the principal may withdraw an open proposal: its proposer, the director or HR (the rules'
    re-evaluation withdraws in the name of whoever closed the month, the director)."""
    return is_record_proposer(p, record) or may_publish_records(p)


# --- rewards: the notice board and published rankings (issue 15) ------------------------------------------------

WRITES_NOTICES = frozenset({Role.DIRECTOR, Role.HR, Role.ADMIN})


def may_write_notices(p: Principal) -> bool:
    """Return whether the principal writes announcements on the board and pins, unpins or withdraws notices (and
    sees the withdrawn and expired ones): the director and HR."""
    return p.role in WRITES_NOTICES


def may_publish_rankings(p: Principal) -> bool:
    """Return whether the principal publishes (and withdraws) a closed month's or phase's ranking: the director."""
    return p.role in CHANGES_ALL_TEAMS


# --- rewards: the rules that propose records (issue 15) ----------------------------------------------------------

SEES_RULES = frozenset({Role.GENERAL_MANAGER, Role.DIRECTOR, Role.HR, Role.ADMIN})


def may_see_rules(p: Principal) -> bool:
    """Return whether the principal reads the reward rules and their runs: the director, the GM and HR."""
    return p.role in SEES_RULES


def may_edit_rules(p: Principal) -> bool:
    """Return whether the principal edits the reward rules and runs them for a closed month: the director."""
    return p.role in CHANGES_ALL_TEAMS
# --- rewards: who a record may be about, who sees which records (the register, issue 15) -----------------------

# a rep (and a manager about themself) sees their own records once approved; proposals about them stay internal
RECORDS_SHOWN_TO_SUBJECT = ("approved", "published", "revoked")


def may_list_records(p: Principal) -> bool:
    """Return whether the principal opens the register (scoped by `scope_records`): every signed-in role."""
    return p.role is not None


def may_see_payroll(p: Principal) -> bool:
    """Return whether the principal downloads a month's cash list for payroll: HR and the director."""
    return p.role in APPROVES_RECORDS or p.role in KEEPS_RECORDS


def proposable_teams(p: Principal) -> QuerySet[Team]:
    """Return the teams a record by the principal may be about: every active team (the director, HR); a
    manager's own; none for anyone else."""
    if p.role in PROPOSES_ANY_RECORD:
        return Team.objects.filter(is_active=True)
    return Team.objects.filter(is_active=True, pk__in=p.managed_team_ids)


def proposable_employees(p: Principal, on: date) -> QuerySet[Employee]:
    """Return whom a record by the principal may be about on `on`: anyone in sales (the director, HR); a
    manager, their teams' current members; nobody else."""
    if p.role in PROPOSES_ANY_RECORD:
        return Employee.objects.all()
    if not p.managed_team_ids:
        return Employee.objects.none()
    return Employee.objects.filter(pk__in=_members(p, membership_during(on)).values("employee_id"))


def may_propose_record_for(p: Principal, *, employee: Employee | int | None = None, team: Team | int | None = None,
                           on: date) -> bool:
    """Return whether the principal may propose a record about this employee or team on `on` (one query for a
    manager and an employee; none otherwise)."""
    if not may_propose_records(p):
        return False
    if team is not None:
        return p.role in PROPOSES_ANY_RECORD or _pk(team) in p.managed_team_ids
    if employee is None:
        return False
    return p.role in PROPOSES_ANY_RECORD or proposable_employees(p, on).filter(pk=_pk(employee)).exists()


def records_waiting_q(p: Principal) -> Q:
    """Return a filter for the records waiting for the principal's approval: the director's proposals to
    approve, HR's large cash to approve second; never their own proposals. Matches nothing for anyone else."""
    waiting = Q(pk__in=[])
    if p.role in APPROVES_RECORDS:
        waiting |= Q(state="proposed")
    if p.role == Role.GENERAL_MANAGER:  # the director's own proposals
        waiting |= Q(state="proposed", proposed_by__role=Role.DIRECTOR)
    if p.role in KEEPS_RECORDS:
        waiting |= Q(state="with_hr")
    return waiting & ~Q(proposed_by_id=p.user_id) if p.user_id is not None else Q(pk__in=[])


def waits_for_records(p: Principal) -> bool:
    """Return whether any record could wait for the principal (so a start page asks how many; no query)."""
    return p.role in APPROVES_RECORDS or p.role in KEEPS_RECORDS or p.role == Role.GENERAL_MANAGER


def record_day() -> Expression:
    """Return the day an outer record is about, for "was in the team then": its period's first month, else the
    day it was proposed."""
    proposed = models.ExpressionWrapper(OuterRef("proposed_at"), output_field=models.DateTimeField())  # typed
    return Coalesce(OuterRef("first_month"), TruncDate(proposed))


def scope_records(p: Principal, rows: QuerySet) -> QuerySet:
    """Return the records the principal may open: all of sales; a manager's teams' records, their members' for
    the dates of membership (the record's period month, else the day it was proposed) and their own proposals;
    anyone's own records once approved (a rep sees nothing else)."""
    if sees_all_sales(p):
        return rows
    if p.user_id is None:
        return rows.none()
    mine = Q(employee_id=p.employee_id, state__in=RECORDS_SHOWN_TO_SUBJECT) if p.employee_id else Q(pk__in=[])
    if not p.managed_team_ids:
        return rows.filter(mine)
    member = Exists(_members(p, membership_during(record_day())).filter(employee_id=OuterRef("employee_id")))
    return rows.filter(mine | Q(proposed_by_id=p.user_id) | Q(team_id__in=p.managed_team_ids)
                       | (Q(member) & ~Q(employee_id=p.employee_id)))


# --- rewards: weekly bulletins (工作通报, issue 15) ----------------------------------------------------------------

REPLIES_TO_BULLETINS = frozenset({Role.DIRECTOR})  # the seed's two-way bulletin is between the director and teams


def may_read_bulletins(p: Principal) -> bool:
    """Return whether the principal opens bulletin pages at all: all of sales, and managers (their teams')."""
    return sees_all_sales(p) or leads_teams(p)


def may_read_all_bulletins(p: Principal) -> bool:
    """Return whether the principal reads every team's bulletins of a week: the director, the general manager, HR."""
    return sees_all_sales(p)


def may_read_bulletin(p: Principal, team: Team | int) -> bool:
    """Return whether the principal reads this team's bulletins: all of sales, and the team's current manager."""
    return sees_all_sales(p) or _pk(team) in p.managed_team_ids


def may_write_bulletin(p: Principal, team: Team | int) -> bool:
    """Return whether the principal writes (and rewrites, while the month is open) the team's weekly bulletin: its
    current manager only (the team's `manager`, as for its figures); the director replies instead."""
    return p.role == Role.MANAGER and _pk(team) in p.managed_team_ids


def may_annotate_bulletin(p: Principal, team: Team | int) -> bool:
    """Return whether the principal annotates the team's bulletins (the way to add to one once its month is
    closed): the team's current manager."""
    return may_write_bulletin(p, team)


def may_reply_to_bulletins(p: Principal) -> bool:
    """Return whether the principal replies to managers' bulletins: the director only."""
    return p.role in REPLIES_TO_BULLETINS


def may_write_week_lines(p: Principal) -> bool:
    """Return whether the principal writes a line on their own weeks (beside their team's bulletin): a rep. Which
    team the week belongs to is the week's rule (kpis), checked by the service."""
    return p.role == Role.REP and p.employee_id is not None


def may_write_week_line(p: Principal, employee: Employee | int) -> bool:
    """Return whether the principal writes this employee's week line: a rep, their own only."""
    return may_write_week_lines(p) and _pk(employee) == p.employee_id


def scope_bulletins(p: Principal, rows: QuerySet) -> QuerySet:
    """Return the bulletins the principal may read: all of sales; a manager's teams'; nobody else's (a rep reads
    no bulletin)."""
    if sees_all_sales(p):
        return rows
    return rows.filter(team_id__in=p.managed_team_ids) if p.managed_team_ids else rows.none()


def scope_week_lines(p: Principal, rows: QuerySet) -> QuerySet:
    """Return the reps' week lines the principal may read: all of sales; a manager's teams' (a line counts in the
    team the rep's week belongs to); a rep's own."""
    return scope_rows(p, rows, employee_field="employee", team_field="team")


# --- personal API tokens ---------------------------------------------------------------------------------------

def may_manage_own_tokens(p: Principal) -> bool:
    """Anyone with a role keeps tokens of their own; a token acts with exactly its user's principal."""
    return p.role is not None


def scope_tokens(p: Principal, rows: QuerySet[ApiToken]) -> QuerySet[ApiToken]:
    """Return the principal's own tokens only: even an admin revokes other people's in the admin, not here."""
    return rows.filter(user_id=p.user_id) if may_manage_own_tokens(p) else rows.none()


def get_own_token(p: Principal, pk: int) -> ApiToken:
    """Return one of the principal's tokens; 404 for anyone else's (its existence is not revealed)."""
    return _load(scope_tokens(p, ApiToken.objects.all()), pk)
