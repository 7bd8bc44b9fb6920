"""Bad input for a new plan year: refused with the field named, nothing written."""

from datetime import date

import pytest

from kpis import services as figure_services
from targets import services
from teams.errors import DomainError

PHASES = [services.PhaseSpec("全年", 12)]


def create(org, first_month: date, name: str = "新计划"):
    return services.plan_create(name=name, first_month=first_month, phases=PHASES, month_targets=[100_000] * 12,
                                by=org.director.user)


def test_a_plan_year_overlapping_another_is_refused(org, calendar, unchanged):
    create(org, date(2025, 2, 1), "2025年度计划")
    with unchanged(), pytest.raises(DomainError) as refused:
        create(org, date(2026, 1, 1))
    assert refused.value.field == "first_month" and "2025年度计划" in refused.value.message


def test_a_first_month_before_figures_already_closed_is_refused(org, calendar, unchanged):
    figure_services.month_close(month=date(2024, 6, 1), by=org.director.user)
    with unchanged(), pytest.raises(DomainError) as refused:
        create(org, date(2024, 2, 1))
    assert refused.value.field == "first_month" and "2024-06" in refused.value.message
    assert create(org, date(2024, 7, 1)).months.count() == 12  # after the closed month: fine
