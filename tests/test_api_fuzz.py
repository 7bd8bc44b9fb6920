"""schemathesis against the API v1 (issue 16): every operation of /api/v1/schema/ called with each role's personal
token (the director, a manager, a rep), a fixed number of generated requests each, derandomized so CI is
deterministic. Every answer must be no 5xx, a status the operation documents, and a body its schema describes; for
the manager's and the rep's tokens, no answer may name an employee (name or number) or a team outside their scope.

The requests go through the whole Django stack (middleware, DRF, the token authentication, throttles) as WSGI calls
in the test's own thread, so they see the test's data; each one runs inside a savepoint rolled back after it, so a
write changes nothing for the next (the data, and with it the run, stay the same). FUZZ_EXAMPLES bounds it.
"""

import json
import os
import time
from contextlib import contextmanager
from datetime import date
from itertools import product

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from kpis import services as figures
from rewards.models import Bulletin, Notice, Record
from rewards.services.bulletins import bulletin_save
from rewards.services.notices import notice_publish
from targets.models import PlanMonth, PlanYear
from teams import access
from teams.models import Employee, Membership, Team
from teams.tokens.services import token_create
from tests.rewards.conftest import propose

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "10"))  # per operation and role
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]
WEEKS = ["2017-10-16", "2017-03-06", "2017-10-17"]  # Mondays with and without data, and a Tuesday
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
                phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failure is reported as found
                suppress_health_check=list(HealthCheck))


@pytest.fixture
def unthrottled(settings) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"token": "100000/minute", "user": "100000/minute"}}


@contextmanager
def wsgi_app():
    """The project's WSGI application, its connection kept across requests (the test's transaction), as Django's
    test client keeps it (which reconnects the signals after each of its own requests: use it before, not inside)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def world(org, plan):
    """The organisation with distinctive names (a foreign one cannot hide inside another), some figures, records,
    notices and bulletins in both teams."""
    for e in Employee.objects.all():
        Employee.objects.filter(pk=e.pk).update(name=f"人{e.pk}号")
    for t in Team.objects.all():
        Team.objects.filter(pk=t.pk).update(name=f"队{t.pk}组")
    week = date(2017, 10, 16)
    for team, rep, manager in ((org.team_a, org.rep_a, org.manager_a), (org.team_b, org.rep_b, org.manager_b)):
        figures.weekly_figures_save(week=week, team=team, by=manager.user, channel="api", rows=[
            figures.RepWeekInput(employee_id=rep.pk, values={"accounts_opened": "3", "new_customers": "2"})])
        propose(org, manager, employee=rep)
        bulletin_save(team=team, week=week, by=manager.user, hard="新客户少")
    notice_publish(by=org.hr.user, title="年会")
    return org


def _known(world) -> dict[str, list]:
    """Ids that exist, by path (a generated id is nearly always a 404)."""
    return {"reward-records": list(Record.objects.values_list("pk", flat=True)),
            "notices": list(Notice.objects.values_list("pk", flat=True)),
            "bulletins": list(Bulletin.objects.values_list("pk", flat=True)),
            "teams": list(Team.objects.values_list("pk", flat=True)),
            "employees": list(Employee.objects.values_list("pk", flat=True)),
            "plans": list(PlanYear.objects.values_list("pk", flat=True)),
            "months": list(PlanMonth.objects.values_list("pk", flat=True)[:3])}


def _real_parameters(path: str, names: list[str], known: dict[str, list]) -> list[dict]:
    """Return path parameters naming objects that exist, for the operation's path (empty: none to name)."""
    parts = path.strip("/").split("/")[2:]  # after api/v1
    choices = []
    for name in names:
        if name == "week":
            choices.append(WEEKS)
        elif name in ("team_pk",):
            choices.append(known["teams"])
        elif name == "plan_pk":
            choices.append(known["plans"])
        elif name == "id":
            owner = parts[parts.index("{id}") - 1]
            choices.append(known.get(owner, []))
        else:
            return []
    if not choices or not all(choices):
        return []
    return [dict(zip(names, values, strict=True)) for values in product(*choices)][:20]


