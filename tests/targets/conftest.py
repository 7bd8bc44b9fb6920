"""The working calendar and the 2017 plan on the test organisation, built through the services."""

from collections.abc import Callable
from datetime import date

import pytest

from targets import demo, services
from targets.calendar_cn import calendar_rows
from targets.models import PlanMonth, PlanYear


@pytest.fixture
def calendar(db) -> None:
    services.calendar_load([(row.day, row.kind, row.name_zh) for row in calendar_rows()])


@pytest.fixture
def draft_plan(org, calendar) -> PlanYear:
    """The seed's 2017 plan (Feb 2017 – Jan 2018, 1400万 in four phases), not yet approved."""
    return services.plan_create(name=demo.PLAN_2017, first_month=date(2017, 2, 1), phases=demo.PHASES_2017,
                                month_targets=demo.TARGETS_2017, by=org.director.user)


@pytest.fixture
def plan(draft_plan, org) -> PlanYear:
    """The 2017 plan approved by the general manager, so split to teams, reps and weeks."""
    return services.plan_approve(plan=draft_plan, version=draft_plan.version, by=org.general_manager.user)


@pytest.fixture
def month_of(draft_plan) -> Callable[[int, int], PlanMonth]:
    """Return a function giving the 2017 plan's month for (year, month)."""
    return lambda year, month: draft_plan.months.select_related("plan").get(month=date(year, month, 1))
