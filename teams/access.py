"""All access rules: which employees and teams a user may see or change, at a date.

Every view, queryset and endpoint asks this module; none tests a role itself. Rules:
- the general manager, the director, HR and admins see all of sales;
- a manager sees the teams they manage and each member for the dates of membership
  (former members included), plus themself;
- a rep sees only themself.
An object outside the user's scope answers 404 (its existence is not revealed); a page the
role may not use at all answers 403.
"""

from collections.abc import Callable
from datetime import date
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.permissions import BasePermission

from .models import Employee, Membership, Role, Team, User

SEES_ALL_SALES = frozenset({Role.GENERAL_MANAGER, Role.DIRECTOR, Role.HR, Role.ADMIN})
CHANGES_ALL_TEAMS = frozenset({Role.DIRECTOR, Role.ADMIN})
APPROVES_PLANS = frozenset({Role.GENERAL_MANAGER, Role.DIRECTOR, Role.ADMIN})


def role_of(user: User) -> str | None:
    """Return the user's role; superusers count as admins, anonymous users have none."""
    if not user.is_authenticated:
        return None
    return Role.ADMIN if user.is_superuser else user.role


def sees_all_sales(user: User) -> bool:
    """Return whether the user sees every team and employee."""
    return role_of(user) in SEES_ALL_SALES


def managed_teams(user: User) -> QuerySet[Team]:
    """Return the teams this user manages (none unless their role is manager)."""
    if role_of(user) != Role.MANAGER:
        return Team.objects.none()
    return Team.objects.filter(manager__user=user)


def _overlapping(on: date | None, prefix: str = "") -> Q:
    """Return a filter for memberships that include `on` (any membership when `on` is None)."""
    if on is None:
        return Q()
    return Q(**{f"{prefix}starts_on__lte": on}) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": on})
    )


def visible_teams(user: User) -> QuerySet[Team]:
    """Return the teams whose pages this user may open."""
    if sees_all_sales(user):
        return Team.objects.all()
    return managed_teams(user)


def visible_employees(user: User, on: date | None = None) -> QuerySet[Employee]:
    """Return the employees this user may see; with `on`, only those visible at that date."""
    if sees_all_sales(user):
        return Employee.objects.all()
    if not user.is_authenticated:
        return Employee.objects.none()
    if role_of(user) == Role.MANAGER:
        member_ids = Membership.objects.filter(_overlapping(on), team__in=managed_teams(user)).values("employee_id")
        return Employee.objects.filter(Q(user=user) | Q(pk__in=member_ids))
    return Employee.objects.filter(user=user)


def visible_periods(user: User, employee: Employee) -> list[tuple[date | None, date | None]]:
    """Return the date ranges (inclusive, None = open) over which the user may see this employee's data."""
    if sees_all_sales(user) or employee.user_id == user.pk:
        return [(None, None)]
    if role_of(user) != Role.MANAGER:
        return []
    spans = Membership.objects.filter(employee=employee, team__in=managed_teams(user)).order_by("starts_on")
    return [(m.starts_on, m.ends_on) for m in spans]


def may_see_employee(user: User, employee: Employee, on: date | None = None) -> bool:
    """Return whether the user may see this employee (at `on`, if given)."""
    return visible_employees(user, on).filter(pk=employee.pk).exists()


def changeable_teams(user: User) -> QuerySet[Team]:
    """Return the teams whose data (targets, figures, ratings) the user may change."""
    if role_of(user) in CHANGES_ALL_TEAMS:
        return Team.objects.all()
    return managed_teams(user)


def may_change_team(user: User, team: Team) -> bool:
    """Return whether the user may change this team's data (targets, figures, ratings)."""
    return role_of(user) in CHANGES_ALL_TEAMS or changeable_teams(user).filter(pk=team.pk).exists()


def may_enter_figures(user: User) -> bool:
    """Return whether the user may enter or import weekly figures for some team."""
    return changeable_teams(user).exists()


def may_edit_plan(user: User) -> bool:
    """Return whether the user may edit plans, team weights and decide on proposals."""
    return role_of(user) in CHANGES_ALL_TEAMS


def may_approve_plan(user: User) -> bool:
    """Return whether the user may approve a plan."""
    return role_of(user) in APPROVES_PLANS


def may_view_plan(user: User) -> bool:
    """Return whether the user may open the company plan (everyone but reps, who see their own targets)."""
    return sees_all_sales(user) or managed_teams(user).exists()


def may_view_organisation(user: User) -> bool:
    """Return whether the user may open the organisation and people pages."""
    return sees_all_sales(user) or managed_teams(user).exists()


def get_visible_employee(user: User, pk: int) -> Employee:
    """Return the employee, or raise 404 when it is outside the user's scope."""
    try:
        return visible_employees(user).get(pk=pk)
    except (Employee.DoesNotExist, ValueError):
        raise Http404 from None


def get_visible_team(user: User, pk: int) -> Team:
    """Return the team, or raise 404 when it is outside the user's scope."""
    try:
        return visible_teams(user).select_related("manager").get(pk=pk)
    except (Team.DoesNotExist, ValueError):
        raise Http404 from None


def page_for(predicate: Callable[[User], bool]) -> Callable:
    """Decorate a view: anonymous users go to log-in, users failing `predicate` get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not predicate(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def any_role(user: User) -> bool:
    """Return True for every signed-in user: pages whose scoping is done by the querysets."""
    return user.is_authenticated


class IsSalesStaff(BasePermission):
    """DRF: a signed-in user with a role; each endpoint narrows further through this module."""

    def has_permission(self, request, view) -> bool:
        return bool(request.user and request.user.is_authenticated and role_of(request.user))