def _cases(operation, real: list[dict]) -> st.SearchStrategy:
    """Return the operation's generated requests, half of them naming real objects in the path when there are any."""
    cases = operation.as_strategy()
    if not real:
        return cases
    return st.one_of(cases, st.sampled_from(real).flatmap(lambda path: operation.as_strategy(path_parameters=path)))


def _strings(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield str(key)
            yield from _strings(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _strings(inner)


def _foreign(world, role: str) -> tuple[set[str], set[str]]:
    """Return (names, numbers) the role's principal must never read: employees and teams outside its scope. The
    director, the general manager and HR act on records and notices everyone reads, so their names are not foreign;
    nor is the team a rep belongs to (their own figures name it)."""
    p = access.principal_of(world.by_role(role).user)
    officers = {world.director.pk, world.general_manager.pk, world.hr.pk}
    hidden = Employee.objects.exclude(pk__in=access.visible_employees(p).values("pk")).exclude(pk__in=officers)
    own = Membership.objects.filter(employee_id=p.employee_id).values("team_id")  # a rep's own team is theirs
    teams = Team.objects.exclude(pk__in=access.visible_teams(p).values("pk")).exclude(pk__in=own)
    return ({e.name for e in hidden} | {t.name for t in teams}, {e.employee_number for e in hidden})


def _leaks(body: object, names: set[str], numbers: set[str]) -> list[str]:
    found = []
    for text in _strings(body):
        found += [n for n in names if n in text]
        found += [n for n in numbers if n == text]
    return found


def _fuzz(schema, app, world, role: str, token: str, scoped: bool) -> tuple[list[str], int]:
    names, numbers = _foreign(world, role) if scoped else (set(), set())
    known, failures, calls = _known(world), [], 0
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": "en"}
    for result in schema.get_all_operations():
        operation = result.ok()
        real = _real_parameters(operation.path, [p.name for p in operation.path_parameters], known)
        cases = _cases(operation, real)

        @FUZZ
        @given(case=cases)
        def run(case) -> None:
            nonlocal calls
            saved = transaction.savepoint()
            try:
                response = case.call(app=app, headers=headers)
                calls += 1
                case.validate_response(response, checks=CHECKS, headers=headers)
                if scoped and response.content:
                    try:
                        body = json.loads(response.content)
                    except ValueError:
                        body = response.text
                    leaked = _leaks(body, names, numbers)
                    assert not leaked, f"{role} read {sorted(set(leaked))} outside their scope"
            finally:
                transaction.savepoint_rollback(saved)

        try:
            run()
        except (KeyboardInterrupt, SystemExit):
            raise
        except BaseException as exc:  # noqa: BLE001 (schemathesis' FailureGroup: report it, run the other operations)
            failures.append(f"{role} {operation.label}: {type(exc).__name__}: {str(exc)[:1500]}")
    return failures, calls


@pytest.mark.parametrize(("role", "scoped"), [("director", False), ("manager_a", True), ("rep_a", True)])
def test_every_operation_holds_to_its_schema_and_its_scope(client, unthrottled, world, role, scoped):
    client.force_login(world.director.user)
    loaded = client.get("/api/v1/schema/?format=json")
    assert loaded.status_code == 200
    schema = schemathesis.openapi.from_dict(loaded.json())
    token = token_create(user=world.by_role(role).user, name="fuzz").key
    started = time.monotonic()
    with wsgi_app() as app:
        failures, calls = _fuzz(schema, app, world, role, token, scoped)
    print(f"{role}: {calls} calls in {time.monotonic() - started:.1f}s")  # noqa: T201 (-s shows the fuzz's size)
    assert not failures, "\n\n".join(failures)
    assert calls >= EXAMPLES * 20  # every operation ran
