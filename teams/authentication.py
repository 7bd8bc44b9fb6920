"""Who may sign in: the log-in backend (an employee's access ends on their leaving date), django-axes' limits on
failed log-ins (per user name and, higher, per address) and the page a locked-out visitor gets."""

import ipaddress
from datetime import date

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_lockout_parameters
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from . import clock
from .models import User


def has_left(user: User, on: date) -> bool:
    """Return whether the user's employee has left by `on` (their access ends on the leaving date itself)."""
    employee = getattr(user, "employee", None)  # a log-in without an employee (an admin) never leaves
    return employee is not None and employee.left_on is not None and employee.left_on <= on


def left_by(on: date) -> Q:
    """Return a filter for the log-ins whose employee has left by `on` (`has_left` for a queryset of users)."""
    return Q(employee__left_on__lte=on)


class EmployeeBackend(ModelBackend):
    """Django's backend, refusing an employee who has left: at log-in, and on every request of a session begun
    before (get_user reads the employee in the same query as the user, so the check costs no query)."""

    def user_can_authenticate(self, user: User) -> bool:
        return super().user_can_authenticate(user) and not has_left(user, clock.today())

    def get_user(self, user_id):
        user = User._default_manager.select_related("employee").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with a limit per lock-out parameter: AXES_FAILURE_LIMIT failures for one user
    name, LOGIN_FAILURE_LIMIT_PER_ADDRESS for one address (many people may share an office's address)."""

    def get_failures(self, request, credentials=None) -> int:
        """Return the failures that count against the limit: the largest of each parameter's failures scaled to
        AXES_FAILURE_LIMIT (an address reaches it at its own, higher limit)."""
        base = settings.AXES_FAILURE_LIMIT
        limits = {"username": base, "ip_address": settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS}
        parameters = get_lockout_parameters(request, credentials)
        counted = 0
        for parameter, attempts in zip(parameters, self.get_user_attempts(request, credentials), strict=True):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            limit = limits.get(parameter, base) if isinstance(parameter, str) else base
            counted = max(counted, failures * base // limit)  # >= base exactly when failures >= limit
        return counted


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """Return the log-in page saying that signing in is locked for a while (429 Too Many Requests)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60) if settings.AXES_COOLOFF_TIME else None
    return render(request, "registration/login.html", {"form": AuthenticationForm(request), "locked_out": True,
                                                       "cool_off_minutes": minutes}, status=429)


def client_ip(request: HttpRequest) -> str | None:
    """Return the client's address: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies of our own the address the
    outermost of them saw (X-Forwarded-For's entry that many from the right; the ones left of it are the
    client's word, not to be trusted). None when it is not an address."""
    raw = request.META.get("REMOTE_ADDR", "")
    if settings.TRUSTED_PROXY_COUNT:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        raw = hops[-settings.TRUSTED_PROXY_COUNT] if len(hops) >= settings.TRUSTED_PROXY_COUNT else raw
    try:
        return str(ipaddress.ip_address(raw))
    except ValueError:
        return None
